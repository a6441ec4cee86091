import type { ImportItem, ImportStatement } from '../facts.js';
import { intern } from '../intern.js';
import * as names from './names.js';
import type { LineIndex } from './positions.js';
import { decline, type TokenBuffer } from './tokens.js';
import * as tokens from './tokens.js';
import { resolveRelative, type ModuleOptions } from '../relativeImport.js';

export type { ModuleOptions };

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { internAt } = names;
const {
  KW_AS, KW_IMPORT, T_COMMA, T_DOT, T_ELLIPSIS, T_LPAR, T_NAME, T_RPAR, T_STAR,
} = tokens;

/** `import` and `from … import` statements, read from tokens [s, e) the way extract.ts reads their nodes. */

interface Source {
  text: string;
  t: TokenBuffer;
  lines: LineIndex;
}

/** A dotted name's text as extract.ts keeps it: whitespace (or a line continuation's newline) removed. */
function dottedText(src: Source, first: number, last: number): string {
  const raw = src.text.slice(src.t.start[first], src.t.end[last]);
  let plain = (last - first) / 2;
  for (let i = first; i <= last; i += 2) plain += src.t.end[i]! - src.t.start[i]!;
  return raw.length === plain ? raw : raw.replace(/\s+/g, '');
}

/** Last token of `a.b.c` starting at `i` (a NAME). */
function dottedEnd(t: TokenBuffer, i: number, e: number): number {
  while (i + 2 < e && t.kind[i + 1] === T_DOT && t.kind[i + 2] === T_NAME) i += 2;
  return i;
}

/** Items from [a, b): `name [as alias]` separated by commas; `dotted` allows `a.b.c` names (plain `import`). */
function items(src: Source, a: number, b: number, dotted: boolean, trailingComma: boolean): ImportItem[] {
  const t = src.t;
  const out: ImportItem[] = [];
  let i = a;
  if (i >= b) decline('syntax');
  while (i < b) {
    if (t.kind[i] !== T_NAME) decline('syntax');
    const last = dotted ? dottedEnd(t, i, b) : i;
    const name = dotted && last > i ? intern(dottedText(src, i, last)) : internAt(src.text, t.start[i]!, t.end[i]!, t.hash[i]!);
    let end = last;
    let asName: string | null = null;
    if (t.kind[last + 1] === KW_AS && last + 2 < b && t.kind[last + 2] === T_NAME) {
      end = last + 2;
      asName = internAt(src.text, t.start[end]!, t.end[end]!, t.hash[end]!);
    }
    out.push({
      name,
      asName,
      local: asName ?? (dotted && last > i ? intern(name.split('.')[0]!) : name),
      range: src.lines.range(t.start[i]!, t.end[end]!),
      nameRange: src.lines.range(t.start[i]!, t.end[last]!),
    });
    i = end + 1;
    if (i === b) break;
    if (t.kind[i] !== T_COMMA) decline('syntax');
    i++;
    if (i === b && !trailingComma) decline('syntax');
  }
  return out;
}

function indentOf(text: string, start: number): string {
  const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
  return /^\s*$/.test(before) ? intern(before) : '';
}

/** `import a.b as c, d` in [s, e). */
export function importStatement(src: Source, s: number, e: number): ImportStatement {
  const t = src.t;
  return {
    kind: 'import',
    level: 0,
    module: null,
    absModule: null,
    range: src.lines.range(t.start[s]!, t.end[e - 1]!),
    moduleRange: null,
    items: items(src, s + 1, e, true, false),
    star: false,
    parenthesized: false,
    guard: { tryImportError: false, typeChecking: false, nested: false },
    indent: indentOf(src.text, t.start[s]!),
  };
}

/** `from ..a.b import (c as d, e)` in [s, e); null for a `from __future__ import` (tree-sitter's own statement). */
export function fromStatement(src: Source, s: number, e: number, opts: ModuleOptions): ImportStatement | null {
  const t = src.t;
  let i = s + 1;
  while (t.kind[i] === T_DOT || t.kind[i] === T_ELLIPSIS) i++;
  // import_prefix's text length, whatever lies between the dots.
  const level = i > s + 1 ? t.end[i - 1]! - t.start[s + 1]! : 0;
  let module: string | null = null;
  let moduleEnd = i - 1;
  if (t.kind[i] === T_NAME) {
    moduleEnd = dottedEnd(t, i, e);
    module = src.text.slice(t.start[i], t.end[moduleEnd]);
    if (level === 0 && module.startsWith('__future__') && t.end[i]! - t.start[i]! === 10) {
      if (moduleEnd !== i) decline('syntax');
      if (t.kind[i + 1] !== KW_IMPORT) decline('syntax');
      if (t.kind[i + 2] === T_STAR) decline('future-star');
      if (t.kind[i + 2] === T_LPAR) {
        if (t.kind[e - 1] !== T_RPAR) decline('syntax');
        items(src, i + 3, e - 1, true, true);
      } else items(src, i + 2, e, true, false);
      return null;
    }
  } else if (level === 0) decline('syntax');
  const moduleStart = level ? s + 1 : i;
  i = moduleEnd + 1;
  if (t.kind[i] !== KW_IMPORT) decline('syntax');
  i++;
  let star = false;
  let parenthesized = false;
  let list: ImportItem[] = [];
  if (t.kind[i] === T_STAR) {
    if (i + 1 !== e) decline('syntax');
    star = true;
  } else if (t.kind[i] === T_LPAR) {
    if (t.kind[e - 1] !== T_RPAR || t.depth[e - 1] !== t.depth[i]) decline('syntax');
    parenthesized = true;
    list = items(src, i + 1, e - 1, false, true);
  } else list = items(src, i, e, false, false);
  const absModule = resolveRelative(opts, level, level ? (module ?? '') : module!);
  return {
    kind: 'from',
    level,
    module: intern(level ? (module ?? '') : module!),
    absModule: absModule === null ? null : intern(absModule),
    range: src.lines.range(t.start[s]!, t.end[e - 1]!),
    moduleRange: src.lines.range(t.start[moduleStart]!, t.end[moduleEnd]!),
    items: list,
    star,
    parenthesized,
    guard: { tryImportError: false, typeChecking: false, nested: false },
    indent: indentOf(src.text, t.start[s]!),
  };
}
