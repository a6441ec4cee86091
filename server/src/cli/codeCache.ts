import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Runs a CommonJS bundle with a V8 code cache: the bytecode of every function a training run compiled, so a run does
 * not parse and compile them again (what Node ≥ 22's `module.enableCompileCache()` does, which Node 20 lacks).
 * Measured on the 2-core machine (BENCHMARKS.md): ~25 ms less per run, a tenth of a check of the demo workspace.
 *
 * The cache file is built with the bundle (esbuild.mjs), never written by a user's run: it sits beside the bundle,
 * so whoever could change it could change the bundle too. V8 checks its own version, flags and a checksum, but
 * matches the source only by length, so the file starts with the SHA-256 of the bundle it was made from, and any
 * other bundle runs without it. Whatever is wrong with the cache, the bundle still runs: compiled as usual.
 */

const DIGEST_BYTES = 32;

export type CodeCacheUse = 'accepted' | 'rejected' | 'absent';

export interface CodeCacheRun {
  use: CodeCacheUse;
  /** The cache of everything compiled so far, stamped with the bundle's digest (to write after a training run). */
  produce(): Buffer;
}

/** `cacheFile` null: compiled without a cache (the bundle is not hashed then, only if a cache is produced). */
export function runWithCodeCache(bundle: string, cacheFile: string | null): CodeCacheRun {
  const source = fs.readFileSync(bundle, 'utf8');
  const digest = (): Buffer => createHash('sha256').update(source).digest();
  const cachedData = cacheFile === null ? undefined : readCache(cacheFile, digest());
  const script = new vm.Script(wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const use: CodeCacheUse = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return { use, produce: () => Buffer.concat([digest(), script.createCachedData()]) };
}

/** The cached data after the digest when the file was made from this bundle, else undefined. */
function readCache(cacheFile: string, digest: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return bytes.length > DIGEST_BYTES && bytes.subarray(0, DIGEST_BYTES).equals(digest) ? bytes.subarray(DIGEST_BYTES) : undefined;
}

/** Node's CommonJS wrapper, without its leading `#!` line (a syntax error outside a file's first line). */
function wrap(source: string): string {
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  return `(function (exports, require, module, __filename, __dirname) { ${body}\n});`;
}
