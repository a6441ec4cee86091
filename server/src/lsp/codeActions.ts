/**
 * Code actions for Migration Lens diagnostics: each finding's own fix (safe ones preferred), "fix all MIG00x in
 * this file", `source.fixAll.migrationLens` (safe fixes only, repeated until stable, for codeActionsOnSave) and
 * "ignore on this line". Every edit is a TextDocumentEdit carrying the document version it was computed for, so
 * the client refuses it if the document has changed since.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { applyEdits, selectFixes } from '../core/fixes/edits.js';
import { SUPPRESSION } from '../core/python/suppressions.js';
import { LineIndex, comparePositions } from '../core/text.js';
import type { Finding, Fix } from '../core/types.js';
import { fromLspRange, minimalEdit, toLspEdit, SOURCE, type DiagnosticData } from './convert.js';
import type { OpenDocument } from './documents.js';
import { FIX_ALL_KIND } from './protocol.js';
import type { Session, Validated } from './session.js';

function versioned(doc: OpenDocument, edits: LspTextEdit[]): TextDocumentEdit {
  return { textDocument: { uri: doc.uri, version: doc.version }, edits };
}

function wanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function overlaps(f: Finding, range: ReturnType<typeof fromLspRange>): boolean {
  return comparePositions(f.range.start, range.end) <= 0 && comparePositions(range.start, f.range.end) <= 0;
}

export function codeActions(session: Session, params: CodeActionParams): CodeAction[] {
  const doc = session.docs.get(params.textDocument.uri);
  if (!doc) return [];
  const v = session.findingsFor(doc);
  if (!v) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wanted(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(session, doc, v, params));
  // Only on explicit request (Source Action menu, codeActionsOnSave): it runs fix rounds, too much for every cursor move.
  if (only && wanted(only, FIX_ALL_KIND)) {
    const all = fixAllInFile(doc, v);
    if (all) actions.push(all);
  }
  return actions;
}

function quickFixes(session: Session, doc: OpenDocument, v: Validated, params: CodeActionParams): CodeAction[] {
  const range = fromLspRange(params.range);
  const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
  const actions: CodeAction[] = [];
  const fixable = new Map<string, Finding[]>();
  for (const f of v.findings) if (f.fix) fixable.set(f.code, [...(fixable.get(f.code) ?? []), f]);

  const offered = new Set<string>();
  for (const [index, f] of v.findings.entries()) {
    if (!overlaps(f, range)) continue;
    const diagnostic = matchingDiagnostic(ours, f, index, v.version);
    const diagnostics = diagnostic ? { diagnostics: [diagnostic] } : {};
    if (f.fix) {
      actions.push({ title: f.fix.title, kind: CodeActionKind.QuickFix, ...diagnostics, isPreferred: f.fix.safety === 'safe', edit: { documentChanges: [versioned(doc, f.fix.edits.map(toLspEdit))] } });
    }
    // One "fix all of this code" and one "ignore" per code, however many of its diagnostics are in range.
    const sameCode = fixable.get(f.code) ?? [];
    if (f.fix && sameCode.length > 1 && !offered.has(`all:${f.code}`)) {
      offered.add(`all:${f.code}`);
      const all = fixAllOfCode(doc, sameCode.map((x) => x.fix!));
      if (all) actions.push({ title: `Fix all ${f.code} in this file (${all.count})`, kind: CodeActionKind.QuickFix, edit: { documentChanges: [versioned(doc, [all.edit])] } });
    }
    if (!offered.has(`ignore:${f.code}:${f.range.start.line}`)) {
      offered.add(`ignore:${f.code}:${f.range.start.line}`);
      const ignore = ignoreOnLine(session, doc, f);
      if (ignore) actions.push({ title: `Ignore ${f.code} on this line`, kind: CodeActionKind.QuickFix, ...diagnostics, edit: { documentChanges: [versioned(doc, [ignore])] } });
    }
  }
  return actions;
}

/** The client's diagnostic for a finding, when it was published for this very version. */
function matchingDiagnostic(diagnostics: Diagnostic[], f: Finding, index: number, version: number): Diagnostic | undefined {
  return diagnostics.find((d) => {
    const data = d.data as DiagnosticData | undefined;
    return d.code === f.code && data?.version === version && data.index === index;
  });
}

/** Every fix of one code that applies together, in one round (fixes that overlap wait for the next request). */
function fixAllOfCode(doc: OpenDocument, fixes: Fix[]): { edit: LspTextEdit; count: number } | null {
  const text = doc.text;
  const { edits, applied } = selectFixes(text, fixes, () => true);
  const edit = minimalEdit(text, applyEdits(text, edits), (o) => doc.doc.positionAt(o));
  return edit && applied.length > 1 ? { edit, count: applied.length } : null;
}

/** All safe fixes of the file, repeated until stable and checked to parse (the core's fixWorkspace on one file). */
function fixAllInFile(doc: OpenDocument, v: Validated): CodeAction | null {
  if (!v.findings.some((f) => f.fix?.safety === 'safe')) return null;
  const outcome = v.project.computeFixes({ unsafe: false, filter: (rel) => rel === v.relPath });
  const change = [...outcome.changed.values()].find((c) => c.relPath === v.relPath);
  if (!change) return null;
  const edit = minimalEdit(doc.text, change.after, (o) => doc.doc.positionAt(o));
  if (!edit) return null;
  return { title: `Fix all safe Migration Lens issues (${outcome.applied})`, kind: FIX_ALL_KIND, edit: { documentChanges: [versioned(doc, [edit])] } };
}

/**
 * `# migration-lens: ignore[CODE]` at the end of the finding's first line, merged into an existing suppression
 * comment. Not offered when the line ends inside a string (a comment there would change the string).
 */
function ignoreOnLine(session: Session, doc: OpenDocument, f: Finding): LspTextEdit | null {
  const index = new LineIndex(doc.text);
  const line = f.range.start.line;
  const text = index.lineText(line);
  const existing = SUPPRESSION.exec(text);
  if (existing) {
    if (existing[1] === undefined) return null; // a bare ignore already silences everything
    const codes = existing[1].split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.includes(f.code)) return null;
    const start = existing.index;
    const replacement = `# migration-lens: ignore[${[...codes, f.code].join(', ')}]`;
    return { range: { start: { line, character: start }, end: { line, character: start + existing[0].length } }, newText: replacement };
  }
  const end = text.replace(/\s+$/, '').length;
  const tree = doc.parse(session.parser);
  for (let node: ReturnType<typeof tree.rootNode.descendantForPosition> = tree.rootNode.descendantForPosition({ row: line, column: Math.max(0, end - 1) }); node; node = node.parent) {
    if (node.type === 'string' || node.type === 'string_content') {
      if (node.endPosition.row > line) return null;
    }
  }
  return { range: { start: { line, character: end }, end: { line, character: text.length } }, newText: `  # migration-lens: ignore[${f.code}]` };
}
