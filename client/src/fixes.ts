import * as vscode from 'vscode';
import { TextDocumentEdit, type LanguageClient } from 'vscode-languageclient/node';
import type { FixesResult } from '../../server/src/lsp/protocol.js';
import type { Output } from './output.js';

/** Uris of open documents that changed since the server computed `result` (versioned edits that went stale). */
function staleDocuments(result: FixesResult): string[] {
  const stale: string[] = [];
  for (const change of result.edit.documentChanges ?? []) {
    if (!TextDocumentEdit.is(change) || change.textDocument.version === null) continue;
    const uri = vscode.Uri.parse(change.textDocument.uri).toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (document && document.version !== change.textDocument.version) stale.push(uri);
  }
  return stale;
}

/** Lists the files whose fixes the server withheld (the result would not parse or leave a name undefined). */
export function logRefused(result: FixesResult, output: Output): void {
  for (const { uri, reason } of result.refused) {
    output.channel.warn(`Fixes withheld for ${vscode.Uri.parse(uri).fsPath}: ${reason}`);
  }
}

/**
 * Applies the edit of a FixesRequest. The protocol converter drops document versions, so they are compared
 * here: an edit computed for an older version of an open document is refused as a whole (a partial
 * migration is harder to review than none).
 */
export async function applyFixes(client: LanguageClient, result: FixesResult, output: Output): Promise<boolean> {
  const stale = staleDocuments(result);
  if (stale.length > 0) {
    output.channel.warn(`Fixes not applied: ${stale.map((u) => vscode.Uri.parse(u).fsPath).join(', ')} changed meanwhile.`);
    void vscode.window.showWarningMessage('Files changed while the fixes were computed. Run the command again.');
    return false;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!edit) return false;
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) void vscode.window.showWarningMessage('The fixes could not be applied (a file changed meanwhile?). Run the command again.');
  return applied;
}

