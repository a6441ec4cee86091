import type { Parameter } from '../python/facts.js';
import type { Range } from '../types.js';

/**
 * The vocabulary of the breaking-change analysis: a public API snapshot of one revision, the changes between
 * two snapshots and the workspace sites each change breaks. Everything here is plain JSON-serializable data.
 */

// ---- snapshot ------------------------------------------------------------------------------------------

/** How a public name of a module came to be there. */
export type ApiNameKind = 'class' | 'function' | 'alias' | 're-export' | 'variable' | 'submodule';

export interface ApiName {
  name: string;
  kind: ApiNameKind;
  /**
   * What the name resolves to, as `Project.targetKey` spells it: `pkg.mod.Class`, a module `pkg.sub`, or an
   * external qualname `collections.OrderedDict`; null when it cannot be known statically (module `__getattr__`).
   */
  origin: string | null;
  /** Where the name is bound in this module (the identifier or the import item). */
  path: string;
  range: Range;
}

export interface ApiModule {
  module: string;
  path: string;
  isPackage: boolean;
  /** A dotted segment starts with `_` (`pkg._impl`, `__main__`): listed, but not part of the published API. */
  private: boolean;
  /** A legacy shim: a module-level `warnings.warn(..., DeprecationWarning)` (the MigrationModel's notion). */
  shim: boolean;
  /** The names come from a static `__all__` rather than the public-name convention. */
  explicitAll: boolean;
  /** Why the module cannot be compared (syntax error, unreadable); null when it can. */
  problem: string | null;
  /** Public names, sorted. */
  names: ApiName[];
}

export interface ApiParam {
  name: string;
  kind: Parameter['kind'];
  /** Source text of the default, null when required. */
  default: string | null;
}

/** How a callable receives its first argument; decides what a call site passes for `self` / `cls`. */
export type ApiBinding = 'function' | 'method' | 'classmethod' | 'staticmethod' | 'property';

export interface ApiFunction {
  /** Path relative to the owner: `f` for a function, `begin` or `Inner.begin` for a method of a class. */
  name: string;
  path: string;
  range: Range;
  /** null when conditional variants disagree (`if sys.platform == ...: def f(a) else: def f(a, b)`). */
  params: ApiParam[] | null;
  decorators: string[];
  binding: ApiBinding;
}

/** A class or function definition that some public name resolves to, keyed by origin. */
export interface ApiDefinition {
  /** Origin key: `module.qualName`. */
  key: string;
  module: string;
  qualName: string;
  kind: 'class' | 'function';
  path: string;
  range: Range;
  /** Functions: the signature. */
  function: ApiFunction | null;
  /** Classes: public methods (any depth of nested class, `Inner.m`), plus `__init__` (the constructor), sorted. */
  methods: ApiFunction[] | null;
}

export interface ApiSnapshot {
  /** Every importable workspace module, sorted by name. */
  modules: ApiModule[];
  /** The definitions public names resolve to, sorted by key. */
  definitions: ApiDefinition[];
}

// ---- changes -------------------------------------------------------------------------------------------

export type ApiChangeKind =
  | 'module-removed'
  | 'module-moved-behind-shim'
  | 'module-moved'
  | 'symbol-removed'
  | 'symbol-moved'
  | 'method-removed'
  | 'method-renamed'
  | 'parameter-removed'
  | 'parameter-renamed'
  | 'parameter-made-required'
  | 'positional-order-changed'
  | 'default-changed'
  | 'kind-changed';

export const API_CHANGE_KINDS: readonly ApiChangeKind[] = [
  'module-removed',
  'module-moved-behind-shim',
  'module-moved',
  'symbol-removed',
  'symbol-moved',
  'method-removed',
  'method-renamed',
  'parameter-removed',
  'parameter-renamed',
  'parameter-made-required',
  'positional-order-changed',
  'default-changed',
  'kind-changed',
];

/** One side of a change: where the API element is defined and what it looks like there. */
export interface ApiLocation {
  path: string;
  /** 1-based. */
  line: number;
  /** `name(a, b=1, *, c)` for callables, `class Name`, `module pkg.mod`, or the bare name of a variable. */
  signature: string;
}

/** A place in the current workspace that the change breaks. */
export interface ApiSite {
  path: string;
  /** 1-based line and 1-based UTF-16 column. */
  line: number;
  column: number;
  /** The source line, trimmed. */
  text: string;
}

export interface ApiChange {
  kind: ApiChangeKind;
  /** Breaks a caller of the published API. Always false for non-public modules and names. */
  breaking: boolean;
  /** The module is public and every segment of the symbol is public (`__init__` counts as public). */
  public: boolean;
  /** The module the API element is imported from (at the base revision). */
  module: string;
  /** Dotted name inside the module (`Service.begin`, `Service.__init__`), '' for a whole module. */
  symbol: string;
  message: string;
  before: ApiLocation | null;
  after: ApiLocation | null;
  /** Moves: the module it went to. */
  movedTo: string | null;
  /** Moves and renames found by a guess: which one (`same-public-names`, `same-definitions`, `same-parameters`, ...). */
  heuristic: string | null;
  /**
   * Workspace sites (at the current revision) the change breaks, sorted. Listed for non-public changes too:
   * the workspace's own uses of a private module break all the same.
   */
  sites: ApiSite[];
}

export interface NotCompared {
  module: string;
  path: string;
  revision: 'base' | 'now';
  reason: string;
}

export interface ApiSummary {
  /** Every kind, zero included, in API_CHANGE_KINDS order. */
  byKind: Record<ApiChangeKind, number>;
  changes: number;
  breaking: number;
  /** Distinct broken sites (path:line:column) over all changes. */
  sites: number;
  notCompared: number;
}

export interface ApiReport {
  summary: ApiSummary;
  changes: ApiChange[];
  notCompared: NotCompared[];
}
