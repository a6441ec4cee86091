import * as fs from 'node:fs';
import * as path from 'node:path';
import { FactsCache, factsCacheKey } from '../core/cache/factsCache.js';
import { buildIdentity, readRunCache, runCacheKey, writeRunCache } from '../core/cache/runCache.js';
import { Stamper } from '../core/cache/stamps.js';
import { openWorkspace, prepareWorkspace } from '../core/workspace/load.js';
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
  /** Reuse (and store) the result in .migration-lens-cache/ when nothing changed; never with a baseline. */
  cache: boolean;
}

/** What a check computes from the workspace; the run cache stores exactly this. */
type CheckOutcome = Pick<CheckResult, 'findings' | 'problems' | 'configDiagnostics'>;

export async function runCheck(opts: CheckOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  const baselineEntries = opts.baseline !== undefined ? readBaseline(opts.baseline) : null;
  const prepared = prepareWorkspace({ checkPath: opts.path, ...(opts.configFile ? { configFile: opts.configFile } : {}) });
  const { root } = prepared.config;
  const build = buildIdentity(VERSION);
  // The scope is part of the key: the discovered files are the same for a whole root and one directory of it.
  const cacheKey =
    opts.cache && opts.baseline === undefined
      ? runCacheKey([build, prepared.config, prepared.diagnostics, prepared.discovered.problems, opts.select, opts.ignore, path.resolve(opts.path)])
      : null;
  const stamper = new Stamper();
  let outcome = cacheKey ? readRunCache<CheckOutcome>(root, 'check', cacheKey, prepared.discovered.files, stamper) : null;
  let baseline: BaselineSummary | null = null;
  if (!outcome) {
    // The result missed (or is not cached, with a baseline), but most files are likely unchanged: their facts are.
    const facts = opts.cache ? FactsCache.read(root, factsCacheKey(build), stamper) : null;
    const ws = await openWorkspace(
      {
        checkPath: opts.path,
        ...(opts.configFile ? { configFile: opts.configFile } : {}),
        select: opts.select,
        ignore: opts.ignore,
        parse: 'as-needed',
        focus: true,
        ...(facts ? { cached: facts } : {}),
        ...(opts.cache ? { stamper } : {}),
      },
      prepared,
    );
    let findings = ws.analyzer.checkAll((f) => f.inScope);
    if (opts.baseline !== undefined && baselineEntries) {
      ({ reported: findings, summary: baseline } = applyBaseline(ws, opts.baseline, baselineEntries, findings, { checkPath: opts.path, select: opts.select, ignore: opts.ignore }));
    }
    const inScope = new Set(ws.files.filter((f) => f.inScope).map((f) => f.relPath));
    const discovered = new Set(ws.files.map((f) => f.relPath));
    outcome = { findings, problems: ws.problems.filter((p) => inScope.has(p.path) || !discovered.has(p.path)), configDiagnostics: ws.configDiagnostics };
    if (cacheKey) writeRunCache(root, 'check', cacheKey, prepared.discovered.files, outcome, stamper);
    facts?.write(root, prepared.discovered.files, (rel) => ws.analyzer.project.file(rel));
  }
  const result: CheckResult = { root, ...outcome, rules: ruleMetas(), toolVersion: VERSION };
  const findings = result.findings;
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
