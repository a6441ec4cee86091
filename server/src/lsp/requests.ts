/**
 * The custom requests behind the panel and the commands (types in protocol.ts): occurrences of a status line,
 * computed fixes for files or the workspace, and the Markdown report.
 */
import * as path from 'node:path';
import type { TextDocumentEdit } from 'vscode-languageserver';
import { renderStatusMarkdown } from '../core/status/markdown.js';
import { USAGE_RULES } from '../core/status/status.js';
import { LineIndex } from '../core/text.js';
import { minimalEdit, pathOf, toLspRange, uriOf } from './convert.js';
import type { LiveProject } from './liveProject.js';
import type { FileOccurrences, FixesParams, FixesResult, OccurrencesParams, ReportParams, ReportResult } from './protocol.js';
import type { Session } from './session.js';

function projectByRoot(session: Session, root: string | undefined): LiveProject | null {
  const projects = [...session.projects.values()];
  if (root === undefined) return projects[0] ?? null;
  const rootPath = pathOf(root);
  return projects.find((p) => rootPath !== null && path.resolve(p.root) === path.resolve(rootPath)) ?? null;
}

export function occurrences(session: Session, params: OccurrencesParams): FileOccurrences[] {
  const project = projectByRoot(session, params.root);
  if (!project || !project.ready) return [];
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

export function report(session: Session, params: ReportParams): ReportResult {
  const project = projectByRoot(session, params.root);
  if (!project) throw new Error('no Migration Lens project is open');
  if (!project.ready) throw new Error(`the workspace is still being indexed (${project.indexed}/${project.total} files); try again when the scan is done`);
  const markdown = renderStatusMarkdown(session.statusOf(project), {
    projectName: path.basename(project.root),
    generatedAt: new Date().toISOString(),
    command: `migration-lens check ${JSON.stringify(project.root)} --format json`,
    problems: project.allProblems().length,
  });
  return { markdown, fileName: 'migration-lens-report.md' };
}
