import type { Position, Range } from '../types.js';

/**
 * Everything the rules need to know about one Python file, extracted in a single pass over its syntax tree.
 * Facts are plain data (no tree-sitter objects) so the tree can be deleted right after extraction and facts
 * can be cached by content hash. Ranges are 0-based, UTF-16 columns.
 */

export interface ImportItem {
  /** `from` statements: the imported name (`X`). `import` statements: the full dotted module (`a.b.c`). */
  name: string;
  asName: string | null;
  /** The name this item binds in its scope. */
  local: string;
  /** The whole item (`X as Y` or `a.b.c`). */
  range: Range;
  /** The imported name / dotted module inside the item. */
  nameRange: Range;
}

export interface ImportGuard {
  /** Inside a `try:` whose handlers catch ImportError (or a superclass): a failure is expected. */
  tryImportError: boolean;
  /** Under `if TYPE_CHECKING:`: never executed at run time. */
  typeChecking: boolean;
  /** Inside a function or class body rather than at module level. */
  nested: boolean;
}

export interface ImportStatement {
  kind: 'import' | 'from';
  /** Number of leading dots of a relative `from` import. */
  level: number;
  /** Dotted module after the dots (`from ..a.b import x` → `a.b`), '' for `from . import x`, null for `import`. */
  module: string | null;
  /** Absolute module of a `from` statement; null when relative and not resolvable from this file's module. */
  absModule: string | null;
  range: Range;
  moduleRange: Range | null;
  items: ImportItem[];
  star: boolean;
  parenthesized: boolean;
  guard: ImportGuard;
  /** Whitespace before the statement on its first line, for inserting sibling statements. */
  indent: string;
}

export type RefContext = 'load' | 'call' | 'base' | 'decorator';

export interface CallInfo {
  /** The `(...)` argument list. */
  argsRange: Range;
  argCount: number;
  hasStarArgs: boolean;
  hasKeywords: boolean;
  /** Arguments passed by position (not counting `*args` / `**kwargs`). */
  positional: number;
  /** Names of the keyword arguments, in order. */
  keywords: string[];
  trailingComma: boolean;
}

/** A use of a name bound by an import, possibly followed by attribute accesses (`dt.datetime.utcnow`). */
export interface Ref {
  stmt: number;
  item: number;
  /** Attribute names after the base identifier. */
  chain: string[];
  /**
   * The ref's ranges, flat, four numbers each (start line, start column, end line, end column): first the
   * chain.length + 1 ranges of refRange, then the chain.length ranges of attrRange. Numbers, not Range objects:
   * a workspace check keeps every outline ref (110,000 on the stdlib), and as objects (a dozen per ref) their
   * ranges were most of the outline facts' memory and of the garbage collector's work.
   */
  coords: readonly number[];
  /** How the whole chain expression is used. */
  context: RefContext;
  /** Set when the whole chain is called. */
  call: CallInfo | null;
  /** True where a bare `lambda` may replace the expression without parentheses (argument, assignment value). */
  lambdaSafe: boolean;
}

/** Range k of a ref (0 ≤ k ≤ chain.length): the base identifier plus its first k attributes. */
export function refRange(ref: Ref, k: number): Range {
  return rangeAt(ref.coords, 4 * k);
}

/** The range of the identifier of attribute chain[k]. */
export function attrRange(ref: Ref, k: number): Range {
  return rangeAt(ref.coords, 4 * (ref.chain.length + 1 + k));
}

/** The k for which refRange(ref, k) is `range`, or -1. */
export function refRangeIndex(ref: Ref, range: Range): number {
  const c = ref.coords;
  for (let k = 0, i = 0; k <= ref.chain.length; k++, i += 4) {
    if (c[i + 2] === range.end.line && c[i + 3] === range.end.column && c[i] === range.start.line && c[i + 1] === range.start.column) return k;
  }
  return -1;
}

/** Whether `p` lies within the ref's whole chain, ends included. */
export function refCovers(ref: Ref, p: Position): boolean {
  const c = ref.coords;
  const last = 4 * ref.chain.length;
  const afterStart = p.line > c[0]! || (p.line === c[0] && p.column >= c[1]!);
  const beforeEnd = p.line < c[last + 2]! || (p.line === c[last + 2] && p.column <= c[last + 3]!);
  return afterStart && beforeEnd;
}

/** Ref.coords of these ranges (refRange's, then attrRange's). */
export function packRefRanges(ranges: readonly Range[], attrRanges: readonly Range[]): number[] {
  const coords: number[] = [];
  for (const r of ranges) coords.push(r.start.line, r.start.column, r.end.line, r.end.column);
  for (const r of attrRanges) coords.push(r.start.line, r.start.column, r.end.line, r.end.column);
  return coords;
}

function rangeAt(coords: readonly number[], i: number): Range {
  if (i + 4 > coords.length) throw new RangeError(`no range at ${i / 4} of a ref with ${coords.length / 4}`);
  return { start: { line: coords[i]!, column: coords[i + 1]! }, end: { line: coords[i + 2]!, column: coords[i + 3]! } };
}

export type BindingKind = 'class' | 'function' | 'assign' | 'alias' | 'import' | 'other';

/** A name bound at module level. The index resolves re-exports through these. */
export interface ModuleBinding {
  name: string;
  kind: BindingKind;
  /** The bound name's range (the identifier, or the import item). */
  range: Range;
  /** Inside an `except ImportError:` handler: a fallback, not the primary definition. */
  fallback: boolean;
  /** Inside an `if`/`try`/loop/`with`/`match` at module level: one of several platform or version variants. */
  conditional: boolean;
  /** For `import`: the statement and item. */
  stmt?: number;
  item?: number;
  /** For `alias`: `Name = a.b.c` → ['a', 'b', 'c']. */
  aliasTarget?: string[];
}

export interface Deprecation {
  message: string;
  via: 'decorator' | 'warn';
}

export interface Parameter {
  /** `*args` → 'args' (a bare `*` marker has no entry of its own). */
  name: string;
  kind: 'positional-only' | 'positional' | 'keyword-only' | 'var-positional' | 'var-keyword';
  /** The default value's source text, null when the parameter is required. */
  default: string | null;
  range: Range;
}

export interface Definition {
  /** Dotted path inside the module: `Class`, `func`, `Class.method`. */
  qualName: string;
  kind: 'class' | 'function';
  nameRange: Range;
  deprecation: Deprecation | null;
  /** Dotted decorator names without arguments (`staticmethod`, `functools.wraps`). */
  decorators: string[];
  /** Functions: the parameter list (including `self`/`cls`). Classes: null. */
  params: Parameter[] | null;
  /** Defined under `if`/`try`/loop at its level, or in an ImportError fallback: one of several variants. */
  conditional: boolean;
}

export interface LegacyWarning {
  /** The warning's text; empty when it is not a string literal or a module-level string constant. */
  message: string;
  category: string;
  /** The `warnings.warn(...)` call. */
  range: Range;
}

export interface FileFacts {
  /** Dotted module name, null when not importable. */
  module: string | null;
  isPackage: boolean;
  imports: ImportStatement[];
  refs: Ref[];
  bindings: ModuleBinding[];
  definitions: Definition[];
  /** Module-level `warnings.warn(..., DeprecationWarning)`: the module is a legacy shim. */
  legacyWarnings: LegacyWarning[];
  /** Static `__all__`, null when absent. */
  all: string[] | null;
  allDynamic: boolean;
  hasGetattr: boolean;
  /** Calls `globals()`: names may be created at run time, so a missing name is unknowable, not missing. */
  dynamicGlobals: boolean;
  /** Module-level names read somewhere in this file (not through an import). */
  moduleNameLoads: string[];
  /** Every name bound anywhere in the file, for conflict checks before a fix introduces a name. */
  boundNames: string[];
  /** Names read that no scope binds and that are not builtins: a fix must never add one. */
  unboundNames: string[];
  /** line → codes suppressed on it; an empty array means all codes. */
  suppressions: [number, string[]][];
  /** First syntax error, if any. */
  syntaxError: Range | null;
}
