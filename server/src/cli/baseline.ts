import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BaselineError,
  compareWithBaseline,
  DEFAULT_BASELINE_FILE,
  fingerprint,
  parseBaseline,
  serializeBaseline,
  type BaselineEntry,
} from '../core/baseline/baseline.js';
import type { Finding } from '../core/types.js';
import { isInside } from '../core/workspace/discover.js';
import { openWorkspace, type Workspace } from '../core/workspace/load.js';
import { readPythonFile } from '../core/workspace/read.js';
import { UsageError } from './common.js';
import { displayConfigPath } from './format/types.js';

export interface BaselineOptions {
  path: string;
  configFile?: string;
  /** Default: migration-lens-baseline.json at the project root. */
  output?: string;
}

/** Decoded text of a project file by root-relative path (any encoding; null when unreadable). */
function textReader(root: string): (relPath: string) => string | null {
  return (relPath) => {
    const r = readPythonFile(path.join(root, ...relPath.split('/')), relPath);
    return r.ok ? r.text : null;
  };
}

/**
 * `migration-lens baseline`: writes every current finding (all enabled rules) of the files under PATH to a
 * committed baseline file; `check --baseline FILE` then reports only new ones. Exit 0, 2 on usage/config errors
 * (nothing is written when the config has errors: the baseline would record a broken configuration's findings).
 */
export async function runBaseline(opts: BaselineOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  const ws = await openWorkspace({ checkPath: opts.path, ...(opts.configFile ? { configFile: opts.configFile } : {}), parse: 'as-needed' });
  const errors = ws.configDiagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) process.stderr.write(`${displayConfigPath(ws.config.root, d.path)}:${d.range.start.line + 1}:${d.range.start.column + 1}: error: ${d.message}\n`);
    process.stderr.write('migration-lens: error: the configuration has errors; fix them before writing a baseline (nothing was written)\n');
    return 2;
  }
  const findings = ws.analyzer.checkAll((f) => f.inScope);
  const entries = fingerprint(findings, textReader(ws.config.root));
  const output = opts.output ? path.resolve(opts.output) : path.join(ws.config.root, DEFAULT_BASELINE_FILE);
  const relOutput = path.relative(ws.config.root, output).split(path.sep).join('/');
  const command = ['migration-lens baseline', ...(relOutput === DEFAULT_BASELINE_FILE ? [] : [`--output ${relOutput}`])].join(' ');
  try {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(output, serializeBaseline(entries, command));
  } catch (e) {
    throw new UsageError(`cannot write the baseline to ${output}: ${(e as Error).message}`);
  }
  const files = new Set(entries.map((e) => e.path)).size;
  process.stderr.write(`Wrote ${entries.length} known ${entries.length === 1 ? 'usage' : 'usages'} in ${files} ${files === 1 ? 'file' : 'files'} to ${output}. Commit it; \`migration-lens check --baseline ${relOutput}\` reports only new ones.\n`);
  return 0;
}

export interface BaselineSummary {
  /** The baseline file as given. */
  file: string;
  /** Findings the baseline holds (not reported). */
  known: number;
  /** Findings not in the baseline (reported). */
  new: number;
  /** Entries nothing matches any more. */
  fixed: { path: string; code: string; migration: string | null; span: string; source: string }[];
}

/** Reads and validates a baseline file; every problem is a UsageError (exit 2) naming the file. */
export function readBaseline(file: string): BaselineEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (write one with `migration-lens baseline`)' : code === 'EISDIR' ? 'is a directory, not a baseline file' : (e as Error).message;
    throw new UsageError(`--baseline ${file}: ${why}`);
  }
  try {
    return parseBaseline(text, file).entries;
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(`--baseline ${e.message}`);
    throw e;
  }
}

/**
 * Splits a check's findings into known (in the baseline) and new, and lists the entries that went away. Only
 * entries the run could reproduce count: files under the checked PATH, rules enabled in this run (an entry of a
 * rule the run did not run, through --select / --ignore, is neither known nor fixed).
 */
export function applyBaseline(
  ws: Workspace,
  file: string,
  entries: readonly BaselineEntry[],
  findings: readonly Finding[],
  opts: { checkPath: string; select: string[] | null; ignore: string[] },
): { reported: Finding[]; summary: BaselineSummary } {
  const scope = path.resolve(opts.checkPath);
  const codes = ws.analyzer.enabledCodes;
  const relevant = entries.filter((e) => codes.has(e.code) && isInside(path.join(ws.config.root, ...e.path.split('/')), scope));
  const prints = fingerprint(findings, textReader(ws.config.root));
  const result = compareWithBaseline(findings.map((finding, i) => ({ finding, entry: prints[i]! })), relevant);
  return {
    reported: result.new,
    summary: {
      file,
      known: result.known.length,
      new: result.new.length,
      fixed: result.fixed.map(({ path: p, code, migration, span, source }) => ({ path: p, code, migration, span, source })),
    },
  };
}

/** The stderr lines of a text check with a baseline. */
export function baselineSummaryText(summary: BaselineSummary): string {
  const lines: string[] = [];
  const fixed = summary.fixed.length;
  let line = `Baseline ${summary.file}: ${summary.known} known ${summary.known === 1 ? 'usage' : 'usages'} not reported, ${summary.new} new`;
  if (fixed > 0) line += `, ${fixed} fixed since the baseline was written — run \`migration-lens baseline\` to lock in the progress`;
  lines.push(`${line}.`);
  const SHOWN = 20;
  for (const f of summary.fixed.slice(0, SHOWN)) lines.push(`  fixed: ${f.path}: ${f.code} ${f.span || f.source}`);
  if (fixed > SHOWN) lines.push(`  … and ${fixed - SHOWN} more`);
  return lines.join('\n') + '\n';
}
