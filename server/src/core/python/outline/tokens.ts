/**
 * Token kinds and the reusable token buffer of the outline scanner (see ../outline.ts). A logical line's tokens
 * live in parallel typed arrays, reused from line to line and file to file: no token objects.
 */

import { enlarged } from '../typedArrays.js';

/** Thrown (not an Error: no stack to capture) when the outline cannot promise the facts of a full parse. */
export class Decline {
  constructor(readonly reason: string) {}
}

export function decline(reason: string): never {
  throw new Decline(reason);
}

// Operands. A string literal is one STRING token; an f-string with interpolations is FSTART (up to its first
// `{`), the interpolations' tokens, FMID (from one interpolation's end to the next one's `{`) and FEND.
export const T_NAME = 1;
export const T_NUMBER = 2;
export const T_STRING = 3;
export const T_FSTART = 4;
export const T_FMID = 5;
export const T_FEND = 6;
// Punctuation and operators.
export const T_LPAR = 10;
export const T_RPAR = 11;
export const T_LSQB = 12;
export const T_RSQB = 13;
export const T_LBRACE = 14;
export const T_RBRACE = 15;
export const T_COMMA = 16;
export const T_COLON = 17;
export const T_SEMI = 18;
export const T_DOT = 19;
export const T_ELLIPSIS = 20;
export const T_ASSIGN = 21;
export const T_WALRUS = 22;
export const T_ARROW = 23;
export const T_AT = 24;
export const T_STAR = 25;
export const T_DSTAR = 26;
export const T_SLASH = 27;
export const T_MINUS = 28;
export const T_PLUS = 29;
export const T_TILDE = 30;
export const T_AUGASSIGN = 31;
/** `//`, `%`, `<<`, `>>`, `&`, `|`, `^`. */
export const T_BINOP = 32;
/** `<`, `>`, `<=`, `>=`, `==`, `!=`. */
export const T_COMPARE = 33;
// Hard keywords, in KEYWORDS order.
export const KW_FIRST = 40;
export const KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
] as const;
const kw = (word: (typeof KEYWORDS)[number]): number => KW_FIRST + KEYWORDS.indexOf(word);
export const KW_FALSE = kw('False');
export const KW_NONE = kw('None');
export const KW_TRUE = kw('True');
export const KW_AND = kw('and');
export const KW_AS = kw('as');
export const KW_ASSERT = kw('assert');
export const KW_ASYNC = kw('async');
export const KW_AWAIT = kw('await');
export const KW_BREAK = kw('break');
export const KW_CLASS = kw('class');
export const KW_CONTINUE = kw('continue');
export const KW_DEF = kw('def');
export const KW_DEL = kw('del');
export const KW_ELIF = kw('elif');
export const KW_ELSE = kw('else');
export const KW_EXCEPT = kw('except');
export const KW_FINALLY = kw('finally');
export const KW_FOR = kw('for');
export const KW_FROM = kw('from');
export const KW_GLOBAL = kw('global');
export const KW_IF = kw('if');
export const KW_IMPORT = kw('import');
export const KW_IN = kw('in');
export const KW_IS = kw('is');
export const KW_LAMBDA = kw('lambda');
export const KW_NONLOCAL = kw('nonlocal');
export const KW_NOT = kw('not');
export const KW_OR = kw('or');
export const KW_PASS = kw('pass');
export const KW_RAISE = kw('raise');
export const KW_RETURN = kw('return');
export const KW_TRY = kw('try');
export const KW_WHILE = kw('while');
export const KW_WITH = kw('with');
export const KW_YIELD = kw('yield');

/** Soft keywords are NAME tokens; `aux` says which. */
export const SOFT_MATCH = 1;
export const SOFT_CASE = 2;
export const SOFT_KEYWORDS: Record<string, number> = { match: SOFT_MATCH, case: SOFT_CASE };

// Token flags.
/** A NAME right after `.`: an attribute, never a use of its own. */
export const F_AFTER_DOT = 1;
/** A NAME followed by `=` right inside `(`: a keyword argument or parameter name. */
export const F_KWARG = 2;
/** A `,`, `=` or `:` of a lambda's parameter list (the `:` ending it included). */
export const F_LAMBDA = 4;
/**
 * A NAME in `X[...].a.b`: in an annotation tree-sitter may read this as a member_type whose names are plain
 * identifiers, which extract.ts reads as names of their own.
 */
export const F_CHAINLESS = 8;

/** One logical line's tokens. `depth` is the bracket depth outside the token (an opening bracket's own depth). */
export class TokenBuffer {
  n = 0;
  kind = new Uint8Array(1024);
  aux = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  depth = new Uint16Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  hash = new Int32Array(1024);

  grow(): void {
    const size = this.kind.length * 2;
    this.kind = enlarged(this.kind, size);
    this.aux = enlarged(this.aux, size);
    this.flags = enlarged(this.flags, size);
    this.depth = enlarged(this.depth, size);
    this.start = enlarged(this.start, size);
    this.end = enlarged(this.end, size);
    this.hash = enlarged(this.hash, size);
  }
}

/** The hash the lexer computes for identifiers (h = h * 31 + code unit). */
export function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
