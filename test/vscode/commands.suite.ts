/** Commands of the palette, run through vscode.commands like a user would. */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { MigrationLensApi } from '../../client/src/extension.js';
import { Commands, STARTER_CONFIG_FILE_NAME } from '../../client/src/config.js';
import { extensionApi, lineOf, openFile, waitForDiagnostic, workspaceRoot } from './support.js';
import { poll } from '../support/poll.js';

export function defineCommandsSuite(): void {
  suite('Commands', () => {
    let api: MigrationLensApi;
    suiteSetup(async () => {
      api = await extensionApi();
    });

    test('"Generate Stability Report" writes the Markdown report into the project', async () => {
      const report = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.generateReport, { base: '' });
      assert.ok(report, 'the command returns the report it wrote');
      try {
        assert.ok(report.toString().startsWith(workspaceRoot().toString()), `${report.toString()} is inside the workspace`);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(report));
        assert.match(text, /^#/m, 'a Markdown heading');
        assert.ok(text.length > 100, 'a report, not a stub');
        assert.match(text, /^## Verdict: /m, 'the verdict section');
        assert.match(text, /^## Import integrity/m);
      } finally {
        await vscode.workspace.fs.delete(report);
      }
    });

    test('"Create Config" opens the existing config instead of overwriting it', async () => {
      const config = vscode.Uri.joinPath(workspaceRoot(), STARTER_CONFIG_FILE_NAME);
      const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(config));
      const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.createConfig);
      assert.equal(opened?.toString(), config.toString());
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), config.toString());
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(config)), before);
    });

    // Last: it replaces the client every other suite talks to.
    test('"Restart Server" starts a new server that publishes again', async () => {
      const before = api.client;
      await vscode.commands.executeCommand(Commands.restartServer);
      const after = await poll('a running client', () => api.client?.isRunning() && api.client);
      assert.notEqual(after, before, 'a new client');
      const document = await openFile('netra_backend/app/agents/pipeline_executor.py');
      await waitForDiagnostic(document.uri, 'MIG001', lineOf(document, 'engine = BaseExecutionEngine('));
      await poll('a status snapshot from the new server', async () => (await api.statusTree.getChildren()).length > 0);
    });
  });
}
