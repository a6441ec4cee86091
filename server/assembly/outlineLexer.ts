// AssemblyScript, compiled to dist/outline-lexer.wasm by esbuild.mjs; server/src/core/python/outline/lexer.ts loads it.
import {
  F_AFTER_DOT, F_CHAINLESS, F_KWARG, F_LAMBDA, KW_AND, KW_AS, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_BREAK, KW_CLASS, KW_CONTINUE, KW_DEF,
  KW_DEL, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FALSE, KW_FINALLY, KW_FIRST, KW_FOR, KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_IN, KW_IS,
  KW_LAMBDA, KW_NONE, KW_NONLOCAL, KW_NOT, KW_OR, KW_PASS, KW_RAISE, KW_RETURN, KW_TRUE, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD, SOFT_CASE,
  SOFT_MATCH, T_ARROW, T_ASSIGN, T_AT, T_AUGASSIGN, T_BINOP, T_COLON, T_COMMA, T_COMPARE, T_DOT, T_DSTAR, T_ELLIPSIS, T_FEND, T_FMID,
  T_FSTART, T_LBRACE, T_LPAR, T_LSQB, T_MINUS, T_NAME, T_NUMBER, T_PLUS, T_RBRACE, T_RPAR, T_RSQB, T_SEMI, T_SLASH, T_STAR, T_STRING,
  T_TILDE, T_WALRUS, R_BRACKET_MISMATCH, R_COMMENT_IN_INTERPOLATION, R_CONTINUATION_AT_LINE_START, R_CONTINUATION_IN_INTERPOLATION,
  R_CONTINUATION_TO_BLANK, R_DEDENT_IN_BRACKETS, R_FSTRING_BRACE, R_FSTRING_CONVERSION, R_FSTRING_EXPRESSION, R_FSTRING_LAMBDA,
  R_FSTRING_SPEC, R_FSTRING_WALRUS, R_INVALID_CHARACTER, R_NESTING, R_NEWLINE_IN_INTERPOLATION, R_NUMBER, R_STRAY_BACKSLASH,
  R_STRING_PREFIX, R_SYNTAX, R_UNCLOSED_BRACKET, R_UNTERMINATED_STRING, S_ASSIGNMENTS, S_AUX, S_CAPACITY, S_DEPTH, S_END,
  S_FLAGS, S_HASH, S_INDENT, S_KIND, S_LAYOUT, S_REASON, S_SOFT, S_START, S_TEXT, S_TOKENS, S_WALRUS, STATE_FIELDS,
} from '../src/core/python/outline/kinds';

/**
 * The outline scanner's lexer (see ../src/core/python/outline/lexer.ts for the JavaScript side and
 * ../src/core/python/outline.ts for what the outline promises): turns Python source into logical lines of tokens the way tree-sitter-python's external
 * scanner (src/scanner.c) and lexer see it, and declines on what Python or tree-sitter would reject: unterminated
 * strings, invalid characters and numbers, unbalanced brackets, stray backslashes. Every token then goes through
 * `emit`, the token-order half: whether a token may follow the previous one the way tree-sitter-python's grammar
 * allows, with the bracket state that needs (what each bracket is, open lambdas, comprehensions, conditional
 * expressions, dict or set displays). Operands and operators must alternate, keywords stand where they may, `=` and
 * `:` only where a keyword argument, parameter, slice, pair or lambda allows them. It also sets the token flags the
 * scanner reads (F_AFTER_DOT, F_KWARG, F_LAMBDA, F_CHAINLESS).
 *
 * It also mirrors the one place where tree-sitter rejects valid Python: inside brackets, a line indented less
 * than the block it belongs to makes the external scanner emit a DEDENT unless a closing bracket (or, before a
 * quote, a string) could come next, which breaks the parse (test_compile.py's `(bar.\n        baz)`).
 *
 * Why wasm: this is where the outline spends most of its time, and a batch run is over before V8 has optimized
 * JavaScript this branchy; wasm runs at full speed from the first file.
 *
 * Memory: the state below lives in static data; after it, from `__heap_base`, the token arrays (capacity `cap`
 * tokens plus a sentinel), then the text as UTF-16 code units. Both grow (memory.grow) and never shrink. Declining
 * stores a reason code and traps (`unreachable`): the JavaScript side catches the trap and reads the code.
 */

// ---- imports from the JavaScript side -----------------------------------------------------------------

/** Unicode's XID_Start / XID_Continue, for code points above ASCII (JavaScript's /\p{XID_Start}/u). */
@external('env', 'xidStart') declare function xidStart(cp: i32): i32;
@external('env', 'xidContinue') export declare function xidContinue(cp: i32): i32;
/** Where a comment starts, reported only when `begin` was asked to (a file that may hold a suppression). */
@external('env', 'comment') declare function comment(p: i32): void;

// ---- memory -------------------------------------------------------------------------------------------

/** Past the end of the text: no code unit compares equal to it (JavaScript's charCodeAt gives NaN there). */
const EOF: i32 = 0x10000;
const MAX_DEPTH: i32 = 200;
const DEPTHS: i32 = MAX_DEPTH + 1;
const PAGE: usize = 65536;
const PADDING: usize = 64;

/** Read by JavaScript after each call (fields: kinds.ts S_*): per-line results and where things are. */
const STATE: usize = memory.data(STATE_FIELDS * 4);
@inline function setState(field: i32, value: i32): void {
  store<i32>(STATE + (<usize>field << 2), value);
}

export function state(): usize {
  return STATE;
}

let cap: i32 = 0;
export let KIND: usize = 0;
export let AUX: usize = 0;
export let FLAGS: usize = 0;
export let DEPTH: usize = 0;
export let START: usize = 0;
export let END: usize = 0;
export let HASH: usize = 0;
export let TEXT: usize = 0;
export let n: i32 = 0;

function place(capacity: i32): void {
  const c = <usize>(capacity + 1);
  KIND = (__heap_base + 15) & ~15;
  AUX = KIND + ((c + 7) & ~7);
  FLAGS = AUX + ((c + 7) & ~7);
  DEPTH = FLAGS + ((c + 7) & ~7);
  START = DEPTH + ((c * 2 + 7) & ~7);
  END = START + c * 4;
  HASH = END + c * 4;
  TEXT = HASH + c * 4;
  cap = capacity;
  setState(S_CAPACITY, capacity);
  setState(S_TEXT, <i32>TEXT);
  setState(S_KIND, <i32>KIND);
  setState(S_AUX, <i32>AUX);
  setState(S_FLAGS, <i32>FLAGS);
  setState(S_DEPTH, <i32>DEPTH);
  setState(S_START, <i32>START);
  setState(S_END, <i32>END);
  setState(S_HASH, <i32>HASH);
  setState(S_LAYOUT, load<i32>(STATE + (<usize>S_LAYOUT << 2)) + 1);
}

function ensureMemory(bytes: usize): void {
  const have = <usize>memory.size() * PAGE;
  if (bytes > have && memory.grow(<i32>((bytes - have + PAGE - 1) / PAGE)) < 0) unreachable();
}

/** Twice the token capacity: the text moves up first, then each array, the last first (regions only move up). */
function growTokens(): void {
  const oldKind = KIND;
  const oldAux = AUX;
  const oldFlags = FLAGS;
  const oldDepth = DEPTH;
  const oldStart = START;
  const oldEnd = END;
  const oldHash = HASH;
  const oldText = TEXT;
  const count = <usize>(cap + 1);
  place(cap * 2);
  ensureMemory(TEXT + (<usize>n << 1) + PADDING);
  memory.copy(TEXT, oldText, (<usize>n << 1) + PADDING);
  memory.copy(HASH, oldHash, count * 4);
  memory.copy(END, oldEnd, count * 4);
  memory.copy(START, oldStart, count * 4);
  memory.copy(DEPTH, oldDepth, count * 2);
  memory.copy(FLAGS, oldFlags, count);
  memory.copy(AUX, oldAux, count);
  memory.copy(KIND, oldKind, count);
}

/**
 * The code unit at `p`, EOF at or past the end. The text is followed by PADDING zero bytes (`begin`) and reads stay
 * within a few code units of its end, so the bounds are only looked at for a zero.
 */
@inline function at(p: i32): i32 {
  return atIn(TEXT, p);
}

/**
 * `at` from a local copy of TEXT (a global is a load at every use). Only until the next token is emitted: growing
 * the token arrays moves the text.
 */
@inline function atIn(text: usize, p: i32): i32 {
  const c = <i32>load<u16>(text + (<usize>p << 1));
  return c != 0 || p < n ? c : EOF;
}

function codePointAt(p: i32): i32 {
  const c = at(p);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = at(p + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** The first `c` at or after `from`, eight code units at a time (strings and comments are much of a file). */
export function indexOf(c: i32, from: i32): i32 {
  let p = from;
  const text = TEXT;
  const end = n;
  const needle = i16x8.splat(<i16>c);
  for (; p + 8 <= end; p += 8) {
    const found = i16x8.bitmask(i16x8.eq(v128.load(text + (<usize>p << 1)), needle));
    if (found != 0) return p + ctz(found);
  }
  for (; p < end; p++) if (<i32>load<u16>(text + (<usize>p << 1)) == c) return p;
  return -1;
}

function decline(reason: i32): void {
  setState(S_REASON, reason);
  unreachable();
}

@inline export function kindAt(i: i32): i32 {
  return load<u8>(KIND + <usize>i);
}
@inline export function auxAt(i: i32): i32 {
  return load<u8>(AUX + <usize>i);
}
@inline export function depthAt(i: i32): i32 {
  return load<u16>(DEPTH + (<usize>i << 1));
}

// Per-depth state.
const BRACKETS: usize = memory.data(DEPTHS);
const ROLES: usize = memory.data(DEPTHS);
const DISPLAY: usize = memory.data(DEPTHS);
const ELEMENT: usize = memory.data(DEPTHS);
const LAMBDAS: usize = memory.data(DEPTHS * 4);
const COMPREHENSIONS: usize = memory.data(DEPTHS * 4);
const CONDITIONALS: usize = memory.data(DEPTHS * 4);
const FOR_AT: usize = memory.data(DEPTHS * 4);
const F_QUOTE: usize = memory.data(DEPTHS);
const F_TRIPLE: usize = memory.data(DEPTHS);
const F_RAW: usize = memory.data(DEPTHS);
const F_IN_SPEC: usize = memory.data(DEPTHS);

@inline function get8(a: usize, d: i32): i32 {
  return load<u8>(a + <usize>d);
}
@inline function set8(a: usize, d: i32, v: i32): void {
  store<u8>(a + <usize>d, v);
}
@inline function get32(a: usize, d: i32): i32 {
  return load<i32>(a + (<usize>d << 2));
}
@inline function set32(a: usize, d: i32, v: i32): void {
  store<i32>(a + (<usize>d << 2), v);
}

// ---- character and token classes ------------------------------------------------------------------------

const ID_START: usize = memory.data(128);
const ID_CONT: usize = memory.data(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
  store<u8>(ID_START + <usize>c, letter ? 1 : 0);
  store<u8>(ID_CONT + <usize>c, letter || (c >= 48 && c <= 57) ? 1 : 0);
}

// Keywords by identifier hash: open addressing, verified against the text (lexer.ts adds them: `addKeyword`).
const KW_SLOTS: i32 = 512;
const KW_MAX: i32 = 8;
const KW_HASHES: usize = memory.data(KW_SLOTS * 4);
const KW_KINDS: usize = memory.data(KW_SLOTS);
const KW_AUX: usize = memory.data(KW_SLOTS);
const KW_LENGTHS: usize = memory.data(KW_SLOTS);
const KW_WORDS: usize = memory.data(KW_SLOTS * KW_MAX * 2);

/** A keyword whose `length` code units lexer.ts wrote at the text's place (see `begin`). */
export function addKeyword(kind: i32, aux: i32, length: i32): void {
  let h = 0;
  for (let i = 0; i < length; i++) h = h * 31 + <i32>load<u16>(TEXT + (<usize>i << 1));
  let slot = (h ^ (h >>> 9)) & (KW_SLOTS - 1);
  while (get8(KW_LENGTHS, slot) != 0) slot = (slot + 1) & (KW_SLOTS - 1);
  set32(KW_HASHES, slot, h);
  set8(KW_KINDS, slot, kind);
  set8(KW_AUX, slot, aux);
  set8(KW_LENGTHS, slot, length);
  memory.copy(KW_WORDS + <usize>(slot * KW_MAX * 2), TEXT, <usize>length << 1);
}

// Each table is its own static segment: memory.data allocates once per call site, so no helper may call it.
function copied(to: usize, from: usize): usize {
  memory.copy(to, from, 128);
  return to;
}
@inline function has(t: usize, kind: i32): bool {
  return load<u8>(t + <usize>kind) == 1;
}
@inline function mark(t: usize, kind: i32): void {
  store<u8>(t + <usize>kind, 1);
}

/** Tokens that end an operand. */
const OPERAND_END = memory.data(128);
/** Tokens that start an operand (an error right after another operand). */
const OPERAND_START = memory.data(128);
/** Binary operators and keywords that need an operand before them. */
const NEEDS_LEFT = memory.data(128);
/** Hard keywords allowed right after an operand. */
const INFIX_KEYWORD = memory.data(128);
/** Keywords that only begin a statement. */
const STATEMENT_ONLY = memory.data(128);
/** Statements of one keyword. */
const TERMINAL_KEYWORD = memory.data(128);
/** Operators whose right operand is a primary expression for tree-sitter (no `not`, `lambda`, `yield` there). */
const OPERATOR_BEFORE_PRIMARY = memory.data(128);
/** Where a lambda may start. */
const LAMBDA_AFTER = memory.data(128);
/** After these (not closable), a line starting with a quote gets no DEDENT: a string may start there. */
const STRING_MAY_FOLLOW = memory.data(128);
{
  mark(OPERAND_END, T_NAME); mark(OPERAND_END, T_NUMBER); mark(OPERAND_END, T_STRING); mark(OPERAND_END, T_FEND);
  mark(OPERAND_END, T_RPAR); mark(OPERAND_END, T_RSQB); mark(OPERAND_END, T_RBRACE); mark(OPERAND_END, T_ELLIPSIS);
  mark(OPERAND_END, KW_NONE); mark(OPERAND_END, KW_TRUE); mark(OPERAND_END, KW_FALSE); mark(OPERAND_END, KW_PASS);
  mark(OPERAND_END, KW_BREAK); mark(OPERAND_END, KW_CONTINUE);

  mark(OPERAND_START, T_NAME); mark(OPERAND_START, T_NUMBER); mark(OPERAND_START, T_STRING); mark(OPERAND_START, T_FSTART);
  mark(OPERAND_START, T_ELLIPSIS); mark(OPERAND_START, T_LBRACE); mark(OPERAND_START, T_TILDE); mark(OPERAND_START, KW_NONE);
  mark(OPERAND_START, KW_TRUE); mark(OPERAND_START, KW_FALSE); mark(OPERAND_START, KW_LAMBDA); mark(OPERAND_START, KW_AWAIT);
  mark(OPERAND_START, KW_YIELD);

  mark(NEEDS_LEFT, T_BINOP); mark(NEEDS_LEFT, T_COMPARE); mark(NEEDS_LEFT, T_ASSIGN); mark(NEEDS_LEFT, T_AUGASSIGN);
  mark(NEEDS_LEFT, T_WALRUS); mark(NEEDS_LEFT, T_ARROW); mark(NEEDS_LEFT, T_DOT); mark(NEEDS_LEFT, T_AT); mark(NEEDS_LEFT, T_SLASH);
  mark(NEEDS_LEFT, KW_AND); mark(NEEDS_LEFT, KW_OR); mark(NEEDS_LEFT, KW_IS); mark(NEEDS_LEFT, KW_AS); mark(NEEDS_LEFT, KW_IN);
  mark(NEEDS_LEFT, KW_ELSE); mark(NEEDS_LEFT, KW_IF); mark(NEEDS_LEFT, KW_FOR); mark(NEEDS_LEFT, KW_ASYNC);
  mark(NEEDS_LEFT, KW_IMPORT); mark(NEEDS_LEFT, KW_FROM);

  mark(INFIX_KEYWORD, KW_AND); mark(INFIX_KEYWORD, KW_OR); mark(INFIX_KEYWORD, KW_NOT); mark(INFIX_KEYWORD, KW_IN);
  mark(INFIX_KEYWORD, KW_IS); mark(INFIX_KEYWORD, KW_IF); mark(INFIX_KEYWORD, KW_ELSE); mark(INFIX_KEYWORD, KW_FOR);
  mark(INFIX_KEYWORD, KW_ASYNC); mark(INFIX_KEYWORD, KW_AS); mark(INFIX_KEYWORD, KW_IMPORT); mark(INFIX_KEYWORD, KW_FROM);

  mark(STATEMENT_ONLY, KW_ASSERT); mark(STATEMENT_ONLY, KW_BREAK); mark(STATEMENT_ONLY, KW_CLASS); mark(STATEMENT_ONLY, KW_CONTINUE);
  mark(STATEMENT_ONLY, KW_DEF); mark(STATEMENT_ONLY, KW_DEL); mark(STATEMENT_ONLY, KW_ELIF); mark(STATEMENT_ONLY, KW_EXCEPT);
  mark(STATEMENT_ONLY, KW_FINALLY); mark(STATEMENT_ONLY, KW_GLOBAL); mark(STATEMENT_ONLY, KW_IMPORT); mark(STATEMENT_ONLY, KW_NONLOCAL);
  mark(STATEMENT_ONLY, KW_PASS); mark(STATEMENT_ONLY, KW_RAISE); mark(STATEMENT_ONLY, KW_RETURN); mark(STATEMENT_ONLY, KW_TRY);
  mark(STATEMENT_ONLY, KW_WHILE); mark(STATEMENT_ONLY, KW_WITH);

  mark(TERMINAL_KEYWORD, KW_PASS); mark(TERMINAL_KEYWORD, KW_BREAK); mark(TERMINAL_KEYWORD, KW_CONTINUE);

  mark(OPERATOR_BEFORE_PRIMARY, T_BINOP); mark(OPERATOR_BEFORE_PRIMARY, T_COMPARE); mark(OPERATOR_BEFORE_PRIMARY, T_PLUS);
  mark(OPERATOR_BEFORE_PRIMARY, T_MINUS); mark(OPERATOR_BEFORE_PRIMARY, T_TILDE); mark(OPERATOR_BEFORE_PRIMARY, T_STAR);
  mark(OPERATOR_BEFORE_PRIMARY, T_DSTAR); mark(OPERATOR_BEFORE_PRIMARY, T_SLASH); mark(OPERATOR_BEFORE_PRIMARY, T_AT);
  mark(OPERATOR_BEFORE_PRIMARY, KW_IN); mark(OPERATOR_BEFORE_PRIMARY, KW_AWAIT); mark(OPERATOR_BEFORE_PRIMARY, T_DOT);

  mark(LAMBDA_AFTER, 0); mark(LAMBDA_AFTER, T_ASSIGN); mark(LAMBDA_AFTER, T_AUGASSIGN); mark(LAMBDA_AFTER, T_LPAR);
  mark(LAMBDA_AFTER, T_LSQB); mark(LAMBDA_AFTER, T_LBRACE); mark(LAMBDA_AFTER, T_COMMA); mark(LAMBDA_AFTER, T_COLON);
  mark(LAMBDA_AFTER, T_WALRUS); mark(LAMBDA_AFTER, T_SEMI); mark(LAMBDA_AFTER, KW_RETURN); mark(LAMBDA_AFTER, KW_ELSE);
  mark(LAMBDA_AFTER, KW_IF); mark(LAMBDA_AFTER, KW_ELIF); mark(LAMBDA_AFTER, KW_WHILE); mark(LAMBDA_AFTER, KW_ASSERT);
  mark(LAMBDA_AFTER, KW_RAISE); mark(LAMBDA_AFTER, KW_YIELD);

  for (let t = T_LPAR; t <= T_COMPARE; t++) if (t != T_DOT) mark(STRING_MAY_FOLLOW, t);
  mark(STRING_MAY_FOLLOW, KW_AND); mark(STRING_MAY_FOLLOW, KW_OR); mark(STRING_MAY_FOLLOW, KW_NOT); mark(STRING_MAY_FOLLOW, KW_IN);
  mark(STRING_MAY_FOLLOW, KW_IS); mark(STRING_MAY_FOLLOW, KW_IF); mark(STRING_MAY_FOLLOW, KW_ELSE); mark(STRING_MAY_FOLLOW, KW_AWAIT);
  mark(STRING_MAY_FOLLOW, KW_YIELD); mark(STRING_MAY_FOLLOW, KW_RETURN); mark(STRING_MAY_FOLLOW, KW_ASSERT);
}
/** Tokens after which tree-sitter's scanner sees a closing bracket as valid (no DEDENT inside brackets). */
const CLOSABLE = copied(memory.data(128), OPERAND_END);
mark(CLOSABLE, T_COMMA);
// What `emit` looks at, per token: checks when an operand is expected, checks right after an operand, the tokens
// `rare` handles, and whether an operand is expected after the token.
const CHECK_EXPECTING = copied(memory.data(128), NEEDS_LEFT);
mark(CHECK_EXPECTING, T_RPAR); mark(CHECK_EXPECTING, T_RSQB); mark(CHECK_EXPECTING, T_RBRACE); mark(CHECK_EXPECTING, T_FMID);
mark(CHECK_EXPECTING, T_FEND); mark(CHECK_EXPECTING, T_COMMA); mark(CHECK_EXPECTING, T_COLON); mark(CHECK_EXPECTING, KW_LAMBDA);
mark(CHECK_EXPECTING, KW_NOT); mark(CHECK_EXPECTING, KW_YIELD);
const CHECK_AFTER_OPERAND = copied(memory.data(128), OPERAND_START);
for (let t = KW_FIRST; t < 128; t++) if (!has(INFIX_KEYWORD, t)) mark(CHECK_AFTER_OPERAND, t);
mark(CHECK_AFTER_OPERAND, KW_NOT);
const RARE = copied(memory.data(128), STATEMENT_ONLY);
mark(RARE, KW_IMPORT); mark(RARE, KW_FROM); mark(RARE, KW_LAMBDA); mark(RARE, KW_FOR); mark(RARE, KW_ASYNC); mark(RARE, KW_IN);
mark(RARE, KW_IF); mark(RARE, KW_ELSE); mark(RARE, KW_RAISE);
mark(RARE, T_COMMA); mark(RARE, T_ASSIGN); mark(RARE, T_COLON); mark(RARE, T_SEMI); mark(RARE, T_DOT); mark(RARE, T_STAR);
mark(RARE, T_DSTAR); mark(RARE, T_ARROW); mark(RARE, T_WALRUS); mark(RARE, T_AUGASSIGN); mark(RARE, T_LSQB);
mark(RARE, KW_PASS); mark(RARE, KW_BREAK); mark(RARE, KW_CONTINUE);
const EXPECT_AFTER = memory.data(128);
for (let t = 0; t < 128; t++) if (!has(OPERAND_END, t)) mark(EXPECT_AFTER, t);

// Bracket roles.
const CALL: i32 = 1;
const PARAMS: i32 = 2;
const SUBSCRIPT: i32 = 3;
/** Bracket stack entry of an f-string interpolation. */
const INTERP: i32 = 73;
// Comprehension state bits, and `{…}` kinds.
const PENDING_IN: i32 = 0xffff;
const COMPREHENSION: i32 = 0x10000;
/** A comma came before any comprehension at this depth. */
const LISTED: i32 = 0x20000;
const DICT: i32 = 1;
const SET: i32 = 2;
// What the next token must be: `in` (after `not`), a statement's end, a lambda parameter, a name (after `*`).
const NOT_IN: i32 = 1;
const TERMINAL: i32 = 2;
const PARAMETER: i32 = 4;
const STARRED_NAME: i32 = 8;
/** A `{…}` element that is `**x` (ELEMENT is 1 after a pair's `:`). */
const UNPACKED: i32 = 2;

// ---- lexer state ----------------------------------------------------------------------------------------

export let pos: i32 = 0;
/** Tree-sitter's indentation of the current logical line: a space counts 1, a tab 8, a form feed resets. */
export let lineIndent: i32 = 0;
/** Open interpolations. */
let interps: i32 = 0;
let keepComments: bool = false;
/** Where the next backslash and newline are, at or after where a string was last scanned (see `string`). */
let nextBackslash: i32 = -1;
let nextNewline: i32 = -1;
export let ntok: i32 = 0;

// ---- token-order state ----------------------------------------------------------------------------------

/** The line starts with `match` or `case` followed by an operand: a match statement or case clause (or an error). */
export let softStatement: bool = false;
/** The current logical line holds a `:=`. */
export let walrus: bool = false;
/** Depth-0 `=`, augmented assignments and `:` (outside lambdas) in the current logical line. */
export let assignments: i32 = 0;
let depth: i32 = 0;
/** An operand is expected next. */
let expect: bool = true;
/** Kind and flags of the previous token of the line (0 at its start). */
let prev: i32 = 0;
let prevFlags: i32 = 0;
/** What the next token must be (NOT_IN, TERMINAL, PARAMETER, STARRED_NAME bits). */
let pending: i32 = 0;
/** The last `in` is a `for`'s (a lambda may follow it), not a comparison's. */
let inOfFor: bool = false;
/** The statement is a `raise`. */
let raising: bool = false;
/** The last `[` opened a list display (not a subscript). */
let listOpen: bool = false;
/** An import statement: the import parser checks it. */
let importMode: bool = false;
/** The `.` just read follows `]` (or such a chain): see F_CHAINLESS. */
let chainless: bool = false;

place(1024);

/**
 * Makes room for a text of `length` code units (lexer.ts then writes it at STATE's text offset) and starts reading
 * it at `start` (1 after a BOM).
 */
export function begin(length: i32, start: i32, comments: bool): void {
  n = length;
  ensureMemory(TEXT + (<usize>length << 1) + PADDING);
  memory.fill(TEXT + (<usize>length << 1), 0, PADDING);
  pos = start;
  keepComments = comments;
  interps = 0;
  nextBackslash = -1;
  nextNewline = -1;
  depth = 0;
  setState(S_REASON, 0);
}

/** Reads the next logical line into the token arrays; 0 at the end of the file. */
export function lexLine(): i32 {
  const text = TEXT;
  ntok = 0;
  let p = pos;
  let indent = 0;
  while (true) {
    const c = atIn(text, p);
    if (c == 32) indent++;
    else if (c == 9) indent += 8;
    else if (c == 10 || c == 12 || c == 13) indent = 0;
    else if (c == 35) {
      if (keepComments) comment(p);
      const nl = indexOf(10, p);
      p = nl < 0 ? n : nl;
      continue;
    } else if (c == EOF) {
      pos = p;
      return 0;
    } else break;
    p++;
  }
  if (atIn(text, p) == 92) decline(R_CONTINUATION_AT_LINE_START);
  lineIndent = indent;
  pos = p;
  startLine();
  while (next()) {
    // tokens accumulate
  }
  // A sentinel: looking one token past the line's end sees kind 0.
  store<u8>(KIND + <usize>ntok, 0);
  setState(S_TOKENS, ntok);
  setState(S_INDENT, lineIndent);
  setState(S_WALRUS, walrus ? 1 : 0);
  setState(S_SOFT, softStatement ? 1 : 0);
  setState(S_ASSIGNMENTS, assignments);
  return 1;
}

/** Where the next line starts (lexer.ts keeps it to resume). */
export function position(): i32 {
  return pos;
}

/** Lexes one token; false at the end of the logical line. */
function next(): bool {
  const text = TEXT;
  let p = pos;
  while (true) {
    const c = atIn(text, p);
    if (c == 32 || c == 9 || c == 12) {
      p++;
      continue;
    }
    if (c == 13 || c == 10) {
      p += c == 13 ? 2 : 1;
      if (depth == 0) {
        pos = p;
        endStatement(false);
        return false;
      }
      if (interps) decline(R_NEWLINE_IN_INTERPOLATION);
      p = bracketLine(p);
      continue;
    }
    if (c == 35) {
      if (interps) decline(R_COMMENT_IN_INTERPOLATION);
      if (keepComments) comment(p);
      const nl = indexOf(10, p);
      p = nl < 0 ? n : nl;
      continue;
    }
    if (c == 92) {
      p = continuation(p);
      continue;
    }
    if (c == EOF) {
      if (depth) decline(R_UNCLOSED_BRACKET);
      pos = p;
      endStatement(false);
      return false;
    }
    pos = p;
    if (c < 128 ? get8(ID_START, c) == 1 : nonAsciiStart(p)) name(p);
    else if (c >= 48 && c <= 57) number(p);
    else if (c == 34 || c == 39) string(p, p, false, false);
    else operator(p, c);
    return true;
  }
  return false;
}

function nonAsciiStart(p: i32): bool {
  if (xidStart(codePointAt(p))) return true;
  decline(R_INVALID_CHARACTER);
  return false;
}

/** `\` must end its line, and the next line must hold code (tree-sitter ends the statement on a blank one). */
function continuation(p: i32): i32 {
  const text = TEXT;
  let q = p + 1;
  if (atIn(text, q) == 13) q++;
  if (atIn(text, q) != 10) decline(R_STRAY_BACKSLASH);
  if (interps) decline(R_CONTINUATION_IN_INTERPOLATION);
  q++;
  let r = q;
  for (let c = atIn(text, r); c == 32 || c == 9 || c == 12; c = atIn(text, ++r));
  const c = atIn(text, r);
  if (c == 10 || c == 13 || c == 35 || c == EOF || c == 92) decline(R_CONTINUATION_TO_BLANK);
  return q;
}

/** At the start of a line inside brackets: the DEDENT tree-sitter's scanner would emit there breaks the parse. */
function bracketLine(p: i32): i32 {
  const text = TEXT;
  while (true) {
    let indent = 0;
    let c = atIn(text, p);
    for (; ; c = atIn(text, ++p)) {
      if (c == 32) indent++;
      else if (c == 9) indent += 8;
      else if (c == 12 || (c == 13 && atIn(text, p + 1) != 10)) indent = 0;
      else break;
    }
    if (c == 13) c = atIn(text, ++p);
    if (c == 10) {
      p++;
      continue;
    }
    if (c != EOF && indent < lineIndent && dedentBreaks(c == 34 || c == 39)) decline(R_DEDENT_IN_BRACKETS);
    return p;
  }
  return p;
}

// ---- tokens -----------------------------------------------------------------------------------------------

function name(p: i32): void {
  let h = 0;
  let q = p;
  // ASCII first, from locals (globals are loads in every iteration); the padding's zero ends the loop at the end.
  const text = TEXT;
  while (true) {
    const c = <i32>load<u16>(text + (<usize>q << 1));
    if (c < 128) {
      if (get8(ID_CONT, c) != 1) break;
      h = h * 31 + c;
      q++;
    } else {
      const cp = codePointAt(q);
      if (!xidContinue(cp)) break;
      h = h * 31 + c;
      if (cp > 0xffff) h = h * 31 + at(q + 1);
      q += cp > 0xffff ? 2 : 1;
    }
  }
  const after = at(q);
  if ((after == 34 || after == 39) && q - p <= 3 && stringPrefix(p, q)) return;
  let kind = T_NAME;
  let aux = 0;
  const len = q - p;
  if (len >= 2 && len <= 8) {
    let slot = (h ^ (h >>> 9)) & (KW_SLOTS - 1);
    for (let wlen = get8(KW_LENGTHS, slot); wlen != 0; wlen = get8(KW_LENGTHS, (slot = (slot + 1) & (KW_SLOTS - 1)))) {
      if (get32(KW_HASHES, slot) == h && wlen == len && keywordAt(slot, p, len)) {
        kind = get8(KW_KINDS, slot);
        aux = get8(KW_AUX, slot);
        break;
      }
    }
  }
  emit(kind, p, q, h, aux);
  pos = q;
}

function keywordAt(slot: i32, p: i32, len: i32): bool {
  const word = KW_WORDS + <usize>(slot * KW_MAX * 2);
  for (let i = 0; i < len; i++) if (load<u16>(word + (<usize>i << 1)) != load<u16>(TEXT + (<usize>(p + i) << 1))) return false;
  return true;
}

/** Whether `text[p, q)`, followed by a quote, is a string prefix; lexes the string if so. */
function stringPrefix(p: i32, q: i32): bool {
  const text = TEXT;
  let r = 0;
  let b = 0;
  let f = 0;
  let u = 0;
  for (let i = p; i < q; i++) {
    const c = atIn(text, i) | 32;
    if (c == 114) r++;
    else if (c == 98) b++;
    else if (c == 102) f++;
    else if (c == 117) u++;
    else if (c == 116) decline(R_STRING_PREFIX);
    else return false;
  }
  // Python 3: r, u, b, f, and rb / fr in either order and case (tree-sitter takes any mix of these letters).
  if (r > 1 || b > 1 || f > 1 || u > 1 || (u && q - p > 1) || (b && f)) decline(R_STRING_PREFIX);
  string(p, q, f > 0, r > 0);
  return true;
}

function number(p: i32): void {
  const text = TEXT;
  let q = p;
  let c = atIn(text, q);
  const x = atIn(text, q + 1) | 32;
  if (c == 48 && (x == 120 || x == 111 || x == 98)) {
    const base = x;
    q += 2;
    let digits = 0;
    while (true) {
      c = atIn(text, q);
      if (c == 95) c = atIn(text, ++q);
      const l = c | 32;
      const d = c >= 48 && c <= 57 ? c - 48 : l >= 97 && l <= 102 ? l - 87 : 99;
      if (d >= (base == 120 ? 16 : base == 111 ? 8 : 2)) break;
      digits++;
      q++;
    }
    if (!digits || atIn(text, q - 1) == 95) decline(R_NUMBER);
  } else {
    // Decimal: a nonzero digit after a leading zero is a Python 2 octal unless the literal is a float.
    let octal = false;
    if (c != 46) {
      q = digitsFrom(q);
      if (c == 48) for (let i = p; i < q && !octal; i++) octal = atIn(text, i) >= 49 && atIn(text, i) <= 57;
    }
    let float = false;
    if (atIn(text, q) == 46) {
      float = true;
      c = atIn(text, ++q);
      if (c >= 48 && c <= 57) q = digitsFrom(q);
    }
    if ((atIn(text, q) | 32) == 101) {
      float = true;
      c = atIn(text, ++q);
      if (c == 43 || c == 45) c = atIn(text, ++q);
      if (!(c >= 48 && c <= 57)) decline(R_NUMBER);
      q = digitsFrom(q);
    }
    if ((atIn(text, q) | 32) == 106) q++;
    else if (octal && !float) decline(R_NUMBER);
  }
  c = atIn(text, q);
  if (c < 128 ? get8(ID_CONT, c) == 1 : c != EOF) decline(R_NUMBER);
  emit(T_NUMBER, p, q, 0, 0);
  pos = q;
}

/** Digits with single underscores between them. */
function digitsFrom(q: i32): i32 {
  const text = TEXT;
  while (true) {
    const c = atIn(text, q);
    if (c >= 48 && c <= 57) q++;
    else if (c == 95) {
      const d = atIn(text, q + 1);
      if (!(d >= 48 && d <= 57)) decline(R_NUMBER);
      q++;
    } else return q;
  }
  return q;
}

/** A string literal starting at `start` whose quote is at `quote`. */
function string(start: i32, quote: i32, format: bool, raw: bool): void {
  const text = TEXT;
  const q = atIn(text, quote);
  const triple = atIn(text, quote + 1) == q && atIn(text, quote + 2) == q;
  let p = quote + (triple ? 3 : 1);
  if (format) {
    fstring(start, p, q, triple, raw, true);
    return;
  }
  // Jump from quote to quote (docstrings are much of a file); backslashes and newlines come from positions cached
  // ahead, which only move forward.
  while (true) {
    const close = indexOf(q, p);
    if (close < 0) decline(R_UNTERMINATED_STRING);
    const backslash = backslashFrom(p);
    if (!triple && newlineFrom(p) < min(close, backslash)) decline(R_UNTERMINATED_STRING);
    if (backslash < close) {
      p = backslash + (atIn(text, backslash + 1) == 13 ? 3 : 2);
      continue;
    }
    if (!triple) {
      p = close + 1;
      break;
    }
    if (atIn(text, close + 1) == q && atIn(text, close + 2) == q) {
      p = close + 3;
      break;
    }
    p = close + 1;
  }
  emit(T_STRING, start, p, 0, 0);
  pos = p;
}

function backslashFrom(p: i32): i32 {
  if (nextBackslash < p) {
    const i = indexOf(92, p);
    nextBackslash = i < 0 ? n : i;
  }
  return nextBackslash;
}

function newlineFrom(p: i32): i32 {
  if (nextNewline < p) {
    const i = indexOf(10, p);
    nextNewline = i < 0 ? n : i;
  }
  return nextNewline;
}

/**
 * f-string content from `p` to the next interpolation (then FSTART or FMID, and the INTERP entry pushed) or to
 * the end of the string (STRING or FEND).
 */
function fstring(tokenStart: i32, p: i32, q: i32, triple: bool, raw: bool, first: bool): void {
  const text = TEXT;
  while (true) {
    const c = atIn(text, p);
    if (c == q) {
      if (!triple) {
        p++;
        break;
      }
      if (atIn(text, p + 1) == q && atIn(text, p + 2) == q) {
        p += 3;
        break;
      }
      p++;
    } else if (c == 92) {
      const d = atIn(text, p + 1);
      if (raw) p += d == q || d == 92 || d == 10 ? 2 : d == 13 ? 3 : 1;
      else if (d == 123 || d == 125) p++;
      else if (d == 78 && atIn(text, p + 2) == 123) {
        const close = indexOf(125, p + 3);
        if (close < 0 || close == p + 3) decline(R_UNTERMINATED_STRING);
        p = close + 1;
      } else p += d == 13 ? 3 : 2;
    } else if (c == 123) {
      if (atIn(text, p + 1) == 123) p += 2;
      else {
        emit(first ? T_FSTART : T_FMID, tokenStart, p + 1, 0, 0);
        push(INTERP, 0);
        set8(F_QUOTE, depth, q);
        set8(F_TRIPLE, depth, triple ? 1 : 0);
        set8(F_RAW, depth, raw ? 1 : 0);
        set8(F_IN_SPEC, depth, 0);
        interps++;
        pos = p + 1;
        return;
      }
    } else if (c == 125) {
      if (atIn(text, p + 1) != 125) decline(R_FSTRING_BRACE);
      p += 2;
    } else if ((c == 10 && !triple) || c == EOF) {
      decline(R_UNTERMINATED_STRING);
    } else p++;
  }
  emit(first ? T_STRING : T_FEND, tokenStart, p, 0, 0);
  pos = p;
}

/** At `}`, `!`, `:` or a debugging `=` ending an interpolation's expression. */
function interpolationEnd(start: i32): void {
  const text = TEXT;
  // `{x,}` is an expression list.
  if (expect && prev != T_COMMA && prev != KW_YIELD) decline(R_FSTRING_EXPRESSION);
  closeDepth();
  let p = start;
  if (atIn(text, p) == 61) {
    p++;
    while (atIn(text, p) == 32) p++;
  }
  if (atIn(text, p) == 33) {
    const conv = atIn(text, p + 1);
    if (conv != 114 && conv != 115 && conv != 97) decline(R_FSTRING_CONVERSION);
    p += 2;
  }
  if (atIn(text, p) == 58) formatSpec(start, p + 1);
  else if (atIn(text, p) == 125) closeInterpolation(start, p + 1);
  else decline(R_FSTRING_EXPRESSION);
}

function closeInterpolation(start: i32, p: i32): void {
  const d = depth;
  const inSpec = get8(F_IN_SPEC, d) == 1;
  const q = get8(F_QUOTE, d);
  const triple = get8(F_TRIPLE, d) == 1;
  const raw = get8(F_RAW, d) == 1;
  depth--;
  interps--;
  if (inSpec) formatSpec(start, p);
  else fstring(start, p, q, triple, raw, false);
}

/** The format spec of the interpolation on top of the stack, from `p`. */
function formatSpec(start: i32, p: i32): void {
  const text = TEXT;
  const q = get8(F_QUOTE, depth);
  while (true) {
    const c = atIn(text, p);
    if (c == 123) {
      if (atIn(text, p + 1) == 123) decline(R_FSTRING_SPEC);
      emit(T_FMID, start, p + 1, 0, 0);
      const outer = depth;
      push(INTERP, 0);
      set8(F_QUOTE, depth, get8(F_QUOTE, outer));
      set8(F_TRIPLE, depth, get8(F_TRIPLE, outer));
      set8(F_RAW, depth, get8(F_RAW, outer));
      set8(F_IN_SPEC, depth, 1);
      interps++;
      pos = p + 1;
      return;
    }
    if (c == 125) {
      closeInterpolation(start, p + 1);
      return;
    }
    if (c == 10 || c == 13 || c == 92 || c == q || c == EOF) decline(R_FSTRING_SPEC);
    p++;
  }
}

function operator(p: i32, c: i32): void {
  const c1 = at(p + 1);
  const inInterp = get8(BRACKETS, depth) == INTERP;
  let kind = 0;
  let len = 1;
  switch (c) {
    case 40: {
      const role = expect ? 0 : depth == 0 && ntok >= 2 && kindAt(ntok - 1) == T_NAME && kindAt(ntok - 2) == KW_DEF ? PARAMS : CALL;
      emit(T_LPAR, p, p + 1, 0, 0);
      push(40, role);
      pos = p + 1;
      return;
    }
    case 91: {
      // `case [a, b]:` is a pattern, not a subscript of `case`.
      const role = expect || (ntok == 1 && (auxAt(0) == SOFT_CASE || auxAt(0) == SOFT_MATCH) && kindAt(0) == T_NAME) ? 0 : SUBSCRIPT;
      emit(T_LSQB, p, p + 1, 0, 0);
      push(91, role);
      pos = p + 1;
      return;
    }
    case 123:
      emit(T_LBRACE, p, p + 1, 0, 0);
      push(123, 0);
      pos = p + 1;
      return;
    case 41:
    case 93:
    case 125: {
      if (inInterp && c == 125) {
        interpolationEnd(p);
        return;
      }
      const open = c == 41 ? 40 : c == 93 ? 91 : 123;
      if (depth == 0 || get8(BRACKETS, depth) != open) decline(R_BRACKET_MISMATCH);
      closeDepth();
      depth--;
      emit(c == 41 ? T_RPAR : c == 93 ? T_RSQB : T_RBRACE, p, p + 1, 0, 0);
      pos = p + 1;
      return;
    }
    case 44:
      kind = T_COMMA;
      break;
    case 59:
      kind = T_SEMI;
      break;
    case 58:
      if (c1 == 61) {
        if (inInterp) decline(R_FSTRING_WALRUS);
        kind = T_WALRUS;
        len = 2;
        walrus = true;
      } else {
        if (inInterp && !get32(LAMBDAS, depth)) {
          interpolationEnd(p);
          return;
        }
        kind = T_COLON;
      }
      break;
    case 46:
      if (c1 >= 48 && c1 <= 57) {
        number(p);
        return;
      }
      if (c1 == 46 && at(p + 2) == 46) {
        kind = T_ELLIPSIS;
        len = 3;
      } else kind = T_DOT;
      break;
    case 61:
    case 33:
      // `==` `!=`; in an interpolation a lone `=` (debugging) or `!` (conversion) ends the expression.
      if (c1 == 61) {
        kind = T_COMPARE;
        len = 2;
      } else if (inInterp) {
        interpolationEnd(p);
        return;
      } else if (c == 61) kind = T_ASSIGN;
      else decline(R_INVALID_CHARACTER);
      break;
    case 60:
    case 62:
      if (c1 == c) {
        len = at(p + 2) == 61 ? 3 : 2;
        kind = len == 3 ? T_AUGASSIGN : T_BINOP;
      } else if (c1 == 61) {
        kind = T_COMPARE;
        len = 2;
      } else if (c == 60 && c1 == 62) decline(R_SYNTAX);
      else kind = T_COMPARE;
      break;
    case 42:
    case 47:
      // `*` `**` `*=` `**=`, `/` `//` `/=` `//=`
      if (c1 == c) {
        len = at(p + 2) == 61 ? 3 : 2;
        kind = len == 3 ? T_AUGASSIGN : c == 42 ? T_DSTAR : T_BINOP;
      } else if (c1 == 61) {
        kind = T_AUGASSIGN;
        len = 2;
      } else kind = c == 42 ? T_STAR : T_SLASH;
      break;
    case 45:
      if (c1 == 62) {
        kind = T_ARROW;
        len = 2;
      } else if (c1 == 61) {
        kind = T_AUGASSIGN;
        len = 2;
      } else kind = T_MINUS;
      break;
    case 43:
    case 37:
    case 38:
    case 124:
    case 94:
    case 64:
      if (c1 == 61) {
        kind = T_AUGASSIGN;
        len = 2;
      } else kind = c == 43 ? T_PLUS : c == 64 ? T_AT : T_BINOP;
      break;
    case 126:
      kind = T_TILDE;
      break;
    default:
      decline(R_INVALID_CHARACTER);
  }
  emit(kind, p, p + len, 0, 0);
  pos = p + len;
}

// ---- token order ----------------------------------------------------------------------------------------------

/** Resets the per-line state. */
function startLine(): void {
  expect = true;
  prev = 0;
  prevFlags = 0;
  importMode = false;
  walrus = false;
  assignments = 0;
  softStatement = false;
  set32(LAMBDAS, 0, 0);
  set32(CONDITIONALS, 0, 0);
  raising = false;
  chainless = false;
  pending = 0;
  depth = 0;
}

function push(bracket: i32, role: i32): void {
  if (depth == MAX_DEPTH) decline(R_NESTING);
  const d = ++depth;
  set8(BRACKETS, d, bracket);
  set8(ROLES, d, role);
  set32(LAMBDAS, d, 0);
  set32(COMPREHENSIONS, d, 0);
  set32(CONDITIONALS, d, 0);
  set8(DISPLAY, d, 0);
  set8(ELEMENT, d, 0);
}

/** Before a closing bracket or the end of an interpolation: what opened at this depth must be complete. */
function closeDepth(): void {
  const d = depth;
  if (get8(ROLES, d) == SUBSCRIPT && prev == T_LSQB) decline(R_SYNTAX);
  if (get32(LAMBDAS, d) || get32(CONDITIONALS, d) || (get32(COMPREHENSIONS, d) & PENDING_IN) != 0) decline(R_SYNTAX);
  if (get8(BRACKETS, d) == 123 && prev != T_LBRACE && prev != T_COMMA) endElement(d);
}

/** A `{…}` display holds pairs (and `**x`) or plain elements, never both. */
function endElement(d: i32): void {
  // A comprehension has one element (its target's commas are not separators).
  if ((get32(COMPREHENSIONS, d) & COMPREHENSION) != 0) return;
  const kind = get8(ELEMENT, d) ? DICT : SET;
  const display = get8(DISPLAY, d);
  if (display && display != kind) decline(R_SYNTAX);
  set8(DISPLAY, d, kind);
  set8(ELEMENT, d, 0);
}

/** Appends a token after checking it may follow the previous one. */
// Inlined into its callers: ~8% of the lexer's time on the stdlib.
@inline function emit(kind: i32, start: i32, end: i32, hash: i32, aux: i32): void {
  const before = prev;
  let flags = 0;
  if (pending != 0) checkPending(kind);
  if (before == T_DOT) {
    if (!importMode) {
      if (kind != T_NAME) decline(R_SYNTAX);
      if (chainless) flags = F_CHAINLESS;
    }
    flags |= F_AFTER_DOT;
  }
  if (!importMode) {
    if (expect) {
      if (has(CHECK_EXPECTING, kind)) checkExpecting(kind, before);
    } else if (has(CHECK_AFTER_OPERAND, kind)) checkAfterOperand(kind, before);
  }
  if (has(RARE, kind)) flags = rare(kind, before, flags);
  const i = ntok;
  if (i == cap) growTokens();
  store<u8>(KIND + <usize>i, kind);
  store<u8>(FLAGS + <usize>i, flags);
  store<u16>(DEPTH + (<usize>i << 1), depth);
  store<i32>(START + (<usize>i << 2), start);
  store<i32>(END + (<usize>i << 2), end);
  if (kind == T_NAME) {
    store<u8>(AUX + <usize>i, aux);
    store<i32>(HASH + (<usize>i << 2), hash);
  }
  ntok = i + 1;
  prev = kind;
  prevFlags = flags;
  expect = has(EXPECT_AFTER, kind) && (pending & NOT_IN) == 0;
}

/** What the previous token requires of this one (the `pending` bits). */
function checkPending(kind: i32): void {
  const was = pending;
  pending = 0;
  if ((was & NOT_IN) != 0 && kind != KW_IN) decline(R_SYNTAX);
  // `pass`, `break`, `continue` end their statement.
  if ((was & TERMINAL) != 0 && kind != T_SEMI) decline(R_SYNTAX);
  // A lambda parameter is a name, `*name`, `**name`, `*` or `/` (no Python 2 tuple).
  if ((was & PARAMETER) != 0 && !(kind == T_NAME || kind == T_STAR || kind == T_DSTAR || kind == T_SLASH || kind == T_COLON)) {
    decline(R_SYNTAX);
  }
  // Outside a display or an argument list, `*x` is tree-sitter's list_splat_pattern: a name (or its attribute or
  // subscript) follows.
  if ((was & STARRED_NAME) != 0 && kind != T_NAME && !(kind == T_COMMA && markerBefore(depth))) decline(R_SYNTAX);
}

function checkExpecting(kind: i32, before: i32): void {
  if (has(NEEDS_LEFT, kind) && !leftOptional(kind, before)) decline(R_SYNTAX);
  const closing = kind == T_RPAR || kind == T_RSQB || kind == T_RBRACE || kind == T_FMID || kind == T_FEND;
  if (closing && !closesEarly(kind, before)) decline(R_SYNTAX);
  // `a[:, 1]`; `def f(*, a)`, `def f(a, /, b)`
  if (kind == T_COMMA && !((before == T_COLON && inSubscript()) || ((before == T_STAR || before == T_SLASH) && markerBefore(depth)))) {
    decline(R_SYNTAX);
  }
  if (kind == T_COLON && !colonAfterNothing(before)) decline(R_SYNTAX);
  if ((kind == KW_LAMBDA || kind == KW_NOT || kind == KW_YIELD) && !expressionMayStart(kind, before)) decline(R_SYNTAX);
}

/** The `*` or `/` just emitted is a parameter marker (`def f(a, *, b)`, `lambda *, a: a`), not an operator. */
function markerBefore(d: i32): bool {
  const before = ntok > 1 ? kindAt(ntok - 2) : 0;
  return (before == T_COMMA || before == T_LPAR || before == KW_LAMBDA) && parameters(d);
}

/** In a `def`'s parameter list or a lambda's (at depth `d`). */
function parameters(d: i32): bool {
  return (get8(ROLES, d) == PARAMS && get8(BRACKETS, d) == 40) || get32(LAMBDAS, d) > 0;
}

function checkAfterOperand(kind: i32, before: i32): void {
  if (has(OPERAND_START, kind)) {
    const concat = (kind == T_STRING || kind == T_FSTART) && (before == T_STRING || before == T_FEND);
    const soft = ntok == 1 && (auxAt(0) == SOFT_MATCH || auxAt(0) == SOFT_CASE) && before == T_NAME;
    if (!concat && !soft) decline(R_SYNTAX);
    if (soft) softStatement = true;
  } else if (kind == KW_NOT) {
    pending |= NOT_IN;
  } else decline(R_SYNTAX);
}

/** Keywords that start statements, `.`, and the tokens lambdas and keyword arguments are made of. */
function rare(kind: i32, before: i32, flags: i32): i32 {
  const d = depth;
  if (has(TERMINAL_KEYWORD, kind)) pending |= TERMINAL;
  if (kind == T_LSQB) listOpen = expect;
  if ((kind == T_STAR || kind == T_DSTAR) && expect && before != KW_EXCEPT && (d == 0 || has(OPERATOR_BEFORE_PRIMARY, before))) {
    pending |= STARRED_NAME;
  }
  if (!importMode && has(STATEMENT_ONLY, kind) && !atStatementStart(before)) decline(R_SYNTAX);
  // `raise X from Y` is the one `from` after an operand.
  if (kind == KW_RAISE) raising = true;
  else if (kind == KW_FROM && !expect && !(raising && d == 0)) decline(R_SYNTAX);
  // Statement starts: `import`/`from` switch the checks off (the import parser is strict on its own).
  if ((kind == KW_IMPORT || kind == KW_FROM) && atStatementStart(before)) importMode = true;
  if (kind == T_DOT) chainless = before == T_RSQB || (before == T_NAME && (prevFlags & F_CHAINLESS) != 0);
  if (kind == KW_LAMBDA) {
    if (get8(BRACKETS, d) == INTERP) decline(R_FSTRING_LAMBDA);
    set32(LAMBDAS, d, get32(LAMBDAS, d) + 1);
    pending |= PARAMETER;
  } else if (get32(LAMBDAS, d) && (kind == T_COMMA || kind == T_ASSIGN || kind == T_COLON)) {
    flags |= F_LAMBDA;
    if (kind == T_COLON) set32(LAMBDAS, d, get32(LAMBDAS, d) - 1);
    else if (kind == T_COMMA) pending |= PARAMETER;
    return flags;
  }
  if (kind == T_ARROW) {
    // Only a def's return annotation.
    if (!(d == 0 && before == T_RPAR && (kindAt(0) == KW_DEF || (kindAt(0) == KW_ASYNC && kindAt(1) == KW_DEF)))) decline(R_SYNTAX);
  } else if (kind == T_WALRUS) {
    if (before != T_NAME || (prevFlags & F_AFTER_DOT) != 0) decline(R_SYNTAX);
  } else if (kind == T_DSTAR) {
    // `**x` unpacks in calls, dicts and parameter lists only.
    if (expect && !(before == T_LPAR || before == T_LBRACE || before == T_COMMA || before == KW_LAMBDA)) decline(R_SYNTAX);
    const bracket = get8(BRACKETS, d);
    if (expect && !((bracket == 40 && get8(ROLES, d) != 0) || bracket == 123 || get32(LAMBDAS, d) > 0)) decline(R_SYNTAX);
  }
  if (kind == KW_IN && d == 0) {
    const first = kindAt(0);
    inOfFor = first == KW_FOR || (first == KW_ASYNC && kindAt(1) == KW_FOR);
  }
  if (d == 0 && (kind == T_ASSIGN || kind == T_COLON || kind == T_AUGASSIGN)) assignments++;
  if (d > 0 && !importMode) inBrackets(kind, before, d);
  else if ((kind == KW_FOR || kind == KW_ASYNC) && !expect) decline(R_SYNTAX);
  else if (kind == KW_IF && !expect && !(kindAt(0) == T_NAME && auxAt(0) == SOFT_CASE)) set32(CONDITIONALS, 0, get32(CONDITIONALS, 0) + 1);
  else if (kind == KW_ELSE && !expect) {
    const open = get32(CONDITIONALS, 0);
    set32(CONDITIONALS, 0, open - 1);
    if (open == 0) decline(R_SYNTAX);
  }
  // A conditional expression needs its `else` before any comma.
  if (kind == T_COMMA && get32(CONDITIONALS, d)) decline(R_SYNTAX);
  if (kind == T_SEMI) {
    if (d) decline(R_SYNTAX);
    endStatement(true);
    importMode = false;
    raising = false;
  }
  return flags;
}

/** What a token means inside brackets: a keyword argument's `=`, a slice's or a pair's `:`, comprehensions. */
function inBrackets(kind: i32, before: i32, d: i32): void {
  const bracket = get8(BRACKETS, d);
  const role = get8(ROLES, d);
  switch (kind) {
    case T_ASSIGN: {
      // `f(x=1)`, `def f(x=1)`: the name starts an argument (in `def f(x: T = 1)` any token comes before `=`).
      const beforeName = kindAt(ntok - 2);
      const startsArgument = before == T_NAME && (prevFlags & F_AFTER_DOT) == 0 && (beforeName == T_LPAR || beforeName == T_COMMA);
      if (startsArgument && (role == CALL || role == PARAMS)) {
        const at = FLAGS + <usize>(ntok - 1);
        store<u8>(at, load<u8>(at) | F_KWARG);
      } else if (role != PARAMS) decline(R_SYNTAX);
      return;
    }
    case T_COLON:
      if (bracket == 123) {
        if (get8(ELEMENT, d) || expect) decline(R_SYNTAX);
        set8(ELEMENT, d, 1);
      } else if (!(bracket == 40 ? role == PARAMS : role == SUBSCRIPT)) decline(R_SYNTAX);
      // A slice has at most two colons.
      else if (bracket == 91) {
        const colons = (get8(ELEMENT, d) + 1) & 0xff;
        set8(ELEMENT, d, colons);
        if (colons > 2) decline(R_SYNTAX);
      }
      return;
    case T_COMMA:
      if (bracket == 123) endElement(d);
      else set8(ELEMENT, d, 0);
      if ((get32(COMPREHENSIONS, d) & COMPREHENSION) == 0) set32(COMPREHENSIONS, d, LISTED);
      return;
    case T_DSTAR:
      if (bracket == 123 && expect) set8(ELEMENT, d, UNPACKED);
      return;
    case KW_FOR:
      if (!expect || before == KW_ASYNC) {
        // Comprehensions and generators live in displays and parentheses (as their one element), not in subscripts
        // or interpolations.
        const unpacked = bracket == 123 && get8(ELEMENT, d) == UNPACKED;
        if (role == SUBSCRIPT || role == PARAMS || bracket == INTERP || get32(COMPREHENSIONS, d) == LISTED || unpacked) {
          decline(R_SYNTAX);
        }
        set32(COMPREHENSIONS, d, (get32(COMPREHENSIONS, d) | COMPREHENSION) + 1);
        set32(FOR_AT, d, ntok);
      }
      return;
    case KW_IN:
      // `for x, in y` too.
      inOfFor = false;
      if ((!expect || before == T_COMMA) && before != KW_NOT && (get32(COMPREHENSIONS, d) & PENDING_IN) != 0) {
        inOfFor = true;
        set32(COMPREHENSIONS, d, get32(COMPREHENSIONS, d) - 1);
        // The target: names, attributes, subscripts, tuples of them.
        for (let i = get32(FOR_AT, d) + 1; i < ntok; i++) {
          const k = kindAt(i);
          const target = k == T_NAME || k == T_COMMA || k == T_DOT || k == T_STAR || (k >= T_LPAR && k <= T_RSQB);
          if (depthAt(i) == d && !target) decline(R_SYNTAX);
        }
      }
      return;
    case KW_IF:
      // After a comprehension's `for`, an `if` is a filter, not a conditional expression.
      if (!expect && (get32(COMPREHENSIONS, d) & COMPREHENSION) == 0) set32(CONDITIONALS, d, get32(CONDITIONALS, d) + 1);
      return;
    case KW_ELSE:
      if (!expect) {
        const open = get32(CONDITIONALS, d);
        set32(CONDITIONALS, d, open - 1);
        if (open == 0) decline(R_SYNTAX);
      }
      return;
    default:
  }
}

/**
 * Whether a DEDENT from tree-sitter's scanner, at a line inside brackets indented less than its block, breaks the
 * parse here: it does unless a closing bracket may come next (or a string, when the line starts with a quote).
 */
function dedentBreaks(quote: bool): bool {
  // An opening bracket may be closed at once, except a subscript's `[` and an import's `(`.
  const opened = prev == T_LSQB ? listOpen : (prev == T_LPAR || prev == T_LBRACE) && !importMode;
  const closable = has(CLOSABLE, prev) || opened;
  return !closable && !(quote && has(STRING_MAY_FOLLOW, prev));
}

function atStatementStart(before: i32): bool {
  const headerColon = before == T_COLON && (prevFlags & F_LAMBDA) == 0;
  return depth == 0 && (before == 0 || before == T_SEMI || before == KW_ASYNC || headerColon);
}

/** A token that needs an operand before it, where none came: only where the grammar has a form without one. */
function leftOptional(kind: i32, before: i32): bool {
  switch (kind) {
    case T_SLASH:
      return (before == T_COMMA || before == T_LPAR) && parameters(depth);
    case T_ASSIGN:
      // `a, = x`
      return before == T_COMMA;
    case KW_IN: {
      // `for a, in x`
      if (before != T_COMMA) return false;
      if (depth > 0) return (get32(COMPREHENSIONS, depth) & PENDING_IN) != 0;
      return kindAt(0) == KW_FOR || (kindAt(0) == KW_ASYNC && kindAt(1) == KW_FOR);
    }
    case T_AT:
    case KW_IF:
    case KW_ELSE:
    case KW_ASYNC:
      return before == 0;
    case KW_FOR:
      return before == 0 || before == KW_ASYNC;
    case KW_FROM:
      return before == 0 || before == T_SEMI || before == KW_YIELD || (before == T_COLON && depth == 0);
    case KW_IMPORT:
      return atStatementStart(before);
    default:
      return false;
  }
}

function closesEarly(kind: i32, before: i32): bool {
  // interpolationEnd has checked the expression.
  if (kind == T_FMID || kind == T_FEND) return true;
  // The closing bracket is emitted after its depth was left.
  if (before == T_COLON) return kind == T_RSQB && get8(ROLES, depth + 1) == SUBSCRIPT;
  if (before == T_SLASH) return markerBefore(depth + 1);
  return before == T_LPAR || before == T_LSQB || before == T_LBRACE || before == T_COMMA || before == KW_YIELD;
}

/** Directly inside a subscript's brackets, where slices are. */
function inSubscript(): bool {
  return get8(ROLES, depth) == SUBSCRIPT && get8(BRACKETS, depth) == 91;
}

function colonAfterNothing(before: i32): bool {
  if (before == KW_LAMBDA || before == KW_ELSE || before == KW_TRY || before == KW_FINALLY || before == KW_EXCEPT) return true;
  // `lambda a,: …`, `lambda a, /: …`
  if ((before == T_COMMA && (prevFlags & F_LAMBDA) != 0) || (before == T_SLASH && markerBefore(depth))) return true;
  // `a[:]`, `a[::2]`, `a[1, :]`; `case a, b,:`
  if (before == T_COMMA && depth == 0) return kindAt(0) == T_NAME && (auxAt(0) == SOFT_CASE || auxAt(0) == SOFT_MATCH);
  return (before == T_LSQB || before == T_COLON || before == T_COMMA) && inSubscript();
}

/** `lambda`, `not` and `yield` are not operands of the operators that take primary expressions only. */
function expressionMayStart(kind: i32, before: i32): bool {
  // `is not` takes a primary expression too.
  if (before == KW_NOT && ntok > 1 && kindAt(ntok - 2) == KW_IS) return false;
  if (kind == KW_NOT) return !has(OPERATOR_BEFORE_PRIMARY, before);
  // `@lambda f: f`, `for f in lambda: 0, g:` (not after a comparison's `in`)
  if (kind == KW_LAMBDA) return has(LAMBDA_AFTER, before) || (before == T_AT && ntok == 1) || (before == KW_IN && inOfFor);
  // yield: a statement (also after a header's `:`), an assignment's value, or parenthesized.
  if (before == T_COLON) return depth == 0 && (prevFlags & F_LAMBDA) == 0;
  return before == 0 || before == T_ASSIGN || before == T_AUGASSIGN || before == T_SEMI || (before == T_LPAR && get8(ROLES, depth) == 0);
}

/** At `;` (`semi`) or the end of a logical line: the statement must be complete. */
function endStatement(semi: bool): void {
  if ((pending & NOT_IN) != 0 || get32(LAMBDAS, 0) || get32(CONDITIONALS, 0)) decline(R_SYNTAX);
  if (semi && (prev == 0 || prev == T_SEMI)) decline(R_SYNTAX);
  if (expect && prev != 0 && prev != T_COMMA && prev != T_COLON && prev != T_SEMI && prev != KW_YIELD && prev != KW_RETURN &&
    prev != KW_RAISE && !(importMode && prev == T_STAR)) {
    decline(R_SYNTAX);
  }
  if (prev == T_COLON && (prevFlags & F_LAMBDA) != 0) decline(R_SYNTAX);
}

