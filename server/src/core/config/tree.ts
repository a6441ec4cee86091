/**
 * A located view of a TOML document: every table entry keeps the range of its key and every value
 * its own range, whichever TOML spelling defined it (table headers, dotted keys, inline tables,
 * arrays of tables). Validation works on this tree so each diagnostic can point at the exact token.
 */
import { parseTOML, type AST } from 'toml-eslint-parser';
import type { Range } from '../types.js';

export type TomlScalar =
  | { kind: 'string'; range: Range; value: string }
  | { kind: 'integer' | 'float'; range: Range; value: number }
  | { kind: 'boolean'; range: Range; value: boolean }
  /** Dates are kept as their source text; no key accepts them. */
  | { kind: 'datetime'; range: Range; value: string };

export interface TomlArray {
  kind: 'array';
  range: Range;
  items: TomlNode[];
  /** True for `[[x]]` arrays of tables, which the user cannot write as a plain value. */
  ofTables: boolean;
}

export interface TomlEntry {
  key: string;
  keyRange: Range;
  node: TomlNode;
}

export interface TomlTable {
  kind: 'table';
  /** Where to point when complaining about the table as a whole (its header key, or the inline table). */
  range: Range;
  /** Insertion order is document order, which `categories` relies on. */
  entries: Map<string, TomlEntry>;
}

export type TomlNode = TomlScalar | TomlArray | TomlTable;

export interface TomlSyntaxError {
  message: string;
  range: Range;
}

export type TomlParseResult = { ok: true; root: TomlTable } | { ok: false; error: TomlSyntaxError };

/** The parser reports 1-based lines and 0-based UTF-16 columns; we use 0-based for both. */
function toRange(loc: AST.SourceLocation): Range {
  return {
    start: { line: loc.start.line - 1, column: loc.start.column },
    end: { line: loc.end.line - 1, column: loc.end.column },
  };
}

const ZERO_RANGE: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function newTable(range: Range): TomlTable {
  return { kind: 'table', range, entries: new Map() };
}

function keyName(part: AST.TOMLBare | AST.TOMLQuoted): string {
  return part.type === 'TOMLBare' ? part.name : part.value;
}

function convertValue(node: AST.TOMLContentNode): TomlNode {
  const range = toRange(node.loc);
  if (node.type === 'TOMLArray') {
    return { kind: 'array', range, items: node.elements.map(convertValue), ofTables: false };
  }
  if (node.type === 'TOMLInlineTable') {
    const table = newTable(range);
    for (const kv of node.body) insertKeyValue(table, kv);
    return table;
  }
  switch (node.kind) {
    case 'string':
      return { kind: 'string', range, value: node.value };
    case 'boolean':
      return { kind: 'boolean', range, value: node.value };
    case 'integer':
    case 'float':
      return { kind: node.kind, range, value: node.value };
    default:
      return { kind: 'datetime', range, value: node.datetime };
  }
}

/** Descend into (creating if needed) the table named by one key part; null if something else is there. */
function childTable(parent: TomlTable, part: AST.TOMLBare | AST.TOMLQuoted, tableRange?: Range): TomlTable | null {
  const name = keyName(part);
  const existing = parent.entries.get(name);
  if (!existing) {
    const table = newTable(tableRange ?? toRange(part.loc));
    parent.entries.set(name, { key: name, keyRange: toRange(part.loc), node: table });
    return table;
  }
  if (existing.node.kind === 'table') return existing.node;
  // `[a.b]` after `[[a]]` extends the last table of the array.
  if (existing.node.kind === 'array' && existing.node.ofTables) {
    const last = existing.node.items[existing.node.items.length - 1];
    return last && last.kind === 'table' ? last : null;
  }
  return null;
}

function insertKeyValue(table: TomlTable, kv: AST.TOMLKeyValue): void {
  const parts = kv.key.keys;
  let current: TomlTable | null = table;
  for (const part of parts.slice(0, -1)) {
    if (!current) return;
    current = childTable(current, part);
  }
  const last = parts[parts.length - 1];
  if (!current || !last) return;
  const name = keyName(last);
  current.entries.set(name, { key: name, keyRange: toRange(last.loc), node: convertValue(kv.value) });
}

/** Resolve a `[a.b]` or `[[a.b]]` header to the table its key-values go into. */
function headerTable(root: TomlTable, header: AST.TOMLTable): TomlTable | null {
  const parts = header.key.keys;
  let current: TomlTable | null = root;
  for (const part of parts.slice(0, -1)) {
    if (!current) return null;
    current = childTable(current, part);
  }
  const last = parts[parts.length - 1];
  if (!current || !last) return null;
  // Point at the whole header key (`tool.migration-lens.deprecated`), not just its last part.
  const tableRange = toRange(header.key.loc);
  if (header.kind === 'standard') return childTable(current, last, tableRange);
  return appendArrayTable(current, last, tableRange);
}

function appendArrayTable(parent: TomlTable, part: AST.TOMLBare | AST.TOMLQuoted, tableRange: Range): TomlTable | null {
  const name = keyName(part);
  const range = toRange(part.loc);
  const table = newTable(tableRange);
  const existing = parent.entries.get(name);
  if (!existing) {
    const array: TomlArray = { kind: 'array', range, items: [table], ofTables: true };
    parent.entries.set(name, { key: name, keyRange: range, node: array });
    return table;
  }
  if (existing.node.kind !== 'array' || !existing.node.ofTables) return null;
  existing.node.items.push(table);
  return table;
}

function buildTree(program: AST.TOMLProgram): TomlTable {
  const root = newTable(ZERO_RANGE);
  const top = program.body[0];
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') {
      insertKeyValue(root, item);
      continue;
    }
    const table = headerTable(root, item);
    if (table) for (const kv of item.body) insertKeyValue(table, kv);
  }
  return root;
}

/** A one-character range at the error position, or an empty one at the end of a line. */
function errorRange(text: string, line: number, column: number): Range {
  const lineText = text.split(/\r?\n/)[line] ?? '';
  const end = column < lineText.length ? column + 1 : column;
  return { start: { line, column }, end: { line, column: end } };
}

function isParseError(e: unknown): e is { message: string; lineNumber: number; column: number } {
  if (typeof e !== 'object' || e === null) return false;
  const candidate = e as Record<string, unknown>;
  return typeof candidate['lineNumber'] === 'number' && typeof candidate['column'] === 'number';
}

/** Parse TOML 1.0 (what Python's tomllib and pip read) into a located tree. Never throws. */
export function parseTomlTree(text: string): TomlParseResult {
  try {
    return { ok: true, root: buildTree(parseTOML(text, { tomlVersion: '1.0' })) };
  } catch (e) {
    if (isParseError(e)) {
      // ParseError: lineNumber is 1-based, column is 0-based (UTF-16 offset within the line).
      const line = Math.max(0, e.lineNumber - 1);
      return { ok: false, error: { message: e.message, range: errorRange(text, line, e.column) } };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message, range: ZERO_RANGE } };
  }
}

/** Human-readable TOML type name for "expected X, got Y" messages. */
export function describeKind(node: TomlNode): string {
  if (node.kind === 'array') return node.ofTables ? 'array of tables' : 'array';
  return node.kind;
}
