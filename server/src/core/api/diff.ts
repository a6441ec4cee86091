import { targetKey, type Project, type Target } from '../project/project.js';
import { lastSegment } from '../rules/chain.js';
import { compareStrings } from '../text.js';
import { diffParams, formatSignature, type Claim } from './signature.js';
import { definitionOfTarget, isPrivateModule, sameParams } from './snapshot.js';
import type { ApiChange, ApiDefinition, ApiFunction, ApiLocation, ApiModule, ApiName, ApiParam, ApiSnapshot, NotCompared } from './types.js';

/**
 * Base snapshot vs current snapshot → the changes a user of the base API notices. Names are looked up by
 * resolution in the current project (`Project.resolveExport`), not by comparing name lists, so a definition that
 * moved and is re-exported from its old module is a (non-breaking) move. Signatures are compared per origin
 * definition, once, however many modules re-export it.
 */

export interface ApiSide {
  project: Project;
  snapshot: ApiSnapshot;
}

/** What the impact pass looks for in the current workspace to find the sites a change breaks. */
export type Probe =
  /** Imports of a module that no longer exists. */
  | { kind: 'module'; module: string }
  /** `from module import name`, `module.name`: a name the module no longer has. */
  | { kind: 'name'; module: string; name: string }
  /** `Owner.member` where `owner` is the current origin key of a class. */
  | { kind: 'member'; owner: string; member: string }
  /** Calls of the callable whose current origin key is `key` (a class key: its constructor) that a claim covers. */
  | { kind: 'call'; key: string; drop: number; params: ApiParam[]; claims: Claim[] };

export interface DiffEntry {
  change: Omit<ApiChange, 'sites'>;
  probe: Probe | null;
}

export interface ApiDiff {
  entries: DiffEntry[];
  notCompared: NotCompared[];
}

interface Exporter {
  module: string;
  name: string;
}

const OWN_KINDS = new Set<ApiName['kind']>(['class', 'function', 'variable']);

function moduleLocation(m: ApiModule): ApiLocation {
  return { path: m.path, line: 1, signature: `module ${m.module}` };
}

function definitionSignature(def: ApiDefinition, name = lastSegment(def.qualName)): string {
  return def.kind === 'class' ? `class ${name}` : formatSignature(name, def.function?.params ?? null);
}

function functionLocation(fn: ApiFunction): ApiLocation {
  return { path: fn.path, line: fn.range.start.line + 1, signature: formatSignature(lastSegment(fn.name), fn.params) };
}


/** Preferred exporter first: the defining module itself, then public modules, shallower ones, by name. */
function exporterOrder(originModule: string | null): (a: Exporter, b: Exporter) => number {
  return (a, b) =>
    Number(b.module === originModule) - Number(a.module === originModule) ||
    Number(isPrivateModule(a.module)) - Number(isPrivateModule(b.module)) ||
    a.module.split('.').length - b.module.split('.').length ||
    compareStrings(a.module, b.module) ||
    compareStrings(a.name, b.name);
}

function originModule(key: string, defs: Map<string, ApiDefinition>): string | null {
  return defs.get(key)?.module ?? null;
}

const BINDING_WORDS: Record<ApiFunction['binding'], string> = {
  function: 'a function',
  method: 'a method',
  classmethod: 'a classmethod',
  staticmethod: 'a staticmethod',
  property: 'a property',
};

class Differ {
  readonly entries: DiffEntry[] = [];
  readonly notCompared: NotCompared[] = [];
  private readonly baseModules: Map<string, ApiModule>;
  private readonly nowModules: Map<string, ApiModule>;
  private readonly baseDefs: Map<string, ApiDefinition>;
  private readonly skip = new Set<string>();
  /** Removed modules whose definitions were found in a new module. */
  private readonly movedModules = new Map<string, string>();
  /** Base origin key → current exporter, for definitions found in another module after their name vanished. */
  private readonly relocated = new Map<string, Exporter>();
  private readonly baseOrigins = new Set<string>();
  private readonly nowExporters = new Map<string, Exporter[]>();
  private readonly nowOwnByName = new Map<string, { module: ApiModule; name: ApiName }[]>();

  constructor(
    private readonly base: ApiSide,
    private readonly now: ApiSide,
  ) {
    this.baseModules = new Map(base.snapshot.modules.map((m) => [m.module, m]));
    this.nowModules = new Map(now.snapshot.modules.map((m) => [m.module, m]));
    this.baseDefs = new Map(base.snapshot.definitions.map((d) => [d.key, d]));
    for (const [revision, side] of [['base', base], ['now', now]] as const) {
      for (const m of side.snapshot.modules) {
        if (m.problem === null) continue;
        this.skip.add(m.module);
        this.notCompared.push({ module: m.module, path: m.path, revision, reason: m.problem });
      }
    }
    for (const m of base.snapshot.modules) for (const n of m.names) if (n.origin) this.baseOrigins.add(n.origin);
    for (const m of now.snapshot.modules) {
      for (const n of m.names) {
        if (n.origin) {
          const list = this.nowExporters.get(n.origin);
          if (list) list.push({ module: m.module, name: n.name });
          else this.nowExporters.set(n.origin, [{ module: m.module, name: n.name }]);
        }
        if (n.kind === 'class' || n.kind === 'function' || n.kind === 'variable') {
          const list = this.nowOwnByName.get(n.name);
          if (list) list.push({ module: m, name: n });
          else this.nowOwnByName.set(n.name, [{ module: m, name: n }]);
        }
      }
    }
  }

  run(): void {
    for (const bm of this.base.snapshot.modules) {
      if (this.skip.has(bm.module)) continue;
      // A package whose __init__.py went away but whose directory remains is a namespace package: still importable.
      if (!this.nowModules.has(bm.module) && !this.now.project.hasModule(bm.module)) this.moduleGone(bm);
      else this.compareNames(bm);
    }
    this.compareDefinitions();
  }

  private push(change: Omit<ApiChange, 'sites' | 'public'>, probe: Probe | null): void {
    const isPublic = !isPrivateModule(change.module);
    const { kind, breaking, module, symbol, message, before, after, movedTo, heuristic } = change;
    this.entries.push({
      change: { kind, breaking: breaking && isPublic, public: isPublic, module, symbol, message, before, after, movedTo, heuristic },
      probe: breaking ? probe : null,
    });
  }

  /** Cached per file version by snapshot.ts. */
  private definition(side: ApiSide, t: Target): ApiDefinition | null {
    return definitionOfTarget(side.project, t);
  }

  /** Where a public name is bound in its module, described by what it resolves to. */
  private nameLocation(side: ApiSide, module: string, n: ApiName): ApiLocation {
    const def = n.kind === 'submodule' ? null : this.definition(side, side.project.resolveExport(module, n.name));
    const signature = def ? definitionSignature(def, n.name) : n.kind === 'submodule' ? `module ${n.origin}` : n.name;
    return { path: n.path, line: n.range.start.line + 1, signature };
  }

  private targetLocation(t: Target, name: string): ApiLocation | null {
    if (t.kind === 'module') {
      const m = this.nowModules.get(t.module);
      return m ? moduleLocation(m) : null;
    }
    if (t.kind !== 'symbol') return null;
    const def = this.definition(this.now, t);
    return { path: t.path, line: t.range.start.line + 1, signature: def ? definitionSignature(def, name) : name };
  }

  // ---- modules -------------------------------------------------------------------------------------------

  private moduleGone(bm: ApiModule): void {
    const found = this.movedModuleCandidate(bm);
    if (found) {
      this.movedModules.set(bm.module, found.module.module);
      this.push(
        {
          kind: 'module-moved',
          breaking: true,
          module: bm.module,
          symbol: '',
          message: `module \`${bm.module}\` moved to \`${found.module.module}\` (${found.heuristic === 'same-public-names' ? 'same public names' : 'its classes and functions are defined there'}); nothing is left at the old path, so importing \`${bm.module}\` fails`,
          before: moduleLocation(bm),
          after: moduleLocation(found.module),
          movedTo: found.module.module,
          heuristic: found.heuristic,
        },
        { kind: 'module', module: bm.module },
      );
      return;
    }
    this.push(
      {
        kind: 'module-removed',
        breaking: true,
        module: bm.module,
        symbol: '',
        message: `module \`${bm.module}\` was removed`,
        before: moduleLocation(bm),
        after: null,
        movedTo: null,
        heuristic: null,
      },
      { kind: 'module', module: bm.module },
    );
  }

  /**
   * A module that holds what the removed one held: a new module with exactly the same public names
   * (`same-public-names`), or a module (new, or existing with them as new definitions) that now defines every
   * class and function the removed one defined (`same-definitions`). Ties go to the same last segment
   * (`pkg.utils` → `pkg.core.utils`), then to the module name.
   */
  private movedModuleCandidate(bm: ApiModule): { module: ApiModule; heuristic: 'same-public-names' | 'same-definitions' } | null {
    const names = bm.names.map((n) => n.name).join('\0');
    const own = bm.names.filter((n) => n.kind === 'class' || n.kind === 'function').map((n) => n.name);
    const scored: { module: ApiModule; heuristic: 'same-public-names' | 'same-definitions'; score: number }[] = [];
    for (const cand of this.now.snapshot.modules) {
      if (cand.module === bm.module || this.skip.has(cand.module)) continue;
      const fresh = !this.baseModules.has(cand.module);
      if (fresh && bm.names.length > 0 && cand.names.map((n) => n.name).join('\0') === names) {
        scored.push({ module: cand, heuristic: 'same-public-names', score: 2 });
      } else if (
        own.length > 0 &&
        own.every((o) => cand.names.some((n) => n.name === o && (n.kind === 'class' || n.kind === 'function') && (fresh || !this.baseOrigins.has(n.origin!))))
      ) {
        scored.push({ module: cand, heuristic: 'same-definitions', score: 1 });
      }
    }
    const leaf = lastSegment(bm.module);
    scored.sort((a, b) => b.score - a.score || Number(lastSegment(b.module.module) === leaf) - Number(lastSegment(a.module.module) === leaf) || compareStrings(a.module.module, b.module.module));
    return scored[0] ?? null;
  }

  // ---- names ---------------------------------------------------------------------------------------------

  private compareNames(bm: ApiModule): void {
    const moved: { n: ApiName; to: string; t: Target }[] = [];
    for (const n of bm.names) {
      const t = this.now.project.resolveExport(bm.module, n.name);
      if (t.kind === 'dynamic') continue;
      if (t.kind === 'unresolved') {
        this.nameGone(bm, n);
        continue;
      }
      if (!OWN_KINDS.has(n.kind)) continue;
      if (t.kind === 'symbol' && t.module !== bm.module) moved.push({ n, to: t.module, t });
      else if (t.kind === 'external') moved.push({ n, to: t.qualname.slice(0, t.qualname.lastIndexOf('.')), t });
      else if (t.kind === 'module') {
        this.push(
          {
            kind: 'kind-changed',
            breaking: true,
            module: bm.module,
            symbol: n.name,
            message: `\`${bm.module}.${n.name}\` is now the submodule \`${t.module}\``,
            before: this.nameLocation(this.base, bm.module, n),
            after: this.targetLocation(t, n.name),
            movedTo: null,
            heuristic: null,
          },
          null,
        );
      }
    }
    if (!moved.length) return;
    const file = this.now.project.moduleFile(bm.module);
    const warns = file !== undefined && file.facts.legacyWarnings.length > 0;
    const definesNothing = !file || !file.facts.definitions.some((d) => !d.qualName.includes('.') && !d.qualName.startsWith('_'));
    if (!bm.shim && (warns || definesNothing)) {
      const counts = new Map<string, number>();
      for (const m of moved) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
      const to = [...counts].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))[0]![0];
      const target = this.nowModules.get(to);
      const list = moved.map((m) => `\`${m.n.name}\``).join(', ');
      this.push(
        {
          kind: 'module-moved-behind-shim',
          breaking: false,
          module: bm.module,
          symbol: '',
          message: `module \`${bm.module}\` moved to \`${to}\`; the old module re-exports ${list}${warns ? ' with a DeprecationWarning' : ''}, so existing imports still work`,
          before: moduleLocation(bm),
          after: target ? moduleLocation(target) : null,
          movedTo: to,
          heuristic: null,
        },
        null,
      );
      return;
    }
    for (const m of moved) {
      this.push(
        {
          kind: 'symbol-moved',
          breaking: false,
          module: bm.module,
          symbol: m.n.name,
          message: `\`${m.n.name}\` moved from \`${bm.module}\` to \`${m.to}\`; \`${bm.module}\` still re-exports it`,
          before: this.nameLocation(this.base, bm.module, m.n),
          after: this.targetLocation(m.t, m.n.name),
          movedTo: m.to,
          heuristic: null,
        },
        null,
      );
    }
  }

  private nameGone(bm: ApiModule, n: ApiName): void {
    const before = this.nameLocation(this.base, bm.module, n);
    const probe: Probe = { kind: 'name', module: bm.module, name: n.name };
    const qualified = `${bm.module}.${n.name}`;
    let to: Exporter | null = null;
    let heuristic: string | null = null;
    if (OWN_KINDS.has(n.kind)) {
      // Defined here before; now defined (under the same name, same kind) in a module that did not define it.
      const candidates = (this.nowOwnByName.get(n.name) ?? []).filter(
        (c) => c.module.module !== bm.module && c.name.kind === n.kind && c.name.origin !== null && !this.baseOrigins.has(c.name.origin) && !this.skip.has(c.module.module),
      );
      candidates.sort((a, b) => Number(this.baseModules.has(a.module.module)) - Number(this.baseModules.has(b.module.module)) || compareStrings(a.module.module, b.module.module));
      const found = candidates[0];
      if (found) {
        to = { module: found.module.module, name: found.name.name };
        heuristic = 'same-name';
        if (n.origin) this.relocated.set(n.origin, to);
      }
    } else if (n.origin) {
      const exporters = [...(this.nowExporters.get(n.origin) ?? [])].filter((e) => e.module !== bm.module);
      exporters.sort(exporterOrder(originModule(n.origin, this.baseDefs)));
      to = exporters[0] ?? null;
    }
    if (!to) {
      this.push({ kind: 'symbol-removed', breaking: true, module: bm.module, symbol: n.name, message: `\`${qualified}\` was removed`, before, after: null, movedTo: null, heuristic: null }, probe);
      return;
    }
    const t = this.now.project.resolveExport(to.module, to.name);
    this.push(
      {
        kind: 'symbol-moved',
        breaking: true,
        module: bm.module,
        symbol: n.name,
        message: `\`${n.name}\` is no longer importable from \`${bm.module}\`: import it from \`${to.module}\`${to.name !== n.name ? ` as \`${to.name}\`` : ''}`,
        before,
        after: this.targetLocation(t, to.name),
        movedTo: to.module,
        heuristic,
      },
      probe,
    );
  }

  // ---- definitions ---------------------------------------------------------------------------------------

  /** Each base class or function that a public name resolves to, against its current counterpart. */
  private compareDefinitions(): void {
    const exporters = new Map<string, Exporter[]>();
    for (const m of this.base.snapshot.modules) {
      for (const n of m.names) {
        if (!n.origin || !this.baseDefs.has(n.origin)) continue;
        const list = exporters.get(n.origin);
        if (list) list.push({ module: m.module, name: n.name });
        else exporters.set(n.origin, [{ module: m.module, name: n.name }]);
      }
    }
    for (const def of this.base.snapshot.definitions) {
      if (this.skip.has(def.module)) continue;
      const list = (exporters.get(def.key) ?? []).sort(exporterOrder(def.module));
      const primary = list[0];
      if (!primary) continue;
      const t = this.counterpart(def, list);
      if (!t || t.kind !== 'symbol' || this.skip.has(t.module)) continue;
      const now = this.definition(this.now, t);
      if (!now) continue;
      const key = targetKey(t)!;
      const symbol = primary.name;
      if (def.kind !== now.kind) {
        this.push(
          {
            kind: 'kind-changed',
            breaking: true,
            module: primary.module,
            symbol,
            message: `\`${symbol}\` changed from a ${def.kind} to a ${now.kind}`,
            before: { path: def.path, line: def.range.start.line + 1, signature: definitionSignature(def, symbol) },
            after: { path: now.path, line: now.range.start.line + 1, signature: definitionSignature(now, symbol) },
            movedTo: null,
            heuristic: null,
          },
          null,
        );
      } else if (def.kind === 'function') {
        this.compareFunctions(def.function, now.function, primary.module, symbol, key, false);
      } else {
        this.compareClasses(def, now, primary.module, symbol, key);
      }
    }
  }

  /** The current definition of a base one: through its old import paths, its moved module, or its new home. */
  private counterpart(def: ApiDefinition, exporters: Exporter[]): Target | null {
    const usable = (t: Target): boolean => t.kind !== 'unresolved' && t.kind !== 'dynamic';
    for (const ex of exporters) {
      const t = this.now.project.resolveExport(ex.module, ex.name);
      if (usable(t)) return t;
    }
    const movedTo = this.movedModules.get(def.module);
    if (movedTo) {
      const [head, ...rest] = def.qualName.split('.');
      let t = this.now.project.resolveExport(movedTo, head!);
      for (const attr of rest) t = this.now.project.member(t, attr);
      if (usable(t)) return t;
    }
    const relocated = this.relocated.get(def.key);
    if (relocated) {
      const t = this.now.project.resolveExport(relocated.module, relocated.name);
      if (usable(t)) return t;
    }
    return null;
  }

  private compareFunctions(before: ApiFunction | null, after: ApiFunction | null, module: string, symbol: string, key: string, constructor: boolean): void {
    if (!before || !after || before === after) return;
    if (before.binding === after.binding && before.params !== null && after.params !== null && sameParams(before.params, after.params)) return;
    const b = functionLocation(before);
    const a = functionLocation(after);
    if (before.binding !== after.binding) {
      this.push(
        {
          kind: 'kind-changed',
          breaking: true,
          module,
          symbol,
          message: `\`${symbol}\` changed from ${BINDING_WORDS[before.binding]} to ${BINDING_WORDS[after.binding]}`,
          before: b,
          after: a,
          movedTo: null,
          heuristic: null,
        },
        after.binding === 'property' || after.params === null ? null : { kind: 'call', key, drop: 0, params: after.params, claims: [{ type: 'any' }] },
      );
      return;
    }
    if (after.binding === 'property' || !before.params || !after.params) return;
    const drop = constructor || after.binding === 'classmethod' ? 1 : 0;
    for (const c of diffParams(before.params, after.params)) {
      this.push(
        { kind: c.kind, breaking: c.breaking, module, symbol, message: `\`${symbol}\`: ${c.message}`, before: b, after: a, movedTo: null, heuristic: null },
        c.claims.length === 0 ? null : { kind: 'call', key, drop, params: after.params, claims: c.claims },
      );
    }
  }

  private compareClasses(before: ApiDefinition, after: ApiDefinition, module: string, symbol: string, classKey: string): void {
    if (before === after) return;
    const mb = new Map((before.methods ?? []).map((m) => [m.name, m]));
    const ma = new Map((after.methods ?? []).map((m) => [m.name, m]));
    // `__init__` gone means inherited now: its signature is unknown, not removed.
    const removed = [...mb.keys()].filter((k) => !ma.has(k) && k !== '__init__');
    const added = [...ma.keys()].filter((k) => !mb.has(k) && k !== '__init__');
    const owner = (name: string): string => (name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '');
    const same = (x: string, y: string): boolean => {
      const p = mb.get(x)!;
      const q = ma.get(y)!;
      return owner(x) === owner(y) && p.binding === q.binding && p.params !== null && q.params !== null && sameParams(p.params, q.params);
    };
    for (const r of removed) {
      const candidates = added.filter((a) => same(r, a));
      const renamedTo = candidates.length === 1 && removed.filter((x) => same(x, candidates[0]!)).length === 1 ? candidates[0]! : null;
      const ownerKey = owner(r) ? `${classKey}.${owner(r)}` : classKey;
      this.push(
        {
          kind: renamedTo ? 'method-renamed' : 'method-removed',
          breaking: true,
          module,
          symbol: `${symbol}.${r}`,
          message: renamedTo
            ? `method \`${symbol}.${r}\` was renamed to \`${symbol}.${renamedTo}\` (guessed from an identical parameter list)`
            : `method \`${symbol}.${r}\` was removed`,
          before: functionLocation(mb.get(r)!),
          after: renamedTo ? functionLocation(ma.get(renamedTo)!) : null,
          movedTo: null,
          heuristic: renamedTo ? 'same-parameters' : null,
        },
        { kind: 'member', owner: ownerKey, member: lastSegment(r) },
      );
    }
    for (const [name, m] of mb) {
      const now = ma.get(name);
      if (!now) continue;
      const constructor = name === '__init__';
      this.compareFunctions(m, now, module, `${symbol}.${name}`, constructor ? classKey : `${classKey}.${name}`, constructor);
    }
  }
}

export function diffApis(base: ApiSide, now: ApiSide): ApiDiff {
  const differ = new Differ(base, now);
  differ.run();
  return { entries: differ.entries, notCompared: differ.notCompared };
}
