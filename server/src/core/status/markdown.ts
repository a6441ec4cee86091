import type { WorkspaceStatus } from './status.js';

/**
 * The first version of the stability report: the measured status as Markdown, per migration and per rule,
 * split by category, with the command that reproduces the numbers. Everything interpolated from the workspace
 * (paths, messages, names) is escaped: a file name must not be able to inject Markdown or HTML.
 */

export interface ReportMeta {
  projectName: string;
  /** When the analysis ran (ISO 8601). */
  generatedAt: string;
  /** Shell command that reproduces the numbers. */
  command: string;
  /** Files that could not be fully analyzed. */
  problems: number;
}

/** Escapes text for a Markdown table cell or paragraph: no HTML, no emphasis, no links, no cell breaks. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(Math.floor(value * 1000) / 10).toFixed(1)}%`;
}

export function renderStatusMarkdown(status: WorkspaceStatus, meta: ReportMeta): string {
  const lines: string[] = [];
  const migrations = status.groups.filter((g) => g.kind === 'migration');
  const categories = [...new Set(status.groups.flatMap((g) => g.categories.map((c) => c.category)))].sort();
  lines.push(`# Migration stability report: ${escapeMarkdown(meta.projectName)}`, '');
  lines.push(`Generated ${escapeMarkdown(meta.generatedAt)} by Migration Lens from ${status.files} Python files. Reproduce: \`${meta.command.replace(/`/g, "'")}\`.`, '');
  lines.push('## Summary', '');
  lines.push('| measure | value |', '|---|---|');
  lines.push(`| SSOT compliance (migrated / (migrated + remaining)) | ${percent(status.compliance)} |`);
  lines.push(`| legacy usages remaining | ${status.remaining} |`);
  lines.push(`| usages already migrated | ${status.migrated} |`);
  lines.push(`| migrations tracked | ${migrations.length} |`);
  lines.push(`| files that could not be fully analyzed | ${meta.problems} |`, '');
  lines.push('## Migrations', '');
  if (migrations.length === 0) lines.push('No migration has usages in this workspace.', '');
  else {
    lines.push(`| migration | remaining | migrated | compliance | files | ${categories.map(escapeMarkdown).join(' | ')} |`);
    lines.push(`|---|---|---|---|---|${categories.map(() => '---|').join('')}`);
    for (const g of migrations) {
      const byCat = categories.map((c) => {
        const cell = g.categories.find((x) => x.category === c);
        return cell ? `${cell.remaining} left / ${cell.migrated} done` : '–';
      });
      lines.push(`| ${escapeMarkdown(g.title)} | ${g.remaining} | ${g.migrated} | ${percent(g.compliance)} | ${g.files} | ${byCat.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Findings per rule', '');
  lines.push('| rule | findings | files |', '|---|---|---|');
  for (const r of status.rules) lines.push(`| ${r.code} ${escapeMarkdown(r.name)} | ${r.remaining} | ${r.files} |`);
  lines.push('');
  lines.push('## Not checked in this version', '');
  lines.push('Breaking changes between revisions, history over commits and the `required` imports list are not part of this report yet; nothing here claims them.', '');
  return lines.join('\n');
}
