/**
 * Machine-readable output (schema version 1). Lines and columns are 1-based (columns count UTF-16
 * code units); end positions are exclusive, as in the internal model. Finding paths are POSIX and
 * relative to `root`; config error paths are too when the config file is inside `root`, otherwise
 * absolute.
 */
import type { Range } from '../../core/types.js';
import { displayConfigPath, toOneBased, type CheckResult, type OneBasedRange } from './types.js';

export const JSON_FORMAT_VERSION = 1;

export interface JsonTextEdit {
  range: OneBasedRange;
  newText: string;
}

export interface JsonFix {
  safety: 'safe' | 'unsafe';
  title: string;
  edits: JsonTextEdit[];
}

export interface JsonRelated {
  path: string;
  range: OneBasedRange;
  message: string;
}

export interface JsonFinding {
  code: string;
  rule: string;
  severity: string;
  message: string;
  path: string;
  range: OneBasedRange;
  category: string;
  fix: JsonFix | null;
  related: JsonRelated[];
  migration: string | null;
}

export interface JsonProblem {
  path: string;
  kind: string;
  message: string;
  range: OneBasedRange | null;
}

export interface JsonConfigError {
  path: string;
  range: OneBasedRange;
  message: string;
  severity: 'error' | 'warning';
}

export interface JsonOutput {
  version: typeof JSON_FORMAT_VERSION;
  root: string;
  findings: JsonFinding[];
  problems: JsonProblem[];
  configErrors: JsonConfigError[];
}

function range(r: Range): OneBasedRange {
  return toOneBased(r);
}

/** The document `formatJson` serializes; exported for callers that want the object. */
export function toJsonOutput(result: CheckResult): JsonOutput {
  return {
    version: JSON_FORMAT_VERSION,
    root: result.root,
    findings: result.findings.map((f) => ({
      code: f.code,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      path: f.path,
      range: range(f.range),
      category: f.category,
      fix: f.fix
        ? {
            safety: f.fix.safety,
            title: f.fix.title,
            edits: f.fix.edits.map((e) => ({ range: range(e.range), newText: e.newText })),
          }
        : null,
      related: f.related.map((r) => ({ path: r.path, range: range(r.range), message: r.message })),
      migration: f.migration ?? null,
    })),
    problems: result.problems.map((p) => ({
      path: p.path,
      kind: p.kind,
      message: p.message,
      range: p.range ? range(p.range) : null,
    })),
    configErrors: result.configDiagnostics.map((d) => ({
      path: displayConfigPath(result.root, d.path),
      range: range(d.range),
      message: d.message,
      severity: d.severity,
    })),
  };
}

export function formatJson(result: CheckResult): string {
  return JSON.stringify(toJsonOutput(result), null, 2) + '\n';
}
