import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeWorkspace } from '../support/files.js';

// `check` keeps its result in .migration-lens-cache/ and serves it while no discovered file changed (path, size,
// mtime), the configuration and options are the same and the tool is the same build. Each test proves a hit by
// tampering with the stored result and seeing the tampered message come back, and a miss by not seeing it.
const CLI = path.resolve('dist/cli.js');
const CACHE = path.join('.migration-lens-cache', 'check.json');
const HOUR_AGO = Date.now() / 1000 - 3600;

function check(dir: string, ...args: string[]): { code: number; messages: string[]; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', ...args], { encoding: 'utf8' });
  const out = r.stdout ? (JSON.parse(r.stdout) as { findings: { message: string }[] }) : { findings: [] };
  return { code: r.status ?? -1, messages: out.findings.map((f) => f.message), stderr: r.stderr };
}

/** A workspace whose files were last modified an hour ago (younger files are never trusted by mtime). */
function workspace(): string {
  const dir = writeWorkspace(
    {
      'app/__init__.py': '',
      'app/clock.py': 'from datetime import datetime\n\nnow = datetime.utcnow()\n',
      'app/util.py': 'def helper():\n    return 1\n',
    },
    'ml-cache-',
  );
  for (const rel of ['app/__init__.py', 'app/clock.py', 'app/util.py']) fs.utimesSync(path.join(dir, rel), HOUR_AGO, HOUR_AGO);
  return dir;
}

function tamper(dir: string): void {
  const file = path.join(dir, CACHE);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"message":"[^"]*utcnow[^"]*"/, '"message":"FROM THE CACHE"'));
}

test('a second check with nothing changed is served from the cache, identical to the first', () => {
  const dir = workspace();
  const cold = check(dir);
  assert.equal(cold.code, 1, cold.stderr);
  assert.ok(cold.messages.some((m) => m.includes('utcnow')), cold.messages.join('\n'));
  assert.ok(fs.existsSync(path.join(dir, CACHE)));
  assert.match(fs.readFileSync(path.join(dir, '.migration-lens-cache', '.gitignore'), 'utf8'), /^\*$/m);
  const warm = check(dir);
  assert.deepEqual(warm, cold);
  tamper(dir);
  assert.ok(check(dir).messages.includes('FROM THE CACHE'), 'the stored result is what a warm run prints');
});

test('a changed file, even of the same size, a new file, a changed config or other options miss the cache', () => {
  const dir = workspace();
  check(dir);
  // Edited files get an old mtime of their own, so the next round can be warm again.
  const write = (rel: string, text: string, age: number): void => {
    fs.writeFileSync(path.join(dir, rel), text);
    fs.utimesSync(path.join(dir, rel), HOUR_AGO + age, HOUR_AGO + age);
  };
  const edits: [string, () => void][] = [
    ['same-size edit', () => write('app/util.py', 'def helper():\n    return 2\n', 60)],
    ['new file', () => write('app/extra.py', 'X = 1\n', 120)],
    ['config', () => fs.writeFileSync(path.join(dir, 'migration-lens.toml'), 'target-version = "3.10"\n')],
  ];
  for (const [what, edit] of edits) {
    check(dir);
    tamper(dir);
    assert.ok(check(dir).messages.includes('FROM THE CACHE'), `${what}: warm before the edit`);
    edit();
    const after = check(dir);
    assert.ok(!after.messages.includes('FROM THE CACHE'), `${what}: must recompute`);
    assert.ok(after.messages.some((m) => m.includes('utcnow')), `${what}: ${after.messages.join(' | ')}`);
  }
  tamper(dir);
  assert.ok(!check(dir, '--select', 'MIG001').messages.includes('FROM THE CACHE'), 'other options recompute');
});

test('same bytes with new mtimes (a fresh clone, a CI checkout) still hit: contents are compared by hash', () => {
  const dir = workspace();
  check(dir);
  tamper(dir);
  const now = Date.now() / 1000 - 600;
  for (const rel of ['app/__init__.py', 'app/clock.py', 'app/util.py']) fs.utimesSync(path.join(dir, rel), now, now);
  assert.ok(check(dir).messages.includes('FROM THE CACHE'));
  const stored = JSON.parse(fs.readFileSync(path.join(dir, CACHE), 'utf8')) as { files: [string, number, number, string][] };
  assert.ok(stored.files.every(([, , mtime]) => Math.abs(mtime - now * 1000) < 1000), 'the new mtimes are stored for the next run');
});

test('a file modified just before the result was stored is not trusted by its mtime', () => {
  const dir = workspace();
  const util = path.join(dir, 'app/util.py');
  fs.writeFileSync(util, 'def helper():\n    return 3\n');
  const { mtime } = fs.statSync(util);
  check(dir);
  tamper(dir);
  // Changed again within the same mtime tick: same size, same mtime, other bytes.
  fs.writeFileSync(util, 'def helper():\n    return 4\n');
  fs.utimesSync(util, mtime, mtime);
  assert.ok(!check(dir).messages.includes('FROM THE CACHE'));
});

test('--no-cache neither reads nor writes; a corrupt cache is a miss; a symlinked cache directory is never used', () => {
  const dir = workspace();
  const plain = check(dir, '--no-cache');
  assert.ok(!fs.existsSync(path.join(dir, '.migration-lens-cache')));
  check(dir);
  tamper(dir);
  assert.deepEqual(check(dir, '--no-cache'), plain);
  fs.writeFileSync(path.join(dir, CACHE), '{"format":2,"key":');
  assert.deepEqual(check(dir), plain);

  const elsewhere = writeWorkspace({ 'keep.txt': 'x' }, 'ml-cache-outside-');
  fs.rmSync(path.join(dir, '.migration-lens-cache'), { recursive: true });
  fs.symlinkSync(elsewhere, path.join(dir, '.migration-lens-cache'));
  assert.deepEqual(check(dir), plain);
  assert.deepEqual(fs.readdirSync(elsewhere), ['keep.txt'], 'nothing is written through the link');
});

// The facts cache (.migration-lens-cache/facts.bin): when the result misses because some file changed, every other
// file's facts are served as the last run left them, and only the changed files are read and analyzed again.
// A served file is proven served the same way: its bytes change behind an unchanged size and mtime, and the stale
// facts are what the run reports.

test('when one file changes, the others are served from the facts cache and only it is analyzed again', () => {
  const dir = workspace();
  const clock = path.join(dir, 'app/clock.py');
  const util = path.join(dir, 'app/util.py');
  check(dir);
  assert.ok(fs.existsSync(path.join(dir, '.migration-lens-cache', 'facts.bin')));
  // clock.py loses its utcnow call behind its stamp (same size, same mtime): trusted unchanged, so served.
  fs.writeFileSync(clock, fs.readFileSync(clock, 'utf8').replace('utcnow()', 'now   ()'));
  fs.utimesSync(clock, HOUR_AGO, HOUR_AGO);
  // util.py really changes: the run cache misses, and util.py gains a finding of its own.
  fs.writeFileSync(util, 'from datetime import datetime\n\nepoch = datetime.utcfromtimestamp(0)\n');
  fs.utimesSync(util, HOUR_AGO + 60, HOUR_AGO + 60);
  const served = check(dir);
  assert.ok(served.messages.some((m) => m.includes('utcnow')), `clock.py's stored facts are served: ${served.messages.join(' | ')}`);
  assert.ok(served.messages.some((m) => m.includes('utcfromtimestamp')), `util.py is analyzed again: ${served.messages.join(' | ')}`);
  const fresh = check(dir, '--no-cache');
  assert.ok(!fresh.messages.some((m) => m.includes('utcnow')) && fresh.messages.some((m) => m.includes('utcfromtimestamp')), fresh.messages.join(' | '));
  // Once clock.py's mtime moves too, its hash no longer matches and it is analyzed again.
  fs.utimesSync(clock, HOUR_AGO + 120, HOUR_AGO + 120);
  assert.deepEqual(check(dir), fresh);
});

test('a damaged or foreign facts cache is a miss, never an error', () => {
  const dir = workspace();
  const plain = check(dir, '--no-cache');
  const facts = path.join(dir, '.migration-lens-cache', 'facts.bin');
  const util = path.join(dir, 'app/util.py');
  let round = 0;
  const damages: [string, (bytes: Buffer) => Buffer][] = [
    ['truncated data', (b) => b.subarray(0, b.length - 8)],
    ['truncated header', (b) => b.subarray(0, 20)],
    ['garbage data', (b) => Buffer.concat([b.subarray(0, b.length - 64), Buffer.alloc(64, 0xff)])],
    ['another format', (b) => Buffer.concat([Buffer.from('MLF9'), b.subarray(4)])],
    ['empty', () => Buffer.alloc(0)],
  ];
  for (const [what, damage] of damages) {
    check(dir);
    fs.writeFileSync(facts, damage(fs.readFileSync(facts)));
    // Miss the run cache, so the facts cache is read.
    fs.writeFileSync(util, `def helper():\n    return ${++round}\n`);
    fs.utimesSync(util, HOUR_AGO + round, HOUR_AGO + round);
    const after = check(dir);
    assert.deepEqual(after.messages, plain.messages, what);
    assert.equal(after.stderr, '', what);
  }
});

test('status: nothing changed prints the stored output; another format, a changed file or --no-cache does not', () => {
  const dir = workspace();
  const status = (...args: string[]) => spawnSync(process.execPath, [CLI, 'status', dir, ...args], { encoding: 'utf8' });
  const cold = status('--format', 'json');
  assert.equal(cold.status, 0, cold.stderr);
  assert.match(cold.stdout, /"remaining": 1/);
  const stored = path.join(dir, '.migration-lens-cache', 'status-json.json');
  assert.equal(status('--format', 'json').stdout, cold.stdout);
  // Proof of a hit: what a warm run prints is what the cache holds.
  const entry = JSON.parse(fs.readFileSync(stored, 'utf8')) as { value: { output: string } };
  entry.value.output = 'FROM THE CACHE\n';
  fs.writeFileSync(stored, JSON.stringify(entry));
  assert.equal(status('--format', 'json').stdout, 'FROM THE CACHE\n');
  assert.notEqual(status('--format', 'text').stdout, 'FROM THE CACHE\n', 'each format has its own entry');
  assert.equal(status('--format', 'json', '--no-cache').stdout, cold.stdout, '--no-cache does not read it');
  fs.writeFileSync(path.join(dir, 'app/util.py'), 'def helper():\n    return 2\n');
  assert.equal(status('--format', 'json').stdout, cold.stdout, 'a changed file misses');
});
