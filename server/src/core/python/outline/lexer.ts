import { decline, nameHash, type TokenBuffer } from './tokens.js';
import * as tokens from './tokens.js';
import { TokenChecks } from './grammar.js';
import * as grammar from './grammar.js';
import { SUPPRESSION_MARKER } from '../suppressions.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { CALL, INTERP, MAX_DEPTH, PARAMS, SUBSCRIPT } = grammar;
const {
  KEYWORDS, KW_DEF, KW_FIRST, KW_YIELD, SOFT_CASE, SOFT_KEYWORDS, SOFT_MATCH, T_ARROW, T_ASSIGN, T_AT, T_AUGASSIGN, T_BINOP, T_COLON,
  T_COMMA, T_COMPARE, T_DOT, T_DSTAR, T_ELLIPSIS, T_FEND, T_FMID, T_FSTART, T_LBRACE, T_LPAR, T_LSQB, T_MINUS, T_NAME, T_NUMBER, T_PLUS,
  T_RBRACE, T_RPAR, T_RSQB, T_SEMI, T_SLASH, T_STAR, T_STRING, T_TILDE, T_WALRUS,
} = tokens;

/**
 * The outline scanner's lexer: turns Python source into logical lines of tokens (TokenBuffer) the way
 * tree-sitter-python's external scanner (src/scanner.c) and lexer see it, and declines (throws Decline) on what
 * Python or tree-sitter would reject: unterminated strings, invalid characters and numbers, unbalanced brackets,
 * stray backslashes. Each token then goes through TokenChecks.emit (grammar.ts).
 *
 * It also mirrors the one place where tree-sitter rejects valid Python: inside brackets, a line indented less
 * than the block it belongs to makes the external scanner emit a DEDENT unless a closing bracket (or, before a
 * quote, a string) could come next, which breaks the parse (test_compile.py's `(bar.\n        baz)`).
 */

const ID_START = new Uint8Array(128);
const ID_CONT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  ID_START[c] = letter ? 1 : 0;
  ID_CONT[c] = letter || (c >= 48 && c <= 57) ? 1 : 0;
}
const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

// Keywords by identifier hash: open addressing, verified against the text.
const KW_SLOTS = 512;
const kwHashes = new Int32Array(KW_SLOTS);
const kwKinds = new Uint8Array(KW_SLOTS);
const kwAux = new Uint8Array(KW_SLOTS);
const kwWords: string[] = new Array<string>(KW_SLOTS).fill('');
function addKeyword(word: string, kind: number, aux: number): void {
  const h = nameHash(word);
  let slot = (h ^ (h >>> 9)) & (KW_SLOTS - 1);
  while (kwWords[slot]) slot = (slot + 1) & (KW_SLOTS - 1);
  kwHashes[slot] = h;
  kwKinds[slot] = kind;
  kwAux[slot] = aux;
  kwWords[slot] = word;
}
KEYWORDS.forEach((word, i) => addKeyword(word, KW_FIRST + i, 0));
for (const [word, aux] of Object.entries(SOFT_KEYWORDS)) addKeyword(word, T_NAME, aux);

// Per-depth f-string state, shared by every file (one scan at a time).
const F_QUOTE = new Uint8Array(MAX_DEPTH + 1);
const F_TRIPLE = new Uint8Array(MAX_DEPTH + 1);
const F_RAW = new Uint8Array(MAX_DEPTH + 1);
const F_IN_SPEC = new Uint8Array(MAX_DEPTH + 1);

export class Lexer extends TokenChecks {
  pos = 0;
  /** Tree-sitter's indentation of the current logical line: a space counts 1, a tab 8, a form feed resets. */
  lineIndent = 0;
  private readonly n: number;
  // The string an interpolation belongs to, per depth of its INTERP entry; whether it sits in the format spec of
  // the enclosing interpolation.
  private readonly fQuote = F_QUOTE;
  private readonly fTriple = F_TRIPLE;
  private readonly fRaw = F_RAW;
  private readonly fInSpec = F_IN_SPEC;
  /** Open interpolations. */
  private interps = 0;
  /**
   * Where each comment starts, kept only when the text could hold a suppression comment at all: the facts need
   * those (python/suppressions.ts), and only the lexer knows a `#` from one inside a string.
   */
  readonly comments: number[] | null;
  /** Where the next backslash and newline are, at or after where a string was last scanned (see `string`). */
  private nextBackslash = -1;
  private nextNewline = -1;

  constructor(
    readonly text: string,
    tokens: TokenBuffer,
  ) {
    super(tokens);
    this.n = text.length;
    this.comments = text.includes(SUPPRESSION_MARKER) ? [] : null;
    // A BOM is an extra for tree-sitter; lone CRs would be line breaks for Python but not for tree-sitter.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) decline('lone-cr');
  }

  /** Reads the next logical line into `tokens`; false at the end of the file. */
  lexLine(): boolean {
    const text = this.text;
    this.tokens.n = 0;
    let p = this.pos;
    let indent = 0;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32) indent++;
      else if (c === 9) indent += 8;
      else if (c === 10 || c === 12 || c === 13) indent = 0;
      else if (c === 35) {
        this.comments?.push(p);
        const nl = text.indexOf('\n', p);
        p = nl < 0 ? this.n : nl;
        continue;
      } else if (c !== c) {
        this.pos = p;
        return false;
      } else break;
      p++;
    }
    if (text.charCodeAt(p) === 92) decline('continuation-at-line-start');
    this.lineIndent = indent;
    this.pos = p;
    this.startLine();
    while (this.next()) {
      // tokens accumulate in this.tokens
    }
    // A sentinel: looking one token past the line's end sees kind 0.
    const t = this.tokens;
    if (t.n === t.kind.length) t.grow();
    t.kind[t.n] = 0;
    return true;
  }

  /** Lexes one token into the buffer; false at the end of the logical line. */
  private next(): boolean {
    const text = this.text;
    let p = this.pos;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 12) {
        p++;
        continue;
      }
      if (c === 13 || c === 10) {
        p += c === 13 ? 2 : 1;
        if (this.depth === 0) {
          this.pos = p;
          this.endStatement(false);
          return false;
        }
        if (this.interps) decline('newline-in-interpolation');
        p = this.bracketLine(p);
        continue;
      }
      if (c === 35) {
        if (this.interps) decline('comment-in-interpolation');
        this.comments?.push(p);
        const nl = text.indexOf('\n', p);
        p = nl < 0 ? this.n : nl;
        continue;
      }
      if (c === 92) {
        p = this.continuation(p);
        continue;
      }
      if (c !== c) {
        if (this.depth) decline('unclosed-bracket');
        this.pos = p;
        this.endStatement(false);
        return false;
      }
      this.pos = p;
      if (c < 128 ? ID_START[c] : this.nonAsciiStart(p)) this.name(p);
      else if (c >= 48 && c <= 57) this.number(p);
      else if (c === 34 || c === 39) this.string(p, p, false, false);
      else this.operator(p, c);
      return true;
    }
  }

  private nonAsciiStart(p: number): boolean {
    const cp = this.text.codePointAt(p)!;
    if (XID_START.test(String.fromCodePoint(cp))) return true;
    decline('invalid-character');
  }

  /** `\` must end its line, and the next line must hold code (tree-sitter ends the statement on a blank one). */
  private continuation(p: number): number {
    const text = this.text;
    let q = p + 1;
    if (text.charCodeAt(q) === 13) q++;
    if (text.charCodeAt(q) !== 10) decline('stray-backslash');
    if (this.interps) decline('continuation-in-interpolation');
    q++;
    let r = q;
    for (let c = text.charCodeAt(r); c === 32 || c === 9 || c === 12; c = text.charCodeAt(++r));
    const c = text.charCodeAt(r);
    if (c === 10 || c === 13 || c === 35 || c !== c || c === 92) decline('continuation-to-blank');
    return q;
  }

  /** At the start of a line inside brackets: the DEDENT tree-sitter's scanner would emit there breaks the parse. */
  private bracketLine(p: number): number {
    const text = this.text;
    for (;;) {
      let indent = 0;
      let c = text.charCodeAt(p);
      for (;; c = text.charCodeAt(++p)) {
        if (c === 32) indent++;
        else if (c === 9) indent += 8;
        else if (c === 12 || (c === 13 && text.charCodeAt(p + 1) !== 10)) indent = 0;
        else break;
      }
      if (c === 13) c = text.charCodeAt(++p);
      if (c === 10) {
        p++;
        continue;
      }
      if (c === c && indent < this.lineIndent && this.dedentBreaks(c === 34 || c === 39)) decline('dedent-in-brackets');
      return p;
    }
  }

  // ---- tokens -----------------------------------------------------------------------------------------

  private name(p: number): void {
    const text = this.text;
    let h = 0;
    let q = p;
    for (;;) {
      const c = text.charCodeAt(q);
      if (c < 128) {
        if (ID_CONT[c] !== 1) break;
        h = (Math.imul(h, 31) + c) | 0;
        q++;
      } else {
        if (c !== c) break;
        const cp = text.codePointAt(q)!;
        if (!XID_CONTINUE.test(String.fromCodePoint(cp))) break;
        h = (Math.imul(h, 31) + c) | 0;
        if (cp > 0xffff) h = (Math.imul(h, 31) + text.charCodeAt(q + 1)) | 0;
        q += cp > 0xffff ? 2 : 1;
      }
    }
    const after = text.charCodeAt(q);
    if ((after === 34 || after === 39) && q - p <= 3 && this.stringPrefix(p, q)) return;
    let kind = T_NAME;
    let aux = 0;
    const len = q - p;
    if (len >= 2 && len <= 8) {
      let slot = (h ^ (h >>> 9)) & (KW_SLOTS - 1);
      for (let word = kwWords[slot]!; word; word = kwWords[(slot = (slot + 1) & (KW_SLOTS - 1))]!) {
        if (kwHashes[slot] === h && word.length === len && text.startsWith(word, p)) {
          kind = kwKinds[slot]!;
          aux = kwAux[slot]!;
          break;
        }
      }
    }
    this.emit(kind, p, q, h, aux);
    this.pos = q;
  }

  /** Whether `text[p, q)`, followed by a quote, is a string prefix; lexes the string if so. */
  private stringPrefix(p: number, q: number): boolean {
    let r = 0;
    let b = 0;
    let f = 0;
    let u = 0;
    for (let i = p; i < q; i++) {
      const c = this.text.charCodeAt(i) | 32;
      if (c === 114) r++;
      else if (c === 98) b++;
      else if (c === 102) f++;
      else if (c === 117) u++;
      else if (c === 116) decline('string-prefix');
      else return false;
    }
    // Python 3: r, u, b, f, and rb / fr in either order and case (tree-sitter takes any mix of these letters).
    if (r > 1 || b > 1 || f > 1 || u > 1 || (u && q - p > 1) || (b && f)) decline('string-prefix');
    this.string(p, q, f > 0, r > 0);
    return true;
  }

  private number(p: number): void {
    const text = this.text;
    let q = p;
    let c = text.charCodeAt(q);
    if (c === 48 && ((text.charCodeAt(q + 1) | 32) === 120 || (text.charCodeAt(q + 1) | 32) === 111 || (text.charCodeAt(q + 1) | 32) === 98)) {
      const base = text.charCodeAt(q + 1) | 32;
      q += 2;
      let digits = 0;
      for (;;) {
        c = text.charCodeAt(q);
        if (c === 95) c = text.charCodeAt(++q);
        const d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : 99;
        if (d >= (base === 120 ? 16 : base === 111 ? 8 : 2)) break;
        digits++;
        q++;
      }
      if (!digits || text.charCodeAt(q - 1) === 95) decline('number');
    } else {
      // Decimal: a nonzero digit after a leading zero is a Python 2 octal unless the literal is a float.
      let octal = false;
      if (c !== 46) {
        q = this.digits(q);
        if (c === 48) for (let i = p; i < q && !octal; i++) octal = text.charCodeAt(i) >= 49 && text.charCodeAt(i) <= 57;
      }
      let float = false;
      if (text.charCodeAt(q) === 46) {
        float = true;
        c = text.charCodeAt(++q);
        if (c >= 48 && c <= 57) q = this.digits(q);
      }
      if ((text.charCodeAt(q) | 32) === 101) {
        float = true;
        c = text.charCodeAt(++q);
        if (c === 43 || c === 45) c = text.charCodeAt(++q);
        if (!(c >= 48 && c <= 57)) decline('number');
        q = this.digits(q);
      }
      if ((text.charCodeAt(q) | 32) === 106) q++;
      else if (octal && !float) decline('number');
    }
    c = text.charCodeAt(q);
    if (c < 128 ? ID_CONT[c] === 1 : c === c) decline('number');
    this.emit(T_NUMBER, p, q, 0, 0);
    this.pos = q;
  }

  /** Digits with single underscores between them. */
  private digits(q: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(q);
      if (c >= 48 && c <= 57) q++;
      else if (c === 95) {
        const d = text.charCodeAt(q + 1);
        if (!(d >= 48 && d <= 57)) decline('number');
        q++;
      } else return q;
    }
  }

  /** A string literal starting at `start` whose quote is at `quote`. */
  private string(start: number, quote: number, format: boolean, raw: boolean): void {
    const text = this.text;
    const q = text.charCodeAt(quote);
    const triple = text.charCodeAt(quote + 1) === q && text.charCodeAt(quote + 2) === q;
    let p = quote + (triple ? 3 : 1);
    if (format) {
      this.fstring(start, p, q, triple, raw, true);
      return;
    }
    // Jump from quote to quote with indexOf (docstrings are much of a file); backslashes and newlines come from
    // positions cached ahead, which only move forward.
    const qs = q === 34 ? '"' : "'";
    for (;;) {
      const close = text.indexOf(qs, p);
      if (close < 0) decline('unterminated-string');
      const backslash = this.backslashFrom(p);
      if (!triple && this.newlineFrom(p) < Math.min(close, backslash)) decline('unterminated-string');
      if (backslash < close) {
        p = backslash + (text.charCodeAt(backslash + 1) === 13 ? 3 : 2);
        continue;
      }
      if (!triple) {
        p = close + 1;
        break;
      }
      if (text.charCodeAt(close + 1) === q && text.charCodeAt(close + 2) === q) {
        p = close + 3;
        break;
      }
      p = close + 1;
    }
    this.emit(T_STRING, start, p, 0, 0);
    this.pos = p;
  }

  private backslashFrom(p: number): number {
    if (this.nextBackslash < p) {
      const i = this.text.indexOf('\\', p);
      this.nextBackslash = i < 0 ? this.n : i;
    }
    return this.nextBackslash;
  }

  private newlineFrom(p: number): number {
    if (this.nextNewline < p) {
      const i = this.text.indexOf('\n', p);
      this.nextNewline = i < 0 ? this.n : i;
    }
    return this.nextNewline;
  }

  /**
   * f-string content from `p` to the next interpolation (then FSTART or FMID, and the INTERP entry pushed) or to
   * the end of the string (STRING or FEND).
   */
  private fstring(tokenStart: number, p: number, q: number, triple: boolean, raw: boolean, first: boolean): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === q) {
        if (!triple) {
          p++;
          break;
        }
        if (text.charCodeAt(p + 1) === q && text.charCodeAt(p + 2) === q) {
          p += 3;
          break;
        }
        p++;
      } else if (c === 92) {
        const d = text.charCodeAt(p + 1);
        if (raw) p += d === q || d === 92 || d === 10 ? 2 : d === 13 ? 3 : 1;
        else if (d === 123 || d === 125) p++;
        else if (d === 78 && text.charCodeAt(p + 2) === 123) {
          const close = text.indexOf('}', p + 3);
          if (close < 0 || close === p + 3) decline('unterminated-string');
          p = close + 1;
        } else p += d === 13 ? 3 : 2;
      } else if (c === 123) {
        if (text.charCodeAt(p + 1) === 123) p += 2;
        else {
          this.emit(first ? T_FSTART : T_FMID, tokenStart, p + 1, 0, 0);
          this.push(INTERP);
          this.fQuote[this.depth] = q;
          this.fTriple[this.depth] = triple ? 1 : 0;
          this.fRaw[this.depth] = raw ? 1 : 0;
          this.fInSpec[this.depth] = 0;
          this.interps++;
          this.pos = p + 1;
          return;
        }
      } else if (c === 125) {
        if (text.charCodeAt(p + 1) !== 125) decline('fstring-brace');
        p += 2;
      } else if ((c === 10 && !triple) || c !== c) {
        decline('unterminated-string');
      } else p++;
    }
    this.emit(first ? T_STRING : T_FEND, tokenStart, p, 0, 0);
    this.pos = p;
  }

  /** At `}`, `!`, `:` or a debugging `=` ending an interpolation's expression. */
  private interpolationEnd(start: number): void {
    const text = this.text;
    // `{x,}` is an expression list.
    if (this.expect && this.prev !== T_COMMA && this.prev !== KW_YIELD) decline('fstring-expression');
    this.closeDepth();
    let p = start;
    if (text.charCodeAt(p) === 61) {
      p++;
      while (text.charCodeAt(p) === 32) p++;
    }
    if (text.charCodeAt(p) === 33) {
      const conv = text.charCodeAt(p + 1);
      if (conv !== 114 && conv !== 115 && conv !== 97) decline('fstring-conversion');
      p += 2;
    }
    if (text.charCodeAt(p) === 58) this.formatSpec(start, p + 1);
    else if (text.charCodeAt(p) === 125) this.closeInterpolation(start, p + 1);
    else decline('fstring-expression');
  }

  private closeInterpolation(start: number, p: number): void {
    const d = this.depth;
    const inSpec = this.fInSpec[d] === 1;
    const q = this.fQuote[d]!;
    const triple = this.fTriple[d] === 1;
    const raw = this.fRaw[d] === 1;
    this.depth--;
    this.interps--;
    if (inSpec) this.formatSpec(start, p);
    else this.fstring(start, p, q, triple, raw, false);
  }

  /** The format spec of the interpolation on top of the stack, from `p`. */
  private formatSpec(start: number, p: number): void {
    const text = this.text;
    const q = this.fQuote[this.depth];
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 123) {
        if (text.charCodeAt(p + 1) === 123) decline('fstring-spec');
        this.emit(T_FMID, start, p + 1, 0, 0);
        const outer = this.depth;
        this.push(INTERP);
        this.fQuote[this.depth] = this.fQuote[outer]!;
        this.fTriple[this.depth] = this.fTriple[outer]!;
        this.fRaw[this.depth] = this.fRaw[outer]!;
        this.fInSpec[this.depth] = 1;
        this.interps++;
        this.pos = p + 1;
        return;
      }
      if (c === 125) {
        this.closeInterpolation(start, p + 1);
        return;
      }
      if (c === 10 || c === 13 || c === 92 || c === q || c !== c) decline('fstring-spec');
      p++;
    }
  }

  private operator(p: number, c: number): void {
    const text = this.text;
    const c1 = text.charCodeAt(p + 1);
    const inInterp = this.brackets[this.depth] === INTERP;
    let kind: number;
    let len = 1;
    switch (c) {
      case 40: {
        const t = this.tokens;
        const role = this.expect ? 0 : this.depth === 0 && t.n >= 2 && t.kind[t.n - 1] === T_NAME && t.kind[t.n - 2] === KW_DEF ? PARAMS : CALL;
        this.emit(T_LPAR, p, p + 1, 0, 0);
        this.push(40, role);
        this.pos = p + 1;
        return;
      }
      case 91: {
        // `case [a, b]:` is a pattern, not a subscript of `case`.
        const t = this.tokens;
        const role = this.expect || (t.n === 1 && (t.aux[0] === SOFT_CASE || t.aux[0] === SOFT_MATCH) && t.kind[0] === T_NAME) ? 0 : SUBSCRIPT;
        this.emit(T_LSQB, p, p + 1, 0, 0);
        this.push(91, role);
        this.pos = p + 1;
        return;
      }
      case 123:
        this.emit(T_LBRACE, p, p + 1, 0, 0);
        this.push(123);
        this.pos = p + 1;
        return;
      case 41:
      case 93:
      case 125: {
        if (inInterp && c === 125) {
          this.interpolationEnd(p);
          return;
        }
        const open = c === 41 ? 40 : c === 93 ? 91 : 123;
        if (this.depth === 0 || this.brackets[this.depth] !== open) decline('bracket-mismatch');
        this.closeDepth();
        this.depth--;
        this.emit(c === 41 ? T_RPAR : c === 93 ? T_RSQB : T_RBRACE, p, p + 1, 0, 0);
        this.pos = p + 1;
        return;
      }
      case 44:
        kind = T_COMMA;
        break;
      case 59:
        kind = T_SEMI;
        break;
      case 58:
        if (c1 === 61) {
          if (inInterp) decline('fstring-walrus');
          kind = T_WALRUS;
          len = 2;
          this.walrus = true;
        } else {
          if (inInterp && !this.lambdas[this.depth]) {
            this.interpolationEnd(p);
            return;
          }
          kind = T_COLON;
        }
        break;
      case 46:
        if (c1 >= 48 && c1 <= 57) {
          this.number(p);
          return;
        }
        if (c1 === 46 && text.charCodeAt(p + 2) === 46) {
          kind = T_ELLIPSIS;
          len = 3;
        } else kind = T_DOT;
        break;
      case 61:
        if (c1 === 61) {
          kind = T_COMPARE;
          len = 2;
        } else if (inInterp) {
          this.interpolationEnd(p);
          return;
        } else kind = T_ASSIGN;
        break;
      case 33:
        if (c1 === 61) {
          kind = T_COMPARE;
          len = 2;
        } else if (inInterp) {
          this.interpolationEnd(p);
          return;
        } else decline('invalid-character');
        break;
      case 60:
      case 62:
        if (c1 === c) {
          len = text.charCodeAt(p + 2) === 61 ? 3 : 2;
          kind = len === 3 ? T_AUGASSIGN : T_BINOP;
        } else if (c1 === 61) {
          kind = T_COMPARE;
          len = 2;
        } else if (c === 60 && c1 === 62) decline('syntax');
        else kind = T_COMPARE;
        break;
      case 42:
        if (c1 === 42) {
          len = text.charCodeAt(p + 2) === 61 ? 3 : 2;
          kind = len === 3 ? T_AUGASSIGN : T_DSTAR;
        } else if (c1 === 61) {
          kind = T_AUGASSIGN;
          len = 2;
        } else kind = T_STAR;
        break;
      case 47:
        if (c1 === 47) {
          len = text.charCodeAt(p + 2) === 61 ? 3 : 2;
          kind = len === 3 ? T_AUGASSIGN : T_BINOP;
        } else if (c1 === 61) {
          kind = T_AUGASSIGN;
          len = 2;
        } else kind = T_SLASH;
        break;
      case 45:
        if (c1 === 62) {
          kind = T_ARROW;
          len = 2;
        } else if (c1 === 61) {
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
        if (c1 === 61) {
          kind = T_AUGASSIGN;
          len = 2;
        } else kind = c === 43 ? T_PLUS : c === 64 ? T_AT : T_BINOP;
        break;
      case 126:
        kind = T_TILDE;
        break;
      default:
        decline('invalid-character');
    }
    this.emit(kind, p, p + len, 0, 0);
    this.pos = p + len;
  }
}
