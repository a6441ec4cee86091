import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { copyPythonTree, STDLIB } from '../support/corpora.js';
import { pyCompileFailures } from '../support/files.js';

// Applies every fix (safe and unsafe) to a copy of this machine's CPython standard library: the largest body of
// real Python at hand. Every file the fixes touch must still compile, and a second run must change nothing.
const CLI = path.resolve('dist/cli.js');

function copyStdlib(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-stdlib-'));
  copyPythonTree(STDLIB, dir);
  return dir;
}

test('fix --unsafe on the CPython standard library: touched files compile, the second run changes nothing', { timeout: 600_000 }, () => {
  const dir = copyStdlib();
  try {
    const first = spawnSync(process.execPath, [CLI, 'fix', dir, '--unsafe'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(first.stderr, '', 'no fix may be refused');
    const touched = first.stdout.split('\n').filter((l) => l.startsWith('fixed ')).map((l) => path.join(dir, l.slice('fixed '.length)));
    const summary = /^Fixed (\d+) findings in (\d+) files/m.exec(first.stdout);
    assert.ok(summary, first.stdout.slice(-500));
    assert.ok(Number(summary[1]) >= 20, `expected real fixes on the stdlib, got: ${summary[0]}`);
    assert.equal(Number(summary[2]), touched.length);
    assert.deepEqual(pyCompileFailures(touched), []);
    const second = spawnSync(process.execPath, [CLI, 'fix', dir, '--unsafe'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.match(second.stdout, /^Fixed 0 findings in 0 files/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
