/**
 * The extension-host suite (test/vscode/, bundled to out/test/index.js) in code-server's real extension host:
 * the workbench opens a temp copy of the demo with the repo as extensionDevelopmentPath, and the suite's exit
 * code comes back through codeAutomationExit. On machines that can download VS Code, the same suite runs under
 * @vscode/test-electron (test/vscode/runTestElectron.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runExtensionTests } from './support/codeServer';
import { REPO, skipReason } from './support/paths';
import { tail } from './support/process';

const SUITE = path.join(REPO, 'out', 'test', 'index.js');

function reason(): string | false {
  const missing = skipReason(['cli', 'code-server']);
  if (missing) return missing;
  if (!fs.existsSync(path.join(REPO, 'test', 'vscode'))) return 'there is no extension-host suite (test/vscode/) yet';
  return false;
}

test('the extension-host suite passes in code-server', { skip: reason(), timeout: 420_000 }, async () => {
  assert.ok(fs.existsSync(SUITE), `${path.relative(REPO, SUITE)} is missing: the extension-host suite was not built`);
  assert.ok(fs.existsSync(path.join(REPO, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run build`');
  const started = Date.now();
  const run = await runExtensionTests({
    extensionDevelopmentPath: REPO,
    extensionTestsPath: SUITE,
    timeoutMs: 360_000,
  });
  console.log(`extension-host suite: exit ${run.exitCode} in ${Date.now() - started} ms; logs in ${run.dir}`);
  assert.equal(run.exitCode, 0, `the extension-host suite failed (exit ${run.exitCode}); workspace ${run.folder}\n` +
    `--- ${run.log} (tail)\n${tail(run.log, 120)}`);
  fs.rmSync(run.folder, { recursive: true, force: true });
});
