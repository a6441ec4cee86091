/**
 * The custom requests behind the panel and the commands (types in protocol.ts): occurrences of a status line,
 * computed fixes for files or the workspace, and the Markdown report.
 */
import * as path from 'node:path';
import type { TextDocumentEdit } from 'vscode-languageserver';
import { yieldToEventLoop } from '../core/eventLoop.js';
import { renderReportMarkdown } from '../core/report/markdown.js';
import { generateReport } from '../core/report/generate.js';
import { USAGE_RULES } from '../core/status/status.js';
import { LineIndex } from '../core/text.js';
import { minimalEdit, pathOf, toLspRange, uriOf } from './convert.js';
import type { LiveProject } from './liveProject.js';
import type { FileOccurrences, FixesParams, FixesResult, OccurrencesParams, ReportParams, ReportResult } from './protocol.js';
import type { Session } from './session.js';
import { GitError, openRepository, resolveCommit } from '../core/git/git.js';
import { computeHistory, HistoryCancelled, MAX_HISTORY } from '../core/history/history.js';
import type { HistoryParams, HistoryResponse } from './protocol.js';
import { VERSION } from '../core/version.js';

function projectByRoot(session: Session, root: string | undefined): LiveProject | null {
  const projects = [...session.projects.values()];
  if (root === undefined) return projects[0] ?? null;
  const rootPath = pathOf(root);
  return projects.find((p) => rootPath !== null && path.resolve(p.root) === path.resolve(rootPath)) ?? null;
}

export function occurrences(session: Session, params: OccurrencesParams): FileOccurrences[] {
  const project = projectByRoot(session, params.root);
  if (!project || !project.ready) return [];
  // The counts stand on exact facts only: parse the outline files they could differ on first (usually none).
  project.refineNow();
  const status = session.statusOf(project);
  const ruleCode = params.group.startsWith('rule:') ? params.group.slice(5) : null;
  const byFile = new Map<string, FileOccurrences>();
  for (const f of status.findings) {
    const inGroup = ruleCode ? f.code === ruleCode && !(f.migration && USAGE_RULES.includes(f.code)) : f.migration === params.group && USAGE_RULES.includes(f.code);
    if (!inGroup || (params.category !== null && f.category !== params.category)) continue;
    let entry = byFile.get(f.path);
    if (!entry) byFile.set(f.path, (entry = { uri: uriOf(path.join(project.root, ...f.path.split('/'))), path: f.path, category: f.category, occurrences: [] }));
    entry.occurrences.push({ range: toLspRange(f.range), code: f.code, message: f.message, severity: f.severity });
  }
  return [...byFile.values()];
}

/** Fix rounds on each project (in memory), then the project is restored; the client applies the edit. */
export function computeFixes(session: Session, params: FixesParams): FixesResult {
  const result: FixesResult = { edit: { documentChanges: [] }, fixes: 0, files: 0, byCode: {}, refused: [] };
  const wantedPaths = params.uris ? new Set(params.uris.map(pathOf).filter((p): p is string => p !== null).map((p) => path.resolve(p))) : null;
  for (const project of session.projects.values()) {
    const filter = wantedPaths ? (rel: string) => wantedPaths.has(path.resolve(project.root, rel)) : undefined;
    if (wantedPaths && !project.files.some((f) => wantedPaths.has(path.resolve(f.absPath)))) continue;
    const outcome = project.computeFixes({ unsafe: params.unsafe === true, ...(filter ? { filter } : {}) });
    for (const [absPath, change] of outcome.changed) {
      const doc = session.docs.byAbsPath(absPath);
      const index = new LineIndex(change.before);
      const edit = minimalEdit(change.before, change.after, (o) => {
        const p = index.positionAt(o);
        return { line: p.line, character: p.column };
      });
      if (!edit) continue;
      const textEdit: TextDocumentEdit = { textDocument: { uri: uriOf(absPath), version: doc ? doc.version : null }, edits: [edit] };
      result.edit.documentChanges!.push(textEdit);
      result.files++;
    }
    result.fixes += outcome.applied;
    for (const [code, n] of outcome.appliedByCode) result.byCode[code] = (result.byCode[code] ?? 0) + n;
    for (const r of outcome.refused) result.refused.push({ uri: uriOf(path.join(project.root, ...r.path.split('/'))), reason: r.reason });
  }
  return result;
}

export async function report(session: Session, params: ReportParams): Promise<ReportResult> {
  const project = projectByRoot(session, params.root);
  if (!project) throw new Error('no Migration Lens project is open');
  if (!project.ready) throw new Error(`the workspace is still being indexed (${project.indexed}/${project.total} files); try again when the scan is done`);
  const base = params.base?.trim() || undefined;
  // Against a base, the API comparison reads every file's full facts (signatures); otherwise what the status reads.
  if (base) await project.parseOutlines(yieldToEventLoop);
  else project.refineNow();
  const result = await generateReport({
    analyzer: project.analyzer,
    parser: project.parser,
    problems: project.allProblems(),
    ...(base ? { base } : {}),
    pathArg: '.',
    toolVersion: VERSION,
  });
  return { markdown: renderReportMarkdown(result), fileName: 'migration-lens-report.md', verdict: result.verdict.verdict };
}

/** The last history computed per project, valid while HEAD and the asked count stay the same. */
const historyCache = new WeakMap<LiveProject, { head: string; count: number; response: HistoryResponse }>();

/**
 * SSOT compliance at each of the last `count` commits of the project's repository, with the project's config
 * (the core's computeHistory: one full analysis, then each commit's changes). Runs between other messages (it
 * awaits git between commits); `isCancelled` is checked between commits and throws HistoryCancelled. No git, not a
 * repository, an invalid count: `{ error }` with a message for the user.
 */
export async function history(session: Session, params: HistoryParams, isCancelled: () => boolean): Promise<HistoryResponse> {
  const project = projectByRoot(session, params.root);
  if (!project) return { error: 'No Migration Lens project is open.' };
  const count = params.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_HISTORY) return { error: `The number of commits must be between 1 and ${MAX_HISTORY} (got ${count}).` };
  try {
    const repo = await openRepository(project.root);
    const head = await resolveCommit(repo, 'HEAD');
    const cached = historyCache.get(project);
    if (cached && cached.head === head && cached.count === count) return cached.response;
    const result = await computeHistory({ config: project.config, parser: session.parser, repo, head, count, isCancelled });
    const response: HistoryResponse = { points: result.points, truncated: result.truncated };
    historyCache.set(project, { head, count, response });
    return response;
  } catch (e) {
    if (e instanceof HistoryCancelled) throw e;
    if (e instanceof GitError) return { error: e.message };
    throw e;
  }
}
