/**
 * Token kinds and the reusable token buffer of the outline scanner (see ../outline.ts). A logical line's tokens
 * live in parallel typed arrays, reused from line to line and file to file: no token objects.
 */

/** Thrown (not an Error: no stack to capture) when the outline cannot promise the facts of a full parse. */
export class Decline {
  constructor(readonly reason: string) {}
}

export function decline(reason: string): never {
  throw new Decline(reason);
}

export * from './kinds.js';
import { SOFT_CASE, SOFT_MATCH } from './kinds.js';

/** Hard keywords: KW_FIRST + their index here is their kind (kinds.ts). */
export const KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
] as const;

/** Soft keywords are NAME tokens; `aux` says which. */
export const SOFT_KEYWORDS: Record<string, number> = { match: SOFT_MATCH, case: SOFT_CASE };

/**
 * One logical line's tokens. `depth` is the bracket depth outside the token (an opening bracket's own depth). The
 * arrays are views of the wasm lexer's memory (lexer.ts points them there, again whenever they move), valid until
 * the next line is read; one past the last token, `kind` is 0.
 */
export class TokenBuffer {
  n = 0;
  kind = new Uint8Array(1);
  aux = new Uint8Array(1);
  flags = new Uint8Array(1);
  depth = new Uint16Array(1);
  start = new Int32Array(1);
  end = new Int32Array(1);
  hash = new Int32Array(1);
  /** Which placement of the wasm arrays these views show (lexer.ts). */
  generation = -1;
}

/** The hash the lexer computes for identifiers (h = h * 31 + code unit). */
export function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
