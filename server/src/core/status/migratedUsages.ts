import type { StdlibCatalog } from '../catalog/stdlib.js';
import type { MigrationModel } from '../migrations/model.js';
import type { Ref } from '../python/facts.js';
import { focusKey, focusRequest, targetKey, type FocusRequest, type Project, type ProjectFile, type Target } from '../project/project.js';
import { chainTargets, importTargets } from '../rules/chain.js';

/**
 * Counts the *migrated* side of each migration: usages that already go through the canonical path. Findings
 * count the legacy side; together they give SSOT compliance (see status.ts). What counts as migrated:
 *
 * - `canonical:` (configured canonical symbol): the symbol imported from its canonical module;
 * - `legacy-module:M` (a shim that warns on import): a symbol M re-exports, imported from its real home;
 * - `alias:` (compatibility alias): the origin imported under its canonical name;
 * - `deprecated:` / `stdlib:` with a known replacement: uses of the replacement (for a replacement written as a
 *   call with arguments, e.g. `datetime.now(timezone.utc)`, only calls that pass arguments).
 */

interface Replacement {
  migration: string;
  /** The replacement is only the replacement when called with arguments. */
  needsArgs: boolean;
}

/** `datetime.datetime.now(datetime.timezone.utc)` → key `datetime.datetime.now`, needs arguments. */
function parseReplacement(text: string): { key: string; needsArgs: boolean } | null {
  const m = /^([A-Za-z_][\w.]*)(\((.*)\))?$/.exec(text.trim());
  if (!m) return null;
  return { key: m[1]!, needsArgs: (m[3] ?? '').trim() !== '' };
}

export class MigratedUsageIndex {
  /** Origin key → migration, when imported from `module`. */
  private readonly homes = new Map<string, { module: string; migration: string }[]>();
  /** Origin key → alias migration, when imported under `name`. */
  private readonly canonicalNames = new Map<string, { name: string; migration: string }>();
  private readonly replacements = new Map<string, Replacement[]>();

  constructor(
    private readonly project: Project,
    model: MigrationModel,
    catalog: StdlibCatalog,
  ) {
    const addHome = (key: string, module: string, migration: string): void => {
      const list = this.homes.get(key) ?? [];
      if (!list.some((h) => h.module === module && h.migration === migration)) list.push({ module, migration });
      this.homes.set(key, list);
    };
    for (const home of model.canonical.values()) addHome(home.key, home.module, home.migration);
    for (const legacy of model.modules.values()) {
      if (legacy.source !== 'legacy') continue;
      const file = project.moduleFile(legacy.module);
      for (const b of file?.facts.bindings ?? []) {
        const t = project.resolveExport(legacy.module, b.name);
        if (t.kind === 'symbol' && t.module !== legacy.module) addHome(targetKey(t)!, t.module, legacy.migration);
      }
    }
    for (const alias of model.aliases) {
      const originModule = alias.originKey.slice(0, alias.originKey.length - alias.canonicalName.length - 1);
      this.canonicalNames.set(alias.originKey, { name: alias.canonicalName, migration: `alias:${originModule}.${alias.canonicalName}` });
    }
    const addReplacement = (text: string, migration: string): void => {
      const parsed = parseReplacement(text);
      if (!parsed) return;
      const list = this.replacements.get(parsed.key) ?? [];
      list.push({ migration, needsArgs: parsed.needsArgs });
      this.replacements.set(parsed.key, list);
    };
    for (const symbol of model.symbols.values()) {
      if (symbol.replacement) addReplacement(`${symbol.replacement.module}.${symbol.replacement.name}`, symbol.migration);
      else if (symbol.source === 'stdlib') {
        const entry = catalog.symbols.get(symbol.key);
        if (entry?.replacement) addReplacement(entry.replacement, symbol.migration);
      }
    }
  }

  /**
   * What an outline file's refs must make exact for its migrated usages to count as parsed, or null when it has
   * none to count: the refs (a superset of the real ones) that reach a replacement, each as its import item focused on
   * the chain's last attribute (the whole item for a bare name). Its imports are exact, and a real ref is an outline
   * ref, so a file with none counts exactly as parsed (its outline refs carry no call, which usagesIn would need).
   */
  outlineNeed(file: ProjectFile): FocusRequest | null {
    if (!this.replacements.size) return null;
    const resolve = importTargets(this.project, file);
    const items = new Set<string>();
    const chains = new Map<string, Set<string>>();
    for (const ref of file.facts.refs) {
      if (!this.replacements.has(this.chainKey(file, ref, resolve) ?? '')) continue;
      const key = focusKey(ref.stmt, ref.item);
      const last = ref.chain[ref.chain.length - 1];
      if (last === undefined) items.add(key);
      else chains.set(key, (chains.get(key) ?? new Set<string>()).add(last));
    }
    return items.size || chains.size ? focusRequest(items, chains) : null;
  }

  /** The key of what a ref's whole chain resolves to, or null when the chain cannot be followed to its end. */
  private chainKey(file: ProjectFile, ref: Ref, resolve: (stmt: number, item: number) => Target): string | null {
    let key: string | null = null;
    for (const [k, t] of chainTargets(this.project, file, ref, resolve(ref.stmt, ref.item))) if (k === ref.chain.length) key = targetKey(t);
    return key;
  }

  /** Migration ids of the migrated usages in one file, one entry per usage. */
  usagesIn(file: ProjectFile): string[] {
    const found: string[] = [];
    const resolve = importTargets(this.project, file);
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind !== 'from' || stmt.absModule === null) return;
      stmt.items.forEach((item, i) => {
        const t = resolve(s, i);
        if (t.kind !== 'symbol') return;
        const key = targetKey(t)!;
        for (const home of this.homes.get(key) ?? []) if (home.module === stmt.absModule) found.push(home.migration);
        const canonical = this.canonicalNames.get(key);
        if (canonical && canonical.name === item.name && t.module === stmt.absModule) found.push(canonical.migration);
      });
    });
    if (!this.replacements.size) return found;
    for (const ref of file.facts.refs) {
      const key = this.chainKey(file, ref, resolve);
      for (const r of (key && this.replacements.get(key)) || []) {
        const called = ref.call !== null && (ref.call.argCount > 0 || ref.call.hasKeywords || ref.call.hasStarArgs);
        if (!r.needsArgs || called) found.push(r.migration);
      }
    }
    return found;
  }
}
