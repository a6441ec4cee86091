import type { Definition, FileFacts, ImportStatement, ModuleBinding } from '../python/facts.js';
import type { FileProblem, Range } from '../types.js';
import { sameExports, sameProjectInputs } from './sameFacts.js';

/**
 * The workspace as the rules see it: every Python file's facts, the module table, and resolution of any
 * imported name to its origin definition through re-exports, renames and aliases, across files.
 * It holds no trees and no text; it is cheap to update one file at a time.
 */

export interface ProjectFile {
  relPath: string;
  absPath: string;
  module: string | null;
  isPackage: boolean;
  category: string;
  /** Part of what the user asked to check (the module universe may be larger). */
  inScope: boolean;
  facts: FileFacts;
  problems: FileProblem[];
  /** Its contents could not be read or decoded: names imported from it are unknowable, never "missing". */
  opaque: boolean;
  /**
   * Facts from the pre-scan (python/outline.ts), not a parse: imports, bindings, definitions, `__all__` and
   * suppressions are exact, refs and module name loads over-approximate (every real one plus uses a scope shadows),
   * and there are no bound names or syntax check. Only a whole-workspace `check` holds such files, and a finding in
   * one makes it parse the file fully unless its rule reads only exact facts (Rule.outlineExact; workspace/load.ts).
   */
  outline?: boolean;
  /**
   * An outline file whose refs of the import items its findings are about are exact, from a parse of the file with
   * the statements that never name them blanked (workspace/focus.ts): it serves rules like a parsed file while its
   * focus holds, and counts as an outline file for everything else.
   */
  focus?: Focus;
}

/** Focus.items' key of an import item: its statement and item indexes. */
export function focusKey(stmt: number, item: number): string {
  return `${stmt}:${item}`;
}

/** The statement and item indexes a focusKey names. */
export function focusItemOf(key: string): [stmt: number, item: number] {
  const colon = key.indexOf(':');
  return [Number(key.slice(0, colon)), Number(key.slice(colon + 1))];
}

/** What a focused parse is asked for (workspace/focus.ts). */
export interface FocusRequest {
  /** focusKey of the import items whose refs must be exact. */
  items: ReadonlySet<string>;
  /**
   * focusKey → attribute names: import items whose refs must be exact where their chain spells one of these names (a
   * finding on `datetime.utcnow` is about that chain, and its fix edits that use only); their other refs stay the
   * outline's over-approximation.
   */
  chains: ReadonlyMap<string, ReadonlySet<string>>;
  /** Module-level names whose name loads must be exact (moduleNameLoads holds them exactly when read). */
  names: ReadonlySet<string>;
}

/** A request for these items whole and these chains and names: an item wanted whole needs no chains of its own. */
export function focusRequest(items: Set<string>, chains: Map<string, ReadonlySet<string>>, names: ReadonlySet<string> = new Set()): FocusRequest {
  for (const key of items) chains.delete(key);
  return { items, chains, names };
}

/** Both requests in one (null, a full parse, when either is): what one focused parse must make exact for two readers. */
export function unionOfRequests(a: FocusRequest | null, b: FocusRequest | null): FocusRequest | null {
  if (!a || !b) return null;
  const chains = new Map<string, ReadonlySet<string>>();
  for (const [key, words] of [...a.chains, ...b.chains]) chains.set(key, new Set([...(chains.get(key) ?? []), ...words]));
  return focusRequest(new Set([...a.items, ...b.items]), chains, new Set([...a.names, ...b.names]));
}

/** Adds what one reader needs of `key` to what others asked (unionOfRequests). */
export function addRequest<K>(wanted: Map<K, FocusRequest | null>, key: K, request: FocusRequest | null): void {
  wanted.set(key, wanted.has(key) ? unionOfRequests(wanted.get(key)!, request) : request);
}

/** Whether a focus already makes exact everything `request` asks for. */
export function focusHolds(focus: FocusRequest, request: FocusRequest): boolean {
  return (
    [...request.items].every((k) => focus.items.has(k)) &&
    [...request.chains].every(([k, words]) => focus.items.has(k) || [...words].every((w) => focus.chains.get(k)?.has(w))) &&
    [...request.names].every((n) => focus.names.has(n))
  );
}

/** What a focused parse vouches for. */
export interface Focus extends FocusRequest {
  /** [start, end) offsets of the statements replaced by `pass`. */
  blanked: readonly (readonly [number, number])[];
}

/** One step of a re-export chain: `name` as seen in `module`. */
export interface Hop {
  module: string;
  name: string;
  path: string;
  range: Range;
  via: 'import' | 'alias' | 'star';
}

export type Target =
  | { kind: 'module'; module: string; workspace: boolean; hops: Hop[] }
  | {
      kind: 'symbol';
      /** Module of the origin definition. */
      module: string;
      /** Dotted name inside the module: `Class` or `Class.method`. */
      name: string;
      defKind: ModuleBinding['kind'] | 'member';
      path: string;
      range: Range;
      hops: Hop[];
    }
  | { kind: 'external'; qualname: string; hops: Hop[] }
  | { kind: 'dynamic'; hops: Hop[] }
  | { kind: 'unresolved'; module: string; name: string; hops: Hop[] };

/** Stable key of a resolved target, the identity migrations are keyed by. */
export function targetKey(t: Target): string | null {
  switch (t.kind) {
    case 'module':
      return t.module;
    case 'symbol':
      return `${t.module}.${t.name}`;
    case 'external':
      return t.qualname;
    default:
      return null;
  }
}

const MAX_HOPS = 64;

export class Project {
  private readonly files = new Map<string, ProjectFile>();
  private readonly modules = new Map<string, ProjectFile>();
  private namespaceCache: Set<string> | null = null;
  /** resolveExport's answers by module, then name: a joined key string would be built and hashed on every call. */
  private readonly exportCache = new Map<string, Map<string, Target>>();
  /** Bumped whenever anything another file can observe changes; derived tables key on it. */
  generation = 0;
  /**
   * Bumped whenever anything the workspace-wide rules (Rule.checkProject) read changes: exports (with generation),
   * imports, refs through modules, name loads, suppressions. Their findings key on it, so a keystroke in a function
   * body does not recompute import cycles.
   */
  workspaceRevision = 0;
  /** Bumped on every change. */
  revision = 0;

  allFiles(): IterableIterator<ProjectFile> {
    return this.files.values();
  }

  get size(): number {
    return this.files.size;
  }

  file(relPath: string): ProjectFile | undefined {
    return this.files.get(relPath);
  }

  moduleFile(module: string): ProjectFile | undefined {
    return this.modules.get(module);
  }

  /** Adds or replaces a file. Returns true when other files may see a difference (exports changed). */
  upsert(file: ProjectFile): boolean {
    const previous = this.files.get(file.relPath);
    if (previous?.module && this.modules.get(previous.module) === previous) this.modules.delete(previous.module);
    this.files.set(file.relPath, file);
    if (file.module && !this.modules.has(file.module)) this.modules.set(file.module, file);
    // Compared with the version it replaces, field by field (sameFacts.ts).
    const changed = !previous || !sameExports(previous, file);
    this.revision++;
    if (changed) this.invalidate();
    else if (!sameProjectInputs(previous, file)) this.workspaceRevision++;
    return changed;
  }

  remove(relPath: string): boolean {
    const previous = this.files.get(relPath);
    if (!previous) return false;
    this.files.delete(relPath);
    this.revision++;
    if (previous.module && this.modules.get(previous.module) === previous) {
      this.modules.delete(previous.module);
      // Another file may claim the same module name (e.g. two src roots).
      for (const f of this.files.values()) if (f.module === previous.module) this.modules.set(f.module, f);
    }
    this.invalidate();
    return true;
  }

  private invalidate(): void {
    this.exportCache.clear();
    this.namespaceCache = null;
    this.generation++;
    this.workspaceRevision++;
  }

  /** Namespace packages (PEP 420): directories of modules without an __init__.py. */
  private namespaces(): Set<string> {
    if (!this.namespaceCache) {
      const set = new Set<string>();
      for (const m of this.modules.keys()) {
        const parts = m.split('.');
        for (let i = 1; i < parts.length; i++) {
          const pkg = parts.slice(0, i).join('.');
          if (!this.modules.has(pkg)) set.add(pkg);
        }
      }
      this.namespaceCache = set;
    }
    return this.namespaceCache;
  }

  isNamespacePackage(module: string): boolean {
    return !this.modules.has(module) && this.namespaces().has(module);
  }

  /** A module that exists in the workspace, as a file or a namespace package. */
  hasModule(module: string): boolean {
    return this.modules.has(module) || this.namespaces().has(module);
  }

  /** `os.path` when `os` is a plain module: only reachable through sys.modules tricks, so unknowable. */
  isBelowPlainModule(module: string): boolean {
    for (let dot = module.indexOf('.'); dot >= 0; dot = module.indexOf('.', dot + 1)) {
      const file = this.modules.get(module.slice(0, dot));
      if (file && !file.isPackage) return true;
    }
    return false;
  }

  /** Whether imports of `module` are workspace imports (its top-level package lives here). */
  ownsModule(module: string): boolean {
    const dot = module.indexOf('.');
    return this.hasModule(dot < 0 ? module : module.slice(0, dot));
  }

  // ---- resolution --------------------------------------------------------------------------------------

  /** What `from module import name` binds. */
  resolveExport(module: string, name: string): Target {
    let byName = this.exportCache.get(module);
    if (!byName) this.exportCache.set(module, (byName = new Map()));
    const cached = byName.get(name);
    if (cached) return cached;
    const result = this.resolveExportUncached(module, name, new Set());
    byName.set(name, result);
    return result;
  }

  private resolveExportUncached(module: string, name: string, seen: Set<string>): Target {
    const key = `${module}\0${name}`;
    const submodule = `${module}.${name}`;
    if (seen.has(key) || seen.size > MAX_HOPS) {
      // `from . import sub` inside pkg/__init__ refers to itself by name: Python imports the submodule.
      if (this.hasModule(submodule)) return { kind: 'module', module: submodule, workspace: true, hops: [] };
      return { kind: 'unresolved', module, name, hops: [] };
    }
    seen.add(key);
    const file = this.modules.get(module);
    if (!file) {
      if (this.hasModule(submodule)) return { kind: 'module', module: submodule, workspace: true, hops: [] };
      if (!this.ownsModule(module)) return { kind: 'external', qualname: submodule, hops: [] };
      if (this.isBelowPlainModule(module)) return { kind: 'dynamic', hops: [] };
      return { kind: 'unresolved', module, name, hops: [] };
    }
    if (file.opaque) return { kind: 'dynamic', hops: [] };
    const binding = primaryBinding(file.facts.bindings, name);
    if (binding) return this.resolveBinding(file, binding, seen);
    if (this.hasModule(submodule)) return { kind: 'module', module: submodule, workspace: true, hops: [] };
    for (const stmt of file.facts.imports) {
      if (!stmt.star || stmt.guard.nested || stmt.absModule === null) continue;
      if (!this.ownsModule(stmt.absModule)) return { kind: 'dynamic', hops: [] };
      const source = this.modules.get(stmt.absModule);
      if (!source || !starExports(source.facts, name)) continue;
      const inner = this.resolveExportUncached(stmt.absModule, name, seen);
      if (inner.kind === 'unresolved') continue;
      return prependHop(inner, { module, name, path: file.relPath, range: stmt.range, via: 'star' });
    }
    // Module attributes the interpreter sets, `__getattr__`, and modules that write globals() at run time.
    if (file.facts.hasGetattr || file.facts.allDynamic || file.facts.dynamicGlobals || /^__\w+__$/.test(name)) return { kind: 'dynamic', hops: [] };
    return { kind: 'unresolved', module, name, hops: [] };
  }

  private resolveBinding(file: ProjectFile, binding: ModuleBinding, seen: Set<string>): Target {
    const module = file.module!;
    switch (binding.kind) {
      case 'import': {
        const stmt = file.facts.imports[binding.stmt!]!;
        const item = stmt.items[binding.item!]!;
        const hop: Hop = { module, name: binding.name, path: file.relPath, range: binding.range, via: 'import' };
        const inner = this.resolveImportItemInner(stmt, item.name, item.asName !== null, seen);
        return prependHop(inner, hop);
      }
      case 'alias': {
        const target = binding.aliasTarget!;
        let t = this.resolveExportUncached(module, target[0]!, seen);
        for (const attr of target.slice(1)) t = this.member(t, attr, seen);
        const hop: Hop = { module, name: binding.name, path: file.relPath, range: binding.range, via: 'alias' };
        // `x = y` where y is a plain value is an assignment, not an alias of a definition.
        if (t.kind === 'unresolved' || t.kind === 'dynamic') {
          return { kind: 'symbol', module, name: binding.name, defKind: 'assign', path: file.relPath, range: binding.range, hops: [] };
        }
        return prependHop(t, hop);
      }
      default:
        return { kind: 'symbol', module, name: binding.name, defKind: binding.kind, path: file.relPath, range: binding.range, hops: [] };
    }
  }

  private resolveImportItemInner(stmt: ImportStatement, itemName: string, hasAs: boolean, seen: Set<string>): Target {
    if (stmt.kind === 'from') {
      if (stmt.absModule === null) return { kind: 'unresolved', module: '.'.repeat(stmt.level) + (stmt.module ?? ''), name: itemName, hops: [] };
      if (!this.ownsModule(stmt.absModule)) return { kind: 'external', qualname: `${stmt.absModule}.${itemName}`, hops: [] };
      return this.resolveExportUncached(stmt.absModule, itemName, seen);
    }
    // `import a.b.c` binds `a`; `import a.b.c as x` binds the module a.b.c.
    const module = hasAs ? itemName : itemName.split('.')[0]!;
    const workspace = this.ownsModule(module);
    if (workspace && !this.hasModule(module)) return { kind: 'unresolved', module, name: '', hops: [] };
    return workspace ? { kind: 'module', module, workspace: true, hops: [] } : { kind: 'external', qualname: module, hops: [] };
  }

  /** What a name bound by one import item of `file` refers to. */
  resolveImportItem(file: ProjectFile, stmtIndex: number, itemIndex: number): Target {
    const stmt = file.facts.imports[stmtIndex]!;
    const item = stmt.items[itemIndex]!;
    if (stmt.kind === 'from' && stmt.absModule !== null && this.ownsModule(stmt.absModule)) {
      return this.resolveExport(stmt.absModule, item.name);
    }
    return this.resolveImportItemInner(stmt, item.name, item.asName !== null, new Set());
  }

  /**
   * A dotted name as a user writes it in config (`pkg.mod`, `pkg.mod.Class.method`): the longest workspace module
   * prefix, then its exports and members. Names outside the workspace come back `external`, trusted as written.
   */
  resolveDotted(dotted: string): { target: Target; module: string; name: string } {
    if (this.hasModule(dotted)) return { target: { kind: 'module', module: dotted, workspace: true, hops: [] }, module: dotted, name: '' };
    const parts = dotted.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const module = parts.slice(0, i).join('.');
      if (!this.hasModule(module)) continue;
      let t = this.resolveExport(module, parts[i]!);
      for (const attr of parts.slice(i + 1)) t = this.member(t, attr);
      return { target: t, module, name: parts.slice(i).join('.') };
    }
    if (this.ownsModule(dotted)) return { target: { kind: 'unresolved', module: dotted, name: '', hops: [] }, module: dotted, name: '' };
    return { target: { kind: 'external', qualname: dotted, hops: [] }, module: parts.slice(0, -1).join('.'), name: parts[parts.length - 1]! };
  }

  /** `target.attr`. */
  member(target: Target, attr: string, seen?: Set<string>): Target {
    switch (target.kind) {
      case 'module':
        if (!target.workspace) return { kind: 'external', qualname: `${target.module}.${attr}`, hops: target.hops };
        // From outside a resolution (no `seen`), the same answer as resolveExport's, which caches it: rules follow
        // `os.path.join` in every file.
        return withHops(seen ? this.resolveExportUncached(target.module, attr, seen) : this.resolveExport(target.module, attr), target.hops);
      case 'external':
        return { kind: 'external', qualname: `${target.qualname}.${attr}`, hops: target.hops };
      case 'symbol': {
        const qualName = `${target.name}.${attr}`;
        const file = this.modules.get(target.module);
        const def = file ? definitionNamed(file.facts.definitions, qualName) : undefined;
        return {
          kind: 'symbol',
          module: target.module,
          name: qualName,
          defKind: 'member',
          path: target.path,
          range: def?.nameRange ?? target.range,
          hops: target.hops,
        };
      }
      default:
        return target;
    }
  }
}

function prependHop(t: Target, hop: Hop): Target {
  return { ...t, hops: [hop, ...t.hops] } as Target;
}

function withHops(t: Target, hops: Hop[]): Target {
  return hops.length ? ({ ...t, hops: [...hops, ...t.hops] } as Target) : t;
}

/** The binding a module's importers see: the last primary one (fallbacks only if nothing else). */
export function primaryBinding(bindings: ModuleBinding[], name: string): ModuleBinding | null {
  let index = primaryIndex.get(bindings);
  if (!index) {
    index = new Map();
    // A primary binding replaces whatever came before it; a fallback only fills a name nothing bound yet.
    for (const b of bindings) if (!b.fallback || !index.has(b.name)) index.set(b.name, b);
    primaryIndex.set(bindings, index);
  }
  return index.get(name) ?? null;
}

// Facts are never mutated once extracted, so their arrays can key indexes: resolution asks the same module for
// name after name (a linear scan of a module with a thousand bindings, per name, per file importing it).
const primaryIndex = new WeakMap<ModuleBinding[], Map<string, ModuleBinding>>();
const definitionIndex = new WeakMap<Definition[], Map<string, Definition>>();

/** The first definition with this qualified name. */
function definitionNamed(definitions: Definition[], qualName: string): Definition | undefined {
  let index = definitionIndex.get(definitions);
  if (!index) {
    index = new Map();
    for (const d of definitions) if (!index.has(d.qualName)) index.set(d.qualName, d);
    definitionIndex.set(definitions, index);
  }
  return index.get(qualName);
}

/** Whether `from m import *` brings `name` (its `__all__`, else its public names). */
function starExports(facts: FileFacts, name: string): boolean {
  if (facts.all) return facts.all.includes(name);
  if (name.startsWith('_')) return false;
  return facts.bindings.some((b) => b.name === name) || facts.imports.some((s) => s.star && !s.guard.nested);
}
