import type { Definition, Parameter } from '../python/facts.js';
import { primaryBinding, targetKey, type Project, type ProjectFile, type Target } from '../project/project.js';
import { compareStrings } from '../text.js';
import type { ApiBinding, ApiDefinition, ApiFunction, ApiModule, ApiName, ApiNameKind, ApiParam, ApiSnapshot } from './types.js';

/**
 * The public API of a Project: per importable workspace module, the names a user may import from it and what
 * each one is, and the signatures of the classes and functions those names resolve to.
 *
 * Which names are public (PEP 8's "Public and internal interfaces", with the typing convention for re-exports):
 * - a static `__all__` lists them exactly (underscore names included);
 * - otherwise the names the module defines (class, def, assignment, alias) that do not start with `_`,
 * - plus imported names that are re-exports by intent: everything a package `__init__` or a legacy shim imports
 *   from the workspace, `from m import X as X` anywhere, and what `from m import *` brings from a workspace module.
 *   A plain module's other imports (`from pkg.models import User` used internally, `import os`) are
 *   implementation details and not part of its API.
 * Loop variables, `with ... as x` and other incidental bindings count only when `__all__` lists them.
 */

export function isPrivateModule(module: string): boolean {
  return module.split('.').some((s) => s.startsWith('_') && s !== '__init__');
}

export function isPublicName(name: string): boolean {
  return !name.startsWith('_');
}

/** Why a file's API cannot be compared, or null. */
export function fileProblem(file: ProjectFile): string | null {
  if (file.opaque) return file.problems[0]?.message ?? 'unreadable';
  const e = file.facts.syntaxError;
  return e ? `syntax error at line ${e.start.line + 1}, column ${e.start.column + 1}` : null;
}

/** A target whose origin is in the workspace (a module file or a definition). */
function inWorkspace(t: Target): boolean {
  return t.kind === 'symbol' || (t.kind === 'module' && t.workspace);
}

/** The public names of one module, with memoized star-import expansion. */
class PublicNames {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly project: Project) {}

  of(file: ProjectFile, visiting: Set<string> = new Set()): string[] {
    const module = file.module!;
    const cached = this.cache.get(module);
    if (cached) return cached;
    if (visiting.has(module)) return [];
    visiting.add(module);
    const facts = file.facts;
    let names: string[];
    if (facts.all && !facts.allDynamic) {
      names = [...new Set(facts.all)];
    } else {
      const reexporting = file.isPackage || facts.legacyWarnings.length > 0;
      const set = new Set<string>();
      for (const b of facts.bindings) {
        if (!isPublicName(b.name) || set.has(b.name) || primaryBinding(facts.bindings, b.name) !== b) continue;
        switch (b.kind) {
          case 'class':
          case 'function':
          case 'assign':
          case 'alias':
            set.add(b.name);
            break;
          case 'import': {
            const stmt = facts.imports[b.stmt!]!;
            const item = stmt.items[b.item!]!;
            const explicit = stmt.kind === 'from' ? item.asName === item.name : item.asName !== null && item.asName === item.name.split('.').pop();
            if (explicit || (reexporting && inWorkspace(this.project.resolveExport(module, b.name)))) set.add(b.name);
            break;
          }
          default:
            break;
        }
      }
      for (const stmt of facts.imports) {
        if (!stmt.star || stmt.guard.nested || stmt.absModule === null) continue;
        const source = this.project.moduleFile(stmt.absModule);
        if (!source || source.opaque) continue;
        for (const n of this.of(source, visiting)) {
          if (isPublicName(n) && !facts.bindings.some((b) => b.name === n)) set.add(n);
        }
      }
      names = [...set];
    }
    names.sort();
    visiting.delete(module);
    this.cache.set(module, names);
    return names;
  }
}

function nameKind(module: string, name: string, t: Target, bindingKind: string | null): ApiNameKind {
  if (t.kind === 'module') return 'submodule';
  if (t.kind === 'symbol' && t.module === module && t.name === name && t.hops.length === 0) {
    return t.defKind === 'class' ? 'class' : t.defKind === 'function' ? 'function' : 'variable';
  }
  if (t.kind === 'dynamic') return 'variable';
  return bindingKind === 'alias' ? 'alias' : 're-export';
}

const ZERO = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function moduleNames(project: Project, publicNames: PublicNames, file: ProjectFile): ApiName[] {
  const module = file.module!;
  const out: ApiName[] = [];
  for (const name of publicNames.of(file)) {
    const t = project.resolveExport(module, name);
    if (t.kind === 'unresolved') continue;
    const binding = primaryBinding(file.facts.bindings, name);
    const kind = nameKind(module, name, t, binding?.kind ?? null);
    const site = binding?.range ?? t.hops[0]?.range ?? ZERO;
    out.push({ name, kind, origin: t.kind === 'dynamic' ? null : targetKey(t), path: file.relPath, range: site });
  }
  return out;
}

// ---- definitions ---------------------------------------------------------------------------------------

interface FileDefinitions {
  byQualName: Map<string, Definition[]>;
  /** Class qualName → the qualNames of the functions anywhere below it (`C.m`, `C.Inner.m`). */
  below: Map<string, string[]>;
  built: Map<string, ApiDefinition | null>;
}

/** Per file version (ProjectFile objects are replaced on every change, so identity is the version). */
const perFile = new WeakMap<ProjectFile, FileDefinitions>();

function definitionsOf(file: ProjectFile): FileDefinitions {
  let entry = perFile.get(file);
  if (!entry) {
    const byQualName = new Map<string, Definition[]>();
    for (const d of file.facts.definitions) {
      const list = byQualName.get(d.qualName);
      if (list) list.push(d);
      else byQualName.set(d.qualName, [d]);
    }
    const below = new Map<string, string[]>();
    for (const [q, list] of byQualName) {
      if (!list.some((d) => d.kind === 'function')) continue;
      for (let i = q.indexOf('.'); i >= 0; i = q.indexOf('.', i + 1)) {
        const owner = q.slice(0, i);
        const l = below.get(owner);
        if (l) l.push(q);
        else below.set(owner, [q]);
      }
    }
    entry = { byQualName, below, built: new Map() };
    perFile.set(file, entry);
  }
  return entry;
}

const OVERLOAD = new Set(['overload', 'typing.overload', 'typing_extensions.overload']);
const PROPERTY = /(^|\.)(property|cached_property|abstractproperty)$/;

function isAccessorVariant(d: Definition): boolean {
  return d.decorators.some((x) => /\.(setter|deleter)$/.test(x));
}

function bindingOf(decorators: readonly string[], inClass: boolean): ApiBinding {
  if (!inClass) return 'function';
  if (decorators.some((d) => d === 'staticmethod' || d.endsWith('.staticmethod'))) return 'staticmethod';
  if (decorators.some((d) => d === 'classmethod' || d.endsWith('.classmethod'))) return 'classmethod';
  if (decorators.some((d) => PROPERTY.test(d) || d.endsWith('.getter'))) return 'property';
  return 'method';
}

export function apiParams(params: readonly Parameter[]): ApiParam[] {
  return params.map((p) => ({ name: p.name, kind: p.kind, default: p.default === null ? null : p.default.replace(/\s+/g, ' ').trim() }));
}

export function sameParams(a: readonly ApiParam[], b: readonly ApiParam[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.kind === b[i]!.kind && p.default === b[i]!.default);
}

/**
 * One function from its variants: the last definition wins (as at run time); property setters and `@overload`
 * stubs are skipped; conditional variants whose parameters disagree make the signature unknown (null).
 */
function functionOf(name: string, variants: readonly Definition[], inClass: boolean): ApiFunction | null {
  let defs = variants.filter((d) => d.kind === 'function' && !isAccessorVariant(d));
  const real = defs.filter((d) => !d.decorators.some((x) => OVERLOAD.has(x)));
  if (real.length) defs = real;
  const last = defs[defs.length - 1];
  if (!last) return null;
  const lastParams = apiParams(last.params ?? []);
  const params = defs.every((d) => sameParams(apiParams(d.params ?? []), lastParams)) ? lastParams : null;
  return { name, path: '', range: last.nameRange, params, decorators: last.decorators, binding: bindingOf(last.decorators, inClass) };
}

/** The class or function `qualName` of `module`, as an API definition; null when the module does not define it. */
export function definitionAt(project: Project, module: string, qualName: string): ApiDefinition | null {
  const file = project.moduleFile(module);
  if (!file) return null;
  const defs = definitionsOf(file);
  let def = defs.built.get(qualName);
  if (def === undefined) {
    def = buildDefinition(file, defs, module, qualName);
    defs.built.set(qualName, def);
  }
  return def;
}

function isClass(defs: FileDefinitions, qualName: string): boolean {
  return defs.byQualName.get(qualName)?.some((d) => d.kind === 'class') === true;
}

function buildDefinition(file: ProjectFile, defs: FileDefinitions, module: string, qualName: string): ApiDefinition | null {
  const variants = defs.byQualName.get(qualName);
  const last = variants?.[variants.length - 1];
  if (!variants || !last) return null;
  const base = { key: `${module}.${qualName}`, module, qualName, kind: last.kind, path: file.relPath, range: last.nameRange };
  if (last.kind === 'function') {
    const owner = qualName.includes('.') ? qualName.slice(0, qualName.lastIndexOf('.')) : null;
    const fn = functionOf(qualName.slice(qualName.lastIndexOf('.') + 1), variants, owner !== null && isClass(defs, owner));
    return { ...base, function: fn && { ...fn, path: file.relPath }, methods: null };
  }
  const prefix = `${qualName}.`;
  const methods: ApiFunction[] = [];
  for (const q of defs.below.get(qualName) ?? []) {
    const rel = q.slice(prefix.length);
    if (rel !== '__init__' && !rel.split('.').every(isPublicName)) continue;
    // Only functions directly in a class body (of this class or a nested one) are methods.
    if (!isClass(defs, q.slice(0, q.lastIndexOf('.')))) continue;
    const fn = functionOf(rel, defs.byQualName.get(q)!, true);
    if (fn) methods.push({ ...fn, path: file.relPath });
  }
  methods.sort((a, b) => compareStrings(a.name, b.name));
  return { ...base, function: null, methods };
}

/** `module.qual.name` target → its definition (workspace symbols only). */
export function definitionOfTarget(project: Project, t: Target): ApiDefinition | null {
  return t.kind === 'symbol' ? definitionAt(project, t.module, t.name) : null;
}

// ---- snapshot ------------------------------------------------------------------------------------------

export function snapshotApi(project: Project): ApiSnapshot {
  const publicNames = new PublicNames(project);
  const files = [...project.allFiles()].filter((f) => f.module !== null && project.moduleFile(f.module) === f);
  files.sort((a, b) => (a.module! < b.module! ? -1 : a.module! > b.module! ? 1 : 0));
  const modules: ApiModule[] = [];
  const definitions = new Map<string, ApiDefinition>();
  for (const file of files) {
    const module = file.module!;
    const names = moduleNames(project, publicNames, file);
    modules.push({
      module,
      path: file.relPath,
      isPackage: file.isPackage,
      private: isPrivateModule(module),
      shim: file.facts.legacyWarnings.length > 0,
      explicitAll: file.facts.all !== null && !file.facts.allDynamic,
      problem: fileProblem(file),
      names,
    });
    for (const n of names) {
      if (n.origin === null || definitions.has(n.origin) || (n.kind === 'submodule' || n.kind === 'variable')) continue;
      const def = definitionOfTarget(project, project.resolveExport(module, n.name));
      if (def) definitions.set(def.key, def);
    }
  }
  return { modules, definitions: [...definitions.values()].sort((a, b) => compareStrings(a.key, b.key)) };
}
