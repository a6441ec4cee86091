import { decline, type TokenBuffer } from './tokens.js';
import * as tokens from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const {
  F_AFTER_DOT, F_CHAINLESS, F_KWARG, F_LAMBDA, KW_AND, KW_AS, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_BREAK, KW_CLASS, KW_CONTINUE, KW_DEF,
  KW_DEL, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FALSE, KW_FINALLY, KW_FIRST, KW_FOR, KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_IN, KW_IS,
  KW_LAMBDA, KW_NONE, KW_NONLOCAL, KW_NOT, KW_OR, KW_PASS, KW_RAISE, KW_RETURN, KW_TRUE, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD, SOFT_CASE,
  SOFT_MATCH, T_ARROW, T_ASSIGN, T_AT, T_AUGASSIGN, T_BINOP, T_COLON, T_COMMA, T_COMPARE, T_DOT, T_DSTAR, T_ELLIPSIS, T_FEND, T_FMID,
  T_FSTART, T_LBRACE, T_LPAR, T_LSQB, T_MINUS, T_NAME, T_NUMBER, T_PLUS, T_RBRACE, T_RPAR, T_RSQB, T_SEMI, T_SLASH, T_STAR, T_STRING,
  T_TILDE, T_WALRUS,
} = tokens;

/**
 * The token-order half of the outline lexer (lexer.ts reads characters into tokens; every token goes through
 * `emit` here): whether a token may follow the previous one the way tree-sitter-python's grammar allows, with
 * the bracket state that needs (what each bracket is, open lambdas, comprehensions, conditional expressions,
 * dict or set displays). Operands and operators must alternate (two operands in a row, an operator where an
 * operand must come, a statement ending on an operator are errors), keywords stand where they may, `=` and `:`
 * only where a keyword argument, parameter, slice, pair or lambda allows them. It also sets the token flags the
 * scanner reads (F_AFTER_DOT, F_KWARG, F_LAMBDA, F_CHAINLESS). Anything else declines (throws Decline).
 */

export const MAX_DEPTH = 200;
// Bracket roles.
export const CALL = 1;
export const PARAMS = 2;
export const SUBSCRIPT = 3;
// Comprehension state bits, and `{…}` kinds.
const PENDING_IN = 0xffff;
const COMPREHENSION = 0x10000;
/** A comma came before any comprehension at this depth. */
const LISTED = 0x20000;
const DICT = 1;
const SET = 2;
// What the next token must be: `in` (after `not`), a statement's end, a lambda parameter, a name (after `*`).
const NOT_IN = 1;
const TERMINAL = 2;
const PARAMETER = 4;
const STARRED_NAME = 8;
/** A `{…}` element that is `**x` (ELEMENT is 1 after a pair's `:`). */
const UNPACKED = 2;
/** Bracket stack entry of an f-string interpolation. */
export const INTERP = 73;

// Token classes, by kind.
function table(...kinds: number[]): Uint8Array {
  const out = new Uint8Array(128);
  for (const kind of kinds) out[kind] = 1;
  return out;
}
/** Tokens that end an operand. */
const OPERAND_END = table(
  ...[T_NAME, T_NUMBER, T_STRING, T_FEND, T_RPAR, T_RSQB, T_RBRACE, T_ELLIPSIS, KW_NONE, KW_TRUE, KW_FALSE],
  ...[KW_PASS, KW_BREAK, KW_CONTINUE],
);
/** Tokens that start an operand (an error right after another operand). */
const OPERAND_START = table(
  ...[T_NAME, T_NUMBER, T_STRING, T_FSTART, T_ELLIPSIS, T_LBRACE, T_TILDE, KW_NONE, KW_TRUE, KW_FALSE, KW_LAMBDA, KW_AWAIT, KW_YIELD],
);
/** Binary operators and keywords that need an operand before them. */
const NEEDS_LEFT = table(
  ...[T_BINOP, T_COMPARE, T_ASSIGN, T_AUGASSIGN, T_WALRUS, T_ARROW, T_DOT, T_AT, T_SLASH],
  ...[KW_AND, KW_OR, KW_IS, KW_AS, KW_IN, KW_ELSE, KW_IF, KW_FOR, KW_ASYNC, KW_IMPORT, KW_FROM],
);
/** Hard keywords allowed right after an operand. */
const INFIX_KEYWORD = table(KW_AND, KW_OR, KW_NOT, KW_IN, KW_IS, KW_IF, KW_ELSE, KW_FOR, KW_ASYNC, KW_AS, KW_IMPORT, KW_FROM);
/** Keywords that only begin a statement. */
const STATEMENT_ONLY = table(
  ...[KW_ASSERT, KW_BREAK, KW_CLASS, KW_CONTINUE, KW_DEF, KW_DEL, KW_ELIF, KW_EXCEPT, KW_FINALLY, KW_GLOBAL, KW_IMPORT],
  ...[KW_NONLOCAL, KW_PASS, KW_RAISE, KW_RETURN, KW_TRY, KW_WHILE, KW_WITH],
);
/** Statements of one keyword. */
const TERMINAL_KEYWORD = table(KW_PASS, KW_BREAK, KW_CONTINUE);
/** Tokens after which tree-sitter's scanner sees a closing bracket as valid (no DEDENT inside brackets). */
const CLOSABLE = OPERAND_END.slice();
CLOSABLE[T_COMMA] = 1;
/** Operators whose right operand is a primary expression for tree-sitter (no `not`, `lambda`, `yield` there). */
const OPERATOR_BEFORE_PRIMARY = table(T_BINOP, T_COMPARE, T_PLUS, T_MINUS, T_TILDE, T_STAR, T_DSTAR, T_SLASH, T_AT, KW_IN, KW_AWAIT, T_DOT);
/** Where a lambda may start. */
const LAMBDA_AFTER = table(
  ...[0, T_ASSIGN, T_AUGASSIGN, T_LPAR, T_LSQB, T_LBRACE, T_COMMA, T_COLON, T_WALRUS, T_SEMI],
  ...[KW_RETURN, KW_ELSE, KW_IF, KW_ELIF, KW_WHILE, KW_ASSERT, KW_RAISE, KW_YIELD],
);
/** After these (not closable), a line starting with a quote gets no DEDENT: a string may start there. */
const STRING_MAY_FOLLOW = table(
  ...Array.from({ length: T_COMPARE - T_LPAR + 1 }, (_, i) => T_LPAR + i).filter((t) => t !== T_DOT),
  ...[KW_AND, KW_OR, KW_NOT, KW_IN, KW_IS, KW_IF, KW_ELSE, KW_AWAIT, KW_YIELD, KW_RETURN, KW_ASSERT],
);
// What `emit` looks at, per token: checks when an operand is expected, checks right after an operand, the tokens
// `rare` handles, and whether an operand is expected after the token.
const CHECK_EXPECTING = NEEDS_LEFT.slice();
for (const t of [T_RPAR, T_RSQB, T_RBRACE, T_FMID, T_FEND, T_COMMA, T_COLON, KW_LAMBDA, KW_NOT, KW_YIELD]) CHECK_EXPECTING[t] = 1;
const CHECK_AFTER_OPERAND = OPERAND_START.slice();
for (let t = KW_FIRST; t < 128; t++) if (INFIX_KEYWORD[t] !== 1) CHECK_AFTER_OPERAND[t] = 1;
CHECK_AFTER_OPERAND[KW_NOT] = 1;
const RARE = STATEMENT_ONLY.slice();
for (const t of [KW_IMPORT, KW_FROM, KW_LAMBDA, KW_FOR, KW_ASYNC, KW_IN, KW_IF, KW_ELSE, KW_RAISE]) RARE[t] = 1;
for (const t of [T_COMMA, T_ASSIGN, T_COLON, T_SEMI, T_DOT, T_STAR, T_DSTAR, T_ARROW, T_WALRUS, T_AUGASSIGN, T_LSQB]) RARE[t] = 1;
for (const t of [KW_PASS, KW_BREAK, KW_CONTINUE]) RARE[t] = 1;
const EXPECT_AFTER = OPERAND_END.map((end) => 1 - end);

// Per-depth state, shared by every file (one scan at a time).
const BRACKETS = new Uint8Array(MAX_DEPTH + 1);
const LAMBDAS = new Int32Array(MAX_DEPTH + 1);
const ROLES = new Uint8Array(MAX_DEPTH + 1);
const COMPREHENSIONS = new Int32Array(MAX_DEPTH + 1);
const CONDITIONALS = new Int32Array(MAX_DEPTH + 1);
const DISPLAY = new Uint8Array(MAX_DEPTH + 1);
const ELEMENT = new Uint8Array(MAX_DEPTH + 1);
const FOR_AT = new Int32Array(MAX_DEPTH + 1);

export abstract class TokenChecks {
  /** The line starts with `match` or `case` followed by an operand: a match statement or case clause (or an error). */
  softStatement = false;
  /** The current logical line holds a `:=`. */
  walrus = false;
  /** Depth-0 `=`, augmented assignments and `:` (outside lambdas) in the current logical line. */
  assignments = 0;
  protected depth = 0;
  protected readonly brackets = BRACKETS;
  /** Lambdas whose parameter list is open, per depth. */
  protected readonly lambdas = LAMBDAS;
  /**
   * Per depth: what the bracket is (CALL, PARAMS, SUBSCRIPT or 0), comprehension `for`s (PENDING_IN while one waits
   * for its `in`, COMPREHENSION once one came, LISTED after a comma), conditional `if`s waiting for their `else`,
   * whether a `{` holds a DICT or a SET, whether its current element has a `:` or `**`, the last comprehension
   * `for`'s token index.
   */
  protected readonly roles = ROLES;
  protected readonly comprehensions = COMPREHENSIONS;
  protected readonly conditionals = CONDITIONALS;
  protected readonly display = DISPLAY;
  protected readonly element = ELEMENT;
  protected readonly forAt = FOR_AT;
  /** An operand is expected next. */
  protected expect = true;
  /** Kind and flags of the previous token of the line (0 at its start). */
  protected prev = 0;
  protected prevFlags = 0;
  /** What the next token must be (NOT_IN, TERMINAL, PARAMETER, STARRED_NAME bits). */
  private pending = 0;
  /** The last `in` is a `for`'s (a lambda may follow it), not a comparison's. */
  private inOfFor = false;
  /** The statement is a `raise`. */
  private raising = false;
  /** The last `[` opened a list display (not a subscript). */
  private listOpen = false;
  /** An import statement: the import parser checks it. */
  private importMode = false;
  /** The `.` just read follows `]` (or such a chain): see F_CHAINLESS. */
  private chainless = false;


  constructor(readonly tokens: TokenBuffer) {}

  /** Resets the per-line state. */
  protected startLine(): void {
    this.expect = true;
    this.prev = 0;
    this.prevFlags = 0;
    this.importMode = false;
    this.walrus = false;
    this.assignments = 0;
    this.softStatement = false;
    this.lambdas[0] = 0;
    this.conditionals[0] = 0;
    this.raising = false;
    this.chainless = false;
    this.pending = 0;
    this.depth = 0;
  }

  protected push(bracket: number, role = 0): void {
    if (this.depth === MAX_DEPTH) decline('nesting');
    const d = ++this.depth;
    this.brackets[d] = bracket;
    this.roles[d] = role;
    this.lambdas[d] = 0;
    this.comprehensions[d] = 0;
    this.conditionals[d] = 0;
    this.display[d] = 0;
    this.element[d] = 0;
  }

  /** Before a closing bracket or the end of an interpolation: what opened at this depth must be complete. */
  protected closeDepth(): void {
    const d = this.depth;
    if (this.roles[d] === SUBSCRIPT && this.prev === T_LSQB) decline('syntax');
    if (this.lambdas[d] || this.conditionals[d] || (this.comprehensions[d] & PENDING_IN) !== 0) decline('syntax');
    if (this.brackets[d] === 123 && this.prev !== T_LBRACE && this.prev !== T_COMMA) this.endElement(d);
  }

  /** A `{…}` display holds pairs (and `**x`) or plain elements, never both. */
  protected endElement(d: number): void {
    // A comprehension has one element (its target's commas are not separators).
    if ((this.comprehensions[d]! & COMPREHENSION) !== 0) return;
    const kind = this.element[d] ? DICT : SET;
    if (this.display[d] && this.display[d] !== kind) decline('syntax');
    this.display[d] = kind;
    this.element[d] = 0;
  }

  // ---- checks -----------------------------------------------------------------------------------------

  /** Appends a token after checking it may follow the previous one. */
  protected emit(kind: number, start: number, end: number, hash: number, aux: number): void {
    const prev = this.prev;
    let flags = 0;
    if (this.pending !== 0) this.checkPending(kind);
    if (prev === T_DOT) {
      if (!this.importMode) {
        if (kind !== T_NAME) decline('syntax');
        if (this.chainless) flags = F_CHAINLESS;
      }
      flags |= F_AFTER_DOT;
    }
    if (!this.importMode) {
      if (this.expect) {
        if (CHECK_EXPECTING[kind] === 1) this.checkExpecting(kind, prev);
      } else if (CHECK_AFTER_OPERAND[kind] === 1) this.checkAfterOperand(kind, prev);
    }
    if (RARE[kind] === 1) flags = this.rare(kind, prev, flags);
    const t = this.tokens;
    const i = t.n;
    if (i === t.kind.length) t.grow();
    t.kind[i] = kind;
    t.flags[i] = flags;
    t.depth[i] = this.depth;
    t.start[i] = start;
    t.end[i] = end;
    if (kind === T_NAME) {
      t.aux[i] = aux;
      t.hash[i] = hash;
    }
    t.n = i + 1;
    this.prev = kind;
    this.prevFlags = flags;
    this.expect = EXPECT_AFTER[kind] === 1 && (this.pending & NOT_IN) === 0;
  }

  /** What the previous token requires of this one (the `pending` bits). */
  private checkPending(kind: number): void {
    const pending = this.pending;
    this.pending = 0;
    if ((pending & NOT_IN) !== 0 && kind !== KW_IN) decline('syntax');
    // `pass`, `break`, `continue` end their statement.
    if ((pending & TERMINAL) !== 0 && kind !== T_SEMI) decline('syntax');
    // A lambda parameter is a name, `*name`, `**name`, `*` or `/` (no Python 2 tuple).
    if ((pending & PARAMETER) !== 0 && !(kind === T_NAME || kind === T_STAR || kind === T_DSTAR || kind === T_SLASH || kind === T_COLON)) {
      decline('syntax');
    }
    // Outside a display or an argument list, `*x` is tree-sitter's list_splat_pattern: a name (or its attribute or
    // subscript) follows.
    if ((pending & STARRED_NAME) !== 0 && kind !== T_NAME && !(kind === T_COMMA && this.markerBefore())) decline('syntax');
  }

  protected checkExpecting(kind: number, prev: number): void {
    if (NEEDS_LEFT[kind] === 1 && !this.leftOptional(kind, prev)) decline('syntax');
    const closing = kind === T_RPAR || kind === T_RSQB || kind === T_RBRACE || kind === T_FMID || kind === T_FEND;
    if (closing && !this.closesEarly(kind, prev)) decline('syntax');
    // `a[:, 1]`; `def f(*, a)`, `def f(a, /, b)`
    if (kind === T_COMMA && !((prev === T_COLON && this.inSubscript()) || ((prev === T_STAR || prev === T_SLASH) && this.markerBefore()))) {
      decline('syntax');
    }
    if (kind === T_COLON && !this.colonAfterNothing(prev)) decline('syntax');
    if ((kind === KW_LAMBDA || kind === KW_NOT || kind === KW_YIELD) && !this.expressionMayStart(kind, prev)) decline('syntax');
  }

  /** The `*` or `/` just emitted is a parameter marker (`def f(a, *, b)`, `lambda *, a: a`), not an operator. */
  protected markerBefore(d = this.depth): boolean {
    const t = this.tokens;
    const before = t.n > 1 ? t.kind[t.n - 2] : 0;
    return (before === T_COMMA || before === T_LPAR || before === KW_LAMBDA) && this.parameters(d);
  }

  /** In a `def`'s parameter list or a lambda's (at depth `d`). */
  protected parameters(d = this.depth): boolean {
    return (this.roles[d] === PARAMS && this.brackets[d] === 40) || this.lambdas[d] > 0;
  }

  protected checkAfterOperand(kind: number, prev: number): void {
    if (OPERAND_START[kind] === 1) {
      const t = this.tokens;
      const concat = (kind === T_STRING || kind === T_FSTART) && (prev === T_STRING || prev === T_FEND);
      const softStatement = t.n === 1 && (t.aux[0] === SOFT_MATCH || t.aux[0] === SOFT_CASE) && prev === T_NAME;
      if (!concat && !softStatement) decline('syntax');
      if (softStatement) this.softStatement = true;
    } else if (kind === KW_NOT) {
      this.pending |= NOT_IN;
    } else decline('syntax');
  }

  /** Keywords that start statements, `.`, and the tokens lambdas and keyword arguments are made of. */
  protected rare(kind: number, prev: number, flags: number): number {
    const t = this.tokens;
    const d = this.depth;
    if (TERMINAL_KEYWORD[kind] === 1) this.pending |= TERMINAL;
    if (kind === T_LSQB) this.listOpen = this.expect;
    if ((kind === T_STAR || kind === T_DSTAR) && this.expect && prev !== KW_EXCEPT && (d === 0 || OPERATOR_BEFORE_PRIMARY[prev] === 1)) {
      this.pending |= STARRED_NAME;
    }
    if (!this.importMode && STATEMENT_ONLY[kind] === 1 && !this.atStatementStart(prev)) decline('syntax');
    // `raise X from Y` is the one `from` after an operand.
    if (kind === KW_RAISE) this.raising = true;
    else if (kind === KW_FROM && !this.expect && !(this.raising && d === 0)) decline('syntax');
    // Statement starts: `import`/`from` switch the checks off (the import parser is strict on its own).
    if ((kind === KW_IMPORT || kind === KW_FROM) && this.atStatementStart(prev)) this.importMode = true;
    if (kind === T_DOT) this.chainless = prev === T_RSQB || (prev === T_NAME && (this.prevFlags & F_CHAINLESS) !== 0);
    if (kind === KW_LAMBDA) {
      if (this.brackets[d] === INTERP) decline('fstring-lambda');
      this.lambdas[d]++;
      this.pending |= PARAMETER;
    } else if (this.lambdas[d] && (kind === T_COMMA || kind === T_ASSIGN || kind === T_COLON)) {
      flags |= F_LAMBDA;
      if (kind === T_COLON) this.lambdas[d]--;
      else if (kind === T_COMMA) this.pending |= PARAMETER;
      return flags;
    }
    switch (kind) {
      case T_ARROW:
        // Only a def's return annotation.
        if (!(d === 0 && prev === T_RPAR && (t.kind[0] === KW_DEF || (t.kind[0] === KW_ASYNC && t.kind[1] === KW_DEF)))) {
          decline('syntax');
        }
        break;
      case T_WALRUS:
        if (prev !== T_NAME || (this.prevFlags & F_AFTER_DOT) !== 0) decline('syntax');
        break;
      case T_DSTAR:
        // `**x` unpacks in calls, dicts and parameter lists only.
        if (this.expect && !(prev === T_LPAR || prev === T_LBRACE || prev === T_COMMA || prev === KW_LAMBDA)) decline('syntax');
        if (this.expect && !((this.brackets[d] === 40 && this.roles[d] !== 0) || this.brackets[d] === 123 || this.lambdas[d] > 0)) {
          decline('syntax');
        }
        break;
      default:
    }
    if (kind === KW_IN && d === 0) {
      const first = t.kind[0];
      this.inOfFor = first === KW_FOR || (first === KW_ASYNC && t.kind[1] === KW_FOR);
    }
    if (d === 0 && (kind === T_ASSIGN || kind === T_COLON || kind === T_AUGASSIGN)) this.assignments++;
    if (d > 0 && !this.importMode) this.inBrackets(kind, prev, d);
    else if ((kind === KW_FOR || kind === KW_ASYNC) && !this.expect) decline('syntax');
    else if (kind === KW_IF && !this.expect && !(t.kind[0] === T_NAME && t.aux[0] === SOFT_CASE)) this.conditionals[0]++;
    else if (kind === KW_ELSE && !this.expect && this.conditionals[0]-- === 0) decline('syntax');
    // A conditional expression needs its `else` before any comma.
    if (kind === T_COMMA && this.conditionals[d]) decline('syntax');
    if (kind === T_SEMI) {
      if (d) decline('syntax');
      this.endStatement(true);
      this.importMode = false;
      this.raising = false;
    }
    return flags;
  }

  /** What a token means inside brackets: a keyword argument's `=`, a slice's or a pair's `:`, comprehensions. */
  protected inBrackets(kind: number, prev: number, d: number): void {
    const t = this.tokens;
    const bracket = this.brackets[d];
    const role = this.roles[d];
    switch (kind) {
      case T_ASSIGN: {
        // `f(x=1)`, `def f(x=1)`: the name starts an argument (in `def f(x: T = 1)` any token comes before `=`).
        const before = t.kind[t.n - 2];
        const startsArgument = prev === T_NAME && (this.prevFlags & F_AFTER_DOT) === 0 && (before === T_LPAR || before === T_COMMA);
        if (startsArgument && (role === CALL || role === PARAMS)) t.flags[t.n - 1] |= F_KWARG;
        else if (role !== PARAMS) decline('syntax');
        return;
      }
      case T_COLON:
        if (bracket === 123) {
          if (this.element[d] || this.expect) decline('syntax');
          this.element[d] = 1;
        } else if (!(bracket === 40 ? role === PARAMS : role === SUBSCRIPT)) decline('syntax');
        // A slice has at most two colons.
        else if (bracket === 91 && ++this.element[d]! > 2) decline('syntax');
        return;
      case T_COMMA:
        if (bracket === 123) this.endElement(d);
        else this.element[d] = 0;
        if ((this.comprehensions[d]! & COMPREHENSION) === 0) this.comprehensions[d] = LISTED;
        return;
      case T_DSTAR:
        if (bracket === 123 && this.expect) this.element[d] = UNPACKED;
        return;
      case KW_FOR:
        if (!this.expect || prev === KW_ASYNC) {
          // Comprehensions and generators live in displays and parentheses (as their one element), not in subscripts
          // or interpolations.
          const unpacked = bracket === 123 && this.element[d] === UNPACKED;
          if (role === SUBSCRIPT || role === PARAMS || bracket === INTERP || this.comprehensions[d] === LISTED || unpacked) {
            decline('syntax');
          }
          this.comprehensions[d] = (this.comprehensions[d]! | COMPREHENSION) + 1;
          this.forAt[d] = t.n;
        }
        return;
      case KW_IN:
        // `for x, in y` too.
        this.inOfFor = false;
        if ((!this.expect || prev === T_COMMA) && prev !== KW_NOT && (this.comprehensions[d]! & PENDING_IN) !== 0) {
          this.inOfFor = true;
          this.comprehensions[d]--;
          // The target: names, attributes, subscripts, tuples of them.
          for (let i = this.forAt[d]! + 1; i < t.n; i++) {
            const k = t.kind[i];
            const target = k === T_NAME || k === T_COMMA || k === T_DOT || k === T_STAR || (k >= T_LPAR && k <= T_RSQB);
            if (t.depth[i] === d && !target) decline('syntax');
          }
        }
        return;
      case KW_IF:
        // After a comprehension's `for`, an `if` is a filter, not a conditional expression.
        if (!this.expect && (this.comprehensions[d]! & COMPREHENSION) === 0) this.conditionals[d]++;
        return;
      case KW_ELSE:
        if (!this.expect && this.conditionals[d]-- === 0) decline('syntax');
        return;
      default:
    }
  }

  /**
   * Whether a DEDENT from tree-sitter's scanner, at a line inside brackets indented less than its block, breaks the
   * parse here: it does unless a closing bracket may come next (or a string, when the line starts with a quote).
   */
  protected dedentBreaks(quote: boolean): boolean {
    const prev = this.prev;
    // An opening bracket may be closed at once, except a subscript's `[` and an import's `(`.
    const opened = prev === T_LSQB ? this.listOpen : (prev === T_LPAR || prev === T_LBRACE) && !this.importMode;
    const closable = CLOSABLE[prev] === 1 || opened;
    return !closable && !(quote && STRING_MAY_FOLLOW[prev] === 1);
  }

  protected atStatementStart(prev: number): boolean {
    const headerColon = prev === T_COLON && (this.prevFlags & F_LAMBDA) === 0;
    return this.depth === 0 && (prev === 0 || prev === T_SEMI || prev === KW_ASYNC || headerColon);
  }

  /** A token that needs an operand before it, where none came: only where the grammar has a form without one. */
  protected leftOptional(kind: number, prev: number): boolean {
    switch (kind) {
      case T_SLASH:
        return (prev === T_COMMA || prev === T_LPAR) && this.parameters();
      case T_ASSIGN:
        // `a, = x`
        return prev === T_COMMA;
      case KW_IN: {
        // `for a, in x`
        if (prev !== T_COMMA) return false;
        const t = this.tokens;
        const d = this.depth;
        if (d > 0) return (this.comprehensions[d]! & PENDING_IN) !== 0;
        return t.kind[0] === KW_FOR || (t.kind[0] === KW_ASYNC && t.kind[1] === KW_FOR);
      }
      case T_AT:
      case KW_IF:
      case KW_ELSE:
      case KW_ASYNC:
        return prev === 0;
      case KW_FOR:
        return prev === 0 || prev === KW_ASYNC;
      case KW_FROM:
        return prev === 0 || prev === T_SEMI || prev === KW_YIELD || (prev === T_COLON && this.depth === 0);
      case KW_IMPORT:
        return this.atStatementStart(prev);
      default:
        return false;
    }
  }

  protected closesEarly(kind: number, prev: number): boolean {
    // interpolationEnd has checked the expression.
    if (kind === T_FMID || kind === T_FEND) return true;
    // The closing bracket is emitted after its depth was left.
    if (prev === T_COLON) return kind === T_RSQB && this.roles[this.depth + 1] === SUBSCRIPT;
    if (prev === T_SLASH) return this.markerBefore(this.depth + 1);
    return prev === T_LPAR || prev === T_LSQB || prev === T_LBRACE || prev === T_COMMA || prev === KW_YIELD;
  }

  /** Directly inside a subscript's brackets, where slices are. */
  protected inSubscript(): boolean {
    return this.roles[this.depth] === SUBSCRIPT && this.brackets[this.depth] === 91;
  }

  protected colonAfterNothing(prev: number): boolean {
    if (prev === KW_LAMBDA || prev === KW_ELSE || prev === KW_TRY || prev === KW_FINALLY || prev === KW_EXCEPT) return true;
    // `lambda a,: …`, `lambda a, /: …`
    if ((prev === T_COMMA && (this.prevFlags & F_LAMBDA) !== 0) || (prev === T_SLASH && this.markerBefore())) return true;
    // `a[:]`, `a[::2]`, `a[1, :]`; `case a, b,:`
    const t = this.tokens;
    if (prev === T_COMMA && this.depth === 0) return t.kind[0] === T_NAME && (t.aux[0] === SOFT_CASE || t.aux[0] === SOFT_MATCH);
    return (prev === T_LSQB || prev === T_COLON || prev === T_COMMA) && this.inSubscript();
  }

  /** `lambda`, `not` and `yield` are not operands of the operators that take primary expressions only. */
  protected expressionMayStart(kind: number, prev: number): boolean {
    // `is not` takes a primary expression too.
    if (prev === KW_NOT && this.tokens.n > 1 && this.tokens.kind[this.tokens.n - 2] === KW_IS) return false;
    if (kind === KW_NOT) return OPERATOR_BEFORE_PRIMARY[prev] !== 1;
    // `@lambda f: f`, `for f in lambda: 0, g:` (not after a comparison's `in`)
    if (kind === KW_LAMBDA) {
      return LAMBDA_AFTER[prev] === 1 || (prev === T_AT && this.tokens.n === 1) || (prev === KW_IN && this.inOfFor);
    }
    // yield: a statement (also after a header's `:`), an assignment's value, or parenthesized.
    if (prev === T_COLON) return this.depth === 0 && (this.prevFlags & F_LAMBDA) === 0;
    return prev === 0 || prev === T_ASSIGN || prev === T_AUGASSIGN || prev === T_SEMI || (prev === T_LPAR && this.roles[this.depth] === 0);
  }

  /** At `;` (`semi`) or the end of a logical line: the statement must be complete. */
  protected endStatement(semi: boolean): void {
    const prev = this.prev;
    if ((this.pending & NOT_IN) !== 0 || this.lambdas[0] || this.conditionals[0]) decline('syntax');
    if (semi && (prev === 0 || prev === T_SEMI)) decline('syntax');
    if (this.expect && prev !== 0 && prev !== T_COMMA && prev !== T_COLON && prev !== T_SEMI && prev !== KW_YIELD && prev !== KW_RETURN &&
      prev !== KW_RAISE && !(this.importMode && prev === T_STAR)) {
      decline('syntax');
    }
    if (prev === T_COLON && (this.prevFlags & F_LAMBDA) !== 0) decline('syntax');
  }
}
