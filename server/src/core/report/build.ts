import type { Analyzer } from '../analyzer.js';
import type { ApiReport } from '../api/index.js';
import type { ProjectFile } from '../project/project.js';
import { targetKey, type Project, type Target } from '../project/project.js';
import { importGraph, stronglyConnected } from '../rules/mig005ImportCycle.js';
import { moduleImporters } from '../rules/mig007RemovableShim.js';
import { computeStatus, USAGE_RULES, type WorkspaceStatus } from '../status/status.js';
import { compareStrings } from '../text.js';
import type { FileProblem, Finding, Range } from '../types.js';
import type {
  AliasInfo,
  ChangedFile,
  CycleInfo,
  MigrationSummary,
  NextStep,
  RequiredImport,
  RevisionInfo,
  ShimInfo,
  Site,
  StabilityReport,
} from './types.js';
import { REPORT_VERSION } from './types.js';
import { decideVerdict } from './verdict.js';

/**
 * Assembles the stability report from analyses the caller already ran: the work tree now and, optionally, the
 * project at a base revision (same config, see core/git/revision.ts) with the API comparison between them.
 * Pure: no file system, no git; the CLI and the language server gather the inputs.
 */

export interface AnalyzedRevision {
  analyzer: Analyzer;
  /** Files that could not be fully analyzed. */
  problems: FileProblem[];
  info: RevisionInfo;
}

export interface ReportInput {
  now: AnalyzedRevision & {
    /** Current text of a file (for the source line of each site); null when unavailable. */
    textOf: (relPath: string) => string | null;
  };
  base: AnalyzedRevision | null;
  /** API comparison base → now; required when `base` is given. */
  api: ApiReport | null;
  /** Python files that differ between base and now; null without a base. */
  changedFiles: ChangedFile[] | null;
  projectName: string;
  /** Config file, relative to the project root for display; null when running on defaults. */
  configPath: string | null;
  generatedAt: string;
  toolVersion: string;
  /** The PATH argument as the user should type it to reproduce the numbers. */
  pathArg: string;
  /** Files the report covers (in scope); defaults to every in-scope file. */
  filter?: (file: ProjectFile) => boolean;
}

/** Usage sites listed per category in the Markdown (the JSON lists all of them). */
export const MAX_SITES_PER_CATEGORY = 200;

export function buildReport(input: ReportInput): StabilityReport {
  const filter = input.filter ?? ((f: ProjectFile) => f.inScope);
  const now = input.now.analyzer;
  const base = input.base?.analyzer ?? null;
  const statusNow = computeStatus(now, filter);
  const statusBase = base ? computeStatus(base, filter) : null;
  const arg = shellQuote(input.pathArg);
  const baseArg = input.base?.info.rev ? ` --base ${shellQuote(input.base.info.rev)}` : '';
  const commands = {
    report: `migration-lens report ${arg}${baseArg} --format json`,
    status: `migration-lens status ${arg}`,
    check: `migration-lens check ${arg}`,
  };
  const site = siteMaker(input.now.textOf);

  const report: Omit<StabilityReport, 'verdict'> = {
    version: REPORT_VERSION,
    tool: { name: 'migration-lens', version: input.toolVersion },
    generatedAt: input.generatedAt,
    project: {
      name: input.projectName,
      configPath: input.configPath,
      files: statusNow.files,
      problems: input.now.problems.map((p) => ({ path: p.path, kind: p.kind, message: p.message })),
    },
    now: input.now.info,
    base: input.base?.info ?? null,
    commands,
    migrations: { command: commands.status, items: migrationSummaries(statusNow, statusBase) },
    rules: statusNow.rules,
    remaining: remainingUsages(statusNow, site, `${commands.check} --select ${USAGE_RULES.join(',')}`),
    imports: {
      checked: true,
      command: `${commands.check} --select MIG004`,
      workspaceImports: workspaceImportCount(now.project, filter),
      unresolved: unresolvedImports(statusNow.findings, statusBase?.findings ?? null, site),
      required: requiredImports(now, base),
    },
    cycles: importCycles(now.project, base?.project ?? null, site, `${commands.check} --select MIG005`),
    compatibility: compatibility(now, base, statusNow, `${commands.check} --select MIG003,MIG007`),
    breakingChanges:
      input.base && input.api
        ? { checked: true, command: commands.report, ...input.api }
        : { checked: false, reason: 'no base revision given (`--base REV`): the public API was not compared' },
    compliance: {
      command: commands.status,
      now: { remaining: statusNow.remaining, migrated: statusNow.migrated, compliance: statusNow.compliance },
      base: statusBase
        ? { remaining: statusBase.remaining, migrated: statusBase.migrated, compliance: statusBase.compliance }
        : { checked: false, reason: 'no base revision given (`--base REV`)' },
    },
    changedFiles: input.changedFiles
      ? { checked: true, command: `git diff --name-status ${input.base?.info.commit ?? ''} -- '*.py'`, files: input.changedFiles }
      : { checked: false, reason: 'no base revision given (`--base REV`)' },
    nextSteps: nextSteps(statusNow, arg),
  };
  return { ...report, verdict: decideVerdict(report) } as StabilityReport;
}

// ---- sections -----------------------------------------------------------------------------------------

function migrationSummaries(now: WorkspaceStatus, base: WorkspaceStatus | null): MigrationSummary[] {
  return now.groups
    .filter((g) => g.kind === 'migration')
    .map((g) => {
      const b = base?.groups.find((x) => x.id === g.id);
      return {
        id: g.id,
        title: g.title,
        remaining: g.remaining,
        migrated: g.migrated,
        compliance: g.compliance,
        files: g.files,
        base: base ? { remaining: b?.remaining ?? 0, migrated: b?.migrated ?? 0, compliance: b?.compliance ?? null } : null,
        categories: g.categories,
      };
    });
}

function remainingUsages(status: WorkspaceStatus, site: SiteMaker, command: string): StabilityReport['remaining'] {
  const byCategory = new Map<string, StabilityReport['remaining']['categories'][number]>();
  let total = 0;
  for (const f of status.findings) {
    if (!USAGE_RULES.includes(f.code) || !f.migration) continue;
    let c = byCategory.get(f.category);
    if (!c) byCategory.set(f.category, (c = { category: f.category, count: 0, sites: [] }));
    c.count++;
    total++;
    c.sites.push({ ...site(f.path, f.range), code: f.code, migration: f.migration, message: f.message });
  }
  const categories = [...byCategory.values()].sort((a, b) => b.count - a.count || compareStrings(a.category, b.category));
  return { command, total, categories };
}

function workspaceImportCount(project: Project, filter: (f: ProjectFile) => boolean): number {
  let n = 0;
  for (const file of project.allFiles()) {
    if (!filter(file)) continue;
    for (const stmt of file.facts.imports) {
      if (stmt.kind === 'import') n += stmt.items.filter((i) => project.ownsModule(i.name)).length;
      else if (stmt.absModule !== null && project.ownsModule(stmt.absModule)) n += stmt.star ? 1 : stmt.items.length;
    }
  }
  return n;
}

function unresolvedImports(now: Finding[], base: Finding[] | null, site: SiteMaker): StabilityReport['imports']['unresolved'] {
  // Line numbers move; the file and the message ("`X` is not defined in module `m`") identify an import.
  const key = (f: Finding): string => `${f.path}\0${f.message}`;
  const before = base ? new Set(base.filter((f) => f.code === 'MIG004').map(key)) : null;
  return now.filter((f) => f.code === 'MIG004').map((f) => ({ ...site(f.path, f.range), message: f.message, new: before ? !before.has(key(f)) : null }));
}

function requiredStatus(analyzer: Analyzer, name: string): { status: RequiredImport['status']; target: Target } {
  const { target } = analyzer.project.resolveDotted(name);
  const status = target.kind === 'unresolved' ? 'missing' : target.kind === 'dynamic' ? 'unknowable' : 'ok';
  return { status, target };
}

function requiredImports(now: Analyzer, base: Analyzer | null): RequiredImport[] | null {
  const entries = now.config.required;
  if (entries.length === 0) return null;
  return entries.map(({ name }) => {
    const { status, target } = requiredStatus(now, name);
    return {
      name,
      status,
      resolvesTo: status === 'ok' ? targetKey(target) : null,
      location: targetLocation(now.project, target),
      baseStatus: base ? requiredStatus(base, name).status : null,
    };
  });
}

function targetLocation(project: Project, t: Target): { path: string; line: number } | null {
  if (t.kind === 'symbol') return { path: t.path, line: t.range.start.line + 1 };
  if (t.kind === 'module') {
    const file = project.moduleFile(t.module);
    return file ? { path: file.relPath, line: 1 } : null;
  }
  return null;
}

function importCycles(now: Project, base: Project | null, site: SiteMaker, command: string): StabilityReport['cycles'] {
  const graph = importGraph(now);
  const components = stronglyConnected(graph);
  const baseComponents = base ? stronglyConnected(importGraph(base)) : null;
  // A cycle is "existing" when some cycle at the base already tied together at least two of its modules.
  const overlaps = (a: string[], b: string[]): boolean => a.filter((m) => b.includes(m)).length >= 2;
  const cycles: CycleInfo[] = components.map((modules) => {
    const first = now.moduleFile(modules[0]!);
    const edge = (graph.get(modules[0]!) ?? []).find((e) => modules.includes(e.to));
    return {
      modules,
      site: first && edge ? site(first.relPath, edge.range) : null,
      new: baseComponents ? !baseComponents.some((b) => overlaps(b, modules)) : null,
    };
  });
  const resolved = (baseComponents ?? []).filter((b) => !components.some((c) => overlaps(b, c))).map((modules) => ({ modules }));
  return { checked: true, command, now: cycles, resolved };
}

function compatibility(now: Analyzer, base: Analyzer | null, status: WorkspaceStatus, command: string): StabilityReport['compatibility'] {
  const model = now.model();
  const baseModel = base?.model() ?? null;
  const removable = new Set(status.findings.filter((f) => f.code === 'MIG007').map((f) => `${f.path}:${f.range.start.line}`));
  const importers = moduleImporters(now.project);
  const shims: ShimInfo[] = [];
  for (const legacy of model.modules.values()) {
    if (legacy.source !== 'legacy' || !legacy.definition) continue;
    const file = now.project.moduleFile(legacy.module);
    if (!file) continue;
    const reexports: ShimInfo['reexports'] = [];
    for (const b of file.facts.bindings) {
      if (b.kind !== 'import' && b.kind !== 'alias') continue;
      if (b.name.startsWith('_') || reexports.some((r) => r.name === b.name)) continue;
      const t = now.project.resolveExport(legacy.module, b.name);
      if (t.kind !== 'symbol' || t.module === legacy.module) continue;
      const key = targetKey(t);
      let sameAsBase: boolean | null = null;
      if (base && base.project.moduleFile(legacy.module)) {
        const before = base.project.resolveExport(legacy.module, b.name);
        sameAsBase = before.kind === 'unresolved' ? null : targetKey(before) === key;
      }
      reexports.push({ name: b.name, resolvesTo: key, sameAsBase });
    }
    shims.push({
      module: legacy.module,
      path: file.relPath,
      line: legacy.definition.range.start.line + 1,
      importers: importers.get(legacy.module)?.size ?? 0,
      removable: removable.has(`${file.relPath}:${legacy.definition.range.start.line}`),
      reexports,
    });
  }
  const aliases: AliasInfo[] = model.aliases.map((a) => {
    const before = baseModel?.aliases.find((b) => b.module === a.module && b.name === a.name);
    let sameAsBase: boolean | null = null;
    if (base) {
      if (before) sameAsBase = before.originKey === a.originKey;
      else if (base.project.moduleFile(a.module)) {
        const t = base.project.resolveExport(a.module, a.name);
        sameAsBase = t.kind === 'unresolved' ? null : targetKey(t) === a.originKey;
      }
    }
    return {
      name: a.name,
      module: a.module,
      path: a.path,
      line: a.range.start.line + 1,
      canonical: a.canonicalName,
      resolvesTo: a.originKey,
      sameAsBase,
      removable: removable.has(`${a.path}:${a.range.start.line}`),
    };
  });
  shims.sort((a, b) => compareStrings(a.module, b.module));
  aliases.sort((a, b) => compareStrings(`${a.module}.${a.name}`, `${b.module}.${b.name}`));
  return { checked: true, command, shims, aliases };
}

function nextSteps(status: WorkspaceStatus, arg: string): NextStep[] {
  return status.groups
    .filter((g) => g.kind === 'migration' && g.remaining > 0)
    .map((g) => {
      const findings = status.findings.filter((f) => f.migration === g.id && USAGE_RULES.includes(f.code));
      const perFile = new Map<string, number>();
      for (const f of findings) perFile.set(f.path, (perFile.get(f.path) ?? 0) + 1);
      const fixable = findings.filter((f) => f.fix?.safety === 'safe').length;
      const codes = [...new Set(findings.map((f) => f.code))].sort().join(',');
      return {
        migration: g.id,
        title: g.title,
        remaining: g.remaining,
        files: g.files,
        fixable,
        command: fixable > 0 ? `migration-lens fix ${arg} --select ${codes}` : `migration-lens check ${arg} --select ${codes}`,
        topFiles: [...perFile]
          .map(([path, remaining]) => ({ path, remaining }))
          .sort((a, b) => b.remaining - a.remaining || compareStrings(a.path, b.path))
          .slice(0, 5),
      };
    });
}

// ---- helpers ------------------------------------------------------------------------------------------

type SiteMaker = (path: string, range: Range) => Site;

function siteMaker(textOf: (relPath: string) => string | null): SiteMaker {
  const lines = new Map<string, string[] | null>();
  return (path, range) => {
    let fileLines = lines.get(path);
    if (fileLines === undefined) {
      const text = textOf(path);
      fileLines = text === null ? null : text.split(/\r\n|\r|\n/);
      lines.set(path, fileLines);
    }
    return { path, line: range.start.line + 1, column: range.start.column + 1, text: fileLines?.[range.start.line]?.trim() ?? '' };
  };
}

/** Quotes an argument for a POSIX shell only when it needs it, so the common case stays readable. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./~-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
