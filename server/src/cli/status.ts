import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError, openRepository } from '../core/git/git.js';
import { computeHistory, parseHistoryCount, reuseWorkTree, type HistoryResult } from '../core/history/history.js';
import { FactsCache, factsCacheKey } from '../core/cache/factsCache.js';
import { buildIdentity, readRunCache, runCacheKey, writeRunCache } from '../core/cache/runCache.js';
import { Stamper } from '../core/cache/stamps.js';
import { computeStatus, statusFilesToRefine } from '../core/status/status.js';
import { isInside } from '../core/workspace/discover.js';
import { openWorkspace, prepareWorkspace } from '../core/workspace/load.js';
import { UsageError, VERSION } from './common.js';
import { formatStatusJson, formatStatusText } from './format/status.js';

export type StatusFormat = 'text' | 'json';
export const STATUS_FORMATS: readonly StatusFormat[] = ['text', 'json'];

export interface StatusOptions {
  path: string;
  format: StatusFormat;
  configFile?: string;
  /** `--history N` as typed; validated here. */
  history?: string;
  /**
   * Serve the stored output when nothing changed, else unchanged files' facts (the cache `check` keeps), from
   * .migration-lens-cache/, and store both; not with history.
   */
  cache: boolean;
}

/**
 * `migration-lens status`: the repo-wide migration status of the files under PATH (the whole project is analyzed
 * so imports resolve), and with `--history N` the same measure at each of the last N first-parent commits.
 * Informational: exit 0, or 2 on usage, configuration and git errors.
 */
export async function runStatus(opts: StatusOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  let count: number | null = null;
  if (opts.history !== undefined) {
    const parsed = parseHistoryCount(opts.history);
    if (typeof parsed === 'string') throw new UsageError(`--history: ${parsed}`);
    count = parsed;
  }
  // Without history, only what the status depends on is parsed (as `check` does), and unchanged files' facts come
  // from the cache; the history reuses the work tree's analysis for files unchanged since a commit, which must then
  // be whole.
  const prepared = prepareWorkspace({ checkPath: opts.path, ...(opts.configFile ? { configFile: opts.configFile } : {}) });
  const { root } = prepared.config;
  const build = buildIdentity(VERSION);
  const stamper = new Stamper();
  // As `check` does: the output, valid while the build, config, options and every discovered file are the same.
  const cacheKey =
    opts.cache && count === null
      ? runCacheKey([build, prepared.config, prepared.diagnostics, prepared.discovered.problems, opts.format, path.resolve(opts.path)])
      : null;
  const stored = cacheKey ? readRunCache<StoredStatus>(root, `status-${opts.format}`, cacheKey, prepared.discovered.files, stamper) : null;
  if (stored && typeof stored.output === 'string' && typeof stored.exitCode === 'number') {
    process.stdout.write(stored.output);
    return stored.exitCode;
  }
  const facts = cacheKey ? FactsCache.read(root, factsCacheKey(build), stamper) : null;
  const ws = await openWorkspace(
    {
      checkPath: opts.path,
      ...(opts.configFile ? { configFile: opts.configFile } : {}),
      ...(count === null ? { parse: 'as-needed' as const, refineAlso: statusFilesToRefine, focus: true } : {}),
      ...(facts ? { cached: facts, stamper } : {}),
    },
    prepared,
  );
  facts?.write(root, prepared.discovered.files, (rel) => ws.analyzer.project.file(rel));
  const status = computeStatus(ws.analyzer);
  const inScope = new Set(ws.files.filter((f) => f.inScope).map((f) => f.relPath));

  let history: HistoryResult | null = null;
  if (count !== null) {
    const scopeDir = path.resolve(opts.path);
    try {
      const repo = await openRepository(fs.statSync(scopeDir).isDirectory() ? scopeDir : path.dirname(scopeDir));
      // Files unchanged since a commit are not parsed again: the work tree's analysis is reused for them.
      const reuse = reuseWorkTree(ws.analyzer, ws.textOf);
      history = await computeHistory({ config: ws.config, parser: ws.parser, repo, count, scope: (f) => isInside(f.absPath, scopeDir), reuse });
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(`--history: ${e.message}`);
      throw e;
    }
  }

  const input = {
    root: ws.config.root,
    status,
    problems: new Set(ws.problems.filter((p) => inScope.has(p.path)).map((p) => p.path)).size,
    configDiagnostics: ws.configDiagnostics,
    history,
  };
  const output = opts.format === 'json' ? formatStatusJson(input) : formatStatusText(input);
  const exitCode = ws.configDiagnostics.some((d) => d.severity === 'error') ? 2 : 0;
  if (cacheKey) writeRunCache<StoredStatus>(root, `status-${opts.format}`, cacheKey, prepared.discovered.files, { output, exitCode }, stamper);
  process.stdout.write(output);
  return exitCode;
}

/** What the run cache keeps of a status: the output as printed (the status itself holds sets), and the exit code. */
interface StoredStatus {
  output: string;
  exitCode: number;
}
