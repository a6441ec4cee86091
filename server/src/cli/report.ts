import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError } from '../core/git/git.js';
import { generateReport } from '../core/report/generate.js';
import { renderReportMarkdown } from '../core/report/markdown.js';
import type { Verdict } from '../core/report/types.js';
import { statusFilesToRefine } from '../core/status/status.js';
import { openWorkspace } from '../core/workspace/load.js';
import { UsageError, VERSION } from './common.js';

export type ReportFormat = 'markdown' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'json'];

export interface ReportOptions {
  path: string;
  format: ReportFormat;
  configFile?: string;
  base?: string;
  output?: string;
  /** Exit 1 when the verdict is at least this bad (for CI gates); never by default. */
  failOn?: Exclude<Verdict, 'STABLE'>;
}

export async function runReport(opts: ReportOptions): Promise<number> {
  if (!fs.existsSync(opts.path)) throw new UsageError(`path does not exist: ${opts.path}`);
  // Without a base, the report reads findings, problems, the status and exact facts: the files those depend on are
  // parsed, the others outlined (as for `status`). Comparing APIs with a base needs every parameter list: all parsed.
  const ws = await openWorkspace({
    checkPath: opts.path,
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    ...(opts.base === undefined ? { parse: 'as-needed' as const, refineAlso: statusFilesToRefine, focus: true } : {}),
  });
  if (ws.configDiagnostics.some((d) => d.severity === 'error')) {
    const first = ws.configDiagnostics.find((d) => d.severity === 'error')!;
    throw new UsageError(`${first.path}:${first.range.start.line + 1}:${first.range.start.column + 1}: ${first.message} (run \`migration-lens check\` for every config problem)`);
  }
  const inScope = new Set(ws.files.filter((f) => f.inScope).map((f) => f.relPath));
  let report;
  try {
    report = await generateReport({
      analyzer: ws.analyzer,
      parser: ws.parser,
      problems: ws.problems.filter((p) => inScope.has(p.path)),
      ...(opts.base !== undefined ? { base: opts.base } : {}),
      pathArg: opts.path,
      toolVersion: VERSION,
    });
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
  const text = opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReportMarkdown(report);
  if (opts.output) {
    fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
    fs.writeFileSync(opts.output, text);
    process.stderr.write(`migration-lens: ${report.verdict.verdict}: report written to ${opts.output}\n`);
  } else {
    process.stdout.write(text);
  }
  const rank: Record<Verdict, number> = { STABLE: 0, 'AT RISK': 1, BREAKING: 2 };
  return opts.failOn && rank[report.verdict.verdict] >= rank[opts.failOn] ? 1 : 0;
}
