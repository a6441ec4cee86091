/**
 * Extension-host test suite. Bundled to out/test/index.js (esbuild.mjs) and loaded by VS Code through
 * `extensionTestsPath`, with a copy of examples/netra opened as the workspace folder: by
 * test/vscode/runTestElectron.ts where VS Code can be downloaded, by code-server's extension host here.
 * Mocha stays external (required from node_modules at run time); `vscode` comes from the extension host.
 */
import Mocha from 'mocha';
import { defineCodeActionsSuite } from './codeActions.suite.js';
import { defineCommandsSuite } from './commands.suite.js';
import { defineDiagnosticsSuite } from './diagnostics.suite.js';
import { definePanelSuite } from './panel.suite.js';

// In run order; the commands suite restarts the server, so it comes last.
const SUITES = [defineDiagnosticsSuite, defineCodeActionsSuite, definePanelSuite, defineCommandsSuite];

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  const grep = process.env.MIGRATION_LENS_TEST_GREP;
  if (grep) mocha.grep(grep);
  // The suites are bundled, not files Mocha loads: announce a "file" so the TDD interface binds suite/test
  // (imported from 'mocha' in the suites) to this runner, then let each suite declare its tests.
  mocha.suite.emit('pre-require', {}, 'test/vscode/index.ts', mocha);
  for (const define of SUITES) define();

  const failures: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failed) => {
      if (failed === 0) resolve();
      else reject(new Error(`${failed} extension-host test(s) failed:\n${failures.join('\n')}`));
    });
    runner.on('fail', (test, error: unknown) => {
      failures.push(`- ${test.fullTitle()}: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
}
