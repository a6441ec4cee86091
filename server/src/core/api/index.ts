import type { Project } from '../project/project.js';
import { compareStrings } from '../text.js';
import { diffApis } from './diff.js';
import { findSites, type TextOf } from './impact.js';
import { snapshotApi } from './snapshot.js';
import { API_CHANGE_KINDS, type ApiChange, type ApiChangeKind, type ApiReport } from './types.js';

/**
 * Breaking-change analysis between two revisions of a workspace: the public API of each (snapshot.ts), what a
 * user of the base API notices now (diff.ts, signature.ts), and the current workspace sites each change breaks
 * (impact.ts). Pure: it reads two Projects and, to quote broken lines, the current text of files.
 */

export { diffApis, type ApiDiff, type ApiSide, type DiffEntry, type Probe } from './diff.js';
export { findSites, type TextOf } from './impact.js';
export { diffParams, formatSignature, type Claim, type ParamChange } from './signature.js';
export { definitionAt, isPrivateModule, snapshotApi } from './snapshot.js';
export * from './types.js';


const KIND_ORDER = new Map(API_CHANGE_KINDS.map((k, i) => [k, i]));

function compareChanges(a: ApiChange, b: ApiChange): number {
  return (
    compareStrings(a.module, b.module) ||
    compareStrings(a.symbol, b.symbol) ||
    KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
    compareStrings(a.message, b.message)
  );
}

/**
 * Compares the public API of `base` (usually a `RevisionFiles` snapshot) with `now` (the work tree) and lists
 * the sites of `now` each change breaks. `textOf(relPath)` gives a current file's text (for the quoted line).
 * The result is plain JSON in a deterministic order.
 */
export function compareApis(base: Project, now: Project, textOf: TextOf): ApiReport {
  const diff = diffApis({ project: base, snapshot: snapshotApi(base) }, { project: now, snapshot: snapshotApi(now) });
  const sites = findSites(now, diff.entries, textOf);
  const changes: ApiChange[] = diff.entries.map((e, i) => ({ ...e.change, sites: sites[i]! })).sort(compareChanges);
  const byKind = Object.fromEntries(API_CHANGE_KINDS.map((k) => [k, 0])) as Record<ApiChangeKind, number>;
  for (const c of changes) byKind[c.kind]++;
  const distinct = new Set(changes.flatMap((c) => c.sites.map((s) => `${s.path}:${s.line}:${s.column}`)));
  const notCompared = [...diff.notCompared].sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.revision, b.revision));
  return {
    summary: { byKind, changes: changes.length, breaking: changes.filter((c) => c.breaking).length, sites: distinct.size, notCompared: notCompared.length },
    changes,
    notCompared,
  };
}
