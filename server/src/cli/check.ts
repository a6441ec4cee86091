import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../core/workspace/load.js';
import { applyBaseline, baselineSummaryText, readBaseline, type BaselineSummary } from './baseline.js';
import { ruleMetas, UsageError, VERSION } from './common.js';
import { formatResult, toJsonOutput, type OutputFormat } from './format/index.js';
import type { CheckResult } from './format/types.js';

export interface CheckOptions {
  path: string;
  format: OutputFormat;
  configFile?: string;
  select: string[] | null;
  ignore: string[];
  exitZero: boolean;
  output?: string;
  /** Baseline file: findings it holds are not reported (see core/baseline/baseline.ts). */
  baseline?: string;
}

export async function runCheck(opts: CheckOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  const baselineEntries = opts.baseline !== undefined ? readBaseline(opts.baseline) : null;
  const ws = await openWorkspace({ checkPath: opts.path, ...(opts.configFile ? { configFile: opts.configFile } : {}), select: opts.select, ignore: opts.ignore });
  let findings = ws.analyzer.checkAll((f) => f.inScope);
  let baseline: BaselineSummary | null = null;
  if (opts.baseline !== undefined && baselineEntries) {
    ({ reported: findings, summary: baseline } = applyBaseline(ws, opts.baseline, baselineEntries, findings, { checkPath: opts.path, select: opts.select, ignore: opts.ignore }));
  }
  const inScope = new Set(ws.files.filter((f) => f.inScope).map((f) => f.relPath));
  const discovered = new Set(ws.files.map((f) => f.relPath));
  const result: CheckResult = {
    root: ws.config.root,
    findings,
    problems: ws.problems.filter((p) => inScope.has(p.path) || !discovered.has(p.path)),
    configDiagnostics: ws.configDiagnostics,
    rules: ruleMetas(),
    toolVersion: VERSION,
  };
  const text =
    baseline && opts.format === 'json'
      ? JSON.stringify({ ...toJsonOutput(result), baseline }, null, 2) + '\n'
      : formatResult(result, opts.format, { color: opts.format === 'text' && !opts.output && process.stdout.isTTY === true && !process.env['NO_COLOR'] });
  if (opts.output) {
    fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
    fs.writeFileSync(opts.output, text);
  } else {
    process.stdout.write(text);
  }
  if (baseline && opts.format !== 'json') process.stderr.write(baselineSummaryText(baseline));
  if (result.configDiagnostics.some((d) => d.severity === 'error')) return 2;
  if (opts.exitZero) return 0;
  return findings.length > 0 || result.problems.length > 0 ? 1 : 0;
}
