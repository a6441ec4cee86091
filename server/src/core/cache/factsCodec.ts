import type {
  BindingKind,
  CallInfo,
  Definition,
  FileFacts,
  ImportItem,
  ImportStatement,
  ModuleBinding,
  Parameter,
  Ref,
  RefContext,
} from '../python/facts.js';
import type { FileProblem, Range } from '../types.js';
import { focusItemOf, focusKey, type Focus } from '../project/project.js';

/**
 * FileFacts as a flat run of 32-bit integers plus one shared string table, for the per-file facts cache
 * (factsCache.ts). The stdlib's facts are ~41 MB as plain JSON (190 ms to write, 290 ms to read): most of it is
 * range objects spelled out key by key, and the same few thousand names repeated. Here a range is four integers, a
 * string is an index into a table that holds it once, and reading is walking an Int32Array.
 *
 * The reader is the writer mirrored field by field; decoding builds every object with all its fields, so TypeScript
 * rejects a decoder that forgets a field added to FileFacts. test/cache/factsCodec.test.ts round-trips every stdlib and
 * Django file, outlined and parsed. The file is untrusted input (it lives in the workspace): every integer read is
 * checked against the end of the data and every string index against the table, and a bad one throws
 * CorruptCacheError, which makes the whole cache a miss.
 */

export class CorruptCacheError extends Error {}

const REF_CONTEXTS: readonly RefContext[] = ['load', 'call', 'base', 'decorator'];
const BINDING_KINDS: readonly BindingKind[] = ['class', 'function', 'assign', 'alias', 'import', 'other'];
const PARAMETER_KINDS: readonly Parameter['kind'][] = ['positional-only', 'positional', 'keyword-only', 'var-positional', 'var-keyword'];
const PROBLEM_KINDS: readonly FileProblem['kind'][] = ['read', 'encoding', 'syntax', 'too-large'];
const DEFINITION_KINDS: readonly Definition['kind'][] = ['class', 'function'];
const DEPRECATION_VIAS: readonly NonNullable<Definition['deprecation']>['via'][] = ['decorator', 'warn'];
const IMPORT_KINDS: readonly ImportStatement['kind'][] = ['import', 'from'];

/** What the cache keeps of a ProjectFile: the rest (paths, category, scope) comes from the discovery of this run. */
export interface CachedFile {
  facts: FileFacts;
  /** Problems of the file itself (a syntax error); its `path` is the file's. */
  problems: FileProblem[];
  /** Outline facts (python/outline.ts) rather than a parse. */
  outline: boolean;
  /** An outline file's focused parse (workspace/focus.ts): valid for the same text, which the cache stamps. */
  focus?: Focus;
}

/** Integers per chunk handed to the sink: the writer holds one chunk, never the whole workspace's facts. */
const CHUNK_INTS = 1 << 16;

export class FactsWriter {
  private chunk = new Int32Array(CHUNK_INTS);
  private length = 0;
  /** Integers already handed to the sink. */
  private flushed = 0;
  readonly strings: string[];
  private readonly index = new Map<string, number>();

  /**
   * `sink` receives the integers in order, a chunk at a time, and must be done with it when it returns (the caller
   * writes it to disk; the chunk is reused). `strings`: a table to extend rather than start afresh, so that files
   * encoded against it can be copied as they are (`copy`). Written in the hot path of every run that stores facts:
   * plain loops, no closures, no per-integer checks (the round-trip test holds the writer to the reader).
   */
  constructor(
    private readonly sink: (ints: Int32Array) => void,
    strings: readonly string[] = [],
  ) {
    this.strings = strings.slice();
    for (let i = 0; i < this.strings.length; i++) this.index.set(this.strings[i]!, i);
  }

  /** Appends one file; returns its offset (in integers from the first one written). */
  file(file: CachedFile): number {
    const offset = this.flushed + this.length;
    this.int(file.focus ? 2 : file.outline ? 1 : 0);
    if (file.focus) {
      this.int(file.focus.items.size);
      for (const key of file.focus.items) for (const index of focusItemOf(key)) this.int(index);
      this.int(file.focus.chains.size);
      for (const [key, words] of file.focus.chains) {
        for (const index of focusItemOf(key)) this.int(index);
        this.strs([...words]);
      }
      this.strs([...file.focus.names]);
      this.int(file.focus.blanked.length);
      for (const [start, end] of file.focus.blanked) {
        this.int(start);
        this.int(end);
      }
    }
    this.int(file.problems.length);
    for (const p of file.problems) {
      this.enumerated(PROBLEM_KINDS, p.kind);
      this.str(p.message);
      this.optionalRange(p.range ?? null);
    }
    this.facts(file.facts);
    return offset;
  }

  /** Appends a file encoded earlier against the same string table (the constructor's); returns its new offset. */
  copy(encoded: Int32Array): number {
    const offset = this.flushed + this.length;
    for (let at = 0; at < encoded.length; ) {
      if (this.length === this.chunk.length) this.spill();
      const n = Math.min(encoded.length - at, this.chunk.length - this.length);
      this.chunk.set(encoded.subarray(at, at + n), this.length);
      this.length += n;
      at += n;
    }
    return offset;
  }

  /** One integer of the container's own (a marker before the first file). */
  mark(n: number): void {
    this.int(n);
  }

  /** Hands the integers not yet handed over to the sink: the last, partial chunk. */
  finish(): void {
    this.spill();
  }

  private spill(): void {
    this.sink(this.chunk.subarray(0, this.length));
    this.flushed += this.length;
    this.length = 0;
  }

  private facts(f: FileFacts): void {
    this.nullableStr(f.module);
    this.bool(f.isPackage);
    this.int(f.imports.length);
    for (const s of f.imports) this.importStatement(s);
    this.int(f.refs.length);
    for (const r of f.refs) this.ref(r);
    this.int(f.bindings.length);
    for (const b of f.bindings) this.binding(b);
    this.int(f.definitions.length);
    for (const d of f.definitions) this.definition(d);
    this.int(f.legacyWarnings.length);
    for (const w of f.legacyWarnings) {
      this.str(w.message);
      this.str(w.category);
      this.range(w.range);
    }
    if (f.all === null) this.int(-1);
    else this.strs(f.all);
    this.bool(f.allDynamic);
    this.bool(f.hasGetattr);
    this.bool(f.dynamicGlobals);
    this.strs(f.moduleNameLoads);
    this.strs(f.boundNames);
    this.strs(f.unboundNames);
    this.int(f.suppressions.length);
    for (const [line, codes] of f.suppressions) {
      this.int(line);
      this.strs(codes);
    }
    this.optionalRange(f.syntaxError);
  }

  private importStatement(s: ImportStatement): void {
    this.enumerated(IMPORT_KINDS, s.kind);
    this.int(s.level);
    this.nullableStr(s.module);
    this.nullableStr(s.absModule);
    this.range(s.range);
    this.optionalRange(s.moduleRange);
    this.int(s.items.length);
    for (const item of s.items) {
      this.str(item.name);
      this.nullableStr(item.asName);
      this.str(item.local);
      this.range(item.range);
      this.range(item.nameRange);
    }
    this.bool(s.star);
    this.bool(s.parenthesized);
    this.bool(s.guard.tryImportError);
    this.bool(s.guard.typeChecking);
    this.bool(s.guard.nested);
    this.str(s.indent);
  }

  private ref(r: Ref): void {
    this.int(r.stmt);
    this.int(r.item);
    this.strs(r.chain);
    this.int(r.coords.length);
    this.ints(r.coords);
    this.enumerated(REF_CONTEXTS, r.context);
    const c = r.call;
    if (c === null) this.int(0);
    else {
      this.int(1);
      this.range(c.argsRange);
      this.int(c.argCount);
      this.bool(c.hasStarArgs);
      this.bool(c.hasKeywords);
      this.int(c.positional);
      this.strs(c.keywords);
      this.bool(c.trailingComma);
    }
    this.bool(r.lambdaSafe);
  }

  private binding(b: ModuleBinding): void {
    this.str(b.name);
    this.enumerated(BINDING_KINDS, b.kind);
    this.range(b.range);
    this.bool(b.fallback);
    this.bool(b.conditional);
    // Optional fields: absent and present are told apart, so a decoded binding has exactly the original's keys.
    this.int(b.stmt === undefined ? -1 : b.stmt);
    this.int(b.item === undefined ? -1 : b.item);
    if (b.aliasTarget === undefined) this.int(-1);
    else this.strs(b.aliasTarget);
  }

  private definition(d: Definition): void {
    this.str(d.qualName);
    this.enumerated(DEFINITION_KINDS, d.kind);
    this.range(d.nameRange);
    if (d.deprecation === null) this.int(-1);
    else {
      this.enumerated(DEPRECATION_VIAS, d.deprecation.via);
      this.str(d.deprecation.message);
    }
    this.strs(d.decorators);
    if (d.params === null) this.int(-1);
    else {
      this.int(d.params.length);
      for (const p of d.params) {
        this.str(p.name);
        this.enumerated(PARAMETER_KINDS, p.kind);
        this.nullableStr(p.default);
        this.range(p.range);
      }
    }
    this.bool(d.conditional);
  }

  private int(n: number): void {
    if (this.length === this.chunk.length) this.spill();
    this.chunk[this.length++] = n;
  }

  private bool(b: boolean): void {
    this.int(b ? 1 : 0);
  }

  private enumerated<T>(values: readonly T[], value: T): void {
    const i = values.indexOf(value);
    if (i < 0) throw new RangeError(`facts codec: unknown value ${String(value)}`);
    this.int(i);
  }

  private str(s: string): void {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.index.set(s, i);
    }
    this.int(i);
  }

  private nullableStr(s: string | null): void {
    if (s === null) this.int(-1);
    else this.str(s);
  }

  private strs(list: readonly string[]): void {
    this.int(list.length);
    for (const s of list) this.str(s);
  }

  private range(r: Range): void {
    this.reserve(4);
    const chunk = this.chunk;
    const at = this.length;
    chunk[at] = r.start.line;
    chunk[at + 1] = r.start.column;
    chunk[at + 2] = r.end.line;
    chunk[at + 3] = r.end.column;
    this.length = at + 4;
  }

  /**
   * The integers of `list`, written straight into the chunk, a chunk at a time: with inlining off in batch runs
   * (cli/batchTuning.ts) every int() is a call.
   */
  private ints(list: readonly number[]): void {
    for (let i = 0; i < list.length; ) {
      if (this.length === this.chunk.length) this.spill();
      const chunk = this.chunk;
      let at = this.length;
      const end = Math.min(list.length, i + chunk.length - at);
      while (i < end) chunk[at++] = list[i++]!;
      this.length = at;
    }
  }

  /** Room for `n` more integers in the chunk (n ≤ CHUNK_INTS). */
  private reserve(n: number): void {
    if (this.length + n > this.chunk.length) this.spill();
  }

  private optionalRange(r: Range | null): void {
    if (r === null) this.int(0);
    else {
      this.int(1);
      this.range(r);
    }
  }
}

export class FactsReader {
  private at = 0;

  /** `strings` must already be the run's own copies (interned): decoded facts keep them for the life of the run. */
  constructor(
    private readonly data: Int32Array,
    private readonly strings: readonly string[],
  ) {}

  /** The file written at `offset`; `path` becomes its problems' path. Throws CorruptCacheError. */
  file(offset: number, path: string): CachedFile {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.data.length) throw new CorruptCacheError(`offset ${offset} out of range`);
    this.at = offset;
    const depth = this.int();
    if (depth !== 0 && depth !== 1 && depth !== 2) throw new CorruptCacheError(`expected a depth, found ${depth}`);
    const focus = depth === 2 ? this.focus() : null;
    const problems = this.list((): FileProblem => {
      const kind = this.enumerated(PROBLEM_KINDS);
      const message = this.str();
      const range = this.optionalRange();
      return range === null ? { path, kind, message } : { path, kind, message, range };
    });
    const facts = this.facts();
    return focus ? { outline: true, focus, problems, facts } : { outline: depth === 1, problems, facts };
  }

  private focus(): Focus {
    const items = new Set(this.list(() => focusKey(this.index(), this.index())));
    const chains = new Map(this.list((): [string, Set<string>] => [focusKey(this.index(), this.index()), new Set(this.strs())]));
    const names = new Set(this.strs());
    const blanked = this.list((): [number, number] => [this.index(), this.index()]);
    return { items, chains, names, blanked };
  }

  /** A non-negative integer (an index or offset: what it indexes is checked where it is used). */
  private index(): number {
    const n = this.int();
    if (n < 0) throw new CorruptCacheError(`expected an index, found ${n}`);
    return n;
  }

  private facts(): FileFacts {
    const module = this.nullableStr();
    const isPackage = this.bool();
    const imports = this.list(() => this.importStatement());
    const refs = this.list(() => this.ref());
    const bindings = this.list(() => this.binding());
    const definitions = this.list(() => this.definition());
    const legacyWarnings = this.list(() => ({ message: this.str(), category: this.str(), range: this.range() }));
    const all = this.optionalStrs();
    const allDynamic = this.bool();
    const hasGetattr = this.bool();
    const dynamicGlobals = this.bool();
    const moduleNameLoads = this.strs();
    const boundNames = this.strs();
    const unboundNames = this.strs();
    const suppressions = this.list((): [number, string[]] => [this.int(), this.strs()]);
    const syntaxError = this.optionalRange();
    return {
      module,
      isPackage,
      imports,
      refs,
      bindings,
      definitions,
      legacyWarnings,
      all,
      allDynamic,
      hasGetattr,
      dynamicGlobals,
      moduleNameLoads,
      boundNames,
      unboundNames,
      suppressions,
      syntaxError,
    };
  }

  private importStatement(): ImportStatement {
    const kind = this.enumerated(IMPORT_KINDS);
    const level = this.int();
    const module = this.nullableStr();
    const absModule = this.nullableStr();
    const range = this.range();
    const moduleRange = this.optionalRange();
    const items = this.list((): ImportItem => ({ name: this.str(), asName: this.nullableStr(), local: this.str(), range: this.range(), nameRange: this.range() }));
    const star = this.bool();
    const parenthesized = this.bool();
    const guard = { tryImportError: this.bool(), typeChecking: this.bool(), nested: this.bool() };
    const indent = this.str();
    return { kind, level, module, absModule, range, moduleRange, items, star, parenthesized, guard, indent };
  }

  private ref(): Ref {
    const stmt = this.int();
    const item = this.int();
    const chain = this.strs();
    const coords = this.list(() => this.int());
    if (coords.length !== 4 * (2 * chain.length + 1)) throw new CorruptCacheError(`ref with ${chain.length} attributes and ${coords.length} coordinates`);
    const context = this.enumerated(REF_CONTEXTS);
    let call: CallInfo | null = null;
    if (this.bool()) {
      const argsRange = this.range();
      const argCount = this.int();
      const hasStarArgs = this.bool();
      const hasKeywords = this.bool();
      const positional = this.int();
      const keywords = this.strs();
      const trailingComma = this.bool();
      call = { argsRange, argCount, hasStarArgs, hasKeywords, positional, keywords, trailingComma };
    }
    const lambdaSafe = this.bool();
    return { stmt, item, chain, coords, context, call, lambdaSafe };
  }

  private binding(): ModuleBinding {
    const name = this.str();
    const kind = this.enumerated(BINDING_KINDS);
    const range = this.range();
    const fallback = this.bool();
    const conditional = this.bool();
    const binding: ModuleBinding = { name, kind, range, fallback, conditional };
    const stmt = this.int();
    if (stmt !== -1) binding.stmt = stmt;
    const item = this.int();
    if (item !== -1) binding.item = item;
    const aliasTarget = this.optionalStrs();
    if (aliasTarget !== null) binding.aliasTarget = aliasTarget;
    return binding;
  }

  private definition(): Definition {
    const qualName = this.str();
    const kind = this.enumerated(DEFINITION_KINDS);
    const nameRange = this.range();
    const via = this.int();
    const deprecation = via === -1 ? null : { message: this.str(), via: this.pick(DEPRECATION_VIAS, via) };
    const decorators = this.strs();
    const paramCount = this.int();
    const params =
      paramCount === -1 ? null : this.listOf(paramCount, (): Parameter => ({ name: this.str(), kind: this.enumerated(PARAMETER_KINDS), default: this.nullableStr(), range: this.range() }));
    const conditional = this.bool();
    return { qualName, kind, nameRange, deprecation, decorators, params, conditional };
  }

  private int(): number {
    if (this.at >= this.data.length) throw new CorruptCacheError('truncated facts');
    return this.data[this.at++]!;
  }

  private bool(): boolean {
    const n = this.int();
    if (n !== 0 && n !== 1) throw new CorruptCacheError(`expected a flag, found ${n}`);
    return n === 1;
  }

  private pick<T>(values: readonly T[], i: number): T {
    const v = values[i];
    if (v === undefined) throw new CorruptCacheError(`unknown enumeration value ${i}`);
    return v;
  }

  private enumerated<T>(values: readonly T[]): T {
    return this.pick(values, this.int());
  }

  private str(): string {
    const i = this.int();
    const s = this.strings[i];
    if (s === undefined) throw new CorruptCacheError(`string ${i} out of range`);
    return s;
  }

  private nullableStr(): string | null {
    if (this.data[this.at] === -1) {
      this.at++;
      return null;
    }
    return this.str();
  }

  private strs(): string[] {
    return this.list(() => this.str());
  }

  private optionalStrs(): string[] | null {
    const n = this.int();
    return n === -1 ? null : this.listOf(n, () => this.str());
  }

  private list<T>(each: () => T): T[] {
    return this.listOf(this.int(), each);
  }

  private listOf<T>(n: number, each: () => T): T[] {
    // Every element takes at least one integer: a count beyond what is left is corrupt, not a huge allocation.
    if (n < 0 || n > this.data.length - this.at) throw new CorruptCacheError(`bad count ${n}`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = each();
    return out;
  }

  private range(): Range {
    const startLine = this.int();
    const startColumn = this.int();
    const endLine = this.int();
    const endColumn = this.int();
    return { start: { line: startLine, column: startColumn }, end: { line: endLine, column: endColumn } };
  }

  private optionalRange(): Range | null {
    return this.bool() ? this.range() : null;
  }
}
