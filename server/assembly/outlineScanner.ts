// AssemblyScript: the outline's statement scanner, the fast path of ../src/core/python/outline/scanner.ts.
import {
  F_AFTER_DOT, F_CHAINLESS, F_KWARG, F_LAMBDA, KW_AS, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_CLASS, KW_DEF, KW_DEL, KW_ELIF, KW_ELSE,
  KW_EXCEPT, KW_FALSE, KW_FINALLY, KW_FIRST, KW_FOR, KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_IN, KW_LAMBDA, KW_NONE, KW_NONLOCAL,
  KW_NOT, KW_RAISE, KW_RETURN, KW_TRUE, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD, SOFT_CASE, SOFT_MATCH, T_ARROW, T_ASSIGN, T_AT,
  T_AUGASSIGN, T_COLON, T_COMMA, T_COMPARE, T_DOT, T_DSTAR, T_ELLIPSIS, T_FEND, T_FSTART, T_LPAR, T_LSQB, T_NAME, T_NUMBER, T_RPAR,
  T_RSQB, T_SEMI, T_SLASH, T_STAR, T_STRING, B_ALIAS, B_ASSIGN, B_CLASS, B_FUNCTION, B_IMPORT, B_OTHER, G_NESTED, G_TRY_IMPORT_ERROR,
  G_TYPE_CHECKING, RS_IMP, RS_ITEM, RS_BIND, RS_DEF, RS_PREFIX, RS_DECO, RS_PARTS, RS_ALL, RS_OUT, RS_MNL, RS_N_IMP, RS_N_BIND, RS_N_DEF,
  RS_N_OUT, RS_N_MNL, RS_ALL_MODE, RS_N_ALL, RS_ALL_DYNAMIC, RS_HAS_GETATTR, RS_DYNAMIC_GLOBALS, RS_DEPRECATION_NAME, RS_FUTURE_NAME, RS_MODULE_WARN_SITES, RS_LEADING_WARN, RS_WATCH, RS_CAND, RS_N_CAND, RS_CONST, RS_N_CONST,
  RESULT_FIELDS, IMP_SIZE, ITEM_SIZE, BIND_SIZE, DEF_SIZE,
} from '../src/core/python/outline/kinds';
import {
  END, FLAGS, HASH, START, TEXT, assignments, auxAt as ta, depthAt as td, indexOf, kindAt as tk, lexLine, lineIndent, n, ntok, pos,
  softStatement, walrus,
  xidContinue,
} from './outlineLexer';

/**
 * The statement level of the outline in wasm: blocks, compound statements, definitions, simple statements, the names
 * each statement reads, and at the end the refs and module name loads, exactly as outline/scanner.ts and
 * statements.ts build them (test/python/outline.test.ts holds the two equal on the stdlib, Django and mutated
 * copies). What it does not model it does not guess at: it traps (`bail`), and the JavaScript scanner reads the file
 * instead, which also gives a decline its reason. That covers every decline, a `…deprecated` decorator, a comment in
 * an except clause that may name an import error, non-ASCII whitespace before an import, and a table that would
 * overflow. warn() calls are outline/warnings.ts's to read: this lists the candidate statements (and what resolving
 * them needs) for the JavaScript side, which reads them when the hints here say one may make a deprecation.
 *
 * Why: the JavaScript scanner was ~0.65 s of a cold stdlib check's ~0.9 s outline, most of it V8 tiering up code a
 * batch run leaves before it is fast; wasm runs at full speed from the first file.
 *
 * Output: tables in static memory (fields: kinds.ts RS_* and the *_SIZE record layouts), read by outline/fastScan.ts.
 * Strings are [start, end) offsets into the text (plus the lexer's hash for names); ranges are line and column pairs.
 */

// ---- limits and tables ----------------------------------------------------------------------------------

const MAX_IMP: i32 = 8192;
const MAX_ITEM: i32 = 32768;
const MAX_BIND: i32 = 65536;
const MAX_DEF: i32 = 32768;
const MAX_PREFIX: i32 = 8192;
const MAX_DECO: i32 = 16384;
const MAX_PARTS: i32 = 131072;
const MAX_ALL: i32 = 16384;
const MAX_OUT: i32 = 1 << 21;
const MAX_USES: i32 = 1 << 19;
const MAX_LINES: i32 = 1 << 19;
const MAX_CTX: i32 = 1 << 16;
const MAX_SCOPE: i32 = 1 << 15;
const MAX_GLOB: i32 = 8192;
const MAX_FRAMES: i32 = 256;
const MAX_PENDING_DECO: i32 = 256;
/** Text longer than this (code units) is the JavaScript scanner's: `BOUND` has a bit per code unit. */
const MAX_TEXT: i32 = 1 << 23;

const RES = memory.data(RESULT_FIELDS * 4);
const IMP = memory.data(MAX_IMP * IMP_SIZE * 4);
const ITEM = memory.data(MAX_ITEM * ITEM_SIZE * 4);
const BIND = memory.data(MAX_BIND * BIND_SIZE * 4);
const DEF = memory.data(MAX_DEF * DEF_SIZE * 4);
/** Qualified-name prefixes: parent, name start, end, hash (prefix 0 is the module's ''). */
const PREFIX = memory.data(MAX_PREFIX * 4 * 4);
/** Decorators: parts start, parts count. */
const DECO = memory.data(MAX_DECO * 2 * 4);
/** Text pieces: start, end, hash (dotted names' parts, alias targets, string pieces). */
const PARTS = memory.data(MAX_PARTS * 3 * 4);
/** `__all__` entries: parts start, parts count (the pieces of an implicit concatenation). */
const ALL = memory.data(MAX_ALL * 2 * 4);
const OUT = memory.data(MAX_OUT * 4);
/** Module name loads: a binding index per name read. */
const MNL = memory.data(MAX_BIND * 4);
const USE_START = memory.data(MAX_USES * 4);
const USE_HASH = memory.data(MAX_USES * 4);
const LINES = memory.data(MAX_LINES * 4);
/** Contexts: scope, flags (C_*), prefix (-1: null), and the cached variants (-1: not made yet). */
const CTX = memory.data(MAX_CTX * 6 * 4);
/** Scopes: kind, first global (-1: no `global` seen). */
const SCOPE = memory.data(MAX_SCOPE * 2 * 4);
/** Names declared global: start, end, hash, next of the same scope. */
const GLOB = memory.data(MAX_GLOB * 4 * 4);
// Frames (blocks): indent, ctx, serial, the last compound statement (kind, stage, ctx, import start, body end), the
// marks of a definition extract.ts visits twice (-1: none), the leading statements to watch for a warn() call (2: a
// docstring may come first), whether it is a match statement's block, the recorded function it is the body of (WATCH).
const FRAME_FIELDS: i32 = 13;
const FRAME = memory.data(MAX_FRAMES * FRAME_FIELDS * 4);
const PENDING_DECO = memory.data(MAX_PENDING_DECO * 2 * 4);
// What outline/warnings.ts needs when a file's warn() calls may make a deprecation (fastScan.ts reads them then):
// recorded functions (definition, start and end offsets: warnings.ts WatchedDef), the candidate calls (where their
// logical line's reading starts, token range, recorded function or -1 at module level), and module-level string
// constants (name start, end, hash, pieces start and count, plain: nothing but spaces between the pieces).
const MAX_WATCH: i32 = 32768;
const MAX_CAND: i32 = 8192;
const MAX_CONST: i32 = 16384;
const WATCH = memory.data(MAX_WATCH * 3 * 4);
const CAND = memory.data(MAX_CAND * 4 * 4);
const CONST = memory.data(MAX_CONST * 6 * 4);
const MAX_ASSIGNS: i32 = 1 << 14;
const ASSIGNS = memory.data(MAX_ASSIGNS * 4);
/** A bit per code unit: where a binding other than an import's starts (moduleNamesRead's `bound`). */
const BOUND = memory.data(MAX_TEXT / 8);
// Hash tables of refs and module name loads: slot → entry + 1.
const SLOTS: i32 = 1 << 14;
const TABLE = memory.data(SLOTS * 4);
/** Distinct import locals or binding names: start, end, hash, next entry in the slot, then per kind. */
const ENTRY = memory.data(MAX_ITEM * 6 * 4);
/** Import targets of a local: stmt, item, next. */
const TARGET = memory.data(MAX_ITEM * 3 * 4);
// The refs kept when only distinct ones are asked for: slot → entry + 1; entries: hash, stmt, item, where the
// ref's chain is in OUT, its length, next entry in the slot.
const SEEN_SLOTS: i32 = 1 << 15;
const MAX_SEEN: i32 = 1 << 17;
const SEEN_TABLE = memory.data(SEEN_SLOTS * 4);
const SEEN = memory.data(MAX_SEEN * 6 * 4);

const C_TYPE_CHECKING: i32 = 1;
const C_NESTED: i32 = 2;
const C_FALLBACK: i32 = 4;
const C_CONDITIONAL: i32 = 8;
const SCOPE_MODULE: i32 = 0;
const SCOPE_CLASS: i32 = 1;
const SCOPE_FUNCTION: i32 = 2;

@inline function get(table: usize, i: i32): i32 {
  return load<i32>(table + (<usize>i << 2));
}
@inline function put(table: usize, i: i32, v: i32): void {
  store<i32>(table + (<usize>i << 2), v);
}

/** Not modelled here: the JavaScript scanner reads the file. */
function bail(): void {
  unreachable();
}

// ---- tokens (kind, aux and depth: the lexer's tk, ta, td) -------------------------------------------------

@inline function tf(i: i32): i32 {
  return load<u8>(FLAGS + <usize>i);
}
@inline function ts(i: i32): i32 {
  return load<i32>(START + (<usize>i << 2));
}
@inline function te(i: i32): i32 {
  return load<i32>(END + (<usize>i << 2));
}
@inline function th(i: i32): i32 {
  return load<i32>(HASH + (<usize>i << 2));
}
/** The code unit at `p` (0 past the end: the text is followed by zero padding). */
@inline function ch(p: i32): i32 {
  return <i32>load<u16>(TEXT + (<usize>p << 1));
}

function hashOf(s: string): i32 {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = h * 31 + s.charCodeAt(i);
  return h;
}
const H_GLOBALS = hashOf('globals');
const H_DEPRECATION = hashOf('DeprecationWarning');
const H_PENDING = hashOf('PendingDeprecationWarning');
const H_FUTURE = hashOf('FutureWarning');
const H_WARN = hashOf('warn');

/** Whether the text at [p, p + word.length) is `word`. */
function textIs(p: i32, word: string): bool {
  for (let i = 0; i < word.length; i++) if (ch(p + i) != word.charCodeAt(i)) return false;
  return true;
}

function isWord(i: i32, word: string): bool {
  return te(i) - ts(i) == word.length && textIs(ts(i), word);
}

function matchingClose(open: i32): i32 {
  const d = td(open);
  for (let i = open + 1; i < ntok; i++) if (td(i) == d) return i;
  bail();
  return -1;
}

function elementEnd(from: i32, b: i32, depth: i32): i32 {
  while (from < b && !(tk(from) == T_COMMA && td(from) == depth && (tf(from) & F_LAMBDA) == 0)) from++;
  return from;
}

function hasCommaAt(a: i32, b: i32, depth: i32): bool {
  return elementEnd(a, b, depth) < b;
}

// ---- positions --------------------------------------------------------------------------------------------

let rows: i32 = 0;
let lastRow: i32 = 0;

function indexLines(): void {
  put(LINES, 0, 0);
  let row = 1;
  for (let i = indexOf(10, 0); i >= 0; i = indexOf(10, i + 1)) {
    if (row == MAX_LINES) bail();
    put(LINES, row++, i + 1);
  }
  rows = row;
  lastRow = 0;
}

function rowOf(offset: i32): i32 {
  let lo = 0;
  let hi = rows - 1;
  const guess = lastRow;
  if (get(LINES, guess) <= offset && (guess == hi || get(LINES, guess + 1) > offset)) return guess;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (get(LINES, mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  lastRow = lo;
  return lo;
}

/** Line and column of `offset` into table[i], table[i + 1]. */
function putPos(table: usize, i: i32, offset: i32): void {
  const row = rowOf(offset);
  put(table, i, row);
  put(table, i + 1, offset - get(LINES, row));
}

// ---- per-file state -----------------------------------------------------------------------------------------

let nImp: i32 = 0;
let nItem: i32 = 0;
let nBind: i32 = 0;
let nDef: i32 = 0;
let nPrefix: i32 = 0;
let nDeco: i32 = 0;
let nParts: i32 = 0;
let nAll: i32 = 0;
let allMode: i32 = 0;
let allDynamic: bool = false;
let hasGetattr: bool = false;
let dynamicGlobals: bool = false;
let deprecationName: bool = false;
let futureName: bool = false;
let nOut: i32 = 0;
let nMnl: i32 = 0;
let nUses: i32 = 0;
let nCtx: i32 = 0;
let nScope: i32 = 0;
let nGlob: i32 = 0;
let nFrames: i32 = 0;
let serials: i32 = 0;
let pendingBody: bool = false;
let pendingCtx: i32 = 0;
let pendingTwiceImp: i32 = -1;
let pendingTwiceBind: i32 = -1;
let pendingWatch: i32 = 0;
let pendingMatch: i32 = 0;
let pendingDef: i32 = -1;
/** The recorded function whose leading statements are being watched (WATCH), -1 if none. */
let watchDef: i32 = -1;
/** Where the lexer started reading the current logical line. */
let lineAt: i32 = 0;
let nWatch: i32 = 0;
let nCand: i32 = 0;
let nConst: i32 = 0;
/** The watch state (FR_WATCH) of the statements being read. */
let watching: i32 = 0;
/** Module-level `warn(` sites, and a warn() call leading a recorded function (statements.ts's hints). */
let moduleWarnSites: i32 = 0;
let leadingWarn: bool = false;
let nPendingDeco: i32 = 0;
let decorating: bool = false;
let decoratorFrame: i32 = -1;

// ---- contexts and scopes ------------------------------------------------------------------------------------

function newScope(kind: i32): i32 {
  if (nScope == MAX_SCOPE) bail();
  const s = nScope++;
  put(SCOPE, s * 2, kind);
  put(SCOPE, s * 2 + 1, -1);
  return s;
}

function newCtx(scope: i32, flags: i32, prefix: i32): i32 {
  if (nCtx == MAX_CTX) bail();
  const c = nCtx++;
  put(CTX, c * 6, scope);
  put(CTX, c * 6 + 1, flags);
  put(CTX, c * 6 + 2, prefix);
  put(CTX, c * 6 + 3, -1);
  put(CTX, c * 6 + 4, -1);
  put(CTX, c * 6 + 5, -1);
  return c;
}

@inline function scopeOf(c: i32): i32 {
  return get(CTX, c * 6);
}
@inline function flagsOf(c: i32): i32 {
  return get(CTX, c * 6 + 1);
}
@inline function prefixOf(c: i32): i32 {
  return get(CTX, c * 6 + 2);
}
@inline function globalsOf(scope: i32): i32 {
  return get(SCOPE, scope * 2 + 1);
}

/** The variant of `c` with `flag` set (inBlock, inFallback, inTypeChecking), made once. */
function variant(c: i32, flag: i32, slot: i32): i32 {
  if ((flagsOf(c) & flag) != 0) return c;
  const cached = get(CTX, c * 6 + slot);
  if (cached >= 0) return cached;
  const v = newCtx(scopeOf(c), flagsOf(c) | flag, prefixOf(c));
  put(CTX, c * 6 + slot, v);
  return v;
}
@inline function inBlock(c: i32): i32 {
  return variant(c, C_CONDITIONAL, 3);
}
@inline function inFallback(c: i32): i32 {
  return variant(c, C_FALLBACK, 4);
}
@inline function inTypeChecking(c: i32): i32 {
  return variant(c, C_TYPE_CHECKING, 5);
}

function sameText(a: i32, b: i32, length: i32): bool {
  for (let i = 0; i < length; i++) if (ch(a + i) != ch(b + i)) return false;
  return true;
}

function isGlobal(scope: i32, start: i32, end: i32, hash: i32): bool {
  for (let g = globalsOf(scope); g >= 0; g = get(GLOB, g * 4 + 3)) {
    if (get(GLOB, g * 4 + 2) == hash && get(GLOB, g * 4 + 1) - get(GLOB, g * 4) == end - start && sameText(get(GLOB, g * 4), start, end - start)) return true;
  }
  return false;
}

function binds(c: i32): bool {
  const scope = scopeOf(c);
  return scope == 0 || globalsOf(scope) >= 0;
}

// ---- records ------------------------------------------------------------------------------------------------

/**
 * A module binding of the name [start, end) (statements.ts bindName), its range left to the caller: the record's
 * index, or -1 when the scope does not bind at module level.
 */
function newBinding(start: i32, end: i32, hash: i32, c: i32, kind: i32, rangeStart: i32, stmt: i32, item: i32): i32 {
  const scope = scopeOf(c);
  if (scope != 0 && !isGlobal(scope, start, end, hash)) return -1;
  if (nBind == MAX_BIND) bail();
  const b = nBind++;
  const r = b * BIND_SIZE;
  const flags = flagsOf(c);
  put(BIND, r, start);
  put(BIND, r + 1, end);
  put(BIND, r + 2, hash);
  put(BIND, r + 3, kind);
  put(BIND, r + 8, (flags & C_FALLBACK) != 0 ? 1 : 0);
  put(BIND, r + 9, (flags & C_CONDITIONAL) != 0 ? 1 : 0);
  put(BIND, r + 10, stmt);
  put(BIND, r + 11, item);
  put(BIND, r + 12, -1);
  put(BIND, r + 13, 0);
  put(BIND, r + 14, rangeStart);
  return b;
}

/** A binding of the name token `i`, its range the token's. */
function bindToken(i: i32, c: i32, kind: i32): i32 {
  const b = newBinding(ts(i), te(i), th(i), c, kind, ts(i), -1, 0);
  if (b >= 0) {
    putPos(BIND, b * BIND_SIZE + 4, ts(i));
    putPos(BIND, b * BIND_SIZE + 6, te(i));
  }
  return b;
}

function addPart(start: i32, end: i32, hash: i32): void {
  if (nParts == MAX_PARTS) bail();
  put(PARTS, nParts * 3, start);
  put(PARTS, nParts * 3 + 1, end);
  put(PARTS, nParts * 3 + 2, hash);
  nParts++;
}

function addUse(start: i32, hash: i32): void {
  if (nUses == MAX_USES) bail();
  put(USE_START, nUses, start);
  put(USE_HASH, nUses, hash);
  nUses++;
}

// ---- frames -------------------------------------------------------------------------------------------------

// Frame fields.
const FR_INDENT = 0;
const FR_CTX = 1;
const FR_SERIAL = 2;
const FR_LAST_KIND = 3;
const FR_LAST_STAGE = 4;
const FR_LAST_CTX = 5;
const FR_LAST_IMPORTS = 6;
const FR_LAST_BODY_END = 7;
const FR_TWICE_IMP = 8;
const FR_TWICE_BIND = 9;
const FR_WATCH = 10;
const FR_MATCH = 11;
const FR_DEF = 12;

@inline function fget(f: i32, field: i32): i32 {
  return get(FRAME, f * FRAME_FIELDS + field);
}
@inline function fset(f: i32, field: i32, v: i32): void {
  put(FRAME, f * FRAME_FIELDS + field, v);
}

function pushFrame(indent: i32, c: i32, twiceImp: i32, twiceBind: i32, watching: i32, match: i32, def: i32): i32 {
  if (nFrames == MAX_FRAMES) bail();
  const f = nFrames++;
  fset(f, FR_INDENT, indent);
  fset(f, FR_CTX, c);
  fset(f, FR_SERIAL, serials++);
  fset(f, FR_LAST_KIND, 0);
  fset(f, FR_TWICE_IMP, twiceImp);
  fset(f, FR_TWICE_BIND, twiceBind);
  fset(f, FR_WATCH, watching);
  fset(f, FR_MATCH, match);
  fset(f, FR_DEF, def);
  return f;
}

/** Ends the innermost block; `end`: the offset of the line that is no longer in it. */
function popFrame(end: i32): void {
  const f = --nFrames;
  const def = fget(f, FR_DEF);
  if (def >= 0) put(WATCH, def * 3 + 2, end);
  const imp = fget(f, FR_TWICE_IMP);
  if (imp >= 0) twice(imp, fget(f, FR_TWICE_BIND));
}

/** What the first visit of a definition extract.ts visits twice added, added again (scanner.ts `twice`). */
function twice(marksImp: i32, marksBind: i32): void {
  const count = nImp - marksImp;
  for (let k = marksImp; k < marksImp + count; k++) {
    if (nImp == MAX_IMP) bail();
    memory.copy(IMP + <usize>(nImp * IMP_SIZE * 4), IMP + <usize>(k * IMP_SIZE * 4), <usize>(IMP_SIZE * 4));
    nImp++;
  }
  const end = nBind;
  for (let k = marksBind; k < end; k++) {
    if (nBind == MAX_BIND) bail();
    const r = nBind * BIND_SIZE;
    memory.copy(BIND + <usize>(r * 4), BIND + <usize>(k * BIND_SIZE * 4), <usize>(BIND_SIZE * 4));
    const stmt = get(BIND, r + 10);
    if (stmt >= marksImp) put(BIND, r + 10, stmt + count);
    nBind++;
  }
}

function setLast(f: i32, kind: i32, c: i32): void {
  fset(f, FR_LAST_KIND, kind);
  fset(f, FR_LAST_STAGE, 0);
  fset(f, FR_LAST_CTX, c);
  fset(f, FR_LAST_IMPORTS, nImp);
  fset(f, FR_LAST_BODY_END, -1);
}

// ---- the file -------------------------------------------------------------------------------------------------

/**
 * Scans the text `begin` placed: 1 when the tables hold its facts (a trap: the JavaScript scanner's file). `distinct`:
 * keep only the first ref of each statement, item and chain (what a workspace check keeps, analyzeJob.ts).
 */
export function scanFile(distinct: bool): i32 {
  if (n > MAX_TEXT) bail();
  nImp = nItem = nBind = nDef = nDeco = nParts = nAll = nOut = nMnl = nUses = nCtx = nScope = nGlob = nFrames = serials = 0;
  allMode = 0;
  allDynamic = hasGetattr = dynamicGlobals = deprecationName = futureName = leadingWarn = false;
  moduleWarnSites = 0;
  nWatch = nCand = nConst = 0;
  pendingBody = false;
  nPendingDeco = 0;
  decorating = false;
  decoratorFrame = -1;
  // Prefix 0: the module's qualified-name prefix ''.
  put(PREFIX, 0, -1);
  put(PREFIX, 1, 0);
  put(PREFIX, 2, 0);
  put(PREFIX, 3, 0);
  nPrefix = 1;
  indexLines();
  const module = newScope(SCOPE_MODULE);
  pushFrame(0, newCtx(module, 0, 0), -1, -1, 0, 0, -1);
  while (true) {
    lineAt = pos;
    if (!lexLine()) break;
    line();
  }
  if (pendingBody || decorating) bail();
  while (nFrames > 1) popFrame(n);
  buildRefs(distinct);
  moduleNamesRead();
  put(RES, RS_IMP, <i32>IMP);
  put(RES, RS_ITEM, <i32>ITEM);
  put(RES, RS_BIND, <i32>BIND);
  put(RES, RS_DEF, <i32>DEF);
  put(RES, RS_PREFIX, <i32>PREFIX);
  put(RES, RS_DECO, <i32>DECO);
  put(RES, RS_PARTS, <i32>PARTS);
  put(RES, RS_ALL, <i32>ALL);
  put(RES, RS_OUT, <i32>OUT);
  put(RES, RS_MNL, <i32>MNL);
  put(RES, RS_N_IMP, nImp);
  put(RES, RS_N_BIND, nBind);
  put(RES, RS_N_DEF, nDef);
  put(RES, RS_N_OUT, nOut);
  put(RES, RS_N_MNL, nMnl);
  put(RES, RS_ALL_MODE, allMode);
  put(RES, RS_N_ALL, nAll);
  put(RES, RS_ALL_DYNAMIC, allDynamic ? 1 : 0);
  put(RES, RS_HAS_GETATTR, hasGetattr ? 1 : 0);
  put(RES, RS_DYNAMIC_GLOBALS, dynamicGlobals ? 1 : 0);
  put(RES, RS_DEPRECATION_NAME, deprecationName ? 1 : 0);
  put(RES, RS_FUTURE_NAME, futureName ? 1 : 0);
  put(RES, RS_MODULE_WARN_SITES, moduleWarnSites);
  put(RES, RS_LEADING_WARN, leadingWarn ? 1 : 0);
  put(RES, RS_WATCH, <i32>WATCH);
  put(RES, RS_CAND, <i32>CAND);
  put(RES, RS_N_CAND, nCand);
  put(RES, RS_CONST, <i32>CONST);
  put(RES, RS_N_CONST, nConst);
  return 1;
}

/** Where scanFile's results are (fields: kinds.ts R_*). */
export function results(): usize {
  return RES;
}

// ---- lines and blocks ---------------------------------------------------------------------------------------

function line(): void {
  const indent = lineIndent;
  let f = nFrames - 1;
  if (pendingBody) {
    if (indent <= fget(f, FR_INDENT)) bail();
    pendingBody = false;
    f = pushFrame(indent, pendingCtx, pendingTwiceImp, pendingTwiceBind, pendingWatch, pendingMatch, pendingDef);
  } else if (indent > fget(f, FR_INDENT)) {
    bail();
  } else {
    while (indent < fget(f, FR_INDENT)) {
      popFrame(ts(0));
      f = nFrames - 1;
      if (indent > fget(f, FR_INDENT)) bail();
    }
  }
  const c = fget(f, FR_CTX);
  if (walrus && (scopeOf(c) == 0 || globalsOf(scopeOf(c)) >= 0)) bail();
  const first = tk(0);
  if (decorating && fget(f, FR_SERIAL) != decoratorFrame) bail();
  const definition = first == KW_DEF || first == KW_CLASS || (first == KW_ASYNC && tk(1) == KW_DEF);
  if (decorating && first != T_AT && !definition) bail();
  if (fget(f, FR_MATCH)) {
    if (!(first == T_NAME && ta(0) == SOFT_CASE)) bail();
    caseClause(f);
    return;
  }
  switch (first) {
    case T_AT:
      fset(f, FR_LAST_KIND, 0);
      fset(f, FR_WATCH, 0);
      decorator(f);
      return;
    case KW_IF:
    case KW_WHILE:
    case KW_FOR:
    case KW_TRY:
    case KW_WITH:
    case KW_DEF:
    case KW_CLASS:
    case KW_ASYNC:
      fset(f, FR_WATCH, 0);
      compound(f, first == KW_ASYNC ? tk(1) : first, first == KW_ASYNC ? 1 : 0);
      return;
    case KW_ELIF:
    case KW_ELSE:
    case KW_EXCEPT:
    case KW_FINALLY:
      clause(f, first);
      return;
    case T_NAME:
      if (ta(0) == SOFT_MATCH && isMatch()) {
        fset(f, FR_WATCH, 0);
        matchStatement(f);
        return;
      }
      if (softStatement || (ta(0) == SOFT_CASE && ntok > 1 && isCase())) bail();
      break;
    default:
      break;
  }
  fset(f, FR_LAST_KIND, 0);
  watching = fget(f, FR_WATCH);
  watchDef = fget(f, FR_DEF);
  statements(0, c);
  fset(f, FR_WATCH, watching);
}

function statements(from: i32, c: i32): void {
  let i = from;
  while (i < ntok) {
    let e = i;
    while (e < ntok && !(tk(e) == T_SEMI && td(e) == 0)) e++;
    simple(i, e, c);
    i = e + 1;
  }
}

function headerColon(from: i32): i32 {
  for (let i = from; i < ntok; i++) {
    if (td(i) != 0 || (tf(i) & F_LAMBDA) != 0) continue;
    const k = tk(i);
    if (k == T_COLON) return i;
    if (k == T_ASSIGN || k == T_AUGASSIGN) bail();
  }
  bail();
  return -1;
}

function body(colon: i32, c: i32, twiceImp: i32, twiceBind: i32, watch: i32, match: i32, def: i32): void {
  if (colon == ntok - 1) {
    pendingBody = true;
    pendingCtx = c;
    pendingTwiceImp = twiceImp;
    pendingTwiceBind = twiceBind;
    pendingWatch = watch;
    pendingMatch = match;
    pendingDef = def;
    return;
  }
  if (match) bail();
  watching = watch;
  watchDef = def;
  statements(colon + 1, c);
  if (def >= 0) put(WATCH, def * 3 + 2, te(ntok - 1));
  if (twiceImp >= 0) twice(twiceImp, twiceBind);
}

// ---- compound statements ------------------------------------------------------------------------------------

function compound(f: i32, kind: i32, i: i32): void {
  const c = fget(f, FR_CTX);
  const colon = headerColon(i);
  const inner = inBlock(c);
  fset(f, FR_LAST_KIND, 0);
  if (kind == KW_IF || kind == KW_WHILE) {
    if (i != 0 || colon == 1 || elementEnd(1, colon, 0) != colon) bail();
    uses(1, colon, c, -1, false);
    setLast(f, kind, c);
    body(colon, kind == KW_IF && isTypeChecking(colon) ? inTypeChecking(inner) : inner, -1, -1, 0, 0, -1);
  } else if (kind == KW_FOR) {
    let inAt = i + 1;
    while (inAt < colon && !(tk(inAt) == KW_IN && td(inAt) == 0)) inAt++;
    if (inAt == colon || inAt == i + 1 || inAt + 1 == colon) bail();
    uses(i + 1, colon, c, -1, false);
    targets(i + 1, inAt, inner, B_OTHER, -1, 0, binds(c));
    setLast(f, KW_FOR, c);
    body(colon, inner, -1, -1, 0, 0, -1);
  } else if (kind == KW_TRY) {
    if (i != 0 || colon != 1) bail();
    setLast(f, KW_TRY, c);
    body(colon, inner, -1, -1, 0, 0, -1);
  } else if (kind == KW_WITH) {
    if (colon == i + 1) bail();
    uses(i + 1, colon, c, -1, false);
    if (binds(c)) withItems(i + 1, colon, inner);
    setLast(f, KW_WITH, c);
    body(colon, inner, -1, -1, 0, 0, -1);
  } else if (kind == KW_DEF) {
    functionDef(f, i, colon);
  } else if (kind == KW_CLASS) {
    if (i != 0) bail();
    classDef(f, colon);
  } else bail();
}

/** The condition's text is `TYPE_CHECKING`, `typing.TYPE_CHECKING` or `t.TYPE_CHECKING` (extract.ts compares text). */
function isTypeChecking(colon: i32): bool {
  const start = ts(1);
  const length = te(colon - 1) - start;
  if (length == 13) return textIs(start, 'TYPE_CHECKING');
  if (length == 15) return textIs(start, 't.TYPE_CHECKING');
  if (length == 20) return textIs(start, 'typing.TYPE_CHECKING');
  return false;
}

function clause(f: i32, kind: i32): void {
  const lastKind = fget(f, FR_LAST_KIND);
  if (lastKind == 0) bail();
  const colon = headerColon(0);
  const lastCtx = fget(f, FR_LAST_CTX);
  const inner = inBlock(lastCtx);
  const stage = fget(f, FR_LAST_STAGE);
  if (lastKind == KW_TRY) {
    if (fget(f, FR_LAST_BODY_END) < 0) fset(f, FR_LAST_BODY_END, nImp);
    if (kind == KW_EXCEPT) {
      if (stage > 1) bail();
      fset(f, FR_LAST_STAGE, 1);
      const catches = exceptClause(colon, inner);
      if (catches) {
        for (let k = fget(f, FR_LAST_IMPORTS), end = fget(f, FR_LAST_BODY_END); k < end; k++) {
          put(IMP, k * IMP_SIZE + 14, get(IMP, k * IMP_SIZE + 14) | G_TRY_IMPORT_ERROR);
        }
      }
      body(colon, catches ? inFallback(inner) : inner, -1, -1, 0, 0, -1);
      return;
    }
    if (kind == KW_ELSE && stage != 1) bail();
    if (kind == KW_FINALLY && stage > 2) bail();
    if (kind == KW_ELIF) bail();
    fset(f, FR_LAST_STAGE, kind == KW_ELSE ? 2 : 3);
  } else if (kind == KW_ELIF) {
    if (lastKind != KW_IF || stage != 0) bail();
    if (colon == 1 || elementEnd(1, colon, 0) != colon) bail();
    uses(1, colon, lastCtx, -1, false);
  } else if (kind == KW_ELSE) {
    if ((lastKind != KW_IF && lastKind != KW_FOR && lastKind != KW_WHILE) || stage != 0) bail();
    fset(f, FR_LAST_STAGE, 1);
  } else bail();
  if (kind != KW_ELIF && colon != 1) bail();
  body(colon, inner, -1, -1, 0, 0, -1);
}

/** An except clause's header: binds its `as` name; whether it catches ImportError (extract.ts's rule). */
function exceptClause(colon: i32, c: i32): bool {
  let x = 1;
  if (tk(x) == T_STAR) x++;
  let as = x;
  while (as < colon && !(tk(as) == KW_AS && td(as) == 0)) as++;
  uses(x, colon, c, -1, false);
  if (as < colon) {
    if (as == x || as + 1 == colon) bail();
    if (binds(c)) targets(as + 1, colon, c, B_OTHER, -1, 0, true);
  }
  if (x == as) {
    if (x != 1) bail();
    return true;
  }
  let catches = false;
  if (tk(x) == T_LPAR && matchingClose(x) == as - 1) catches = catchesImportError(x + 1, as - 1, 1);
  else catches = catchesImportError(x, as, 0);
  if (!catches) exceptComments(ts(x), te(as - 1));
  return catches;
}

/** scanner.ts exceptComments: a comment inside the clause's parentheses that extract.ts would read as a type. */
function exceptComments(from: i32, to: i32): void {
  for (let i = indexOf(35, from); i >= 0 && i < to; i = indexOf(35, i + 1)) {
    for (let p = from; p < to; p++) if (ch(p) == 34 || ch(p) == 39) bail();
    let end = indexOf(10, i);
    if (end < 0) end = n;
    // Trailing whitespace goes (trimEnd); beyond ASCII that is JavaScript's to judge.
    while (end > i) {
      const c = ch(end - 1);
      if (c >= 128) bail();
      if (c == 32 || (c >= 9 && c <= 13)) end--;
      else break;
    }
    if (namesImportError(i, end)) bail();
  }
}

/** Whether an element of [a, b) (separated by commas at `depth`) names an import error after its last dot. */
function catchesImportError(a: i32, b: i32, depth: i32): bool {
  let from = a;
  while (true) {
    const end = elementEnd(from, b, depth);
    if (end > from && namesImportError(ts(from), te(end - 1))) return true;
    if (end >= b) return false;
    from = end + 1;
  }
}

function namesImportError(start: i32, end: i32): bool {
  let p = end;
  while (p > start && ch(p - 1) != 46) p--;
  const length = end - p;
  if (length == 11) return textIs(p, 'ImportError');
  if (length == 19) return textIs(p, 'ModuleNotFoundError');
  if (length == 9) return textIs(p, 'Exception');
  if (length == 13) return textIs(p, 'BaseException');
  return false;
}

function withItems(a: i32, colon: i32, c: i32): void {
  if (tk(a) == T_LPAR && matchingClose(a) == colon - 1) bail();
  let from = a;
  while (true) {
    const end = elementEnd(from, colon, 0);
    for (let i = from; i < end; i++) {
      if (tk(i) == KW_AS && td(i) == 0) {
        if (i + 1 == end) bail();
        targets(i + 1, end, c, B_OTHER, -1, 0, true);
        break;
      }
    }
    if (end >= colon) return;
    from = end + 1;
  }
}

function isMatch(): bool {
  const second = tk(1);
  const last = ntok - 1;
  return ntok > 2 && tk(last) == T_COLON && td(last) == 0 && (tf(last) & F_LAMBDA) == 0 &&
    second != T_ASSIGN && second != T_COLON && second != T_DOT && second != T_AUGASSIGN && second != T_COMMA;
}

function isCase(): bool {
  const k = tk(1);
  const operator = k == T_ASSIGN || k == T_AUGASSIGN || k == T_DOT || k == T_COLON || k == T_COMMA || (k >= T_AT && k <= T_COMPARE);
  return !(operator || k == T_SEMI || k == T_LPAR || k == T_LSQB);
}

function matchStatement(f: i32): void {
  const c = fget(f, FR_CTX);
  // Captures bind names: only inside functions (without `global`) are they invisible to the outline.
  if (get(SCOPE, scopeOf(c) * 2) != SCOPE_FUNCTION || globalsOf(scopeOf(c)) >= 0) bail();
  const colon = ntok - 1;
  uses(1, colon, c, -1, false);
  fset(f, FR_LAST_KIND, 0);
  pendingBody = true;
  pendingCtx = inBlock(c);
  pendingTwiceImp = -1;
  pendingTwiceBind = -1;
  pendingWatch = 0;
  pendingMatch = 1;
  pendingDef = -1;
}

function caseClause(f: i32): void {
  const colon = headerColon(1);
  if (colon == 1) bail();
  const c = fget(f, FR_CTX);
  uses(1, colon, c, -1, false);
  body(colon, c, -1, -1, 0, 0, -1);
}

// ---- definitions ----------------------------------------------------------------------------------------------

function decorator(f: i32): void {
  const c = fget(f, FR_CTX);
  const count = ntok;
  if (count < 2) bail();
  for (let i = 1; i < count; i++) {
    const k = tk(i);
    const separator = k == T_ASSIGN || k == T_AUGASSIGN || k == T_COMMA || (k == T_COLON && (tf(i) & F_LAMBDA) == 0);
    if (separator && td(i) == 0) bail();
  }
  let last = 1;
  let partsStart = nParts;
  let parts = 0;
  if (tk(1) == T_NAME) {
    while (last + 2 < count && tk(last + 1) == T_DOT && tk(last + 2) == T_NAME) last += 2;
    const call = tk(last + 1) == T_LPAR && matchingClose(last + 1) == count - 1;
    if (last == count - 1 || call) {
      for (let j = 1; j <= last; j += 2) addPart(ts(j), te(j), th(j));
      parts = (last + 1) / 2;
      // A `…deprecated` decorator may make a deprecation: the JavaScript scanner's to decide.
      if (te(last) >= 10 && textIs(te(last) - 10, 'deprecated')) bail();
    }
    uses(1, count, c, call && last == 1 ? 1 : -1, false);
  } else uses(1, count, c, -1, false);
  if (parts > 0) {
    if (nPendingDeco == MAX_PENDING_DECO) bail();
    put(PENDING_DECO, nPendingDeco * 2, partsStart);
    put(PENDING_DECO, nPendingDeco * 2 + 1, parts);
    nPendingDeco++;
  }
  decorating = true;
  decoratorFrame = fget(f, FR_SERIAL);
}

function functionDef(f: i32, i: i32, colon: i32): void {
  const c = fget(f, FR_CTX);
  const twiceImp = decorating && prefixOf(c) < 0 ? nImp : -1;
  const twiceBind = nBind;
  const nameAt = i + 1;
  if (tk(nameAt) != T_NAME) bail();
  let p = nameAt + 1;
  if (tk(p) == T_LSQB) {
    const close = matchingClose(p);
    uses(p, close + 1, c, -1, true);
    p = close + 1;
  }
  if (tk(p) != T_LPAR) bail();
  const close = matchingClose(p);
  signature(p + 1, close, c);
  if (close + 1 != colon) {
    if (tk(close + 1) != T_ARROW || close + 2 >= colon || elementEnd(close + 2, colon, 0) != colon) bail();
    uses(close + 2, colon, c, -1, true);
    if (tk(colon + 1) == T_NAME && tk(colon + 2) == T_LSQB) bail();
  }
  const binding = bindToken(nameAt, c, B_FUNCTION);
  if (scopeOf(c) == 0 && isWord(nameAt, '__getattr__')) hasGetattr = true;
  let def = -1;
  if (prefixOf(c) >= 0) {
    define(c, nameAt, 1, binding);
    if (nWatch == MAX_WATCH) bail();
    def = nWatch++;
    put(WATCH, def * 3, nDef - 1);
    put(WATCH, def * 3 + 1, ts(0));
    put(WATCH, def * 3 + 2, n);
  }
  endDecorators();
  setLast(f, KW_DEF, c);
  const inner = newCtx(newScope(SCOPE_FUNCTION), (flagsOf(c) & C_TYPE_CHECKING) | C_NESTED, -1);
  body(colon, inner, twiceImp, twiceBind, def >= 0 ? 2 : 0, 0, def);
}

/** A parameter list, tokens [a, b): checked as extract.ts reads it; annotations and defaults are uses. */
function signature(a: i32, b: i32, c: i32): void {
  if (a == b) return;
  const depth = td(a);
  let from = a;
  while (true) {
    const to = elementEnd(from, b, depth);
    if (to == from) {
      if (to != b || from == a) bail();
      return;
    }
    const first = tk(from);
    if ((first == T_SLASH || first == T_STAR) && to - from == 1) {
      // `/` and `*` markers.
    } else if ((first == T_STAR || first == T_DSTAR) && tk(from + 1) == T_NAME) {
      if (to - from > 2 && !(tk(from + 2) == T_COLON && to - from > 3)) bail();
      for (let i = from + 3; i < to; i++) if (tk(i) == T_ASSIGN && td(i) == depth && (tf(i) & F_LAMBDA) == 0) bail();
      if (to - from > 2) uses(from + 3, to, c, -1, true);
    } else if (first == T_NAME) {
      let value = -1;
      if (to - from > 1) {
        const next = tk(from + 1);
        if (next == T_ASSIGN) value = from + 2;
        else if (next == T_COLON && to - from > 2) {
          let assign = -1;
          for (let i = from + 2; i < to; i++) {
            if (tk(i) == T_ASSIGN && td(i) == depth && (tf(i) & F_LAMBDA) == 0) {
              assign = i;
              break;
            }
          }
          uses(from + 2, assign < 0 ? to : assign, c, -1, true);
          if (assign >= 0) value = assign + 1;
        } else bail();
        if (value >= to) bail();
        if (value >= 0) {
          for (let i = value; i < to; i++) if (tk(i) == T_ASSIGN && td(i) == depth && (tf(i) & F_LAMBDA) == 0) bail();
          uses(value, to, c, -1, false);
        }
      }
    } else bail();
    if (to >= b) return;
    from = to + 1;
  }
}

function classDef(f: i32, colon: i32): void {
  const c = fget(f, FR_CTX);
  const twiceImp = decorating && prefixOf(c) < 0 ? nImp : -1;
  const twiceBind = nBind;
  if (tk(1) != T_NAME) bail();
  let p = 2;
  if (tk(p) == T_LSQB) {
    p = matchingClose(p) + 1;
    uses(2, p, c, -1, true);
  }
  const bases = p;
  if (tk(p) == T_LPAR) p = matchingClose(p) + 1;
  if (p != colon) bail();
  uses(bases, colon, c, -1, false);
  const binding = bindToken(1, c, B_CLASS);
  const prefix = prefixOf(c);
  if (prefix >= 0) define(c, 1, 0, binding);
  endDecorators();
  setLast(f, KW_CLASS, c);
  let inner = -1;
  if (prefix >= 0) {
    if (nPrefix == MAX_PREFIX) bail();
    const q = nPrefix++;
    put(PREFIX, q * 4, prefix);
    put(PREFIX, q * 4 + 1, ts(1));
    put(PREFIX, q * 4 + 2, te(1));
    put(PREFIX, q * 4 + 3, th(1));
    inner = newCtx(newScope(SCOPE_CLASS), (flagsOf(c) & C_TYPE_CHECKING) | C_NESTED, q);
  } else inner = newCtx(newScope(SCOPE_CLASS), (flagsOf(c) & C_TYPE_CHECKING) | C_NESTED, -1);
  body(colon, inner, twiceImp, twiceBind, 0, 0, -1);
}

function endDecorators(): void {
  nPendingDeco = 0;
  decorating = false;
}

/**
 * A recorded definition (its qualified name: the prefix's names, then the name token `at`); `binding`: the binding of
 * its name (-1: none), whose range object the JavaScript side shares with it, as scanner.ts does.
 */
function define(c: i32, at: i32, isFunction: i32, binding: i32): void {
  if (nDef == MAX_DEF || nDeco + nPendingDeco > MAX_DECO) bail();
  const r = nDef++ * DEF_SIZE;
  put(DEF, r, prefixOf(c));
  put(DEF, r + 1, ts(at));
  put(DEF, r + 2, te(at));
  put(DEF, r + 3, th(at));
  put(DEF, r + 4, isFunction);
  putPos(DEF, r + 5, ts(at));
  putPos(DEF, r + 7, te(at));
  put(DEF, r + 9, nDeco);
  put(DEF, r + 10, nPendingDeco);
  put(DEF, r + 11, (flagsOf(c) & (C_CONDITIONAL | C_FALLBACK)) != 0 ? 1 : 0);
  put(DEF, r + 12, binding);
  for (let k = 0; k < nPendingDeco; k++) {
    put(DECO, nDeco * 2, get(PENDING_DECO, k * 2));
    put(DECO, nDeco * 2 + 1, get(PENDING_DECO, k * 2 + 1));
    nDeco++;
  }
}

// ---- simple statements ----------------------------------------------------------------------------------------

function simple(s: i32, e: i32, c: i32): void {
  if (s == e) bail();
  if (watching != 0) watch(s, e);
  const k = tk(s);
  if (k == KW_IMPORT) importStatement(s, e, c);
  else if (k == KW_FROM) fromStatement(s, e, c);
  else if (k == KW_GLOBAL || k == KW_NONLOCAL) declaration(s, e, c);
  else if (k == KW_DEL) {
    if (s + 1 == e) bail();
    uses(s + 1, e, c, -1, false);
    targets(s + 1, e, c, B_OTHER, -1, 0, binds(c));
  } else if (
    k == KW_IF || k == KW_WHILE || k == KW_FOR || k == KW_TRY || k == KW_WITH || k == KW_DEF || k == KW_CLASS || k == KW_ASYNC ||
    k == KW_ELIF || k == KW_ELSE || k == KW_EXCEPT || k == KW_FINALLY || k == T_AT
  ) bail();
  else expressionStatement(s, e, c);
}

/**
 * The first statements of a recorded function (statements.ts `watch`): a leading `….warn(…)` call is a hint the
 * JavaScript side acts on. A docstring may come first.
 */
function watch(s: i32, e: i32): void {
  if (watching == 2 && (tk(s) == T_STRING || tk(s) == T_FSTART)) {
    let last = s;
    if (tk(s) == T_FSTART) while (!(tk(last) == T_FEND && td(last) == td(s))) last++;
    watching = last + 1 == e || (tk(last + 1) == T_COMMA && td(last + 1) == td(s)) ? 1 : 0;
    return;
  }
  watching = 0;
  if (isWarnCall(s, e)) {
    leadingWarn = true;
    candidate(s, e, watchDef);
  }
}

/** A statement readWarnCall may read as a warn() call (`def`: its recorded function, -1 at module level). */
function candidate(s: i32, e: i32, def: i32): void {
  if (nCand == MAX_CAND) bail();
  put(CAND, nCand * 4, lineAt);
  put(CAND, nCand * 4 + 1, s);
  put(CAND, nCand * 4 + 2, e);
  put(CAND, nCand * 4 + 3, def);
  nCand++;
}

/** [s, e) is one call of `warn` or `….warn` (warnings.ts readWarnCall's shape). */
function isWarnCall(s: i32, e: i32): bool {
  if (tk(s) != T_NAME) return false;
  let i = s;
  while (i + 2 < e && tk(i + 1) == T_DOT && tk(i + 2) == T_NAME) i += 2;
  if (tk(i + 1) != T_LPAR || !isWord(i, 'warn')) return false;
  return matchingClose(i + 1) == e - 1;
}

function dottedEnd(i: i32, e: i32): i32 {
  while (i + 2 < e && tk(i + 1) == T_DOT && tk(i + 2) == T_NAME) i += 2;
  return i;
}

/** Import items in [a, b) of statement `stmt` (imports.ts `items`). */
function items(a: i32, b: i32, dotted: bool, trailingComma: bool, stmt: i32): void {
  let i = a;
  if (i >= b) bail();
  const first = nItem;
  while (i < b) {
    if (tk(i) != T_NAME) bail();
    const last = dotted ? dottedEnd(i, b) : i;
    let end = last;
    let as = -1;
    if (tk(last + 1) == KW_AS && last + 2 < b && tk(last + 2) == T_NAME) {
      end = last + 2;
      as = end;
    }
    if (nItem == MAX_ITEM) bail();
    const r = nItem++ * ITEM_SIZE;
    put(ITEM, r, ts(i));
    put(ITEM, r + 1, te(last));
    put(ITEM, r + 2, th(i));
    put(ITEM, r + 3, last > i ? 1 : 0);
    // Whether the dotted name's text has nothing between its parts but the dots (else its whitespace goes).
    let plain = (last - i) / 2;
    for (let j = i; j <= last; j += 2) plain += te(j) - ts(j);
    put(ITEM, r + 4, te(last) - ts(i) == plain ? 1 : 0);
    put(ITEM, r + 5, as >= 0 ? ts(as) : -1);
    put(ITEM, r + 6, as >= 0 ? te(as) : -1);
    put(ITEM, r + 7, as >= 0 ? th(as) : 0);
    putPos(ITEM, r + 8, ts(i));
    putPos(ITEM, r + 10, te(end));
    putPos(ITEM, r + 12, ts(i));
    putPos(ITEM, r + 14, te(last));
    // The local: the alias, else the first name.
    const local = as >= 0 ? as : i;
    put(ITEM, r + 16, ts(local));
    put(ITEM, r + 17, te(local));
    put(ITEM, r + 18, th(local));
    i = end + 1;
    if (i == b) break;
    if (tk(i) != T_COMMA) bail();
    i++;
    if (i == b && !trailingComma) bail();
  }
  if (stmt >= 0) {
    put(IMP, stmt * IMP_SIZE + 17, first);
    put(IMP, stmt * IMP_SIZE + 18, nItem - first);
  } else nItem = first;
}

/** A new import statement record over tokens [s, e) (its items come after). */
function importRecord(s: i32, e: i32, c: i32, kind: i32): i32 {
  if (nImp == MAX_IMP) bail();
  const stmt = nImp++;
  const r = stmt * IMP_SIZE;
  put(IMP, r, kind);
  put(IMP, r + 1, 0);
  put(IMP, r + 2, -1);
  put(IMP, r + 3, -1);
  putPos(IMP, r + 4, ts(s));
  putPos(IMP, r + 6, te(e - 1));
  put(IMP, r + 8, -1);
  put(IMP, r + 12, 0);
  put(IMP, r + 13, 0);
  const flags = flagsOf(c);
  put(IMP, r + 14, ((flags & C_TYPE_CHECKING) != 0 ? G_TYPE_CHECKING : 0) | ((flags & C_NESTED) != 0 ? G_NESTED : 0));
  indentOf(ts(s), r);
  return stmt;
}

/** The statement's indentation: the whitespace before it on its line, '' when something else is there. */
function indentOf(start: i32, r: i32): void {
  let p = start;
  while (p > 0 && ch(p - 1) != 10) p--;
  for (let q = p; q < start; q++) {
    const c = ch(q);
    if (c == 32 || c == 9 || c == 11 || c == 12 || c == 13 || c == 0xfeff) continue;
    // Other Unicode whitespace is JavaScript's \s: the JavaScript scanner's to read.
    if (c >= 128) bail();
    put(IMP, r + 15, -1);
    put(IMP, r + 16, -1);
    return;
  }
  put(IMP, r + 15, p);
  put(IMP, r + 16, start);
}

function bindItems(stmt: i32, c: i32): void {
  const r = stmt * IMP_SIZE;
  const first = get(IMP, r + 17);
  const count = get(IMP, r + 18);
  for (let k = 0; k < count; k++) {
    const it = (first + k) * ITEM_SIZE;
    bindItem(c, it, stmt, k);
  }
}

/** An import item's binding (its local name), with the item's range. */
function bindItem(c: i32, it: i32, stmt: i32, item: i32): void {
  const b = newBinding(get(ITEM, it + 16), get(ITEM, it + 17), get(ITEM, it + 18), c, B_IMPORT, get(ITEM, it), stmt, item);
  if (b >= 0) memory.copy(BIND + <usize>((b * BIND_SIZE + 4) * 4), ITEM + <usize>((it + 8) * 4), 16);
}

function importStatement(s: i32, e: i32, c: i32): void {
  const stmt = importRecord(s, e, c, 0);
  items(s + 1, e, true, false, stmt);
  bindItems(stmt, c);
}

function fromStatement(s: i32, e: i32, c: i32): void {
  let i = s + 1;
  while (tk(i) == T_DOT || tk(i) == T_ELLIPSIS) i++;
  const level = i > s + 1 ? te(i - 1) - ts(s + 1) : 0;
  let moduleStart = -1;
  let moduleEnd = i - 1;
  if (tk(i) == T_NAME) {
    moduleStart = i;
    moduleEnd = dottedEnd(i, e);
    if (level == 0 && isWord(i, '__future__')) {
      // tree-sitter's own statement, checked and left out of the imports.
      if (moduleEnd != i || tk(i + 1) != KW_IMPORT || tk(i + 2) == T_STAR) bail();
      if (tk(i + 2) == T_LPAR) {
        if (tk(e - 1) != T_RPAR) bail();
        items(i + 3, e - 1, true, true, -1);
      } else items(i + 2, e, true, false, -1);
      return;
    }
  } else if (level == 0) bail();
  const rangeFrom = level ? s + 1 : i;
  i = moduleEnd + 1;
  if (tk(i) != KW_IMPORT) bail();
  i++;
  const stmt = importRecord(s, e, c, 1);
  const r = stmt * IMP_SIZE;
  put(IMP, r + 1, level);
  // The module's text: -2 for '' (a relative import with no name).
  put(IMP, r + 2, moduleStart >= 0 ? ts(moduleStart) : -2);
  put(IMP, r + 3, moduleStart >= 0 ? te(moduleEnd) : -2);
  putPos(IMP, r + 8, ts(rangeFrom));
  putPos(IMP, r + 10, te(moduleEnd));
  put(IMP, r + 17, nItem);
  put(IMP, r + 18, 0);
  if (tk(i) == T_STAR) {
    if (i + 1 != e) bail();
    put(IMP, r + 12, 1);
  } else if (tk(i) == T_LPAR) {
    if (tk(e - 1) != T_RPAR || td(e - 1) != td(i)) bail();
    put(IMP, r + 13, 1);
    items(i + 1, e - 1, false, true, stmt);
  } else items(i, e, false, false, stmt);
  bindItems(stmt, c);
}

function declaration(s: i32, e: i32, c: i32): void {
  if (s + 1 == e || tk(e - 1) != T_NAME) bail();
  for (let i = s + 1; i < e; i += 2) {
    if (tk(i) != T_NAME || (i + 1 < e && tk(i + 1) != T_COMMA)) bail();
    if (tk(s) == KW_GLOBAL) {
      const scope = scopeOf(c);
      if (isGlobal(scope, ts(i), te(i), th(i))) continue;
      if (nGlob == MAX_GLOB) bail();
      const g = nGlob++;
      put(GLOB, g * 4, ts(i));
      put(GLOB, g * 4 + 1, te(i));
      put(GLOB, g * 4 + 2, th(i));
      put(GLOB, g * 4 + 3, globalsOf(scope));
      put(SCOPE, scope * 2 + 1, g);
    }
  }
}

/** `__all__.extend([...])` / `.append('x')` / `.remove(…)` as an expression statement at module level. */
function allMutation(s: i32, e: i32): void {
  if (!(tk(s) == T_NAME && isWord(s, '__all__'))) return;
  if (tk(s + 1) != T_DOT || tk(s + 2) != T_NAME || tk(s + 3) != T_LPAR) return;
  const close = matchingClose(s + 3);
  if (close + 1 != e && tk(close + 1) != T_COMMA) return;
  const extend = isWord(s + 2, 'extend');
  const append = isWord(s + 2, 'append');
  if (!extend && !append && !isWord(s + 2, 'remove')) return;
  let argEnd = s + 4;
  while (argEnd < close && !(tk(argEnd) == T_COMMA && td(argEnd) == 1)) argEnd++;
  // A comment before the first argument is the argument list's first named child.
  const to = argEnd > s + 4 ? ts(s + 4) : ts(close);
  const hash = indexOf(35, ts(s + 3));
  const commented = hash >= 0 && hash < to;
  // The strings added: -1 for none known (`remove`, or not a literal).
  let count = -1;
  if (!commented && argEnd > s + 4) {
    if (extend) count = stringList(s + 4, argEnd);
    else if (append) {
      const partsStart = nParts;
      const pieces = stringValue(s + 4, argEnd);
      count = 0;
      if (pieces >= 0) {
        put(LIST, 0, partsStart);
        put(LIST, 1, pieces);
        count = 1;
      }
    }
  } else if (append) count = 0;
  if (count > 0 && allMode == 1) appendAll(count);
  else allDynamic = true;
}

function expressionStatement(s: i32, e: i32, c: i32): void {
  if (tk(e - 1) == T_COLON) bail();
  if (tk(e - 1) == T_COMMA) trailingComma(s, e);
  const atModule = scopeOf(c) == 0;
  if (atModule && tk(s) == T_NAME && isWarnCall(s, e)) candidate(s, e, -1);
  if (assignments == 0) {
    uses(s, e, c, -1, false);
    if (atModule) allMutation(s, e);
    return;
  }
  const bind = binds(c);
  let nAssigns = 0;
  let colon = -1;
  let augmented = -1;
  for (let i = s; i < e; i++) {
    if (td(i) != 0) continue;
    const k = tk(i);
    if (k == T_ASSIGN && (tf(i) & F_LAMBDA) == 0) {
      if (nAssigns == MAX_ASSIGNS) bail();
      put(ASSIGNS, nAssigns++, i);
    } else if (k == T_AUGASSIGN) {
      if (augmented >= 0 || nAssigns != 0) bail();
      augmented = i;
    } else if (k == T_COLON && (tf(i) & F_LAMBDA) == 0) {
      if (colon >= 0 || nAssigns != 0) bail();
      colon = i;
    }
  }
  if (colon >= 0) {
    const end = nAssigns != 0 ? get(ASSIGNS, 0) : e;
    if (elementEnd(s, colon, 0) != colon || elementEnd(colon + 1, end, 0) != end) bail();
    uses(s, colon, c, -1, false);
    uses(colon + 1, end, c, -1, true);
    uses(end, e, c, -1, false);
    const k = tk(colon + 1);
    if (k >= KW_FIRST && k != KW_LAMBDA && k != KW_NOT && k != KW_AWAIT && k != KW_NONE && k != KW_TRUE && k != KW_FALSE) bail();
  } else uses(s, e, c, -1, false);
  if (augmented >= 0) {
    if (nAssigns != 0 || colon >= 0) bail();
    augmentedStatement(s, augmented, e, c, bind);
    return;
  }
  if (nAssigns == 0 && colon < 0) {
    if (atModule) allMutation(s, e);
    return;
  }
  if (colon >= 0 && nAssigns == 0) {
    targets(s, colon, c, B_OTHER, -1, 0, bind);
    return;
  }
  const valueStart = get(ASSIGNS, nAssigns - 1) + 1;
  if (valueStart == e) bail();
  for (let j = nAssigns - 1; j >= 0; j--) {
    const from = j == 0 ? s : get(ASSIGNS, j - 1) + 1;
    const to = j == 0 && colon >= 0 ? colon : get(ASSIGNS, j);
    if (to == from) bail();
    const innermost = j == nAssigns - 1;
    const single = to - from == 1 && tk(from) == T_NAME;
    let aliasStart = -1;
    let aliasCount = 0;
    if (bind && innermost && single) {
      aliasStart = nParts;
      aliasCount = dottedChain(valueStart, e);
      if (aliasCount == 0) aliasStart = -1;
    }
    if (atModule && innermost && single) stringConstant(from, valueStart, e);
    targets(from, to, c, B_ASSIGN, aliasStart, aliasCount, bind);
    if (atModule && single && isWord(from, '__all__')) {
      const count = innermost ? stringList(valueStart, e) : -1;
      if (count >= 0) {
        nAll = 0;
        appendAll(count);
        allMode = 1;
      } else allDynamic = true;
    }
  }
}

function trailingComma(s: i32, e: i32): void {
  const first = tk(s);
  if (first == KW_RETURN || first == KW_RAISE || first == KW_YIELD) return;
  if (first == KW_ASSERT) bail();
  for (let i = s; i < e; i++) if (td(i) == 0 && (tk(i) == T_ASSIGN || tk(i) == T_AUGASSIGN)) return;
  for (let from = s, end = s; from < e; from = end + 1) {
    end = elementEnd(from, e, 0);
    if (end == from) continue;
    const last = tk(end - 1);
    if (last == T_RPAR ? matchingClose(from) != end - 1 : last != T_NAME && last != T_RSQB) return;
  }
  bail();
}

function augmentedStatement(s: i32, op: i32, e: i32, c: i32, bind: bool): void {
  if (op == s || op + 1 == e) bail();
  if (op - s != 1 || tk(s) != T_NAME) {
    const last = tk(op - 1);
    const grouped = tk(s) == T_LPAR && matchingClose(s) == op - 1;
    const readTarget = last == T_RSQB || (last == T_NAME && (tf(op - 1) & F_AFTER_DOT) != 0) || grouped;
    if (tk(s) == T_STAR || hasCommaAt(s, op, 0) || !readTarget) bail();
    targets(s, op, c, B_OTHER, -1, 0, false);
    return;
  }
  if (!bind) return;
  bindToken(s, c, B_OTHER);
  if (scopeOf(c) == 0 && isWord(s, '__all__')) {
    const count = stringList(op + 1, e);
    if (count >= 0 && allMode == 1) appendAll(count);
    else allDynamic = true;
  }
}

// stringList's entries, before they are appended to `__all__`'s.
const LIST = memory.data(MAX_ALL * 2 * 4);

function appendAll(count: i32): void {
  if (nAll + count > MAX_ALL) bail();
  memory.copy(ALL + <usize>(nAll * 8), LIST, <usize>(count * 8));
  nAll += count;
}

/** extract.ts's stringList of [a, b) into LIST: the number of strings, -1 when it is not a list of strings. */
function stringList(a: i32, b: i32): i32 {
  if (b - a < 2 || (tk(a) != T_LSQB && tk(a) != T_LPAR) || matchingClose(a) != b - 1) return -1;
  const depth = td(a) + 1;
  if (tk(a) == T_LPAR && !hasCommaAt(a + 1, b - 1, depth) && b - a > 2) return -1;
  let count = 0;
  let from = a + 1;
  while (true) {
    const end = elementEnd(from, b - 1, depth);
    if (end > from) {
      const partsStart = nParts;
      const pieces = stringValue(from, end);
      if (pieces < 0) return -1;
      if (count == MAX_ALL) bail();
      put(LIST, count * 2, partsStart);
      put(LIST, count * 2 + 1, pieces);
      count++;
    }
    if (end >= b - 1) return count;
    from = end + 1;
  }
}

/** extract.ts's stringValue of [a, b) as pieces in PARTS: their number, -1 when it is not a string. */
function stringValue(a: i32, b: i32): i32 {
  if (a >= b) return -1;
  let pieces = 0;
  for (let i = a; i < b; i++) {
    const k = tk(i);
    if (k == T_STRING) inner(ts(i), te(i));
    else if (k == T_FSTART) {
      const d = td(i);
      let j = i + 1;
      while (!(tk(j) == T_FEND && td(j) == d)) j++;
      inner(ts(i), te(j));
      i = j;
    } else return -1;
    pieces++;
  }
  return pieces;
}

/** The text between a literal's quotes. */
function inner(s: i32, e: i32): void {
  let p = s;
  while (ch(p) != 34 && ch(p) != 39) p++;
  const q = ch(p);
  const triple = e - p >= 6 && ch(p + 1) == q && ch(p + 2) == q;
  const ql = triple ? 3 : 1;
  addPart(p + ql, e - ql, 0);
}

/** Module-level `NAME = "text"`: a constant a warn() message may name (statements.ts stringConstant). */
function stringConstant(name: i32, a: i32, b: i32): void {
  const partsStart = nParts;
  const pieces = stringValue(a, b);
  if (pieces < 0) return;
  if (nConst == MAX_CONST) bail();
  const r = nConst++ * 6;
  put(CONST, r, ts(name));
  put(CONST, r + 1, te(name));
  put(CONST, r + 2, th(name));
  put(CONST, r + 3, partsStart);
  put(CONST, r + 4, pieces);
  put(CONST, r + 5, plainGaps(a, b) ? 1 : 0);
}

/** Nothing but spaces and newlines between tokens [a, b) (literals.ts plainGaps). */
function plainGaps(a: i32, b: i32): bool {
  for (let k = a; k + 1 < b; k++) {
    for (let p = te(k); p < ts(k + 1); p++) if (ch(p) == 35 || ch(p) == 92) return false;
  }
  return true;
}

/** `a.b.c` exactly, its names appended to PARTS: their number, 0 when it is not one. */
function dottedChain(a: i32, b: i32): i32 {
  if (a >= b || tk(a) != T_NAME || (b - a) % 2 != 1) return 0;
  for (let i = a + 1; i < b; i += 2) if (tk(i) != T_DOT || tk(i + 1) != T_NAME) return 0;
  for (let i = a; i < b; i += 2) addPart(ts(i), te(i), th(i));
  return (b - a + 1) / 2;
}

/** extract.ts's bindTarget over [a, b) (statements.ts `targets`). */
function targets(a: i32, b: i32, c: i32, kind: i32, aliasStart: i32, aliasCount: i32, bind: bool): void {
  const depth = td(a);
  for (let from = a, end = a; from <= b; from = end + 1) {
    end = elementEnd(from, b, depth);
    const count = end - from;
    if (count == 0) {
      if (end != b || end == a) bail();
    } else if (count == 1 && tk(from) == T_NAME) {
      if (bind) {
        const binding = bindToken(from, c, aliasStart >= 0 ? B_ALIAS : kind);
        if (binding >= 0 && aliasStart >= 0) {
          put(BIND, binding * BIND_SIZE + 12, aliasStart);
          put(BIND, binding * BIND_SIZE + 13, aliasCount);
        }
      }
    } else if (count == 2 && tk(from) == T_STAR && tk(from + 1) == T_NAME) {
      if (bind) bindToken(from + 1, c, kind);
    } else if ((tk(from) == T_LPAR || tk(from) == T_LSQB) && matchingClose(from) == end - 1) {
      if (count > 2) targets(from + 1, end - 1, c, kind, -1, 0, bind);
    } else {
      const last = tk(end - 1);
      const start = tk(from) == T_STAR ? from + 1 : from;
      if (!(last == T_RSQB || (last == T_NAME && (tf(end - 1) & F_AFTER_DOT) != 0))) bail();
      for (let i = start; i < end; i++) {
        if (td(i) != depth) continue;
        const k = tk(i);
        const literal = k == T_STRING || k == T_NUMBER || k == T_FSTART || k == T_FEND;
        if (!(k == T_NAME || k == T_DOT || (k >= T_LPAR && k <= T_RSQB) || literal)) bail();
      }
    }
  }
}

/** The names read in [a, b) (statements.ts `uses`). */
function uses(a: i32, b: i32, c: i32, noCall: i32, annotation: bool): void {
  const atModule = scopeOf(c) == 0;
  for (let i = a; i < b; i++) {
    if (tk(i) != T_NAME) continue;
    const flags = tf(i);
    const h = th(i);
    if ((flags & (F_AFTER_DOT | F_KWARG)) == 0) {
      addUse(ts(i), h);
      if (h == H_GLOBALS && tk(i + 1) == T_LPAR && i != noCall && i + 1 < ntok && isWord(i, 'globals')) dynamicGlobals = true;
      else if (h == H_DEPRECATION || h == H_PENDING) deprecationName = true;
      else if (h == H_FUTURE) futureName = true;
    } else if (annotation && (flags & F_CHAINLESS) != 0) {
      addUse(~ts(i), h);
    }
    if (atModule && h == H_WARN && tk(i + 1) == T_LPAR && i + 1 < ntok) moduleWarnSites++;
  }
}

// ---- refs and module name loads (refs.ts) ---------------------------------------------------------------------

function skipSpace(from: i32): i32 {
  let p = from;
  while (true) {
    const c = ch(p);
    if (c == 32 || c == 9 || c == 10 || c == 12 || c == 13 || c == 92) p++;
    else if (c == 35) {
      const nl = indexOf(10, p);
      p = nl < 0 ? n : nl;
    } else return p;
  }
}

function nameEnd(from: i32): i32 {
  let p = from;
  while (p < n) {
    const c = ch(p);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95) p++;
    else if (c >= 128) {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && p + 1 < n) {
        const d = ch(p + 1);
        if (d >= 0xdc00 && d <= 0xdfff) cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      }
      if (xidContinue(cp) == 0) return p;
      p += cp > 0xffff ? 2 : 1;
    } else return p;
  }
  return p;
}

function hashText(a: i32, b: i32): i32 {
  let h = 0;
  for (let i = a; i < b; i++) h = h * 31 + ch(i);
  return h;
}

@inline function slotOf(hash: i32): i32 {
  return (hash ^ (hash >>> 14)) & (SLOTS - 1);
}

let nEntries: i32 = 0;

/**
 * The entry of the name read at `start` with `hash` (its end found only when an entry has that hash: most reads
 * name nothing in the table), -1 if none.
 */
function find(start: i32, hash: i32): i32 {
  let e = get(TABLE, slotOf(hash)) - 1;
  while (e >= 0 && get(ENTRY, e * 6 + 2) != hash) e = get(ENTRY, e * 6 + 3);
  if (e < 0) return -1;
  return entry(start, nameEnd(start), hash, false);
}

/** The entry of the name [start, end) with `hash`, -1 if none; `add`: made when missing. */
function entry(start: i32, end: i32, hash: i32, add: bool): i32 {
  const slot = slotOf(hash);
  let last = -1;
  for (let e = get(TABLE, slot) - 1; e >= 0; e = get(ENTRY, e * 6 + 3)) {
    if (get(ENTRY, e * 6 + 2) == hash && get(ENTRY, e * 6 + 1) - get(ENTRY, e * 6) == end - start && sameText(get(ENTRY, e * 6), start, end - start)) return e;
    last = e;
  }
  if (!add) return -1;
  if (nEntries == MAX_ITEM) bail();
  const e = nEntries++;
  put(ENTRY, e * 6, start);
  put(ENTRY, e * 6 + 1, end);
  put(ENTRY, e * 6 + 2, hash);
  put(ENTRY, e * 6 + 3, -1);
  put(ENTRY, e * 6 + 4, -1);
  put(ENTRY, e * 6 + 5, -1);
  if (last < 0) put(TABLE, slot, e + 1);
  else put(ENTRY, last * 6 + 3, e);
  return e;
}

/** Empties the table: only the slots its entries took. */
function clearTable(): void {
  for (let e = 0; e < nEntries; e++) put(TABLE, slotOf(get(ENTRY, e * 6 + 2)), 0);
  nEntries = 0;
}

function emit(v: i32): void {
  if (nOut == MAX_OUT) bail();
  put(OUT, nOut++, v);
}

/**
 * refs.ts buildRefs: each read of a name an import binds (by its local), with the attribute chain after it and its
 * ranges, one per import item binding that name. Into OUT, per read: chain length c, target count t, c × (start,
 * end, hash), 4 + 8c coordinates, t × (stmt, item).
 */
function buildRefs(distinct: bool): void {
  clearTable();
  nSeen = 0;
  if (nImp == 0) return;
  let nTargets = 0;
  for (let s = 0; s < nImp; s++) {
    const first = get(IMP, s * IMP_SIZE + 17);
    const count = get(IMP, s * IMP_SIZE + 18);
    for (let k = 0; k < count; k++) {
      const it = (first + k) * ITEM_SIZE;
      const e = entry(get(ITEM, it + 16), get(ITEM, it + 17), get(ITEM, it + 18), true);
      if (nTargets == MAX_ITEM) bail();
      const t = nTargets++;
      put(TARGET, t * 3, s);
      put(TARGET, t * 3 + 1, k);
      put(TARGET, t * 3 + 2, -1);
      // Targets in statement order: first and last of the entry's list.
      if (get(ENTRY, e * 6 + 4) < 0) put(ENTRY, e * 6 + 4, t);
      else put(TARGET, get(ENTRY, e * 6 + 5) * 3 + 2, t);
      put(ENTRY, e * 6 + 5, t);
    }
  }
  if (nEntries == 0) return;
  for (let u = 0; u < nUses; u++) {
    const raw = get(USE_START, u);
    const chainless = raw < 0;
    const start = chainless ? ~raw : raw;
    const e = find(start, get(USE_HASH, u));
    if (e < 0) continue;
    const end = start + get(ENTRY, e * 6 + 1) - get(ENTRY, e * 6);
    const head = nOut;
    emit(0);
    let count = 0;
    emit(0);
    const chainAt = nOut;
    if (!chainless) {
      let p = skipSpace(end);
      while (ch(p) == 46 && p < n) {
        const a = skipSpace(p + 1);
        const b = nameEnd(a);
        if (b == a) break;
        emit(a);
        emit(b);
        emit(hashText(a, b));
        count++;
        p = skipSpace(b);
      }
    }
    const at = nOut;
    for (let k = 0; k < 4 + 8 * count; k++) emit(0);
    putPos(OUT, at, start);
    putPos(OUT, at + 2, end);
    for (let k = 0; k < count; k++) {
      const q = at + 4 + 4 * k;
      put(OUT, q, get(OUT, at));
      put(OUT, q + 1, get(OUT, at + 1));
      const a = get(OUT, chainAt + 3 * k);
      const b = get(OUT, chainAt + 3 * k + 1);
      putPos(OUT, q + 2, b);
      putPos(OUT, at + 4 * (count + 1 + k), a);
      putPos(OUT, at + 4 * (count + 1 + k) + 2, b);
    }
    let targets = 0;
    let chainHash = count;
    if (distinct) for (let k = 0; k < count; k++) chainHash = chainHash * 31 + get(OUT, chainAt + 3 * k + 2);
    for (let t = get(ENTRY, e * 6 + 4); t >= 0; t = get(TARGET, t * 3 + 2)) {
      const stmt = get(TARGET, t * 3);
      const item = get(TARGET, t * 3 + 1);
      if (distinct && seen(stmt, item, chainAt, count, chainHash)) continue;
      emit(stmt);
      emit(item);
      targets++;
    }
    // Every target already has this chain: no ref.
    if (targets == 0) {
      nOut = head;
      continue;
    }
    put(OUT, head, count);
    put(OUT, head + 1, targets);
  }
  for (let k = 0; k < nSeen; k++) put(SEEN_TABLE, seenSlot(get(SEEN, k * 6)), 0);
}

let nSeen: i32 = 0;

@inline function seenSlot(hash: i32): i32 {
  return (hash ^ (hash >>> 15)) & (SEEN_SLOTS - 1);
}

/**
 * Whether a ref of import item (stmt, item) with the chain at OUT[chainAt] (`count` names: start, end, hash) was
 * kept before; records it when not.
 */
function seen(stmt: i32, item: i32, chainAt: i32, count: i32, chainHash: i32): bool {
  const hash = (chainHash * 31 + stmt) * 31 + item;
  const slot = seenSlot(hash);
  let last = -1;
  for (let s = get(SEEN_TABLE, slot) - 1; s >= 0; s = get(SEEN, s * 6 + 5)) {
    last = s;
    if (get(SEEN, s * 6) != hash || get(SEEN, s * 6 + 1) != stmt || get(SEEN, s * 6 + 2) != item || get(SEEN, s * 6 + 4) != count) continue;
    const other = get(SEEN, s * 6 + 3);
    let same = true;
    for (let k = 0; k < count && same; k++) {
      const a = get(OUT, chainAt + 3 * k);
      const length = get(OUT, chainAt + 3 * k + 1) - a;
      const b = get(OUT, other + 3 * k);
      same = get(OUT, other + 3 * k + 1) - b == length && sameText(a, b, length);
    }
    if (same) return true;
  }
  if (nSeen == MAX_SEEN) bail();
  const s = nSeen++;
  put(SEEN, s * 6, hash);
  put(SEEN, s * 6 + 1, stmt);
  put(SEEN, s * 6 + 2, item);
  put(SEEN, s * 6 + 3, chainAt);
  put(SEEN, s * 6 + 4, count);
  put(SEEN, s * 6 + 5, -1);
  if (last < 0) put(SEEN_TABLE, slot, s + 1);
  else put(SEEN, last * 6 + 5, s);
  return false;
}

/** refs.ts moduleNamesRead: for each name a non-import binding binds that is read anywhere, its first binding. */
function moduleNamesRead(): void {
  clearTable();
  let distinct = 0;
  for (let b = 0; b < nBind; b++) {
    const r = b * BIND_SIZE;
    const kind = get(BIND, r + 3);
    if (kind == B_IMPORT) continue;
    if (kind != B_OTHER) {
      const at = get(BIND, r + 14);
      store<u8>(BOUND + <usize>(at >> 3), <i32>load<u8>(BOUND + <usize>(at >> 3)) | (1 << (at & 7)));
    }
    const before = nEntries;
    const e = entry(get(BIND, r), get(BIND, r + 1), get(BIND, r + 2), true);
    if (nEntries > before) {
      put(ENTRY, e * 6 + 4, b);
      put(ENTRY, e * 6 + 5, 0);
      distinct++;
    }
  }
  for (let u = 0; u < nUses && nMnl < distinct; u++) {
    const raw = get(USE_START, u);
    const start = raw < 0 ? ~raw : raw;
    if ((<i32>load<u8>(BOUND + <usize>(start >> 3)) & (1 << (start & 7))) != 0) continue;
    const e = find(start, get(USE_HASH, u));
    if (e < 0 || get(ENTRY, e * 6 + 5) != 0) continue;
    put(ENTRY, e * 6 + 5, 1);
    put(MNL, nMnl++, get(ENTRY, e * 6 + 4));
  }
  // Clear the bits this file set.
  for (let b = 0; b < nBind; b++) {
    const at = get(BIND, b * BIND_SIZE + 14);
    store<u8>(BOUND + <usize>(at >> 3), 0);
  }
}
