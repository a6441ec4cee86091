import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../workspace/discover.js';

/**
 * How the caches in .migration-lens-cache/ tell that a file is unchanged. Contents are compared cheaply first: a file
 * whose size and modification time (the discovery walk stats every file anyway) match the stored ones is unchanged,
 * as Ruff's cache assumes too. Any other file is read and its SHA-1 compared, so a fresh clone or a CI checkout (new
 * mtimes, same bytes) still hits. A file modified less than RACY_MS before the cache was written could change again
 * within the same mtime tick unseen, so its mtime is not trusted, only its hash.
 */

export const CACHE_DIR = '.migration-lens-cache';
const RACY_MS = 2000;

/** [relPath, size, mtimeMs, sha1]; mtime -1 when it was racy. */
export type Stamp = [string, number, number, string];

/** One buffer for all hashing: reading every file whole would leave the size of the workspace as garbage (RSS). */
const chunk = Buffer.allocUnsafe(1 << 20);

export function sha1Of(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

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

/**
 * The hashes of one run: the run cache and the facts cache both compare and store stamps of the same files, and each
 * file is read for its hash at most once. For a one-shot run, a file edited during it keeps its first hash; a
 * long-lived project records each read with `replace`.
 */
export class Stamper {
  private readonly hashes = new Map<string, string | null>();

  hash(absPath: string): string | null {
    let h = this.hashes.get(absPath);
    if (h === undefined) this.hashes.set(absPath, (h = sha1(absPath)));
    return h;
  }

  /**
   * The contents of a file as the run read them to analyze it: its stamp is then of the bytes its facts and findings
   * come from (a file edited later in the run is a miss next time, never facts paired with other contents), and
   * stamping it need not read it again.
   */
  record(absPath: string, bytes: Uint8Array): void {
    if (!this.hashes.has(absPath)) this.hashes.set(absPath, sha1Of(bytes));
  }

  /** The same, from the SHA-1 of the bytes another thread read (workspace/outlineShare.ts). */
  recordDigest(absPath: string, sha1: string): void {
    if (!this.hashes.has(absPath)) this.hashes.set(absPath, sha1);
  }

  /**
   * The same for a long-lived project (the language server), which reads a file again when it changes: the latest
   * contents read are those its facts come from.
   */
  replace(absPath: string, bytes: Uint8Array): void {
    this.hashes.set(absPath, sha1Of(bytes));
  }

  /** Stamps of every file as of now, or null when one cannot be read. */
  stamps(files: readonly SourceFile[], storedAt = Date.now()): Stamp[] | null {
    const out: Stamp[] = [];
    for (const f of files) {
      const hash = this.hash(f.absPath);
      if (hash === null) return null;
      out.push([f.relPath, f.size, f.mtimeMs === undefined || storedAt - f.mtimeMs < RACY_MS ? -1 : f.mtimeMs, hash]);
    }
    return out;
  }

  /** 'same' by size and mtime, 'rehashed' when only the contents' hash says so (the stored stamp is stale), or false. */
  compare(stored: Stamp, file: SourceFile): 'same' | 'rehashed' | false {
    const [rel, size, mtime, hash] = stored;
    if (rel !== file.relPath || size !== file.size) return false;
    if (mtime === file.mtimeMs && mtime >= 0) {
      // Trusted unchanged, so its hash is the stored one: stamping it again need not read it.
      if (typeof hash === 'string' && !this.hashes.has(file.absPath)) this.hashes.set(file.absPath, hash);
      return 'same';
    }
    return this.hash(file.absPath) === hash ? 'rehashed' : false;
  }
}

/** A file of the cache directory. */
export function cacheFile(root: string, name: string): string {
  return path.join(root, CACHE_DIR, name);
}

/** The workspace is untrusted: a cache directory that is a symlink (possibly pointing outside it) is never used. */
export function usableCacheDir(root: string): boolean {
  try {
    return fs.lstatSync(path.join(root, CACHE_DIR)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes a cache file whole or not at all (a temporary file renamed over it); false when that failed. `produce`
 * hands the bytes over in order, as it makes them, so a large file is never held in memory whole.
 */
export function writeCacheFile(root: string, name: string, produce: (write: (bytes: Uint8Array | string) => void) => void): boolean {
  const dir = path.join(root, CACHE_DIR);
  const target = cacheFile(root, name);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    // Throws (so: false) where a file or a symlink stands in the directory's place.
    if (!usableCacheDir(root)) fs.mkdirSync(dir);
    // The cache is never meant for version control, wherever the workspace keeps its .gitignore.
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# created by migration-lens: a cache, never committed\n*\n');
    const fd = fs.openSync(temp, 'w');
    try {
      produce((part) => {
        const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      });
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}
