import type { Analyzer } from '../analyzer.js';
import { focusHolds, type FocusRequest, type ProjectFile } from '../project/project.js';
import { lastSegment } from '../rules/chain.js';
import { RULES } from '../rules/index.js';
import type { Finding, RuleCode } from '../types.js';
import { compliance } from './compliance.js';
import { MigratedUsageIndex } from './migratedUsages.js';

/**
 * Repo-wide migration status: for each migration, the legacy usages still to move (findings of the usage rules)
 * and the usages already on the canonical path, per category; and the finding counts of every rule.
 *
 * **SSOT compliance** = migrated / (migrated + remaining), where *remaining* counts findings of the usage rules
 * (MIG001 deprecated usage, MIG002 non-canonical import, MIG003 alias usage) that belong to a migration, and
 * *migrated* counts the usages MigratedUsageIndex recognises. It is null when both are zero. The overall figure
 * sums every migration. This is the one definition; the panel, the status bar, the CLI and reports use it.
 */

/** Rules whose findings are legacy usages of a migration (the others report structure: cycles, shims, …). */
export const USAGE_RULES: readonly RuleCode[] = ['MIG001', 'MIG002', 'MIG003'];

export interface CategoryStatus {
  category: string;
  remaining: number;
  migrated: number;
  /** Files with a remaining usage. */
  files: number;
}

export interface GroupStatus {
  /** A migration id (`canonical:…`, `legacy-module:…`, `alias:…`, `deprecated:…`, `stdlib:…`) or `rule:MIG00x`. */
  id: string;
  kind: 'migration' | 'rule';
  title: string;
  codes: RuleCode[];
  remaining: number;
  migrated: number;
  files: number;
  compliance: number | null;
  categories: CategoryStatus[];
}

export interface RuleStatus {
  code: RuleCode;
  name: string;
  remaining: number;
  files: number;
}

export interface WorkspaceStatus {
  files: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  groups: GroupStatus[];
  rules: RuleStatus[];
  /** Every finding the counts come from, sorted by path and position. */
  findings: Finding[];
}

export { compliance };

/** A short, human title for a migration id. */
export function migrationTitle(id: string): string {
  const colon = id.indexOf(':');
  const kind = id.slice(0, colon);
  const what = id.slice(colon + 1);
  switch (kind) {
    case 'canonical':
      return `${lastSegment(what)} from ${what.slice(0, what.lastIndexOf('.'))}`;
    case 'legacy-module':
      return `legacy module ${what}`;
    case 'alias':
      return `aliases of ${what}`;
    case 'deprecated':
      return `deprecated ${what}`;
    case 'stdlib':
      return `deprecated ${what} (stdlib)`;
    case 'rule': {
      const rule = RULES.find((r) => r.code === what);
      return rule ? `${rule.code} ${rule.name}` : what;
    }
    default:
      return id;
  }
}

interface Accumulator {
  codes: Set<RuleCode>;
  byCategory: Map<string, { remaining: number; migrated: number; files: Set<string> }>;
}

/** Per analyzer, at one project generation: each outline file's MigratedUsageIndex.outlineNeed. */
const outlineNeeds = new WeakMap<Analyzer, { generation: number; byFile: WeakMap<ProjectFile, FocusRequest | null> }>();

/**
 * The outline files (workspace/load.ts, parse 'as-needed') among those `filter` accepts whose migrated usages need a
 * parse to count, each with what a focused parse (workspace/focus.ts) must make exact, or null for a full parse (a
 * focused file whose focus no longer covers them): with them refined (and the files with findings), computeStatus
 * equals that of parsing everything.
 */
export function statusFilesToRefine(
  analyzer: Analyzer,
  filter: (file: ProjectFile) => boolean = (f) => f.inScope,
): { file: ProjectFile; request: FocusRequest | null }[] {
  const outline = [...analyzer.project.allFiles()].filter((f) => f.outline && filter(f));
  if (!outline.length) return [];
  // A file's need depends on its own facts and on what other files export (Project.generation): an editor asks after
  // every change, and most files are as they were.
  const { generation } = analyzer.project;
  let cache = outlineNeeds.get(analyzer);
  if (cache?.generation !== generation) outlineNeeds.set(analyzer, (cache = { generation, byFile: new WeakMap() }));
  let usages: MigratedUsageIndex | undefined;
  const needed: { file: ProjectFile; request: FocusRequest | null }[] = [];
  for (const file of outline) {
    let request = cache.byFile.get(file);
    if (request === undefined) {
      usages ??= new MigratedUsageIndex(analyzer.project, analyzer.model(), analyzer.catalog);
      cache.byFile.set(file, (request = usages.outlineNeed(file)));
    }
    if (!request || (file.focus && focusHolds(file.focus, request))) continue;
    needed.push({ file, request: file.focus ? null : request });
  }
  return needed;
}

/**
 * Computes the status of the files accepted by `filter` (in-scope files by default). Cost: one check of every
 * file (cached per file by the analyzer's tables) plus one resolution pass over imports and references.
 */
export function computeStatus(analyzer: Analyzer, filter: (file: ProjectFile) => boolean = (f) => f.inScope): WorkspaceStatus {
  const findings = analyzer.checkAll(filter);
  const groups = new Map<string, Accumulator>();
  const group = (id: string): Accumulator => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { codes: new Set(), byCategory: new Map() }));
    return g;
  };
  const cell = (g: Accumulator, category: string) => {
    let c = g.byCategory.get(category);
    if (!c) g.byCategory.set(category, (c = { remaining: 0, migrated: 0, files: new Set() }));
    return c;
  };

  const rules = new Map<RuleCode, { remaining: number; files: Set<string> }>();
  for (const f of findings) {
    const r = rules.get(f.code) ?? { remaining: 0, files: new Set<string>() };
    r.remaining++;
    r.files.add(f.path);
    rules.set(f.code, r);
    const id = f.migration && USAGE_RULES.includes(f.code) ? f.migration : `rule:${f.code}`;
    const g = group(id);
    g.codes.add(f.code);
    const c = cell(g, f.category);
    c.remaining++;
    c.files.add(f.path);
  }

  const usages = new MigratedUsageIndex(analyzer.project, analyzer.model(), analyzer.catalog);
  let fileCount = 0;
  for (const file of analyzer.project.allFiles()) {
    if (!filter(file)) continue;
    fileCount++;
    for (const migration of usages.usagesIn(file)) cell(group(migration), file.category).migrated++;
  }

  const out: GroupStatus[] = [];
  for (const [id, g] of groups) {
    const kind = id.startsWith('rule:') ? 'rule' : 'migration';
    const categories = [...g.byCategory].map(([category, c]) => ({ category, remaining: c.remaining, migrated: c.migrated, files: c.files.size }));
    categories.sort((a, b) => b.remaining - a.remaining || b.migrated - a.migrated || (a.category < b.category ? -1 : 1));
    const remaining = categories.reduce((n, c) => n + c.remaining, 0);
    const migrated = categories.reduce((n, c) => n + c.migrated, 0);
    const files = new Set([...g.byCategory.values()].flatMap((c) => [...c.files])).size;
    out.push({ id, kind, title: migrationTitle(id), codes: [...g.codes].sort(), remaining, migrated, files, compliance: kind === 'migration' ? compliance(migrated, remaining) : null, categories });
  }
  // Most work left first; fully migrated ones last, by name.
  out.sort((a, b) => b.remaining - a.remaining || b.migrated - a.migrated || (a.id < b.id ? -1 : 1));
  const migrations = out.filter((g) => g.kind === 'migration');
  const remaining = migrations.reduce((n, g) => n + g.remaining, 0);
  const migrated = migrations.reduce((n, g) => n + g.migrated, 0);
  return {
    files: fileCount,
    remaining,
    migrated,
    compliance: compliance(migrated, remaining),
    groups: out,
    rules: RULES.map((r) => ({ code: r.code, name: r.name, remaining: rules.get(r.code)?.remaining ?? 0, files: rules.get(r.code)?.files.size ?? 0 })),
    findings,
  };
}
