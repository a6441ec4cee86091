import { decline, type TokenBuffer } from './tokens.js';
import * as tokens from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const {
  F_LAMBDA, T_COMMA, T_DOT, T_FEND, T_FSTART, T_LPAR, T_LSQB, T_NAME, T_STRING,
} = tokens;

/** Token-level readings of the expressions extract.ts looks into: string literals, string lists, dotted chains. */

/** The bracket closing the one opened at token `open` (the first later token back at its depth). */
export function matchingClose(t: TokenBuffer, open: number): number {
  const d = t.depth[open];
  for (let i = open + 1; i < t.n; i++) if (t.depth[i] === d) return i;
  return decline('unclosed-bracket');
}

/** The next comma at `depth` in [from, b) (outside lambda parameters), or b: where a list element ends. */
export function elementEnd(t: TokenBuffer, from: number, b: number, depth: number): number {
  while (from < b && !(t.kind[from] === T_COMMA && t.depth[from] === depth && (t.flags[from] & F_LAMBDA) === 0)) from++;
  return from;
}

/** Token indexes of the commas at `depth` in [a, b). */
export function commasAt(t: TokenBuffer, a: number, b: number, depth: number, out: number[]): number[] {
  out.length = 0;
  for (let i = a; i < b; i++) if (t.kind[i] === T_COMMA && t.depth[i] === depth && (t.flags[i] & F_LAMBDA) === 0) out.push(i);
  return out;
}

/** The text between a literal's quotes (prefix and quotes stripped), as tree-sitter's string children give it. */
function inner(text: string, s: number, e: number): string {
  let p = s;
  while (text.charCodeAt(p) !== 34 && text.charCodeAt(p) !== 39) p++;
  const q = text.charCodeAt(p);
  const triple = e - p >= 6 && text.charCodeAt(p + 1) === q && text.charCodeAt(p + 2) === q;
  const ql = triple ? 3 : 1;
  return text.slice(p + ql, e - ql);
}

/** extract.ts's stringValue of tokens [a, b): a string or an implicit concatenation of strings, else null. */
export function stringValue(t: TokenBuffer, text: string, a: number, b: number): string | null {
  if (a >= b) return null;
  let out = '';
  for (let i = a; i < b; i++) {
    const k = t.kind[i];
    if (k === T_STRING) out += inner(text, t.start[i]!, t.end[i]!);
    else if (k === T_FSTART) {
      const d = t.depth[i];
      let j = i + 1;
      while (!(t.kind[j] === T_FEND && t.depth[j] === d)) j++;
      out += inner(text, t.start[i]!, t.end[j]!);
      i = j;
    } else return null;
  }
  return out;
}

/**
 * Whether nothing but spaces and newlines separates tokens [a, b): a comment or a line continuation between the parts
 * of a concatenation is a child of tree-sitter's node, which makes extract.ts's stringValue null.
 */
export function plainGaps(t: TokenBuffer, text: string, a: number, b: number): boolean {
  for (let k = a; k + 1 < b; k++) if (/[#\\]/.test(text.slice(t.end[k], t.start[k + 1]))) return false;
  return true;
}

const scratch: number[] = [];

/** extract.ts's stringList: a list or tuple display of strings only, else null. */
export function stringList(t: TokenBuffer, text: string, a: number, b: number): string[] | null {
  if (b - a < 2 || (t.kind[a] !== T_LSQB && t.kind[a] !== T_LPAR) || matchingClose(t, a) !== b - 1) return null;
  const commas = commasAt(t, a + 1, b - 1, t.depth[a]! + 1, scratch).slice();
  // `(x)` is a parenthesized expression, not a tuple.
  if (t.kind[a] === T_LPAR && !commas.length && b - a > 2) return null;
  const out: string[] = [];
  let from = a + 1;
  for (const end of [...commas, b - 1]) {
    if (end > from) {
      const value = stringValue(t, text, from, end);
      if (value === null) return null;
      out.push(value);
    }
    from = end + 1;
  }
  return out;
}

/** `a.b.c` exactly (extract.ts's dottedChain), else null. */
export function dottedChain(t: TokenBuffer, text: string, a: number, b: number): string[] | null {
  if (a >= b || t.kind[a] !== T_NAME || (b - a) % 2 !== 1) return null;
  const out = [text.slice(t.start[a], t.end[a])];
  for (let i = a + 1; i < b; i += 2) {
    if (t.kind[i] !== T_DOT || t.kind[i + 1] !== T_NAME) return null;
    out.push(text.slice(t.start[i + 1], t.end[i + 1]));
  }
  return out;
}
