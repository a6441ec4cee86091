import { escapeMarkdown, percent, plural } from '../format.js';
import { MAX_SITES_PER_CATEGORY } from './build.js';
import type { Site, StabilityReport } from './types.js';

/**
 * The stability report as Markdown, rendered from the JSON report only (so the two never disagree), in the order
 * of the hand-written reports it replaces: verdict, migrations, remaining usages, import integrity, cycles,
 * compatibility shims, breaking changes, compliance, changed files, next steps. Every section names the command
 * that reproduces it; a section that was not computed says so instead of showing an empty table. Everything
 * taken from the workspace is escaped.
 */

const VERDICT_BADGE: Record<StabilityReport['verdict']['verdict'], string> = {
  STABLE: '🟢 STABLE',
  'AT RISK': '🟠 AT RISK',
  BREAKING: '🔴 BREAKING',
};

export function renderReportMarkdown(r: StabilityReport): string {
  const out: string[] = [];
  const p = (...lines: string[]): void => void out.push(...lines);
  const e = escapeMarkdown;
  // A code span on one line that cannot end early (backticks) or split a table cell (pipes, escaped as GFM wants).
  const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
  // Messages quote names in backticks: keep those as code spans, escape everything between them.
  const prose = (text: string): string => text.split('`').map((part, i) => (i % 2 === 1 && part !== '' ? code(part) : e(part))).join('');
  const reproduce = (command: string): void => p(`<sub>Reproduce: ${code(command)}</sub>`, '');
  const where = (s: Site | { path: string; line: number }): string => code(`${s.path}:${s.line}`);

  p(`# Stability report: ${e(r.project.name)}`, '');
  p(`## Verdict: ${VERDICT_BADGE[r.verdict.verdict]}`, '');
  if (r.verdict.reasons.length === 0) p('No rule of the verdict fired: every workspace import resolves, no breaking change, no new import cycle, every file analyzed.', '');
  else for (const reason of r.verdict.reasons) p(`- **${reason.level}** (${code(reason.rule)}): ${prose(reason.message)}`);
  if (r.verdict.reasons.length) p('');
  p('The verdict follows fixed rules (Migration Lens `docs/report.md`, "Verdict"). Legacy usages that still work through a shim or an alias are backlog, not instability.', '');

  p('## How this was measured', '');
  p('| | |', '|---|---|');
  p(`| generated | ${e(r.generatedAt)} by migration-lens ${e(r.tool.version)} |`);
  p(`| now | ${revision(r.now, 'work tree')} |`);
  p(`| base | ${r.base ? revision(r.base, '') : 'not compared (no `--base`)'} |`);
  p(`| config | ${r.project.configPath ? code(r.project.configPath) : 'none (defaults)'} |`);
  p(`| Python files analyzed | ${r.project.files} |`);
  p(`| files not fully analyzed | ${r.project.problems.length} |`, '');
  if (r.project.problems.length) {
    for (const prob of r.project.problems.slice(0, 50)) p(`- ${code(prob.path)} (${e(prob.kind)}): ${e(prob.message)}`);
    if (r.project.problems.length > 50) p(`- … and ${r.project.problems.length - 50} more`);
    p('');
  }
  reproduce(r.commands.report);

  p('## Migration summary', '');
  if (r.migrations.items.length === 0) p('No migration has usages in this workspace.', '');
  else {
    const hasBase = r.base !== null;
    p(`| migration | remaining | migrated | SSOT compliance |${hasBase ? ' at base |' : ''} files |`);
    p(`|---|---:|---:|---:|${hasBase ? '---:|' : ''}---:|`);
    for (const m of r.migrations.items) {
      const baseCell = hasBase ? ` ${m.base ? `${percent(m.base.compliance)} (${m.base.remaining} left)` : '–'} |` : '';
      p(`| ${e(m.title)} | ${m.remaining} | ${m.migrated} | ${percent(m.compliance)} |${baseCell} ${m.files} |`);
    }
    p('');
  }
  p('SSOT compliance = migrated usages / (migrated + remaining legacy usages). Remaining: findings of MIG001–MIG003 that belong to a migration; migrated: imports from the canonical home and calls of the replacement.', '');
  reproduce(r.migrations.command);

  p('## Remaining legacy usages by category', '');
  if (r.remaining.total === 0) p('None.', '');
  for (const c of r.remaining.categories) {
    p(`### ${e(c.category)} (${c.count})`, '');
    for (const s of c.sites.slice(0, MAX_SITES_PER_CATEGORY)) p(`- ${where(s)} ${code(s.code)} ${prose(s.message)}`);
    if (c.sites.length > MAX_SITES_PER_CATEGORY) p(`- … and ${c.sites.length - MAX_SITES_PER_CATEGORY} more (all of them are in the JSON report)`);
    p('');
  }
  reproduce(r.remaining.command);

  p('## Import integrity', '');
  const imp = r.imports;
  const unresolved = imp.unresolved.length;
  p(`${imp.workspaceImports} imports of workspace modules checked statically (every name followed through re-exports): ${unresolved === 0 ? 'all resolve' : `**${plural(unresolved, 'import')} do${unresolved === 1 ? 'es' : ''} not resolve**`}.`, '');
  if (unresolved) {
    p('| where | import | problem | since base |', '|---|---|---|---|');
    for (const u of imp.unresolved) p(`| ${where(u)} | ${code(u.text)} | ${prose(u.message)} | ${u.new === null ? 'not compared' : u.new ? 'new' : 'already broken'} |`);
    p('');
  }
  p('### Required imports', '');
  if (imp.required === null) p('Not checked: the config has no `required` list (the imports that must keep working).', '');
  else {
    p(`| required | now | resolves to | at base |`, '|---|---|---|---|');
    for (const q of imp.required) {
      p(`| ${code(q.name)} | ${statusCell(q.status)} | ${q.resolvesTo ? `${code(q.resolvesTo)}${q.location ? ` (${where(q.location)})` : ''}` : '–'} | ${q.baseStatus === null ? 'not compared' : statusCell(q.baseStatus)} |`);
    }
    p('');
  }
  reproduce(imp.command);

  p('## Import cycles', '');
  if (r.cycles.now.length === 0) p('No module-level import cycle among workspace modules.', '');
  else {
    p('| modules | starts at | since base |', '|---|---|---|');
    for (const c of r.cycles.now) p(`| ${c.modules.map(code).join(' ↔ ')} | ${c.site ? where(c.site) : '–'} | ${c.new === null ? 'not compared' : c.new ? 'new' : 'existing'} |`);
    p('');
  }
  if (r.cycles.resolved.length) p(`Resolved since the base: ${r.cycles.resolved.map((c) => c.modules.map(code).join(' ↔ ')).join('; ')}.`, '');
  reproduce(r.cycles.command);

  p('## Backward-compatibility shims and aliases', '');
  const compat = r.compatibility;
  if (compat.shims.length === 0 && compat.aliases.length === 0) p('None found: no legacy module warns on import and no compatibility alias is defined.', '');
  if (compat.shims.length) {
    p('| legacy module | defined at | importers | re-exports (resolve to) | same object as at base | removable |', '|---|---|---:|---|---|---|');
    for (const s of compat.shims) {
      const names = s.reexports.map((x) => `${code(x.name)} → ${x.resolvesTo ? code(x.resolvesTo) : '?'}`).join('<br>') || '–';
      const same = s.reexports.length === 0 ? '–' : s.reexports.map((x) => sameCell(x.sameAsBase)).join('<br>');
      p(`| ${code(s.module)} | ${where(s)} | ${s.importers} | ${names} | ${same} | ${s.removable ? 'yes: no workspace user' : 'no'} |`);
    }
    p('');
  }
  if (compat.aliases.length) {
    p('| alias | defined at | resolves to | canonical name | same object as at base | removable |', '|---|---|---|---|---|---|');
    for (const a of compat.aliases) {
      p(`| ${code(`${a.module}.${a.name}`)} | ${where(a)} | ${code(a.resolvesTo)} | ${code(a.canonical)} | ${sameCell(a.sameAsBase)} | ${a.removable ? 'yes: no workspace user' : 'no'} |`);
    }
    p('');
  }
  reproduce(compat.command);

  p('## Breaking changes since base', '');
  const bc = r.breakingChanges;
  if (!bc.checked) p(`Not checked: ${prose(bc.reason)}.`, '');
  else {
    const breaking = bc.changes.filter((c) => c.breaking);
    p(`${plural(bc.changes.length, 'public API change')} between ${code(shortRev(r.base))} and now, ${breaking.length} breaking, ${plural(bc.changes.reduce((n, c) => n + c.sites.length, 0), 'workspace site')} affected.`, '');
    if (bc.changes.length) {
      p('| change | before | after | breaking | broken sites |', '|---|---|---|---|---|');
      for (const c of bc.changes) {
        const side = (x: { path: string; line: number; signature: string } | null): string => (x ? `${code(x.signature)}<br>${where(x)}` : '–');
        const sites = c.sites.length === 0 ? 'none in the workspace' : c.sites.slice(0, 10).map((s) => where(s)).join('<br>') + (c.sites.length > 10 ? `<br>… ${c.sites.length - 10} more` : '');
        p(`| ${prose(c.message)} | ${side(c.before)} | ${side(c.after)} | ${c.breaking ? '**yes**' : 'no'} | ${sites} |`);
      }
      p('');
    }
    if (bc.notCompared.length) p(`Not compared (could not be analyzed on one side): ${bc.notCompared.map((n) => code(n.path)).join(', ')}.`, '');
    reproduce(bc.command);
  }

  p('## SSOT compliance', '');
  const base = r.compliance.base;
  p('| | remaining | migrated | SSOT compliance |', '|---|---:|---:|---:|');
  if ('remaining' in base) p(`| base (${code(shortRev(r.base))}) | ${base.remaining} | ${base.migrated} | ${percent(base.compliance)} |`);
  p(`| now | ${r.compliance.now.remaining} | ${r.compliance.now.migrated} | ${percent(r.compliance.now.compliance)} |`, '');
  if (!('remaining' in base)) p(`Base: not checked (${prose(base.reason)}).`, '');
  reproduce(r.compliance.command);

  p('## Files changed since base', '');
  const changed = r.changedFiles;
  if (!changed.checked) p(`Not checked: ${prose(changed.reason)}.`, '');
  else {
    const counts = (['added', 'modified', 'deleted'] as const).map((s) => `${changed.files.filter((f) => f.status === s).length} ${s}`);
    p(`${plural(changed.files.length, 'Python file')} changed (${counts.join(', ')}).`, '');
    for (const f of changed.files.slice(0, 100)) p(`- ${f.status}: ${code(f.path)}`);
    if (changed.files.length > 100) p(`- … and ${changed.files.length - 100} more`);
    p('');
    reproduce(changed.command);
  }

  p('## Next steps', '');
  if (r.nextSteps.length === 0) p('Nothing left to migrate.', '');
  else {
    p('Largest first.', '');
    r.nextSteps.forEach((s, i) => {
      const fix = s.fixable > 0 ? `${s.fixable} have a safe fix (${code(s.command)} applies every safe fix of those rules)` : `no automatic fix; list them with ${code(s.command)}`;
      p(`${i + 1}. **${e(s.title)}**: ${plural(s.remaining, 'usage')} in ${plural(s.files, 'file')}; ${fix}. Most in ${s.topFiles.map((f) => `${code(f.path)} (${f.remaining})`).join(', ')}.`);
    });
    p('');
  }

  p('## What this report does not claim', '');
  p('- Nothing was executed: imports, signatures and cycles are read from the source, not from a running interpreter.');
  p('- Calls on instances (`Service().begin()`) are not matched to their class: that needs type inference. Uses through the class and its module are.');
  p('- Code outside the workspace (other repositories, plugins, dynamic imports by string) is not visible.');
  p('');
  return out.join('\n');
}

function revision(info: StabilityReport['now'], fallback: string): string {
  const parts: string[] = [];
  if (info.rev) parts.push(`\`${info.rev.replace(/`/g, "'")}\``);
  if (info.commit) parts.push(`\`${info.commit.slice(0, 12)}\``);
  if (info.subject) parts.push(escapeMarkdown(info.subject));
  if (!info.rev && fallback) parts.unshift(fallback + (info.commit ? ' on' : ''));
  return parts.join(' ') || fallback;
}

function shortRev(info: StabilityReport['base']): string {
  return info?.rev ?? info?.commit?.slice(0, 12) ?? 'base';
}

function statusCell(status: 'ok' | 'missing' | 'unknowable'): string {
  return status === 'ok' ? 'imports' : status === 'missing' ? '**missing**' : 'unknowable (dynamic module)';
}

function sameCell(same: boolean | null): string {
  return same === null ? 'not compared' : same ? 'yes' : '**no**';
}
