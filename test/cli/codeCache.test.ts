import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runTypeScript } from '../support/files.js';

// The binary runs the CLI's bundle with the code cache the build made (cli/codeCache.ts, cli/launch.ts). Each case
// runs in a fresh process: V8 takes a cache only under the flags it was made with, and flags are per process.
const CODE_CACHE = path.resolve('server/src/cli/codeCache.ts');
const TUNING = path.resolve('server/src/cli/batchTuning.ts');

/** Runs `bundle` through runWithCodeCache in a fresh process; prints what the bundle printed, then the cache's use. */
function run(bundle: string, cacheFile: string, opts: { batchFlags?: boolean; produce?: string; args?: string[] } = {}): { use: string; stdout: string } {
  const probe = `
    process.argv.splice(2, Infinity, ...${JSON.stringify(opts.args ?? [])});
    import * as fs from 'node:fs';
    import { tuneV8 } from ${JSON.stringify(TUNING)};
    import { runWithCodeCache } from ${JSON.stringify(CODE_CACHE)};
    if (${opts.batchFlags ?? true}) tuneV8();
    const r = runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheFile)});
    const produce = ${JSON.stringify(opts.produce ?? '')};
    if (produce) fs.writeFileSync(produce, r.produce());
    console.log('use=' + r.use);
  `;
  const p = runTypeScript(probe);
  assert.equal(p.status, 0, p.stderr);
  const [stdout, use] = p.stdout.split('use=');
  return { use: use!.trim(), stdout: stdout! };
}

test('a bundle runs with the cache of its own training run, and without one that is missing, foreign or corrupt', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-code-cache-'));
  try {
    const bundle = path.join(dir, 'bundle.js');
    // A CommonJS bundle that uses what the wrapper gives it.
    fs.writeFileSync(bundle, `#!/usr/bin/env node\nconst p = require('node:path');\nfunction square(x) { return x * x; }\nconsole.log(p.basename(__filename), square(7), typeof module.exports);\n`);
    const cache = path.join(dir, 'bundle.js.v8cache');
    const expected = 'bundle.js 49 object\n';

    assert.deepEqual(run(bundle, cache, { produce: cache }), { use: 'absent', stdout: expected });
    assert.deepEqual(run(bundle, cache), { use: 'accepted', stdout: expected });
    // Under other flags (the language server keeps V8's defaults) V8 refuses it; the bundle runs all the same.
    assert.deepEqual(run(bundle, cache, { batchFlags: false }), { use: 'rejected', stdout: expected });

    // A cache made from another bundle of the same length: V8 would check only the length, the digest does not match.
    const other = path.join(dir, 'other.js');
    fs.writeFileSync(other, fs.readFileSync(bundle, 'utf8').replace('x * x', 'x + x'));
    assert.equal(fs.statSync(other).size, fs.statSync(bundle).size);
    assert.deepEqual(run(other, cache), { use: 'absent', stdout: 'other.js 14 object\n' });

    // Flipped bytes after the digest: V8's checksum rejects them.
    const bytes = fs.readFileSync(cache);
    for (let i = 40; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0xff;
    fs.writeFileSync(cache, bytes);
    assert.deepEqual(run(bundle, cache), { use: 'rejected', stdout: expected });
    // Too short to hold a digest.
    fs.writeFileSync(cache, bytes.subarray(0, 10));
    assert.deepEqual(run(bundle, cache), { use: 'absent', stdout: expected });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the build made a code cache that this Node accepts for the CLI bundle', () => {
  const r = run(path.resolve('dist/cli-main.js'), path.resolve('dist/cli-main.js.v8cache'), { args: ['--version'] });
  assert.equal(r.use, 'accepted');
  assert.match(r.stdout, /^migration-lens \d+\.\d+\.\d+\n$/);
});
