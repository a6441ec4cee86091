/**
 * Runs the extension-host suite in a downloaded VS Code (needs internet; these build machines have none, where
 * code-server's extension host runs the same out/test/index.js instead).
 *
 *   npm run build && node --import tsx test/vscode/runTestElectron.ts
 *
 * The suite edits files (and restores them), so it always gets a fresh copy of examples/netra.
 * VSCODE_TEST_VERSION picks the VS Code version ("stable" by default; engines.vscode is ^1.138.0).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const repo = path.resolve(__dirname, '..', '..');
  const extensionTestsPath = path.join(repo, 'out', 'test', 'index.js');
  for (const built of [extensionTestsPath, path.join(repo, 'dist', 'extension.js'), path.join(repo, 'dist', 'server.js')]) {
    if (!fs.existsSync(built)) throw new Error(`${path.relative(repo, built)} is missing: run \`npm run build\` first`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-lens-vscode-'));
  const workspace = path.join(scratch, 'netra');
  fs.cpSync(path.join(repo, 'examples', 'netra'), workspace, { recursive: true });
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
