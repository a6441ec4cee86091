import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../workspace/discover.js';

/**
 * The result of a whole-workspace run, kept in <root>/.migration-lens-cache/ and reused when nothing it was computed
 * from changed: the tool build, the configuration and options (the key), and every discovered file's path and
 * contents. Contents are compared cheaply first: a file whose size and modification time (the discovery walk stats
 * every file anyway) match the stored ones is unchanged, as Ruff's cache assumes too. Any other file is read and its
 * SHA-1 compared, so a fresh clone or a CI checkout (new mtimes, same bytes) still hits. A file modified less than
 * RACY_MS before the result was stored could change again within the same mtime tick unseen, so its mtime is not
 * trusted, only its hash. Reading never throws: a missing, corrupt or foreign cache is a miss.
 */

export const CACHE_DIR = '.migration-lens-cache';
const FORMAT = 2;
const RACY_MS = 2000;

interface Stored<T> {
  format: number;
  key: string;
  /** [relPath, size, mtimeMs, sha1] per discovered file, in discovery order; mtime -1 when it was racy. */
  files: [string, number, number, string][];
  value: T;
}

/** A stable digest of everything besides the files that the result depends on. */
export function runCacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Identifies the running build: its version plus the size and mtime of the script that holds this code (the
 * bundle in dist/, or this source file under tsx), so a rebuilt tool never reads results of the previous one.
 */
export function buildIdentity(version: string): string {
  try {
    const st = fs.statSync(__filename);
    return `${version}:${st.size}:${st.mtimeMs}`;
  } catch {
    return `${version}:unknown`;
  }
}

function cacheFile(root: string, name: string): string {
  return path.join(root, CACHE_DIR, `${name}.json`);
}

/** The workspace is untrusted: a cache directory that is a symlink (possibly pointing outside it) is never used. */
function usableDir(dir: string, create: boolean): boolean {
  try {
    return fs.lstatSync(dir).isDirectory();
  } catch {
    if (!create) return false;
    fs.mkdirSync(dir);
    return true;
  }
}

/** One buffer for all hashing: reading every file whole would leave the size of the workspace as garbage (RSS). */
const chunk = Buffer.allocUnsafe(1 << 20);

function sha1(absPath: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(absPath, 'r');
    const hash = createHash('sha1');
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
    return hash.digest('hex');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function fileStamps(files: readonly SourceFile[], storedAt: number): [string, number, number, string][] | null {
  const out: [string, number, number, string][] = [];
  for (const f of files) {
    const hash = sha1(f.absPath);
    if (hash === null) return null;
    out.push([f.relPath, f.size, f.mtimeMs === undefined || storedAt - f.mtimeMs < RACY_MS ? -1 : f.mtimeMs, hash]);
  }
  return out;
}

/** The stored result if still valid; when some file matched only by hash, its new stamp is stored for next time. */
export function readRunCache<T>(root: string, name: string, key: string, files: readonly SourceFile[]): T | null {
  let stored: Stored<T>;
  try {
    if (!usableDir(path.join(root, CACHE_DIR), false)) return null;
    stored = JSON.parse(fs.readFileSync(cacheFile(root, name), 'utf8')) as Stored<T>;
  } catch {
    return null;
  }
  if (stored?.format !== FORMAT || stored.key !== key || !Array.isArray(stored.files) || stored.files.length !== files.length) return null;
  let restamp = false;
  for (let i = 0; i < files.length; i++) {
    const [rel, size, mtime, hash] = stored.files[i]!;
    const f = files[i]!;
    if (rel !== f.relPath || size !== f.size) return null;
    if (mtime !== f.mtimeMs || mtime < 0) {
      if (sha1(f.absPath) !== hash) return null;
      restamp = true;
    }
  }
  if (restamp) writeRunCache(root, name, key, files, stored.value);
  return stored.value;
}

/** Stores a result; returns false (and leaves no partial file) when the cache directory cannot be written. */
export function writeRunCache<T>(root: string, name: string, key: string, files: readonly SourceFile[], value: T): boolean {
  const dir = path.join(root, CACHE_DIR);
  const stamps = fileStamps(files, Date.now());
  if (!stamps) return false;
  const stored: Stored<T> = { format: FORMAT, key, files: stamps, value };
  const target = cacheFile(root, name);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    if (!usableDir(dir, true)) return false;
    // The cache is never meant for version control, wherever the workspace keeps its .gitignore.
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# created by migration-lens: a cache, never committed\n*\n');
    fs.writeFileSync(temp, JSON.stringify(stored));
    fs.renameSync(temp, target);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}
