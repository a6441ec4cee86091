import * as fs from 'node:fs';
import * as path from 'node:path';
import { tuneV8 } from './batchTuning.js';
import { runWithCodeCache } from './codeCache.js';

/**
 * The `migration-lens` binary (dist/cli.js): runs the CLI bundle beside it (dist/cli-main.js, from main.ts) with the
 * code cache the build made for it (codeCache.ts).
 *
 * V8 accepts a cache only under the flags it was made with, and a batch run changes one (batchTuning.ts): it is set
 * here, before the bundle is compiled, as in the training run. The language server keeps V8's defaults, so it runs
 * without the cache.
 *
 * MIGRATION_LENS_CODE_CACHE_OUT=FILE (the build's training run): writes the cache of this run to FILE on exit.
 */

const batch = process.argv[2] !== 'server';
if (batch) tuneV8();
const bundle = path.join(__dirname, 'cli-main.js');
const run = runWithCodeCache(bundle, batch ? `${bundle}.v8cache` : null);
const out = process.env['MIGRATION_LENS_CODE_CACHE_OUT'];
if (out) process.on('exit', () => fs.writeFileSync(out, run.produce()));
