import { Analyzer } from '../analyzer.js';
import type { Config } from '../config/types.js';
import { yieldToEventLoop } from '../eventLoop.js';
import { changedFiles, fileBlobHash, GitError, listCommits, listTree, resolveCommit, type Commit, type FileChange, type Repository, type TreeEntry } from '../git/git.js';
import { RevisionFiles } from '../git/revision.js';
import type { ProjectFile } from '../project/project.js';
import type { PythonParser } from '../python/parser.js';
import { computeStatus } from '../status/status.js';
import { sourceFileAt, type SourceFile } from '../workspace/discover.js';

/**
 * SSOT compliance over the last N first-parent commits, measured from git's object store (the work tree is never
 * touched, and read only to reuse files identical to a commit's when `reuse` is given).
 *
 * **Incremental**: the oldest commit of the range is analyzed in full once; every later commit applies only the
 * files it changed (`git diff-tree` against its first parent: added and modified files are re-analyzed — or taken
 * from the blob cache of RevisionFiles when the same content was seen before — deleted ones removed, a rename is a
 * delete plus an add) to the same Analyzer, and `computeStatus` (the one definition of compliance) is called at
 * each point. The analyzer's per-file caches mean a commit whose exports did not change re-checks only its files.
 *
 * **Measured with today's config**: every commit is analyzed with the working tree's config (the one passed in),
 * not the config committed at that revision, so the points are comparable: a migration added to the config
 * today shows its legacy usages in old commits too, and a number moves only because the code moved.
 *
 * **Shallow clones**: history stops at the shallow boundary. The points that exist are returned and `truncated`
 * says why there are fewer than asked (fetch more with `git fetch --deepen=N` or `--unshallow`).
 */

export interface HistoryMigration {
  id: string;
  title: string;
  remaining: number;
  migrated: number;
  compliance: number | null;
}

export interface HistoryPoint {
  commit: string;
  shortCommit: string;
  /** Commit time, ISO 8601 (UTC). */
  time: string;
  subject: string;
  /** Python files of the project (in scope) at this commit. */
  files: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  /** Every migration with something to measure at this commit, most work left first. */
  migrations: HistoryMigration[];
  /**
   * Python files of the project this commit added, modified or deleted relative to its first parent (a rename
   * counts twice). For a root commit, or the first commit after a shallow boundary, every file counts as added.
   */
  changedFiles: number;
}

export interface HistoryResult {
  /** Oldest → newest; the last one is `head`. */
  points: HistoryPoint[];
  /** Commits asked for. */
  requested: number;
  /** Set when fewer points than asked exist because the clone is shallow: a sentence for the user. */
  truncated: string | null;
}

export interface HistoryProgress {
  /** Points computed so far. */
  done: number;
  total: number;
  point: HistoryPoint;
}

export interface HistoryOptions {
  config: Config;
  parser: PythonParser;
  repo: Repository;
  /** Revision to walk back from; validated like every revision a user types. Default `HEAD`. */
  head?: string;
  /** Number of first-parent commits (≥ 1); fewer exist → the ones that do. */
  count: number;
  /** Files that count (e.g. those under the CLI's PATH); every analyzed file by default. */
  scope?: (file: ProjectFile) => boolean;
  /** Called after each point. */
  onProgress?: (progress: HistoryProgress) => void;
  /** Checked before each commit and between batches of the first snapshot; throws HistoryCancelled when set. */
  signal?: AbortSignal;
  isCancelled?: () => boolean;
  /**
   * Files already analyzed with the same config (the work tree, in the CLI): a file of a commit whose path and
   * content (blob) match one of them is taken as is instead of being parsed again. See `reuseWorkTree`.
   */
  reuse?: ReusableFiles;
}

export interface ReusableFiles {
  /** An analyzed file at `relPath` whose content is exactly `blob`, or undefined. */
  lookup(relPath: string, blob: string): ProjectFile | undefined;
  /** Its text, for the analyzer's text provider. */
  textOf(file: ProjectFile): string | null;
}

/**
 * The files of a one-shot analysis of the work tree (config, parse, facts: openWorkspace) as ReusableFiles: a
 * file qualifies when the bytes on disk hash to the commit's blob (git's own hash), so only identical content is
 * reused. Not for an editor session: an open buffer's facts are not the disk's bytes.
 */
export function reuseWorkTree(analyzer: Analyzer, textOf: (file: ProjectFile) => string | null): ReusableFiles {
  return {
    lookup(relPath, blob) {
      const file = analyzer.project.file(relPath);
      return file && fileBlobHash(file.absPath, blob) === blob ? file : undefined;
    },
    textOf,
  };
}

/** The walk was cancelled (AbortSignal or isCancelled); no partial result. */
export class HistoryCancelled extends Error {
  constructor() {
    super('history computation cancelled');
  }
}

/** The largest N accepted: each point costs an incremental analysis; keep runs bounded. */
export const MAX_HISTORY = 10_000;

/** Validates a commit count typed by a user ("50"): an integer in [1, MAX_HISTORY], else a message for the user. */
export function parseHistoryCount(text: string): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `expected a number of commits (a positive integer), got "${text}"`;
  const n = Number(trimmed);
  if (n < 1 || n > MAX_HISTORY) return `expected a number of commits between 1 and ${MAX_HISTORY}, got ${trimmed}`;
  return n;
}

/** Files analyzed per batch of the first snapshot, between which the event loop runs (a server stays responsive). */
const SNAPSHOT_BATCH = 64;

export async function computeHistory(opts: HistoryOptions): Promise<HistoryResult> {
  const { repo, config, parser } = opts;
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_HISTORY) {
    throw new RangeError(`history: the number of commits must be an integer between 1 and ${MAX_HISTORY}, got ${opts.count}`);
  }
  const checkCancelled = (): void => {
    if (opts.signal?.aborted || opts.isCancelled?.()) throw new HistoryCancelled();
  };
  const scope = opts.scope ?? (() => true);
  const head = await resolveCommit(repo, opts.head ?? 'HEAD');
  const commits = (await listCommits(repo, head, opts.count)).reverse();
  if (commits.length === 0) throw new GitError(`no commits reachable from ${opts.head ?? 'HEAD'}`);
  const files = new BlobLoader(repo, config, parser, opts.reuse ?? null);
  const prefix = files.revision.prefix;

  // The oldest point: the whole project at that commit, analyzed in batches.
  const oldest = commits[0]!;
  const analyzer = new Analyzer({ config, texts: (f) => files.textOf(f) });
  const items = files.revision.sourcesOf(await listTree(repo, oldest.hash, prefix));
  for (let i = 0; i < items.length; i += SNAPSHOT_BATCH) {
    checkCancelled();
    for (const file of await files.load(items.slice(i, i + SNAPSHOT_BATCH))) analyzer.project.upsert(file);
    await yieldToEventLoop();
  }
  let firstChanged = items.length;
  if (oldest.parent !== null) firstChanged = relevant(files.revision, await changedFiles(repo, oldest.parent, oldest.hash, prefix)).length;

  const points: HistoryPoint[] = [];
  const record = (commit: Commit, changed: number): void => {
    const point = pointOf(commit, analyzer, scope, changed);
    points.push(point);
    opts.onProgress?.({ done: points.length, total: commits.length, point });
  };
  record(oldest, firstChanged);

  // Every later commit: only what it changed, applied to the same analyzer.
  for (let i = 1; i < commits.length; i++) {
    checkCancelled();
    const commit = commits[i]!;
    const changes = await changedFiles(repo, commits[i - 1]!.hash, commit.hash, prefix);
    record(commit, await applyChanges(files, analyzer, commit.hash, changes));
    await yieldToEventLoop();
  }

  const truncated =
    repo.shallow && commits.length < opts.count && oldest.parent === null
      ? `history is truncated at the shallow clone boundary (${oldest.hash.slice(0, SHORT)}): ${commits.length} of ${opts.count} commits exist in this clone; fetch more with \`git fetch --deepen=${opts.count - commits.length}\` or \`git fetch --unshallow\``
      : null;
  return { points, requested: opts.count, truncated };
}

const SHORT = 7;

/** Changes that concern the project's Python files (the rules discovery applies at any commit: root, `.py`, excludes). */
function relevant(files: RevisionFiles, changes: readonly FileChange[]): FileChange[] {
  return changes.filter((c) => {
    const rel = files.rootRelative(c.path);
    return rel !== null && sourceFileAt(files.config, rel, 0) !== null;
  });
}

/**
 * Applies one commit's changes to the analyzer: removes deleted files, (re-)loads added and modified ones.
 * Returns how many project files changed.
 */
async function applyChanges(files: BlobLoader, analyzer: Analyzer, commit: string, changes: readonly FileChange[]): Promise<number> {
  const wanted = relevant(files.revision, changes);
  if (wanted.length === 0) return 0;
  for (const change of wanted) {
    if (change.status === 'deleted') analyzer.project.remove(files.revision.rootRelative(change.path)!);
  }
  const upserts = wanted.filter((c) => c.status !== 'deleted');
  if (upserts.length > 0) {
    const entries = await treeEntries(files.revision, commit, upserts.map((c) => c.path));
    // A path whose new version is not a regular file (a file replaced by a symlink) is gone for the project.
    const listed = new Set(entries.map((e) => e.path));
    for (const change of upserts) if (!listed.has(change.path)) analyzer.project.remove(files.revision.rootRelative(change.path)!);
    for (const file of await files.load(files.revision.sourcesOf(entries))) analyzer.project.upsert(file);
  }
  return wanted.length;
}

/** Up to this many changed paths are listed one `ls-tree` each (in parallel); more, one listing of the whole tree. */
const PER_PATH_LISTING_LIMIT = 16;

/** Tree entries (blob hash and size) of `paths` at `commit`. */
async function treeEntries(files: RevisionFiles, commit: string, paths: readonly string[]): Promise<TreeEntry[]> {
  const wanted = new Set(paths);
  const listings =
    paths.length <= PER_PATH_LISTING_LIMIT
      ? await Promise.all(paths.map((p) => listTree(files.repo, commit, p)))
      : [await listTree(files.repo, commit, files.prefix)];
  return listings.flat().filter((e) => wanted.has(e.path));
}

/** Loads the files of commits through one RevisionFiles (analyzed files cached by blob), except files `reuse` already holds with the same path and content, taken as they are. */
class BlobLoader {
  readonly revision: RevisionFiles;
  /** Files taken from `reuse`: their text comes from there. */
  private readonly reused = new WeakSet<ProjectFile>();

  constructor(
    repo: Repository,
    config: Config,
    parser: PythonParser,
    private readonly reuse: ReusableFiles | null,
  ) {
    this.revision = new RevisionFiles(repo, config, parser);
  }

  async load(items: readonly { source: SourceFile; entry: TreeEntry }[]): Promise<ProjectFile[]> {
    const out = new Array<ProjectFile>(items.length);
    const rest: number[] = [];
    items.forEach((item, i) => {
      const reused = this.reuse?.lookup(item.source.relPath, item.entry.blob);
      if (reused && reused.category === item.source.category && reused.module === item.source.module) {
        out[i] = reused;
        this.reused.add(reused);
      } else {
        rest.push(i);
      }
    });
    const loaded = await this.revision.load(rest.map((i) => items[i]!));
    rest.forEach((i, k) => (out[i] = loaded[k]!));
    return out;
  }

  textOf(file: ProjectFile): string | null {
    return this.reused.has(file) ? this.reuse!.textOf(file) : this.revision.textOf(file);
  }
}

function pointOf(commit: Commit, analyzer: Analyzer, scope: (file: ProjectFile) => boolean, changedFiles: number): HistoryPoint {
  const status = computeStatus(analyzer, scope);
  return {
    commit: commit.hash,
    shortCommit: commit.hash.slice(0, SHORT),
    time: new Date(commit.time * 1000).toISOString(),
    subject: commit.subject,
    files: status.files,
    remaining: status.remaining,
    migrated: status.migrated,
    compliance: status.compliance,
    migrations: status.groups
      .filter((g) => g.kind === 'migration')
      .map((g) => ({ id: g.id, title: g.title, remaining: g.remaining, migrated: g.migrated, compliance: g.compliance })),
    changedFiles,
  };
}
