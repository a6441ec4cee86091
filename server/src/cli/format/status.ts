/**
 * Output of `migration-lens status`: the repo-wide migration status (core/status/status.ts) and, with
 * `--history N`, its trend over the last N commits (core/history/history.ts).
 *
 * Text:
 *
 *     Migration status of /path/to/project: 41 Python files
 *     40 remaining · 44 migrated · SSOT compliance 52.3%
 *
 *     MIGRATION                                     REMAINING  MIGRATED  COMPLIANCE  FILES
 *     deprecated datetime.datetime.utcnow (stdlib)          9         9       50.0%      5
 *       production                                          4         9       69.2%      3
 *     …
 *     RULE                          FINDINGS  FILES
 *     MIG001 deprecated-usage             25     10
 *     …
 *     SSOT compliance = migrated / (migrated + remaining) … (definition: <link to status.ts>)
 *
 * JSON (version 1): see StatusJson. Percentages in text are rounded down to 0.1% (never "100.0%" while a usage
 * is left); JSON carries the exact ratio in [0, 1] (null when there is nothing to measure).
 */
import { compliance } from '../../core/status/compliance.js';
import { percent, plural } from '../../core/format.js';
import type { GroupStatus, RuleStatus, WorkspaceStatus } from '../../core/status/status.js';
import type { HistoryPoint, HistoryResult } from '../../core/history/history.js';
import { sparkline } from '../../core/history/sparkline.js';
import type { ConfigDiagnostic } from '../../core/types.js';
import { TOOL_INFORMATION_URI } from './sarif.js';
import { displayConfigPath, toOneBased, type OneBasedRange } from './types.js';

export const STATUS_FORMAT_VERSION = 1;

/** Where SSOT compliance is defined, once (the doc comment of status.ts). */
export const COMPLIANCE_DEFINITION_URL = `${TOOL_INFORMATION_URI}/blob/main/server/src/core/status/status.ts`;

export const COMPLIANCE_DEFINITION =
  'SSOT compliance = migrated / (migrated + remaining), summed over migrations; remaining = findings of MIG001–MIG003 ' +
  '(deprecated usage, non-canonical import, alias usage), migrated = usages already on the canonical path';

export interface StatusInput {
  root: string;
  status: WorkspaceStatus;
  /** Files that could not be (fully) analyzed. */
  problems: number;
  configDiagnostics: ConfigDiagnostic[];
  history: HistoryResult | null;
}

export interface StatusJsonCategory {
  category: string;
  remaining: number;
  migrated: number;
  compliance: number | null;
  files: number;
}

export interface StatusJsonGroup {
  /** Migration id (`canonical:…`, `legacy-module:…`, `alias:…`, `deprecated:…`, `stdlib:…`) or `rule:MIG00x`. */
  id: string;
  kind: 'migration' | 'rule';
  title: string;
  codes: string[];
  remaining: number;
  migrated: number;
  /** null for rule groups and when nothing is measured. */
  compliance: number | null;
  files: number;
  categories: StatusJsonCategory[];
}

export interface StatusJson {
  version: typeof STATUS_FORMAT_VERSION;
  root: string;
  /** Python files measured (in scope). */
  files: number;
  /** Files that could not be (fully) analyzed. */
  problems: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  /** How compliance is computed, and where it is defined. */
  definition: { text: string; url: string };
  /** Migrations and rule groups, most work left first. */
  groups: StatusJsonGroup[];
  /** Every rule, in code order. */
  rules: RuleStatus[];
  configErrors: { path: string; range: OneBasedRange; message: string; severity: 'error' | 'warning' }[];
  /** With --history N: one point per commit, oldest first (measured with today's config). */
  history?: HistoryPoint[];
  /** With --history N: why there are fewer points than asked (shallow clone), else null. */
  historyTruncated?: string | null;
}

export function toStatusJson(input: StatusInput): StatusJson {
  const { status } = input;
  const out: StatusJson = {
    version: STATUS_FORMAT_VERSION,
    root: input.root,
    files: status.files,
    problems: input.problems,
    remaining: status.remaining,
    migrated: status.migrated,
    compliance: status.compliance,
    definition: { text: COMPLIANCE_DEFINITION, url: COMPLIANCE_DEFINITION_URL },
    groups: status.groups.map((g) => ({
      id: g.id,
      kind: g.kind,
      title: g.title,
      codes: [...g.codes],
      remaining: g.remaining,
      migrated: g.migrated,
      compliance: g.compliance,
      files: g.files,
      categories: g.categories.map((c) => ({ ...c, compliance: g.kind === 'migration' ? compliance(c.migrated, c.remaining) : null })),
    })),
    rules: status.rules.map((r) => ({ ...r })),
    configErrors: input.configDiagnostics.map((d) => ({ path: displayConfigPath(input.root, d.path), range: toOneBased(d.range), message: d.message, severity: d.severity })),
  };
  if (input.history) {
    out.history = input.history.points;
    out.historyTruncated = input.history.truncated;
  }
  return out;
}

export function formatStatusJson(input: StatusInput): string {
  return JSON.stringify(toStatusJson(input), null, 2) + '\n';
}

/** Rows of right-aligned numbers under a left-aligned first column. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [render(header), ...rows.map(render)];
}

function migrationRows(groups: readonly GroupStatus[]): string[][] {
  const rows: string[][] = [];
  for (const g of groups) {
    rows.push([g.title, String(g.remaining), String(g.migrated), percent(g.compliance), String(g.files)]);
    // One category is the group itself: no sub-rows.
    if (g.categories.length < 2) continue;
    for (const c of g.categories) rows.push([`  ${c.category}`, String(c.remaining), String(c.migrated), percent(compliance(c.migrated, c.remaining)), String(c.files)]);
  }
  return rows;
}

export function formatStatusText(input: StatusInput): string {
  const { status } = input;
  const lines: string[] = [];
  for (const d of input.configDiagnostics) {
    lines.push(`${displayConfigPath(input.root, d.path)}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(`Migration status of ${input.root}: ${plural(status.files, 'Python file')}`);
  lines.push(`${status.remaining} remaining · ${status.migrated} migrated · SSOT compliance ${percent(status.compliance)}`);
  if (input.problems > 0) lines.push(`${plural(input.problems, 'file')} could not be fully analyzed (run \`migration-lens check\` to see why).`);
  lines.push('');

  const migrations = status.groups.filter((g) => g.kind === 'migration');
  if (migrations.length === 0) lines.push('No migration has usages in this project.');
  else lines.push(...table(['MIGRATION', 'REMAINING', 'MIGRATED', 'COMPLIANCE', 'FILES'], migrationRows(migrations)));
  lines.push('');
  lines.push(...table(['RULE', 'FINDINGS', 'FILES'], status.rules.map((r) => [`${r.code} ${r.name}`, String(r.remaining), String(r.files)])));
  lines.push('');

  if (input.history) lines.push(...historyLines(input.history), '');
  lines.push(`${COMPLIANCE_DEFINITION} (definition: ${COMPLIANCE_DEFINITION_URL}).`);
  return lines.join('\n') + '\n';
}

const SUBJECT_WIDTH = 60;

/** The change between two shown percentages, from the same rounded-down values the reader sees. */
function pointsChange(from: number, to: number): string {
  const tenths = (v: number): number => Math.floor(v * 1000 + 1e-9);
  const delta = tenths(to) - tenths(from);
  return `${delta >= 0 ? '+' : '−'}${(Math.abs(delta) / 10).toFixed(1)} points`;
}

function historyLines(history: HistoryResult): string[] {
  const { points } = history;
  const lines: string[] = [`History of the last ${plural(points.length, 'commit')} (first parent, oldest first; measured with today's config):`];
  const rows = points.map((p) => {
    const subject = p.subject.length > SUBJECT_WIDTH ? `${p.subject.slice(0, SUBJECT_WIDTH - 1)}…` : p.subject;
    return [p.shortCommit, p.time.slice(0, 10), String(p.remaining), String(p.migrated), percent(p.compliance), String(p.changedFiles), subject];
  });
  // The subject is last and left-aligned (it has no width to keep).
  const header = ['COMMIT', 'DATE', 'REMAINING', 'MIGRATED', 'COMPLIANCE', 'CHANGED', 'SUBJECT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]): string =>
    cells.map((c, i) => (i <= 1 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  lines.push(render(header), ...rows.map(render));
  const first = points[0];
  const last = points.at(-1);
  if (first && last) {
    const change =
      first.compliance !== null && last.compliance !== null
        ? ` (${pointsChange(first.compliance, last.compliance)})`
        : '';
    lines.push(`Compliance ${sparkline(points.map((p) => p.compliance))}  ${percent(first.compliance)} → ${percent(last.compliance)}${change}; remaining ${first.remaining} → ${last.remaining}`);
  }
  if (history.truncated) lines.push(`Note: ${history.truncated}.`);
  return lines;
}
