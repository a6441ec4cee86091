/**
 * Input of every output format, plus the few helpers the formats share (1-based conversion,
 * config-path display, counting). Internally positions are 0-based lines and 0-based UTF-16
 * columns (see core/types.ts); every format converts to 1-based at this edge.
 */
import * as path from 'node:path';
import type { ConfigDiagnostic, FileProblem, Finding, Range, RuleCode, Severity } from '../../core/types.js';

/** Static description of one rule, as shown in summaries and in SARIF `tool.driver.rules`. */
export interface RuleMeta {
  code: RuleCode;
  /** Kebab-case rule name, e.g. `non-canonical-import`. */
  name: string;
  /** One sentence. */
  summary: string;
  docsUrl: string;
  defaultSeverity: Severity;
}

/** Everything a `check` run produced, handed to a formatter. */
export interface CheckResult {
  /** Absolute project root; every `Finding.path` / `FileProblem.path` is POSIX and relative to it. */
  root: string;
  /** Sorted by the caller (path, line, column). */
  findings: Finding[];
  problems: FileProblem[];
  configDiagnostics: ConfigDiagnostic[];
  rules: RuleMeta[];
  toolVersion: string;
  /** Command suggested in the text summary for applying fixes; defaults to `migration-lens fix`. */
  fixCommand?: string;
}

export const DEFAULT_FIX_COMMAND = 'migration-lens fix';

/** A 1-based position (line and UTF-16 column), as every output format shows it. */
export interface OneBasedPosition {
  line: number;
  column: number;
}

export interface OneBasedRange {
  start: OneBasedPosition;
  end: OneBasedPosition;
}

export function toOneBased(range: Range): OneBasedRange {
  return {
    start: { line: range.start.line + 1, column: range.start.column + 1 },
    end: { line: range.end.line + 1, column: range.end.column + 1 },
  };
}

/**
 * How a config file path is shown: POSIX and relative to the root when the file is inside it,
 * otherwise the absolute path unchanged.
 */
export function displayConfigPath(root: string, absolutePath: string): string {
  const rel = path.relative(root, absolutePath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return absolutePath;
  return rel.split(path.sep).join('/');
}

/** True when `displayConfigPath` produced a root-relative path. */
export function isInsideRoot(root: string, absolutePath: string): boolean {
  return displayConfigPath(root, absolutePath) !== absolutePath;
}

/** Counts keys, returning [key, count] pairs sorted by count desc, then key asc. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
