import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The only door to `git`: every call is `spawn('git', [...args])` with an argument array (never a shell), and
 * every revision the user types is validated before it reaches git. Output is read with `-z` wherever paths
 * appear, so no path is ever unquoted or mangled.
 */

/** A git operation that cannot be done, with a message fit to show the user as is. */
export class GitError extends Error {}

const MAX_OUTPUT = 1024 * 1024 * 1024;

/** Runs git in `cwd`; resolves with stdout as bytes. `input` is written to stdin. */
export function runGit(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotepath=off', ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      // The user's pager, editor or external diff must never run; locale-independent messages.
      env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_EXTERNAL_DIFF: '', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill();
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new GitError(e.code === 'ENOENT' ? 'git is not installed (or not on PATH): revision analysis needs it' : `cannot run git: ${e.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim() || `exit code ${code}`}`));
    });
    child.stdin.on('error', () => {
      /* git exited before reading all input: reported by 'close' */
    });
    child.stdin.end(input ?? '');
  });
}

async function gitText(cwd: string, args: readonly string[], input?: string): Promise<string> {
  return (await runGit(cwd, args, input)).toString('utf8');
}

export interface Repository {
  /** Absolute path of the work tree's top level. */
  root: string;
  /** True for a shallow clone: history beyond its depth is missing. */
  shallow: boolean;
}

/** The repository holding `dir`, or a GitError saying why there is none. */
export async function openRepository(dir: string): Promise<Repository> {
  let top: string;
  try {
    top = (await gitText(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) {
      throw new GitError(`${dir} is not inside a git repository: history and --base need one (run \`git init\` and commit first)`);
    }
    throw e;
  }
  const shallow = (await gitText(top, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  return { root: path.resolve(top), shallow };
}

/**
 * Revision syntax git accepts from users (names, `HEAD~3`, `main^2`, `v1.0`, `@{u}`, hashes), and nothing
 * that could be read as an option or carry control characters.
 */
const REVISION_SYNTAX = /^[A-Za-z0-9_@{}~^./+=:-]+$/;

/** Validates `rev` and resolves it to a full commit hash. */
export async function resolveCommit(repo: Repository, rev: string): Promise<string> {
  if (rev === '' || rev.startsWith('-') || !REVISION_SYNTAX.test(rev) || rev.includes('..')) {
    throw new GitError(`invalid revision "${rev}": expected a commit, branch, tag or expression like HEAD~10`);
  }
  try {
    return (await gitText(repo.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  } catch {
    const hint = repo.shallow ? ' (this is a shallow clone: fetch more history with `git fetch --deepen=N` or `--unshallow`)' : '';
    throw new GitError(`unknown revision "${rev}": not a commit in ${repo.root}${hint}`);
  }
}

export interface Commit {
  hash: string;
  /** Commit time, seconds since the epoch. */
  time: number;
  subject: string;
  /** First parent, null for a root commit. */
  parent: string | null;
}

/** The last `count` commits reachable from `head` along first parents, newest first. */
export async function listCommits(repo: Repository, head: string, count: number): Promise<Commit[]> {
  const out = await gitText(repo.root, ['log', '--first-parent', `--max-count=${Math.max(1, Math.floor(count))}`, '-z', '--format=%H%x1f%P%x1f%ct%x1f%s', head, '--']);
  return out
    .split('\0')
    .filter((r) => r.trim() !== '')
    .map((record) => {
      const [hash = '', parents = '', time = '0', subject = ''] = record.replace(/^\n/, '').split('\x1f');
      return { hash, parent: parents.split(' ')[0] || null, time: Number(time), subject };
    });
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  status: ChangeStatus;
  /** Path relative to the repository root (POSIX). */
  path: string;
}

/**
 * Files that differ between two commits (`from` null: everything in `to`). Renames are reported as a delete and
 * an add, which is what a module table needs. Limited to `under` (repository-relative folder, '' for all).
 */
export async function changedFiles(repo: Repository, from: string | null, to: string, under = ''): Promise<FileChange[]> {
  const spec = under === '' ? [] : [under];
  const args = from === null ? ['ls-tree', '-r', '-z', '--name-only', '--full-tree', to, '--', ...spec] : ['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', '--name-status', from, to, '--', ...spec];
  const parts = (await gitText(repo.root, args)).split('\0');
  if (from === null) return parts.filter((p) => p !== '').map((p) => ({ status: 'added', path: p }));
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i]!.charAt(0);
    const status: ChangeStatus | null = code === 'A' ? 'added' : code === 'D' ? 'deleted' : code === 'M' || code === 'T' ? 'modified' : null;
    if (status) changes.push({ status, path: parts[i + 1]! });
  }
  return changes;
}

export interface TreeEntry {
  /** Path relative to the repository root (POSIX). */
  path: string;
  /** Blob hash: the identity of the content, usable as a cache key. */
  blob: string;
  size: number;
}

/** Regular files (not submodules or symlinks) of a commit, limited to `under` ('' for all). */
export async function listTree(repo: Repository, rev: string, under = ''): Promise<TreeEntry[]> {
  const out = await gitText(repo.root, ['ls-tree', '-r', '-l', '-z', '--full-tree', rev, '--', ...(under === '' ? [] : [under])]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob' || !mode || !mode.startsWith('100') || !blob) continue;
    entries.push({ path: record.slice(tab + 1), blob, size: Number(size) });
  }
  return entries;
}

/** Contents of blobs by hash, read with one `git cat-file --batch`. */
export async function readBlobs(repo: Repository, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const result = new Map<string, Buffer>();
  if (unique.length === 0) return result;
  const out = await runGit(repo.root, ['cat-file', '--batch'], unique.join('\n') + '\n');
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    const [hash = '', type, size] = header.split(' ');
    if (type === 'missing' || size === undefined) {
      pos = eol + 1;
      continue;
    }
    const length = Number(size);
    result.set(hash, out.subarray(eol + 1, eol + 1 + length));
    pos = eol + 1 + length + 1;
  }
  return result;
}

/** Repository-relative POSIX path of a folder inside the work tree ('' for the top level). */
export function repoRelative(repo: Repository, absDir: string): string {
  let dir = path.resolve(absDir);
  try {
    dir = fs.realpathSync(dir); // git reports the real path of the top level
  } catch {
    /* a folder that does not exist: compare as given */
  }
  const rel = path.relative(repo.root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new GitError(`${absDir} is outside the repository at ${repo.root}`);
  return rel.split(path.sep).join('/');
}

/**
 * The hash git gives a blob with these bytes (`git hash-object`), to compare work-tree files with a commit's.
 * `like` is a blob hash of the same repository: 64 hex digits means a SHA-256 repository.
 */
export function gitBlobHash(bytes: Uint8Array, like = ''): string {
  return createHash(like.length === 64 ? 'sha256' : 'sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** gitBlobHash of a file in the work tree, or null when it cannot be read. */
export function fileBlobHash(absPath: string, like = ''): string | null {
  try {
    return gitBlobHash(fs.readFileSync(absPath), like);
  } catch {
    return null;
  }
}
