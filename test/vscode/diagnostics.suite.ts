/** Diagnostics published by the server, checked against the `# expect:` annotations of the demo. */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { expectationsIn } from '../support/annotations.js';
import { codeOf, extensionApi, lineOf, migrationDiagnostics, openFile, waitForDiagnostic } from './support.js';
import { poll } from '../support/poll.js';

export function defineDiagnosticsSuite(): void {
  suite('Diagnostics', () => {
    suiteSetup(async () => {
      await extensionApi();
    });

    test('a non-canonical import is MIG002 with a link to its rule', async () => {
      const document = await openFile('netra_backend/app/routes/agent_route.py');
      const line = lineOf(document, 'from netra_backend.app.websocket_core.canonical_import_patterns import get_websocket_manager');
      const diagnostic = await waitForDiagnostic(document.uri, 'MIG002', line, 45_000);
      assert.equal(diagnostic.source, 'migration-lens');
      assert.match(diagnostic.message, /get_websocket_manager/);
      assert.equal(document.getText(diagnostic.range), 'get_websocket_manager');
      assert.ok(typeof diagnostic.code === 'object' && diagnostic.code.target instanceof vscode.Uri, 'code carries its codeDescription');
    });

    test('a deprecated usage is MIG001 and tagged Deprecated (struck through)', async () => {
      const document = await openFile('netra_backend/app/agents/pipeline_executor.py');
      const line = lineOf(document, 'engine = BaseExecutionEngine(');
      const diagnostic = await waitForDiagnostic(document.uri, 'MIG001', line);
      assert.equal(document.getText(diagnostic.range), 'BaseExecutionEngine');
      assert.ok(diagnostic.tags?.includes(vscode.DiagnosticTag.Deprecated), `tags: ${JSON.stringify(diagnostic.tags)}`);
    });

    for (const relPath of [
      'netra_backend/app/agents/pipeline_executor.py',
      'netra_backend/app/routes/agent_route.py',
      'netra_backend/app/services/session_service.py',
      'tests/test_websocket_manager.py',
    ]) {
      test(`${relPath}: exactly the findings its annotations expect`, async () => {
        const document = await openFile(relPath);
        const expected = expectationsIn(relPath, document.getText())
          .map((e) => `${e.line}:${e.code}`)
          .sort();
        assert.ok(expected.length > 0);
        let found: string[] = [];
        // Findings may arrive in steps (open file first, project-wide rules after indexing): wait for agreement,
        // then let deepEqual print the difference if there is none.
        await poll(`the findings of ${relPath}`, () => {
          found = migrationDiagnostics(document.uri)
            .map((d) => `${d.range.start.line + 1}:${codeOf(d)}`)
            .sort();
          return found.join() === expected.join();
        }).catch(() => undefined);
        assert.deepEqual(found, expected);
      });
    }
  });
}
