/**
 * How status numbers are worded in the panel, the language status item and the view badge. Pure (no `vscode`
 * import) so the wording is unit-tested in test/client/format.test.ts.
 */
// Leaf modules of the core: the same definition and wording as the CLI and the report, nothing else bundled.
import { plural } from '../../server/src/core/format.js';
import { compliance } from '../../server/src/core/status/compliance.js';
import type { ProjectStatus, StatusGroup, StatusSnapshot } from '../../server/src/lsp/protocol.js';

export { plural };

/** Totals over every project of a snapshot. */
export interface Summary {
  projects: number;
  remaining: number;
  migrated: number;
  /** migrated / (migrated + remaining); null when there is nothing to measure. */
  compliance: number | null;
  /** Files indexed so far over every project still indexing; null when all are ready. */
  indexing: { indexed: number; total: number } | null;
  configHasErrors: boolean;
  problems: number;
}

export function summarize(snapshot: StatusSnapshot): Summary {
  let remaining = 0;
  let migrated = 0;
  let indexed = 0;
  let total = 0;
  let busy = false;
  let problems = 0;
  let configHasErrors = false;
  for (const project of snapshot.projects) {
    remaining += project.remaining;
    migrated += project.migrated;
    problems += project.problems;
    configHasErrors ||= project.configHasErrors;
    if (project.scan.state === 'indexing') {
      busy = true;
      indexed += project.scan.indexed;
      total += project.scan.total;
    }
  }
  return {
    projects: snapshot.projects.length,
    remaining,
    migrated,
    // Recomputed from the sums rather than averaged, so a small project does not weigh like a large one.
    compliance: compliance(migrated, remaining),
    indexing: busy ? { indexed, total } : null,
    configHasErrors,
    problems,
  };
}

/** Rounded down, so "100%" is never shown while a usage is left. */
export function percent(compliance: number): string {
  return `${Math.floor(compliance * 100 + 1e-9)}%`;
}


/** "12 left · 87% migrated", or "12 left" when there is nothing to measure. */
export function describeCounts(counts: { remaining: number; compliance: number | null }): string {
  const left = `${counts.remaining} left`;
  return counts.compliance === null ? left : `${left} · ${percent(counts.compliance)} migrated`;
}

export function describeGroup(group: StatusGroup): string {
  return describeCounts(group);
}

export function describeProject(project: ProjectStatus): string {
  return describeCounts(project);
}

/** Language status text: "SSOT 87%", or "SSOT —" when nothing is measured yet. */
export function statusText(summary: Summary | undefined): string {
  return summary?.compliance == null ? 'SSOT —' : `SSOT ${percent(summary.compliance)}`;
}

/** Language status detail: "12 usages left · indexing 340/1790", "12 usages left · ready". */
export function statusDetail(summary: Summary): string {
  const parts: string[] = [];
  if (summary.remaining > 0 || summary.migrated > 0) parts.push(`${plural(summary.remaining, 'usage')} left`);
  parts.push(summary.indexing ? `indexing ${summary.indexing.indexed}/${summary.indexing.total}` : 'ready');
  if (summary.configHasErrors) parts.push('config has errors');
  return parts.join(' · ');
}

/**
 * Escapes text from the workspace (file names, messages, config values) before it goes into a MarkdownString:
 * a workspace is untrusted, and a file name must not become a link, an image or a command.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()<>#+\-=.!|~$&:]/g, (ch) => `\\${ch}`)
    .replace(/\r?\n/g, '  \n');
}

/** A markdown table cell: escaped, and on one line. */
export function markdownCell(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' '));
}

/** Fix counts per rule code, most frequent first: ["MIG002 × 12", "MIG001 × 3"]. */
export function describeByCode(byCode: Record<string, number>): string[] {
  return Object.entries(byCode)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, count]) => `${code} × ${count}`);
}
