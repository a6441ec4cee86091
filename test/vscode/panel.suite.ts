/** The Migration Status panel, read through the TreeDataProvider the extension exports. */
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { MigrationLensApi } from '../../client/src/extension.js';
import type { StatusNode } from '../../client/src/statusTree.js';
import { Commands } from '../../client/src/config.js';
import { codeOf, extensionApi, migrationDiagnostics, restoreFile,  } from './support.js';
import { poll } from '../support/poll.js';

type Node<K extends StatusNode['kind']> = Extract<StatusNode, { kind: K }>;

/** Groups at the top, or under the project nodes when the workspace holds several projects. */
async function groups(api: MigrationLensApi): Promise<Node<'group'>[]> {
  const top = await api.statusTree.getChildren();
  const out: Node<'group'>[] = [];
  for (const node of top) {
    if (node.kind === 'group') out.push(node);
    if (node.kind === 'project') out.push(...(await api.statusTree.getChildren(node)).filter((n): n is Node<'group'> => n.kind === 'group'));
  }
  return out;
}

/** Group → category → file → occurrence, for the first group whose codes include `code` and has usages left. */
async function firstFileOf(api: MigrationLensApi, code: string): Promise<{ file: Node<'file'>; occurrences: Node<'occurrence'>[] }> {
  const group = await poll(`a group for ${code} with usages left`, async () =>
    (await groups(api)).find((g) => g.group.codes.includes(code) && g.group.remaining > 0),
  );
  const categories = (await api.statusTree.getChildren(group)).filter((n): n is Node<'category'> => n.kind === 'category');
  const category = categories.find((c) => c.counts.remaining > 0);
  assert.ok(category, `a category with usages left under "${group.group.title}"`);
  const files = (await api.statusTree.getChildren(category)).filter((n): n is Node<'file'> => n.kind === 'file');
  assert.equal(files.length, category.counts.files, `files listed under ${category.counts.category}`);
  const file = files[0]!;
  const occurrences = (await api.statusTree.getChildren(file)).filter((n): n is Node<'occurrence'> => n.kind === 'occurrence');
  assert.ok(occurrences.length > 0);
  return { file, occurrences };
}

export function definePanelSuite(): void {
  suite('Migration Status panel', () => {
    let api: MigrationLensApi;
    suiteSetup(async () => {
      api = await extensionApi();
    });

    test('the top level lists migrations with usages left and their progress', async () => {
      const found = await poll('a group with usages left', async () => {
        for (const node of await groups(api)) {
          const item = api.statusTree.getTreeItem(node);
          if (node.group.remaining > 0 && String(item.description).includes('left')) return { node, item };
        }
        return undefined;
      });
      assert.match(String(found.item.description), /^\d+ left( · \d+% migrated)?$/);
      assert.ok(found.item.tooltip instanceof vscode.MarkdownString, 'tooltip with the counts per category');
    });

    test('the trend node lists the commits of the workspace repository with their counts', async () => {
      // The harness commits the demo, then a commit that migrates one utcnow usage (test/e2e/support/codeServer.ts).
      const top = await api.statusTree.getChildren();
      const trend = top.find((n): n is Node<'trend'> => n.kind === 'trend');
      assert.ok(trend, `a trend node at the top level (got ${top.map((n) => n.kind).join(', ')})`);
      const commits = (await api.statusTree.getChildren(trend)).filter((n): n is Node<'commit'> => n.kind === 'commit');
      assert.deepEqual(commits.map((c) => c.point.subject), ['migrate models.py off utcnow', 'demo as shipped']);
      const [after, before] = commits.map((c) => c.point);
      assert.equal(before!.remaining - after!.remaining, 1, 'one legacy usage fewer after the migration commit');
      assert.match(String(api.statusTree.getTreeItem(commits[0]!).description), /^\d+ left/);
      const item = await poll('the sparkline once the history is known', () => {
        const i = api.statusTree.getTreeItem(trend);
        return /[▁▂▃▄▅▆▇█]/.test(String(i.description)) && i;
      });
      assert.match(String(item.description), /^[▁▂▃▄▅▆▇█]{2} \d+%$/);
    });

    test('a group expands into categories, files and occurrences that open their location', async () => {
      const { file, occurrences } = await firstFileOf(api, 'MIG002');
      const occurrence = occurrences[0]!;
      const item = api.statusTree.getTreeItem(occurrence);
      assert.match(String(item.description), /^MIG\d{3} · Ln \d+$/);
      assert.ok(item.command, 'an occurrence opens its location');
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      const editor = await poll('the occurrence to open', () => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.toString() === vscode.Uri.parse(file.file.uri).toString() && active;
      });
      assert.equal(editor.selection.start.line, occurrence.occurrence.range.start.line);
      assert.equal(editor.selection.start.character, occurrence.occurrence.range.start.character);
    });

    test('"Fix All in File" on a file node applies its safe fixes', async () => {
      const { file, occurrences } = await firstFileOf(api, 'MIG002');
      const uri = vscode.Uri.parse(file.file.uri);
      const document = await vscode.workspace.openTextDocument(uri);
      const original = document.getText();
      const lines = occurrences.filter((o) => o.occurrence.code === 'MIG002').map((o) => o.occurrence.range.start.line);
      try {
        const applied = await vscode.commands.executeCommand<boolean>(Commands.fixAllInFile, file);
        assert.equal(applied, true, 'the fixes were applied');
        assert.notEqual(document.getText(), original);
        await poll('the MIG002 diagnostics of the fixed lines to go away', () =>
          migrationDiagnostics(uri).every((d) => codeOf(d) !== 'MIG002' || !lines.includes(d.range.start.line)),
        );
      } finally {
        await restoreFile(uri, original);
      }
    });
  });
}
