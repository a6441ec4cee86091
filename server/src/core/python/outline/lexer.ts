import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUPPRESSION_MARKER } from '../suppressions.js';
import * as kinds from './kinds.js';
import { Decline, decline, KEYWORDS, SOFT_KEYWORDS, type TokenBuffer } from './tokens.js';

/**
 * The outline scanner's lexer: turns Python source into logical lines of tokens (TokenBuffer) the way
 * tree-sitter-python's external scanner and lexer see it, checking that each token may follow the one before, and
 * declines (throws Decline) on what Python or tree-sitter would reject. The work is done in WebAssembly
 * (server/assembly/outlineLexer.ts, built into dist/outline-lexer.wasm by esbuild.mjs): a batch run is over before
 * V8 has optimized a lexer this branchy, and wasm runs at full speed from the first file. This side copies the text
 * into wasm memory, points the TokenBuffer at the token arrays there, and turns a trap into the Decline it stands for.
 * The same module holds the statement scanner's fast path (`scanInWasm`, read by outline/fastScan.ts).
 *
 * One wasm instance per thread holds one text at a time: a Lexer whose turn it is not (another one read a line
 * since, or the statement scanner ran) copies its text in again and goes on where it stopped.
 */

// The few WebAssembly JS API types used here (the project's lib, ES2022 without DOM, declares none).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  RuntimeError: new () => Error;
};

interface LexerExports {
  memory: { readonly buffer: ArrayBuffer };
  state(): number;
  results(): number;
  scanFile(distinct: number): number;
  begin(length: number, start: number, comments: number): void;
  lexLine(): number;
  position(): number;
  addKeyword(kind: number, aux: number, length: number): void;
}

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const {
  S_ASSIGNMENTS, S_AUX, S_CAPACITY, S_DEPTH, S_END, S_FLAGS, S_HASH, S_INDENT, S_KIND, S_LAYOUT, S_REASON, S_SOFT, S_START, S_TEXT,
  S_TOKENS, S_WALRUS, STATE_FIELDS,
} = kinds;

/** Decline reasons by code: R_UNTERMINATED_STRING is 'unterminated-string'. */
const REASONS: string[] = [];
for (const [key, code] of Object.entries(kinds)) {
  if (key.startsWith('R_')) REASONS[code] = key.slice(2).toLowerCase().replaceAll('_', '-');
}

const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

function wasmPath(): string {
  // Beside the bundle (dist/), or dist/ from the sources (tests run after `npm run build`).
  for (const candidate of [path.join(__dirname, 'outline-lexer.wasm'), path.resolve(__dirname, '../../../../../dist/outline-lexer.wasm')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('outline-lexer.wasm is missing: run `npm run build` (esbuild.mjs compiles server/assembly/outlineLexer.ts)');
}

/** Whose text is in wasm memory: a Lexer, or the statement scanner's file (outline/fastScan.ts). */
interface Reader {
  readonly comments: number[] | null;
  pos: number;
}

class WasmLexer {
  private readonly exports: LexerExports;
  private state!: Int32Array;
  private bytes!: Buffer;
  /** All of wasm memory as Int32s (the scanner's result tables are static: they never move, the buffer may). */
  memory!: Int32Array;
  private layout = -1;
  /** Bumped whenever the token arrays move; a TokenBuffer pointing at an older generation is pointed again. */
  generation = 0;
  active: Reader | null = null;

  constructor() {
    const module = new WebAssembly.Module(fs.readFileSync(wasmPath()));
    const env = {
      xidStart: (cp: number) => (XID_START.test(String.fromCodePoint(cp)) ? 1 : 0),
      xidContinue: (cp: number) => (XID_CONTINUE.test(String.fromCodePoint(cp)) ? 1 : 0),
      comment: (p: number) => this.active?.comments?.push(p),
    };
    this.exports = new WebAssembly.Instance(module, { env }).exports as LexerExports;
    this.refresh();
    const words: [string, number, number][] = KEYWORDS.map((word, i) => [word, kinds.KW_FIRST + i, 0]);
    for (const [word, aux] of Object.entries(SOFT_KEYWORDS)) words.push([word, kinds.T_NAME, aux]);
    for (const [word, kind, aux] of words) {
      this.copyIn(word, 0, false);
      this.exports.addKeyword(kind, aux, word.length);
    }
  }

  /** After a call that may have grown memory (which detaches every view) or moved the token arrays. */
  private refresh(): void {
    if (this.state?.length && this.state[S_LAYOUT] === this.layout) return;
    const buffer = this.exports.memory.buffer;
    this.memory = new Int32Array(buffer);
    this.state = new Int32Array(buffer, this.exports.state(), STATE_FIELDS);
    this.bytes = Buffer.from(buffer);
    this.layout = this.state[S_LAYOUT]!;
    this.generation++;
  }

  /** Makes `lexer` the one whose text is in wasm memory, reading on from where it stopped. */
  load(lexer: Lexer): void {
    this.handOver(lexer, lexer.text);
  }

  /** Puts `reader`'s text in wasm memory from its `pos`, after noting where the reader before it stopped. */
  private handOver(reader: Reader, text: string): void {
    const previous = this.active;
    if (previous) previous.pos = this.exports.position();
    this.active = null;
    this.copyIn(text, reader.pos, reader.comments !== null);
    this.active = reader;
  }

  /**
   * Runs the statement scanner over `text` from `start`: the offset of its result block in `memory` (Int32s), or -1
   * when it leaves the file to the JavaScript scanner.
   */
  scan(text: string, start: number, comments: number[] | null, distinct: boolean): number {
    this.handOver({ comments, pos: start }, text);
    try {
      this.exports.scanFile(distinct ? 1 : 0);
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      return -1;
    } finally {
      this.active = null;
      this.refresh();
    }
    return this.exports.results() >> 2;
  }

  /** Puts `text` in wasm memory, to be read from `start`; the wasm side makes room for it first. */
  private copyIn(text: string, start: number, comments: boolean): void {
    this.exports.begin(text.length, start, comments ? 1 : 0);
    this.refresh();
    this.bytes.write(text, this.state[S_TEXT]!, 'utf16le');
  }

  /** Reads the active lexer's next line into `tokens`; false at the end of its text. */
  lexLine(lexer: Lexer, tokens: TokenBuffer): boolean {
    let more: number;
    try {
      more = this.exports.lexLine();
    } catch (error) {
      this.active = null;
      this.refresh();
      const reason = this.state[S_REASON]!;
      if (error instanceof WebAssembly.RuntimeError && reason) throw new Decline(REASONS[reason]!);
      throw error;
    }
    this.refresh();
    if (more === 0) {
      tokens.n = 0;
      return false;
    }
    if (tokens.generation !== this.generation) this.point(tokens);
    const state = this.state;
    tokens.n = state[S_TOKENS]!;
    lexer.lineIndent = state[S_INDENT]!;
    lexer.walrus = state[S_WALRUS] === 1;
    lexer.softStatement = state[S_SOFT] === 1;
    lexer.assignments = state[S_ASSIGNMENTS]!;
    return true;
  }

  private point(tokens: TokenBuffer): void {
    const buffer = this.exports.memory.buffer;
    const state = this.state;
    const size = state[S_CAPACITY]! + 1;
    tokens.kind = new Uint8Array(buffer, state[S_KIND], size);
    tokens.aux = new Uint8Array(buffer, state[S_AUX], size);
    tokens.flags = new Uint8Array(buffer, state[S_FLAGS], size);
    tokens.depth = new Uint16Array(buffer, state[S_DEPTH], size);
    tokens.start = new Int32Array(buffer, state[S_START], size);
    tokens.end = new Int32Array(buffer, state[S_END], size);
    tokens.hash = new Int32Array(buffer, state[S_HASH], size);
    tokens.generation = this.generation;
  }
}

let instance: WasmLexer | null = null;

export interface WasmScan {
  /** All of wasm memory, as Int32s. */
  memory: Int32Array;
  /** Where the result block is in `memory`. */
  results: number;
  /** Where each comment starts, as Lexer.comments. */
  comments: number[] | null;
}

/**
 * The wasm side's statement scanner (outline/fastScan.ts), reading `text` as a Lexer does: its tables, or null when it
 * declined (a lone CR included). `distinct`: only the first ref of each import item and chain.
 */
export function scanInWasm(text: string, distinct: boolean): WasmScan | null {
  if (hasLoneCr(text)) return null;
  const wasm = (instance ??= new WasmLexer());
  const comments = commentsFor(text);
  const results = wasm.scan(text, firstOffset(text), comments, distinct);
  return results < 0 ? null : { memory: wasm.memory, results, comments };
}

/** A new Lexer.comments: an array only for a text that may hold a suppression comment. */
function commentsFor(text: string): number[] | null {
  return text.includes(SUPPRESSION_MARKER) ? [] : null;
}

/** Where reading starts: a BOM is an extra for tree-sitter. */
function firstOffset(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** A CR not followed by LF: a line break for Python but not for tree-sitter (the outline declines). */
function hasLoneCr(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

export class Lexer {
  /** Tree-sitter's indentation of the current logical line: a space counts 1, a tab 8, a form feed resets. */
  lineIndent = 0;
  /** The current logical line holds a `:=`. */
  walrus = false;
  /** The line starts with `match` or `case` followed by an operand: a match statement or case clause (or an error). */
  softStatement = false;
  /** Depth-0 `=`, augmented assignments and `:` (outside lambdas) in the current logical line. */
  assignments = 0;
  /**
   * Where each comment starts, kept only when the text could hold a suppression comment at all: the facts need
   * those (python/suppressions.ts), and only the lexer knows a `#` from one inside a string.
   */
  readonly comments: number[] | null;
  /** Where reading goes on when this lexer's turn comes again (see WasmLexer.load). */
  pos: number;

  constructor(
    readonly text: string,
    private readonly tokens: TokenBuffer,
  ) {
    this.comments = commentsFor(text);
    this.pos = firstOffset(text);
    if (hasLoneCr(text)) decline('lone-cr');
  }

  /** Reads on from `pos`, where a logical line's reading started before (outline/fastScan.ts re-reads warn() calls). */
  seek(pos: number): void {
    this.pos = pos;
    if (instance?.active === this) instance.active = null;
  }

  /** Reads the next logical line into `tokens`; false at the end of the file. */
  lexLine(): boolean {
    const wasm = (instance ??= new WasmLexer());
    if (wasm.active !== this) wasm.load(this);
    return wasm.lexLine(this, this.tokens);
  }
}
