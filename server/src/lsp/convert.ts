/**
 * Core types → LSP types. The only place where the core's vocabulary meets the protocol's: ranges (both 0-based
 * UTF-16, only the field names differ), severities, tags, related locations and edits.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { RULES_BY_CODE, ruleDocsUrl } from '../core/rules/index.js';
import type { ConfigDiagnostic, Finding, Range, Severity, TextEdit } from '../core/types.js';

export const SOURCE = 'migration-lens';

export function toLspRange(r: Range): LspRange {
  return { start: { line: r.start.line, character: r.start.column }, end: { line: r.end.line, character: r.end.column } };
}

export function fromLspRange(r: LspRange): Range {
  return { start: { line: r.start.line, column: r.start.character }, end: { line: r.end.line, column: r.end.character } };
}

export function toLspEdit(e: TextEdit): LspTextEdit {
  return { range: toLspRange(e.range), newText: e.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function uriOf(absPath: string): string {
  return URI.file(absPath).toString();
}

/** Absolute path of a `file:` URI; null for any other scheme (untitled, git, …), which the server never analyzes. */
export function pathOf(uri: string): string | null {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? path.normalize(parsed.fsPath) : null;
}

/** What rides on each diagnostic so a code action can find its finding again without recomputing. */
export interface DiagnosticData {
  /** Document version the finding was computed for. */
  version: number;
  /** Index of the finding in the published list. */
  index: number;
}

export function toDiagnostic(f: Finding, root: string, data: DiagnosticData): Diagnostic {
  const rule = RULES_BY_CODE.get(f.code);
  const tags: DiagnosticTag[] = [];
  if (f.tags.includes('deprecated')) tags.push(DiagnosticTag.Deprecated);
  if (f.tags.includes('unnecessary')) tags.push(DiagnosticTag.Unnecessary);
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
    location: { uri: uriOf(path.join(root, ...r.path.split('/'))), range: toLspRange(r.range) },
    message: r.message,
  }));
  const d: Diagnostic = {
    range: toLspRange(f.range),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: SOURCE,
    message: f.message,
    data,
  };
  if (rule) d.codeDescription = { href: ruleDocsUrl(rule) };
  if (tags.length) d.tags = tags;
  if (related.length) d.relatedInformation = related;
  return d;
}

export function configDiagnostic(c: ConfigDiagnostic): Diagnostic {
  return { range: toLspRange(c.range), severity: c.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, source: SOURCE, message: c.message };
}

/** Edits turning `before` into `after` as one replacement of the span that differs (keeps cursors and markers outside it). */
export function minimalEdit(before: string, after: string, positionAt: (offset: number) => { line: number; character: number }): LspTextEdit | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { range: { start: positionAt(start), end: positionAt(endBefore) }, newText: after.slice(start, endAfter) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
