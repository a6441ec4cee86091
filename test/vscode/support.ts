/** Helpers shared by the extension-host suites: the extension's API, the demo workspace, diagnostics. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../client/src/config.js';
import type { MigrationLensApi } from '../../client/src/extension.js';
import { poll } from '../support/poll.js';

export const SOURCE = 'migration-lens';

let api: Promise<MigrationLensApi> | undefined;

/** Activates the extension once and waits until its server has sent a first status snapshot. */
export function extensionApi(): Promise<MigrationLensApi> {
  api ??= (async () => {
    const extension = vscode.extensions.getExtension<MigrationLensApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repository root?)`);
    const exports = await extension.activate();
    await exports.whenReady();
    return exports;
  })();
  return api;
}

/** The workspace folder: a copy of examples/netra handed over by the runner. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a copy of examples/netra opened as the workspace folder');
  return folder.uri;
}

export function workspaceFile(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
}

export async function openFile(relPath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relPath));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function migrationDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Waits for a Migration Lens diagnostic with `code` on the 0-based `line`. */
export function waitForDiagnostic(uri: vscode.Uri, code: string, line: number, timeoutMs?: number): Promise<vscode.Diagnostic> {
  return poll(
    `${code} on line ${line + 1} of ${vscode.workspace.asRelativePath(uri)}`,
    () => migrationDiagnostics(uri).find((d) => codeOf(d) === code && d.range.start.line === line),
    timeoutMs === undefined ? {} : { timeoutMs },
  );
}

/** 0-based line of the first line containing `needle` (so tests name the code they mean, not a number). */
export function lineOf(document: vscode.TextDocument, needle: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(needle)) return line;
  }
  assert.fail(`"${needle}" is not in ${vscode.workspace.asRelativePath(document.uri)}`);
}

/** Puts a file back as it was (in the editor and on disk), so every test starts from the demo as shipped. */
export async function restoreFile(uri: vscode.Uri, original: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${vscode.workspace.asRelativePath(uri)}`);
  }
  if (document.isDirty) await document.save();
}

/** Applies a code action the way the editor does: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
