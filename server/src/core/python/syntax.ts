import { Edit, Parser, type Language, type Tree, type TreeCursor } from 'web-tree-sitter';
import type { Position, Range } from '../types.js';
import { wasmBinding } from './parser.js';
import { enlarged } from './typedArrays.js';

/**
 * A JavaScript mirror of a tree-sitter syntax tree, built in one cursor walk, which extract.ts reads instead of
 * the tree.
 *
 * Every accessor of a web-tree-sitter `Node` (`children`, `childForFieldName`, `parent`, `type`, positions, …) is a
 * call into wasm that marshals through a shared buffer and allocates a fresh wrapper; extraction visits each node
 * several times, so that is where its time went (and to the garbage collector). The mirror reads each visible node
 * once — type id, field id, start and end offsets, its slot (see `MirrorCache`), and whether it is MISSING when
 * the tree has errors — into typed arrays, and `SyntaxNode` answers the same questions as `Node` from them. Text
 * is sliced from the source string; positions come from a line index of that string, which is what tree-sitter
 * computes too (rows count '\n' only; web-tree-sitter's columns are UTF-16 code units, like its offsets).
 *
 * The walk calls the binding's exported cursor functions directly when they are there and pass a self test
 * (`fastCursor`): through the public `TreeCursor` each step costs four marshalling writes, a call and four reads,
 * which made the walk alone as slow as the old extraction. Otherwise it uses the public cursor. The binding walk
 * also reuses the subtrees an edit did not touch from the previous walk (`MirrorCache`), so an editor's keystroke
 * walks only the path to the edit.
 *
 * Wasm memory: the cursor is deleted before `mirrorTree` returns; the cache holds one tree reference (a `copy()`,
 * sharing the subtrees) of the last tree walked, replaced by the next walk, freed by `releaseMirrorCache`.
 */

/** `(TSSymbol)-1`: what tree-sitter calls an ERROR node. */
const ERROR_TYPE_ID = 0xffff;
const NAMED = 1;
const MISSING = 2;

export interface Point {
  row: number;
  column: number;
}

/**
 * A node of a mirror: a handle (the tree and the node's preorder index) whose getters read the mirror's arrays.
 * Handles are made on demand and not kept, so two handles of one node are different objects: compare `id`s.
 */
export class SyntaxNode {
  constructor(
    readonly tree: SyntaxTree,
    /** Preorder index: unique and stable within one mirror (not web-tree-sitter's subtree address). */
    readonly id: number,
  ) {}

  get type(): string {
    return this.tree.typeName(this.id);
  }

  get typeId(): number {
    return this.tree.typeIds[this.id]!;
  }

  /** The field this node fills in its parent (0: none), as the tree cursor reports it. */
  get fieldId(): number {
    return this.tree.fieldIds[this.id]!;
  }

  get isNamed(): boolean {
    return (this.tree.flags[this.id]! & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.flags[this.id]! & MISSING) !== 0;
  }

  get isError(): boolean {
    return this.tree.typeIds[this.id] === ERROR_TYPE_ID;
  }

  get startIndex(): number {
    return this.tree.starts[this.id]!;
  }

  get endIndex(): number {
    return this.tree.ends[this.id]!;
  }

  get text(): string {
    return this.tree.text.slice(this.tree.starts[this.id], this.tree.ends[this.id]);
  }

  get parent(): SyntaxNode | null {
    const p = this.tree.parents[this.id]!;
    return p < 0 ? null : new SyntaxNode(this.tree, p);
  }

  /** The first visible child (iterate with `nextSibling` to avoid building `children`). */
  get firstChild(): SyntaxNode | null {
    return this.id + 1 < this.tree.subtreeEnds[this.id]! ? new SyntaxNode(this.tree, this.id + 1) : null;
  }

  get nextSibling(): SyntaxNode | null {
    const t = this.tree;
    const p = t.parents[this.id]!;
    const next = t.subtreeEnds[this.id]!;
    return p >= 0 && next < t.subtreeEnds[p]! ? new SyntaxNode(t, next) : null;
  }

  /** Visible children in order, named and anonymous (web-tree-sitter's `children`). */
  get children(): SyntaxNode[] {
    const t = this.tree;
    const out: SyntaxNode[] = [];
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) out.push(new SyntaxNode(t, c));
    return out;
  }

  get childCount(): number {
    const t = this.tree;
    let n = 0;
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) n++;
    return n;
  }

  get namedChildren(): SyntaxNode[] {
    const t = this.tree;
    const out: SyntaxNode[] = [];
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) {
      if (t.flags[c]! & NAMED) out.push(new SyntaxNode(t, c));
    }
    return out;
  }

  get namedChildCount(): number {
    const t = this.tree;
    let n = 0;
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) if (t.flags[c]! & NAMED) n++;
    return n;
  }

  get firstNamedChild(): SyntaxNode | null {
    const t = this.tree;
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) {
      if (t.flags[c]! & NAMED) return new SyntaxNode(t, c);
    }
    return null;
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.tree.starts[this.id]!);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.tree.ends[this.id]!);
  }

  /** The node's range as FileFacts stores it (0-based lines, UTF-16 columns); a fresh object each call. */
  range(): Range {
    return { start: this.tree.positionAt(this.tree.starts[this.id]!), end: this.tree.positionAt(this.tree.ends[this.id]!) };
  }

  /** The first child in the field, like web-tree-sitter's `childForFieldName`. */
  childForFieldName(name: string): SyntaxNode | null {
    const t = this.tree;
    const field = t.fieldId(name);
    if (field === 0) return null;
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) {
      if (t.fieldIds[c] === field) return new SyntaxNode(t, c);
    }
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const t = this.tree;
    const field = t.fieldId(name);
    const out: SyntaxNode[] = [];
    if (field === 0) return out;
    for (let c = this.id + 1, end = t.subtreeEnds[this.id]!; c < end; c = t.subtreeEnds[c]!) {
      if (t.fieldIds[c] === field) out.push(new SyntaxNode(t, c));
    }
    return out;
  }
}

/** What one language contributes to every mirror: type names, which types are named, field ids. */
interface LanguageInfo {
  /** By type id, as web-tree-sitter names them (`types[id] || 'ERROR'`); ids past the end are ERROR. */
  names: string[];
  /** By type id: 0 unknown yet, 1 anonymous, 2 named. */
  named: Uint8Array;
  fields: (string | null)[];
  fieldIds: Map<string, number>;
  language: Language;
}

const languages = new WeakMap<Language, LanguageInfo>();

function languageInfo(language: Language): LanguageInfo {
  let info = languages.get(language);
  if (!info) {
    // Internalized (as property keys are), so that comparing a type with a string literal is a pointer compare.
    const names = Array.from(language.types, (t) => Object.keys({ [t || 'ERROR']: 0 })[0]!);
    info = { names, named: new Uint8Array(0x10000), fields: language.fields, fieldIds: new Map(), language };
    languages.set(language, info);
  }
  return info;
}

/**
 * The mirror: one entry per visible node in preorder (the root is 0), as parallel typed arrays so that a tree of
 * 100,000 nodes is a handful of allocations the garbage collector never has to trace. A node's children are
 * `id + 1`, then each child's `subtreeEnds` until the node's own.
 */
export class SyntaxTree {
  nodeCount = 0;
  typeIds: Uint16Array;
  fieldIds: Uint16Array;
  starts: Uint32Array;
  ends: Uint32Array;
  parents: Int32Array;
  /** One past the last descendant. */
  subtreeEnds: Uint32Array;
  /** NAMED | MISSING. */
  flags: Uint8Array;
  /**
   * tree-sitter's node id: the address of the node's slot in its parent's children (wasm memory). Equal slots
   * in two trees are the same, shared subtree as long as one of the trees is alive (see `MirrorCache`).
   */
  slots: Uint32Array;
  /** The first ERROR or MISSING node in document order when the tree has a syntax error, else -1. */
  firstErrorId = -1;
  /** How many nodes were copied from the previous walk's mirror instead of walked. */
  reusedCount = 0;
  private lineStarts: number[] | null = null;
  private lastLine = 0;

  /** @internal Filled by `mirrorTree`. */
  constructor(
    readonly text: string,
    private readonly info: LanguageInfo,
    capacity: number,
  ) {
    this.typeIds = new Uint16Array(capacity);
    this.fieldIds = new Uint16Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.parents = new Int32Array(capacity);
    this.subtreeEnds = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.slots = new Uint32Array(capacity);
  }

  get root(): SyntaxNode {
    return new SyntaxNode(this, 0);
  }

  get firstError(): SyntaxNode | null {
    return this.firstErrorId < 0 ? null : new SyntaxNode(this, this.firstErrorId);
  }

  typeName(id: number): string {
    return this.info.names[this.typeIds[id]!] ?? 'ERROR';
  }

  /** Field id for a field name, 0 when the language has no such field. */
  fieldId(name: string): number {
    let id = this.info.fieldIds.get(name);
    if (id === undefined) {
      id = Math.max(0, this.info.fields.indexOf(name));
      this.info.fieldIds.set(name, id);
    }
    return id;
  }

  /** @internal Makes room for at least `count` nodes (the tree says how many it has: this is a safety net). */
  grow(count: number): void {
    if (count <= this.typeIds.length) return;
    const size = Math.max(16, count, this.typeIds.length * 2);
    this.typeIds = enlarged(this.typeIds, size);
    this.fieldIds = enlarged(this.fieldIds, size);
    this.starts = enlarged(this.starts, size);
    this.ends = enlarged(this.ends, size);
    this.parents = enlarged(this.parents, size);
    this.subtreeEnds = enlarged(this.subtreeEnds, size);
    this.flags = enlarged(this.flags, size);
    this.slots = enlarged(this.slots, size);
  }

  /** Row and UTF-16 column of an offset into the text. */
  pointAt(index: number): Point {
    const row = this.lineOf(index);
    return { row, column: index - this.lineStarts![row]! };
  }

  positionAt(index: number): Position {
    const line = this.lineOf(index);
    return { line, column: index - this.lineStarts![line]! };
  }

  private lineOf(index: number): number {
    let starts = this.lineStarts;
    if (starts === null) {
      starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    // Extraction asks in roughly increasing order: try the last line and the next one before searching.
    const last = this.lastLine;
    if (index >= starts[last]! && (last + 1 >= starts.length || index < starts[last + 1]!)) return last;
    if (last + 2 <= starts.length && index >= starts[last + 1]! && (last + 2 === starts.length || index < starts[last + 2]!)) {
      return (this.lastLine = last + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }
}

// ---- walking the wasm tree -----------------------------------------------------------------------------

/**
 * The binding's cursor functions: each takes the tree's wasm address and reads the cursor from the transfer
 * buffer (moves write it back). Booleans come back as 1/0.
 */
interface BindingCursor {
  gotoFirstChild(tree: number): number;
  gotoNextSibling(tree: number): number;
  gotoParent(tree: number): number;
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  isMissing(tree: number): number;
  nodeId(tree: number): number;
}

/** Stores node `id` (all but its `subtreeEnds`, known once its descendants are). */
function record(
  t: SyntaxTree,
  info: LanguageInfo,
  id: number,
  parent: number,
  typeId: number,
  fieldId: number,
  start: number,
  end: number,
  missing: boolean,
  slot: number,
): void {
  if (id >= t.typeIds.length) t.grow(id + 1);
  let named = info.named[typeId]!;
  if (named === 0) named = info.named[typeId] = info.language.nodeTypeIsNamed(typeId) ? 2 : 1;
  t.typeIds[id] = typeId;
  t.fieldIds[id] = fieldId;
  t.starts[id] = start;
  t.ends[id] = end;
  t.parents[id] = parent;
  t.flags[id] = (named === 2 ? NAMED : 0) | (missing ? MISSING : 0);
  t.slots[id] = slot;
  if (t.firstErrorId < 0 && (missing || typeId === ERROR_TYPE_ID)) t.firstErrorId = id;
}

/**
 * The last tree mirrored by the binding walk: its mirror, an index of its slots, and a copy of the tree (a new
 * reference to the same subtrees, not a deep copy) that keeps those subtrees alive and unchanged.
 *
 * tree-sitter shares every subtree an edit did not touch between a tree and the tree re-parsed from it, and a
 * shared subtree keeps its children where they were, so its nodes keep their slots. While the copy is alive no
 * other subtree can be allocated at one of its slots, and editing a tree whose subtrees the copy also holds
 * copies them instead of changing them (tree-sitter only mutates subtrees it holds the sole reference to). So a
 * node of a new tree whose slot is in the index is exactly the cached subtree, moved: its descendants are copied
 * from the cached mirror (offsets shifted) instead of walked, and only what its parent decides — its type, when
 * the parent's production aliases it, and its field — is read again. On a keystroke in the language server the
 * walk visits the path to the edit and the children of the nodes on it instead of the whole tree.
 */
interface MirrorCache {
  tree: Tree;
  mirror: SyntaxTree;
  /** Open addressing over slots of nodes with children (not the root, whose slot is in the Tree): slot → index. */
  keys: Uint32Array;
  values: Int32Array;
  bits: number;
}

let cache: MirrorCache | null = null;

function slotHash(slot: number, bits: number): number {
  return Math.imul(slot, 0x9e3779b1) >>> (32 - bits);
}

function cachedIndex(c: MirrorCache, slot: number): number {
  const mask = c.keys.length - 1;
  for (let i = slotHash(slot, c.bits); ; i = (i + 1) & mask) {
    const key = c.keys[i]!;
    if (key === slot) return c.values[i]!;
    if (key === 0) return -1;
  }
}

/** Keeps `mirror` (of `tree`) for the next walk, replacing the previous cache. */
function remember(tree: Tree, mirror: SyntaxTree): void {
  let inner = 0;
  for (let i = 1; i < mirror.nodeCount; i++) if (mirror.subtreeEnds[i]! > i + 1) inner++;
  let bits = 4;
  while (1 << bits < inner * 2) bits++;
  const keys = new Uint32Array(1 << bits);
  const values = new Int32Array(1 << bits);
  const mask = keys.length - 1;
  for (let n = 1; n < mirror.nodeCount; n++) {
    if (mirror.subtreeEnds[n]! <= n + 1) continue;
    const slot = mirror.slots[n]!;
    let i = slotHash(slot, bits);
    while (keys[i] !== 0 && keys[i] !== slot) i = (i + 1) & mask;
    // Two nodes never share a slot; if they ever did, neither could be trusted.
    if (keys[i] === slot) values[i] = -1;
    else {
      keys[i] = slot;
      values[i] = n;
    }
  }
  const copy = tree.copy();
  releaseMirrorCache();
  cache = { tree: copy, mirror, keys, values, bits };
}

/** Deletes the cached tree copy (it is also replaced by every walk; this is for shutdown and tests). */
export function releaseMirrorCache(): void {
  cache?.tree.delete();
  cache = null;
}

/**
 * Copies the cached subtree at `k` to `id` (start offset `start`, under `parent`, with the type and field its new
 * parent gives it); returns the id after it.
 */
function copySubtree(
  t: SyntaxTree,
  info: LanguageInfo,
  m: SyntaxTree,
  k: number,
  id: number,
  parent: number,
  typeId: number,
  fieldId: number,
  start: number,
  slot: number,
): number {
  const end = m.subtreeEnds[k]!;
  const count = end - k;
  t.grow(id + count);
  t.reusedCount += count;
  const delta = start - m.starts[k]!;
  const shift = id - k;
  t.typeIds.set(m.typeIds.subarray(k, end), id);
  t.fieldIds.set(m.fieldIds.subarray(k, end), id);
  t.flags.set(m.flags.subarray(k, end), id);
  t.slots.set(m.slots.subarray(k, end), id);
  for (let j = k; j < end; j++) {
    const i = j + shift;
    t.starts[i] = m.starts[j]! + delta;
    t.ends[i] = m.ends[j]! + delta;
    t.parents[i] = m.parents[j]! + shift;
    t.subtreeEnds[i] = m.subtreeEnds[j]! + shift;
  }
  record(t, info, id, parent, typeId, fieldId, start, m.ends[k]! + delta, (m.flags[k]! & MISSING) !== 0, slot);
  if (t.firstErrorId < 0) {
    for (let i = id + 1; i < id + count; i++) {
      if (t.flags[i]! & MISSING || t.typeIds[i] === ERROR_TYPE_ID) {
        t.firstErrorId = i;
        break;
      }
    }
  }
  return id + count;
}

/*
 * The two walks below are the same depth-first loop; they are written twice so that each call site only ever sees
 * one kind of callee (V8 then calls the wasm exports without its generic JS-to-wasm wrapper).
 */

/** Walks the whole tree once through the binding's cursor functions (reusing `old`'s subtrees), filling the mirror. */
function fillFast(t: SyntaxTree, info: LanguageInfo, c: BindingCursor, tree: number, hasError: boolean, old: MirrorCache | null): void {
  let parent = -1;
  let id = 0;
  for (;;) {
    const slot = c.nodeId(tree);
    const typeId = c.typeId(tree);
    const fieldId = parent < 0 ? 0 : c.fieldId(tree);
    const start = c.startIndex(tree);
    const k = old === null || parent < 0 ? -1 : cachedIndex(old, slot);
    if (k >= 0) {
      id = copySubtree(t, info, old!.mirror, k, id, parent, typeId, fieldId, start, slot);
    } else {
      record(t, info, id, parent, typeId, fieldId, start, c.endIndex(tree), hasError && c.isMissing(tree) !== 0, slot);
      if (c.gotoFirstChild(tree)) {
        parent = id++;
        continue;
      }
      t.subtreeEnds[id] = id + 1;
      id++;
    }
    while (!c.gotoNextSibling(tree)) {
      if (parent < 0 || !c.gotoParent(tree)) {
        t.nodeCount = id;
        return;
      }
      t.subtreeEnds[parent] = id;
      parent = t.parents[parent]!;
    }
  }
}

/** The same walk through the public `TreeCursor` (no reuse). */
function fillPublic(t: SyntaxTree, info: LanguageInfo, c: TreeCursor, hasError: boolean): void {
  let parent = -1;
  let id = 0;
  for (;;) {
    const typeId = c.nodeTypeId;
    const fieldId = parent < 0 ? 0 : c.currentFieldId;
    record(t, info, id, parent, typeId, fieldId, c.startIndex, c.endIndex, hasError && c.nodeIsMissing, c.nodeId);
    if (c.gotoFirstChild()) {
      parent = id++;
      continue;
    }
    t.subtreeEnds[id] = id + 1;
    id++;
    while (!c.gotoNextSibling()) {
      if (parent < 0 || !c.gotoParent()) {
        t.nodeCount = id;
        return;
      }
      t.subtreeEnds[parent] = id;
      parent = t.parents[parent]!;
    }
  }
}

/** The internal handles web-tree-sitter keeps on its objects: a tree's wasm address, a cursor's four words. */
type Handles = Record<number, number>;

/**
 * web-tree-sitter's binding (tree-sitter `lib/binding/web/lib/tree-sitter.c`) exports one function per cursor
 * operation; each reads the cursor (four 32-bit words) from a static transfer buffer and writes it back after a
 * move. The public `TreeCursor` copies its words into that buffer and out again around every call; keeping the
 * cursor in the buffer for the whole walk removes that. Used only when every function is there, the buffer
 * round-trips a public cursor exactly, and walks of a sample with syntax errors, fields, aliases and non-ASCII
 * text — parsed, then edited and re-parsed incrementally (the reuse path) — match the public cursor's node for
 * node; otherwise null and the public cursor is used.
 */
interface FastCursor {
  ops: BindingCursor;
  /** The transfer buffer as an index into HEAP32. */
  buffer: number;
  heap(): Int32Array;
  /** Whether subtrees of the previous walk are reused (the self test checked it). */
  reuse: boolean;
}

let fast: FastCursor | null | undefined;

const BINDING_FUNCTIONS: Record<keyof BindingCursor, string> = {
  gotoFirstChild: '_ts_tree_cursor_goto_first_child_wasm',
  gotoNextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
  gotoParent: '_ts_tree_cursor_goto_parent_wasm',
  typeId: '_ts_tree_cursor_current_node_type_id_wasm',
  fieldId: '_ts_tree_cursor_current_field_id_wasm',
  startIndex: '_ts_tree_cursor_start_index_wasm',
  endIndex: '_ts_tree_cursor_end_index_wasm',
  isMissing: '_ts_tree_cursor_current_node_is_missing_wasm',
  nodeId: '_ts_tree_cursor_current_node_id_wasm',
};

/** Exercises what the mirror reads: fields, aliases, ERROR and MISSING nodes, comments, non-BMP text, CRLF. */
const SELF_TEST_SOURCE = [
  '# -*- coding: utf-8 -*- 🐍',
  'from .a.b import (c as d, e,)  # trailing',
  'import x.y as z, w',
  '@deco(1, k=2)',
  'class C(B, metaclass=M):',
  '    """doc ünïcode 漢字 😀"""',
  '    def f(self, a, /, b: int = 1, *args, c, **kw) -> "R":',
  '        return [i for i in a if (j := i)] + (lambda q=1: q)(2)\r',
  '    def g(self): return self.f(1, b=2)',
  'match p:',
  '    case Point(x=0, y=_) | [1, *rest]: pass',
  'print(f"{a!r:>{w}} {b}")',
  'def broken(:',
  '    x = (1,',
  'y = [1, 2',
  '',
].join('\n');

function fastCursor(language: Language): FastCursor | null {
  if (fast !== undefined) return fast;
  fast = null;
  const binding = wasmBinding();
  if (!binding) return null;
  const fns: Partial<BindingCursor> = {};
  for (const [key, name] of Object.entries(BINDING_FUNCTIONS) as [keyof BindingCursor, string][]) {
    const fn = binding[name];
    if (typeof fn !== 'function') return null;
    fns[key] = fn as (tree: number) => number;
  }
  const init = binding['_ts_init'];
  const heap = (): Int32Array => binding['HEAP32'] as Int32Array;
  if (typeof init !== 'function' || !(heap() instanceof Int32Array)) return null;
  const candidate: FastCursor = { ops: fns as BindingCursor, buffer: (init as () => number)() >> 2, heap, reuse: false };
  const parser = new Parser();
  const trees: Tree[] = [];
  const saved = cache;
  cache = null;
  try {
    parser.setLanguage(language);
    const tree = parser.parse(SELF_TEST_SOURCE);
    if (!tree) return null;
    trees.push(tree);
    if (!tree.rootNode.hasError) return null;
    // The buffer must hold exactly what a public cursor holds after a move.
    const probe = tree.walk();
    try {
      probe.gotoFirstChild();
      const h = heap();
      const words = probe as unknown as Handles;
      for (let k = 0; k < 4; k++) if (typeof words[k] !== 'number' || h[candidate.buffer + k] !== words[k]) return null;
    } finally {
      probe.delete();
    }
    if (!sameMirror(mirrorWith(tree, SELF_TEST_SOURCE, candidate, false), mirrorWith(tree, SELF_TEST_SOURCE, null, false))) return null;
    fast = candidate;
    // Reuse: mirror, edit inside `g` (shifting everything after it), re-parse incrementally, mirror again.
    candidate.reuse = true;
    mirrorWith(tree, SELF_TEST_SOURCE, candidate, true);
    const at = SELF_TEST_SOURCE.indexOf('self.f(1') + 'self.f'.length;
    const edited = `${SELF_TEST_SOURCE.slice(0, at)}x${SELF_TEST_SOURCE.slice(at)}`;
    const row = SELF_TEST_SOURCE.slice(0, at).split('\n').length - 1;
    const column = at - (SELF_TEST_SOURCE.lastIndexOf('\n', at - 1) + 1);
    tree.edit(
      new Edit({
        startIndex: at,
        oldEndIndex: at,
        newEndIndex: at + 1,
        startPosition: { row, column },
        oldEndPosition: { row, column },
        newEndPosition: { row, column: column + 1 },
      }),
    );
    const next = parser.parse(edited, tree);
    if (!next) throw new Error('no tree');
    trees.push(next);
    const reused = mirrorWith(next, edited, candidate, true);
    candidate.reuse = reused.reusedCount > 0 && sameMirror(reused, mirrorWith(next, edited, null, false));
  } catch {
    if (fast) fast.reuse = false;
  } finally {
    releaseMirrorCache();
    cache = saved;
    for (const t of trees) t.delete();
    parser.delete();
  }
  return fast;
}

function sameMirror(a: SyntaxTree, b: SyntaxTree): boolean {
  if (a.nodeCount !== b.nodeCount || a.firstErrorId !== b.firstErrorId) return false;
  const arrays = (t: SyntaxTree) => [t.typeIds, t.fieldIds, t.starts, t.ends, t.parents, t.subtreeEnds, t.flags, t.slots];
  const bs = arrays(b);
  return arrays(a).every((x, k) => {
    for (let i = 0; i < a.nodeCount; i++) if (x[i] !== bs[k]![i]) return false;
    return true;
  });
}

function mirrorWith(tree: Tree, text: string, via: FastCursor | null, reuse: boolean): SyntaxTree {
  const info = languageInfo(tree.language);
  const root = tree.rootNode;
  const mirror = new SyntaxTree(text, info, root.descendantCount);
  const hasError = root.hasError;
  const cursor = tree.walk();
  try {
    if (!via) {
      fillPublic(mirror, info, cursor, hasError);
      return mirror;
    }
    const words = cursor as unknown as Handles;
    let h = via.heap();
    for (let k = 0; k < 4; k++) h[via.buffer + k] = words[k]!;
    try {
      fillFast(mirror, info, via.ops, (tree as unknown as Handles)[0]!, hasError, reuse && via.reuse ? cache : null);
    } finally {
      // The walk moved the cursor (and may have reallocated its stack): hand the words back so delete() frees them.
      h = via.heap();
      for (let k = 0; k < 4; k++) words[k] = h[via.buffer + k]!;
    }
    if (reuse && via.reuse) remember(tree, mirror);
    return mirror;
  } finally {
    cursor.delete();
  }
}

/**
 * Mirrors `tree`, which must have been parsed from `text`. Options for the tests: `publicCursor` walks with the
 * public `TreeCursor`; `reuse: false` neither reuses nor caches subtrees.
 */
export function mirrorTree(tree: Tree, text: string, options: { publicCursor?: boolean; reuse?: boolean } = {}): SyntaxTree {
  return mirrorWith(tree, text, options.publicCursor ? null : fastCursor(tree.language), options.reuse ?? true);
}

/** How mirrors are walked: through the binding's cursor functions (with or without subtree reuse), or the public cursor. */
export function walkMode(language: Language): 'binding+reuse' | 'binding' | 'public' {
  const f = fastCursor(language);
  return f === null ? 'public' : f.reuse ? 'binding+reuse' : 'binding';
}
