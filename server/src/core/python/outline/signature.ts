import type { Parameter } from '../facts.js';
import * as names from './names.js';
import * as literals from './literals.js';
import type { LineIndex } from './positions.js';
import { decline, type TokenBuffer } from './tokens.js';
import * as tokens from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { hashAt, internAt } = names;
const { commasAt } = literals;
const {
  F_LAMBDA, T_ASSIGN, T_COLON, T_DSTAR, T_NAME, T_SLASH, T_STAR,
} = tokens;

/**
 * A `def`'s parameter list, tokens (a, b) between its parentheses, as extract.ts's signatureOf reads it: names,
 * kinds, default values' source text and each parameter node's range. Annotations and defaults are handed to
 * `uses` (they are evaluated where the function is defined); parameter names are not uses. With `build` false
 * the list is only checked and read for uses, and comes back empty.
 */

const commas: number[] = [];

export function signature(
  t: TokenBuffer,
  text: string,
  lines: LineIndex,
  a: number,
  b: number,
  uses: (from: number, to: number, annotation: boolean) => void,
  build = true,
): Parameter[] {
  const out: Parameter[] = [];
  if (a === b) return out;
  const depth = t.depth[a]!;
  const ends = [...commasAt(t, a, b, depth, commas), b];
  let kind: Parameter['kind'] = 'positional';
  let from = a;
  for (let n = 0; n < ends.length; n++) {
    const to = ends[n]!;
    if (to === from) {
      // Only a trailing comma leaves an empty slot.
      if (n !== ends.length - 1 || n === 0) decline('syntax');
      break;
    }
    const first = t.kind[from];
    if (first === T_SLASH && to - from === 1) {
      for (const q of out) if (q.kind === 'positional') q.kind = 'positional-only';
    } else if (first === T_STAR && to - from === 1) {
      kind = 'keyword-only';
    } else if ((first === T_STAR || first === T_DSTAR) && t.kind[from + 1] === T_NAME) {
      if (to - from > 2 && !(t.kind[from + 2] === T_COLON && to - from > 3)) decline('syntax');
      // `*args: T` takes no default.
      for (let i = from + 3; i < to; i++) if (t.kind[i] === T_ASSIGN && t.depth[i] === depth && (t.flags[i] & F_LAMBDA) === 0) decline('syntax');
      if (to - from > 2) uses(from + 3, to, true);
      if (build) out.push({
        name: internAt(text, t.start[from + 1]!, t.end[from + 1]!, t.hash[from + 1]!),
        kind: first === T_STAR ? 'var-positional' : 'var-keyword',
        default: null,
        range: lines.range(t.start[from]!, t.end[to - 1]!),
      });
      if (first === T_STAR) kind = 'keyword-only';
    } else if (first === T_NAME) {
      let value = -1;
      if (to - from > 1) {
        const next = t.kind[from + 1];
        if (next === T_ASSIGN) value = from + 2;
        else if (next === T_COLON && to - from > 2) {
          let assign = -1;
          for (let i = from + 2; i < to; i++) {
            if (t.kind[i] === T_ASSIGN && t.depth[i] === depth && (t.flags[i] & F_LAMBDA) === 0) {
              assign = i;
              break;
            }
          }
          uses(from + 2, assign < 0 ? to : assign, true);
          if (assign >= 0) value = assign + 1;
        } else decline('syntax');
        if (value >= to) decline('syntax');
        if (value >= 0) {
          for (let i = value; i < to; i++) if (t.kind[i] === T_ASSIGN && t.depth[i] === depth && (t.flags[i] & F_LAMBDA) === 0) decline('syntax');
          uses(value, to, false);
        }
      }
      if (build) out.push({
        name: internAt(text, t.start[from]!, t.end[from]!, t.hash[from]!),
        kind,
        default: value >= 0 ? internAt(text, t.start[value]!, t.end[to - 1]!, hashAt(text, t.start[value]!, t.end[to - 1]!)) : null,
        range: lines.range(t.start[from]!, t.end[to - 1]!),
      });
    } else decline('syntax');
    from = to + 1;
  }
  return out;
}
