/**
 * The analysis pool returns exactly what the calling thread computes (analyzeJobsInline is the reference), in job
 * order, for real files: the demo workspace, a spread of this machine's CPython standard library, and files that
 * cannot be read or decoded. Failures name the file instead of hanging, and a pool never keeps its process alive.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../server/src/core/config/load.js';
import type { ProjectFile } from '../../server/src/core/project/project.js';
import { discoverFiles, type SourceFile } from '../../server/src/core/workspace/discover.js';
import { AnalysisPool, analyzeJobsInline, chunkBySize, type AnalysisJob, type Depth } from '../../server/src/core/workspace/pool.js';
import { runTypeScript } from '../support/files.js';

const REPO = path.resolve(__dirname, '../..');
const POOL_MODULE = path.join(REPO, 'server/src/core/workspace/pool.ts');

let tmp: string;
let pool: AnalysisPool;
/** Edge cases first and last, real workspaces in between: the pool reorders by size, results must not move. */
let sources: { head: AnalysisJob[]; middle: AnalysisJob[]; tail: AnalysisJob[] };

function discover(root: string): SourceFile[] {
  const { config } = loadConfig({ checkPath: root });
  return discoverFiles(config, root).files;
}

function stdlibDir(): string | null {
  try {
    const dir = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
    return fs.existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** About 300 stdlib files spread over the whole tree, plus its largest file (a chunk of its own). */
function stdlibSample(): SourceFile[] {
  const dir = stdlibDir();
  if (!dir) return [];
  const files = discover(dir);
  const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
  const step = Math.max(1, Math.floor(files.length / 300));
  return [...files.filter((_, i) => i % step === 0 && files[i] !== largest), largest];
}

function writeEdgeCases(root: string): void {
  const files: Record<string, string | Buffer> = {
    'pkg/__init__.py': 'from .mod import thing\n',
    'pkg/mod.py': 'import datetime\nthing = datetime.datetime.utcnow()\n',
    'latin1.py': Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nname = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]),
    'not_utf8.py': Buffer.concat([Buffer.from('import os\nx = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]),
    'unknown_codec.py': '# coding: no-such-codec\nx = 1\n',
    'bom.py': '\ufeffimport os\nprint(os.sep)\n',
    'broken.py': 'import imp\ndef f(:\n    imp.reload(f)\n',
    'empty.py': '',
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  fs.mkdirSync(path.join(root, 'a_directory.py.d', 'x.py'), { recursive: true });
}

function jobs(depth: Depth): AnalysisJob[] {
  const all = [...sources.head, ...sources.middle, ...sources.tail];
  return all.map((job) => ({ ...job, depth }));
}

/** Same files in the same order, then each file deep-equal (per file, so a failure names it). */
function assertSameFiles(actual: ProjectFile[], expected: ProjectFile[]): void {
  assert.deepEqual(actual.map((f) => f.relPath), expected.map((f) => f.relPath));
  for (let i = 0; i < expected.length; i++) assert.deepStrictEqual(actual[i], expected[i], `${expected[i]!.relPath} differs`);
}

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-pool-')));
  writeEdgeCases(tmp);
  const edge = discover(tmp);
  const byPath = (rel: string): SourceFile => edge.find((f) => f.relPath === rel)!;
  const mod = byPath('pkg/mod.py');
  // Discovered, then gone or not a file by the time it is read.
  const gone: SourceFile = { ...mod, relPath: 'gone.py', absPath: path.join(tmp, 'gone.py'), module: 'gone' };
  const notAFile: SourceFile = { ...mod, relPath: 'a_directory.py.d/x.py', absPath: path.join(tmp, 'a_directory.py.d', 'x.py'), module: null };
  const overlay: AnalysisJob = { source: mod, depth: 'full', text: 'import imp\nimport datetime\nthing = datetime.datetime.utcnow()\nimp.reload(datetime)\n' };
  const job = (source: SourceFile): AnalysisJob => ({ source, depth: 'full' });
  const rest = edge.filter((f) => f !== mod);
  sources = {
    head: [job(gone), ...rest.slice(0, 3).map(job)],
    middle: [...discover(path.join(REPO, 'examples/netra')), ...stdlibSample()].map(job),
    tail: [...rest.slice(3).map(job), overlay, job(notAFile), job(mod)],
  };
  pool = AnalysisPool.create({ workers: 2, inlineBelow: 0 });
});

after(async () => {
  await pool.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('chunks hold every job once, largest first, a file larger than the target alone', () => {
  const sized = (size: number): AnalysisJob => ({ source: { relPath: `${size}.py`, absPath: '', module: null, isPackageInit: false, category: 'src', size, inScope: true }, depth: 'full' });
  const all = [10, 500, 30, 30, 2000, 40, 10].map(sized);
  const chunks = chunkBySize(all, 100);
  assert.deepEqual(chunks.flat().sort(), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(chunks[0], [4]);
  assert.deepEqual(chunks[1], [1]);
  assert.deepEqual(chunks.flat().map((i) => all[i]!.source.size), [2000, 500, 40, 30, 30, 10, 10]);
});

test("depth 'full': the pool's files deep-equal the inline analysis, in job order", async () => {
  const batch = jobs('full');
  assert.ok(batch.length > 50, `${batch.length} jobs`);
  const [pooled, inline] = [await pool.analyze(batch), await analyzeJobsInline(batch)];
  assertSameFiles(pooled, inline);
  // The edge cases are what they claim to be (else the comparison proves less than it seems).
  const at = (rel: string): ProjectFile => pooled.find((f) => f.relPath === rel)!;
  assert.equal(at('gone.py').problems[0]?.kind, 'read');
  assert.equal(at('a_directory.py.d/x.py').problems[0]?.kind, 'read');
  assert.equal(at('not_utf8.py').problems[0]?.kind, 'encoding');
  assert.equal(at('unknown_codec.py').problems[0]?.kind, 'encoding');
  assert.equal(at('broken.py').problems[0]?.kind, 'syntax');
  assert.equal(at('latin1.py').opaque, false);
  const mods = pooled.filter((f) => f.relPath === 'pkg/mod.py');
  assert.deepEqual(mods.map((f) => f.facts.imports.length), [2, 1], 'the overlay text, then the disk text');
});

test("depth 'outline' (and a batch mixing depths): the pool's files deep-equal the inline analysis", async () => {
  const outline = jobs('outline');
  assertSameFiles(await pool.analyze(outline), await analyzeJobsInline(outline));
  const mixed = outline.map((job, i) => ({ ...job, depth: i % 2 ? 'full' : 'outline' }) as AnalysisJob);
  assertSameFiles(await pool.analyze(mixed), await analyzeJobsInline(mixed));
});

test('concurrent batches each get their own files', async () => {
  const all = jobs('full');
  const a = all.slice(0, 40);
  const b = all.slice(40, 90).reverse();
  const [pa, pb] = await Promise.all([pool.analyze(a), pool.analyze(b)]);
  assert.deepEqual(pa.map((f) => f.relPath), a.map((j) => j.source.relPath));
  assert.deepEqual(pb.map((f) => f.relPath), b.map((j) => j.source.relPath));
});

test('a job that throws in a worker rejects its batch with the file named; the pool goes on', async () => {
  const good = jobs('full').slice(0, 20);
  const bad: AnalysisJob = { ...good[5]!, source: { ...good[5]!.source, relPath: 'pkg/bad_job.py' }, text: 42 as unknown as string };
  await assert.rejects(pool.analyze([...good, bad]), /analysis of pkg\/bad_job\.py failed: Argument must be a string/);
  await assert.rejects(analyzeJobsInline([bad]), /analysis of pkg\/bad_job\.py failed/);
  assert.equal((await pool.analyze(good)).length, good.length);
});

test('a job that cannot be sent to a worker rejects with the file named', async () => {
  const bad: AnalysisJob = { ...jobs('full')[0]!, text: (() => 'x') as unknown as string };
  bad.source = { ...bad.source, relPath: 'unsendable.py' };
  await assert.rejects(pool.analyze([bad]), /cannot send unsendable\.py to an analysis worker/);
});

test('a worker that dies rejects every batch it held, naming a file, and does not hang', async () => {
  const script = path.join(tmp, 'crashing-worker.js');
  fs.writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom in worker'); });\n");
  const crashing = AnalysisPool.create({ workers: 1, inlineBelow: 0, script });
  try {
    const all = jobs('full');
    const results = await Promise.allSettled([crashing.analyze(all.slice(0, 3)), crashing.analyze(all.slice(3, 6))]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), /analysis worker died \(boom in worker\) while analyzing \S+\.py/);
    }
  } finally {
    await crashing.close();
  }
  await assert.rejects(crashing.analyze(jobs('full').slice(0, 1)), /closed/);
});

test('close() lets the process exit, and so does an idle pool nobody closed', () => {
  const child = [
    `import { AnalysisPool } from ${JSON.stringify(POOL_MODULE)};`,
    'void (async () => {',
    '  const pool = AnalysisPool.create({ workers: 2, inlineBelow: 0 });',
    "  const files = await pool.analyze(JSON.parse(process.env['POOL_JOBS']!));",
    "  if (process.argv[2] === 'close') await pool.close();",
    '  console.log(`analyzed ${files.length}`);',
    '})();',
    '',
  ].join('\n');
  const batch = jobs('full').slice(0, 30);
  for (const mode of ['close', 'leave-open']) {
    const r = runTypeScript(child, [mode], {
      cwd: REPO,
      timeout: 60_000,
      env: { ...process.env, POOL_JOBS: JSON.stringify(batch) },
    });
    assert.equal(r.signal, null, `${mode}: the child did not exit by itself (${r.stderr})`);
    assert.equal(r.status, 0, `${mode}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), `analyzed ${batch.length}`);
  }
});
