import { compareApis, type ApiLocation, type ApiReport } from '../../server/src/core/api/index.js';
import { defaultConfig } from '../../server/src/core/config/load.js';
import { openRepository } from '../../server/src/core/git/git.js';
import { RevisionFiles, type RevisionSnapshot } from '../../server/src/core/git/revision.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { openWorkspace, type Workspace } from '../../server/src/core/workspace/load.js';
import { commit, git, gitRepo } from '../support/git.js';

/**
 * One real repository per case: `files` is the base commit, `change` the next one (null deletes, `{ from }`
 * renames with `git mv`). The base is read from git objects, the current side is the work tree.
 */
export interface Compared {
  dir: string;
  report: ApiReport;
  ws: Workspace;
  base: RevisionSnapshot;
}

export async function compareCommits(files: Record<string, string>, change: Record<string, string | null | { from: string }>): Promise<Compared> {
  const dir = gitRepo(files);
  const baseCommit = git(dir, 'rev-parse', 'HEAD').trim();
  commit(dir, 'change the API', change);
  const repo = await openRepository(dir);
  const parser = await PythonParser.create();
  try {
    const base = await new RevisionFiles(repo, defaultConfig(dir), parser).snapshot(baseCommit);
    const ws = await openWorkspace({ checkPath: dir });
    ws.parser.delete();
    const report = compareApis(base.analyzer.project, ws.analyzer.project, (rel) => ws.analyzer.textAt(rel));
    return { dir, report, ws, base };
  } finally {
    parser.delete();
  }
}

function side(l: ApiLocation | null): string | null {
  return l ? `${l.signature} @ ${l.path}:${l.line}` : null;
}

export interface Brief {
  kind: string;
  breaking: boolean;
  /** `module` or `module:symbol`. */
  at: string;
  before: string | null;
  after: string | null;
  /** `path:line`. */
  sites: string[];
}

/** The report's changes in a compact, exact form for assertions. */
export function brief(report: ApiReport): Brief[] {
  return report.changes.map((c) => ({
    kind: c.kind,
    breaking: c.breaking,
    at: c.symbol ? `${c.module}:${c.symbol}` : c.module,
    before: side(c.before),
    after: side(c.after),
    sites: c.sites.map((s) => `${s.path}:${s.line}`),
  }));
}
