import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { SourceFile } from '../workspace/discover.js';
import { cacheFile, Stamper, usableCacheDir, writeCacheFile, type Stamp } from './stamps.js';

export { CACHE_DIR } from './stamps.js';

/**
 * The result of a whole-workspace run, kept in <root>/.migration-lens-cache/ and reused when nothing it was computed
 * from changed: the tool build, the configuration and options (the key), and every discovered file's path and
 * contents (stamps.ts says how contents are compared). Reading never throws: a missing, corrupt or foreign cache is a
 * miss. When it misses because some file changed, the facts cache (factsCache.ts) still spares the unchanged files.
 */

const FORMAT = 2;

interface Stored<T> {
  format: number;
  key: string;
  /** One stamp per discovered file, in discovery order. */
  files: Stamp[];
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

/** The stored result if still valid; when some file matched only by hash, its new stamp is stored for next time. */
export function readRunCache<T>(root: string, name: string, key: string, files: readonly SourceFile[], stamper = new Stamper()): T | null {
  let stored: Stored<T>;
  try {
    if (!usableCacheDir(root)) return null;
    stored = JSON.parse(fs.readFileSync(cacheFile(root, `${name}.json`), 'utf8')) as Stored<T>;
  } catch {
    return null;
  }
  if (stored?.format !== FORMAT || stored.key !== key || !Array.isArray(stored.files) || stored.files.length !== files.length) return null;
  let restamp = false;
  for (let i = 0; i < files.length; i++) {
    const stamp = stored.files[i];
    const same = Array.isArray(stamp) && stamper.compare(stamp as Stamp, files[i]!);
    if (!same) return null;
    if (same === 'rehashed') restamp = true;
  }
  if (restamp) writeRunCache(root, name, key, files, stored.value, stamper);
  return stored.value;
}

/** Stores a result; returns false (and leaves no partial file) when the cache directory cannot be written. */
export function writeRunCache<T>(root: string, name: string, key: string, files: readonly SourceFile[], value: T, stamper = new Stamper()): boolean {
  const stamps = stamper.stamps(files);
  if (!stamps) return false;
  const stored: Stored<T> = { format: FORMAT, key, files: stamps, value };
  return writeCacheFile(root, `${name}.json`, (write) => write(JSON.stringify(stored)));
}
