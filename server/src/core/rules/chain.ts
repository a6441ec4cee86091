import type { MigrationModel } from '../migrations/model.js';
import type { ImportStatement, Ref } from '../python/facts.js';
import { targetKey, type Project, type ProjectFile, type Target } from '../project/project.js';
import type { Range } from '../types.js';

/**
 * Targets of each prefix of a reference chain: `dt.datetime.utcnow` → [module datetime, datetime.datetime,
 * datetime.datetime.utcnow]. Stops early at anything that cannot be followed.
 */
export function* chainTargets(project: Project, file: ProjectFile, ref: Ref, base?: Target): Generator<[number, Target]> {
  let t = base ?? project.resolveImportItem(file, ref.stmt, ref.item);
  for (let k = 0; ; k++) {
    if (t.kind === 'unresolved' || t.kind === 'dynamic') return;
    yield [k, t];
    if (k >= ref.chain.length) return;
    t = project.member(t, ref.chain[k]!);
  }
}

/** Caches the resolution of each import item of one file for the duration of a check. */
export function importTargets(project: Project, file: ProjectFile): (stmt: number, item: number) => Target {
  const cache = new Map<number, Target>();
  return (stmt, item) => {
    const key = stmt * 4096 + item;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = project.resolveImportItem(file, stmt, item)));
    return t;
  };
}

export function lastSegment(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}


export interface CanonicalHomeForImport {
  module: string;
  name: string;
  migration: string;
  definition: { path: string; range: Range } | null;
}

/**
 * Where `from <stmt.absModule> import <name>` (resolved to `t`) should import from instead, or null when the
 * current path is fine: a `[[canonical]]` symbol imported from any other module, or any symbol a legacy shim
 * re-exports from its new home. Shared by MIG002 (which reports it) and MIG003 (which then stays quiet).
 */
export function nonCanonicalHome(model: MigrationModel, fileModule: string | null, stmt: ImportStatement, t: Target): CanonicalHomeForImport | null {
  const from = stmt.absModule;
  if (stmt.kind !== 'from' || from === null || t.kind !== 'symbol' || model.isLegacyModule(fileModule)) return null;
  const legacy = model.isLegacyModule(from);
  const configured = model.canonical.get(targetKey(t)!);
  let home: CanonicalHomeForImport | null = null;
  if (configured && (configured.source === 'config' || legacy)) home = configured;
  else if (legacy && t.module !== from) {
    home = { module: t.module, name: model.canonicalName(t) ?? lastSegment(t.name), migration: `legacy-module:${from}`, definition: { path: t.path, range: t.range } };
  }
  if (!home || home.module === from || home.module === fileModule) return null;
  return home;
}
