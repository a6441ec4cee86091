import { refRange, type FileFacts, type ImportItem, type ImportStatement } from '../python/facts.js';
import { LineIndex } from '../text.js';
import type { Position, Range, TextEdit } from '../types.js';

/**
 * Rewrites one `from a import X` item so that it imports from another module and/or under another name,
 * touching as little text as possible: comments, `as` names, parentheses, the file's relative-or-absolute
 * style and the other items of the statement all survive.
 */

export interface ImportMove {
  stmt: number;
  item: number;
  /** Absolute destination module. */
  module: string;
  /** Name to import from the destination. */
  name: string;
  /** Local name to bind (unchanged unless references are renamed too). */
  local: string;
  /** Every item of the statement moves to the same module under its own name: rewrite the module only. */
  wholeStatement: boolean;
}

export interface FileView {
  facts: FileFacts;
  index: LineIndex;
  /**
   * Set for a focused file (workspace/focus.ts), whose bound names lack those only blanked statements bind: the
   * names answered "not bound", which a parse of the whole file might answer otherwise.
   */
  unboundAnswers?: Set<string>;
}

/** Whether the file binds `name` in any scope: a fix must not introduce a name that already means something there. */
export function bindsName(view: FileView, name: string): boolean {
  const bound = view.facts.boundNames.includes(name);
  if (!bound) view.unboundAnswers?.add(name);
  return bound;
}

/** How `target` is spelled from inside `fromModule`, relative if the file's statement is relative. */
export function moduleSpelling(view: FileView, stmt: ImportStatement, target: string): string {
  const { module, isPackage } = view.facts;
  if (stmt.level === 0 || module === null) return target;
  const pkg = (isPackage ? module : module.split('.').slice(0, -1).join('.')).split('.').filter(Boolean);
  const parts = target.split('.');
  let common = 0;
  while (common < pkg.length && common < parts.length && pkg[common] === parts[common]) common++;
  if (common === 0) return target;
  return '.'.repeat(pkg.length - common + 1) + parts.slice(common).join('.');
}

function itemText(name: string, local: string): string {
  return name === local ? name : `${name} as ${local}`;
}

function pos(index: LineIndex, offset: number): Position {
  return index.positionAt(offset);
}

function range(index: LineIndex, start: number, end: number): Range {
  return { start: pos(index, start), end: pos(index, end) };
}

/** The trailing `# comment` on the line of `item` when the item sits alone on its line, else null. */
function ownLine(view: FileView, item: ImportItem): { lineStart: number; lineEndWithBreak: number; comment: string | null } | null {
  const { index } = view;
  const line = item.range.start.line;
  if (item.range.end.line !== line) return null;
  const text = index.lineText(line);
  const before = text.slice(0, item.range.start.column);
  const after = text.slice(item.range.end.column);
  if (!/^\s*$/.test(before)) return null;
  const m = /^\s*,?\s*(#.*)?$/.exec(after);
  if (!m) return null;
  const lineStart = index.offsetAt({ line, column: 0 });
  const nextLine = line + 1 < index.lineCount ? index.offsetAt({ line: line + 1, column: 0 }) : index.text.length;
  return { lineStart, lineEndWithBreak: nextLine, comment: m[1] ?? null };
}

/** Edits removing one item from a multi-item statement, and the comment that belonged to it. */
function removeItem(view: FileView, stmt: ImportStatement, itemIndex: number): { edits: TextEdit[]; comment: string | null } {
  const { index } = view;
  const item = stmt.items[itemIndex]!;
  const own = stmt.parenthesized ? ownLine(view, item) : null;
  if (own) return { edits: [{ range: range(index, own.lineStart, own.lineEndWithBreak), newText: '' }], comment: own.comment };
  const next = stmt.items[itemIndex + 1];
  if (next) {
    return { edits: [{ range: { start: item.range.start, end: next.range.start }, newText: '' }], comment: null };
  }
  const prev = stmt.items[itemIndex - 1]!;
  return { edits: [{ range: { start: prev.range.end, end: item.range.end }, newText: '' }], comment: null };
}

/** Edits adding `text` as a new item at the end of an existing from-import. */
export function appendItem(view: FileView, stmt: ImportStatement, text: string, comment: string | null): TextEdit[] {
  const { index } = view;
  const last = stmt.items[stmt.items.length - 1]!;
  const own = stmt.parenthesized ? ownLine(view, last) : null;
  if (own) {
    const lineText = index.lineText(last.range.start.line);
    const indent = /^\s*/.exec(lineText)![0];
    const edits: TextEdit[] = [];
    const afterLast = lineText.slice(last.range.end.column);
    if (!/^\s*,/.test(afterLast)) edits.push({ range: { start: last.range.end, end: last.range.end }, newText: ',' });
    const eolAt = pos(index, index.lineEnd(last.range.start.line));
    edits.push({ range: { start: eolAt, end: eolAt }, newText: `${index.eol}${indent}${text},${comment ? `  ${comment}` : ''}` });
    return edits;
  }
  const edits: TextEdit[] = [{ range: { start: last.range.end, end: last.range.end }, newText: `, ${text}` }];
  if (comment) {
    // On its own line above the statement: never at the end of the line, where another fix may append a name
    // (which would then land inside the comment).
    const lineStart = { line: stmt.range.start.line, column: 0 };
    edits.push({ range: { start: lineStart, end: lineStart }, newText: `${stmt.indent}${comment}${index.eol}` });
  }
  return edits;
}

/** An existing from-import of `module` at the same level as `stmt` that a moved name can join. */
function mergeTarget(view: FileView, stmt: ImportStatement, module: string): ImportStatement | null {
  for (const other of view.facts.imports) {
    if (other === stmt || other.kind !== 'from' || other.star || other.absModule !== module) continue;
    if (other.guard.nested !== stmt.guard.nested || other.guard.tryImportError || other.guard.typeChecking) continue;
    if (other.indent !== stmt.indent) continue;
    return other;
  }
  return null;
}

export function moveImportItem(view: FileView, move: ImportMove): TextEdit[] {
  const { index, facts } = view;
  const stmt = facts.imports[move.stmt]!;
  const item = stmt.items[move.item]!;
  const newItem = itemText(move.name, move.local);
  const edits: TextEdit[] = [];
  if (stmt.absModule === move.module || move.wholeStatement || stmt.items.length === 1) {
    if (stmt.absModule !== move.module && stmt.moduleRange) {
      edits.push({ range: stmt.moduleRange, newText: moduleSpelling(view, stmt, move.module) });
    }
    const current = itemText(item.name, item.local);
    if (current !== newItem) edits.push({ range: item.range, newText: newItem });
    return edits;
  }
  const removal = removeItem(view, stmt, move.item);
  edits.push(...removal.edits);
  const target = mergeTarget(view, stmt, move.module);
  if (target) {
    const already = target.items.some((i) => i.name === move.name && i.local === move.local);
    if (!already) edits.push(...appendItem(view, target, newItem, removal.comment));
    return edits;
  }
  const at = pos(index, index.lineEnd(stmt.range.end.line));
  const comment = removal.comment ? `  ${removal.comment}` : '';
  edits.push({ range: { start: at, end: at }, newText: `${index.eol}${stmt.indent}from ${moduleSpelling(view, stmt, move.module)} import ${newItem}${comment}` });
  return edits;
}

/** Renames every reference bound by one import item (the references were resolved with scopes). */
export function renameReferences(facts: FileFacts, stmt: number, item: number, newName: string): TextEdit[] {
  return facts.refs.filter((r) => r.stmt === stmt && r.item === item).map((r) => ({ range: refRange(r, 0), newText: newName }));
}
