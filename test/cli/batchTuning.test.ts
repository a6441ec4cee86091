import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

// A batch run lowers the priority of every thread but the one that analyzes (cli/batchTuning.ts). Checked in a
// fresh process, whose threads' niceness is read back from /proc before and after.
const TUNING = path.resolve('server/src/cli/batchTuning.ts');

const probe = `
import * as fs from 'node:fs';
import { tuneForBatchRun } from ${JSON.stringify(TUNING)};
const nice = () => Object.fromEntries(fs.readdirSync('/proc/self/task').map((t) => {
  const stat = fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
  return [t, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
}));
const before = nice();
tuneForBatchRun();
console.log(JSON.stringify({ pid: process.pid, before, after: nice() }));
`;

test('a batch run leaves its main thread at its priority and makes the other threads 10 nicer', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-tuning-'));
  try {
    const script = path.join(dir, 'probe.ts');
    fs.writeFileSync(script, probe);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { pid, before, after } = JSON.parse(r.stdout) as { pid: number; before: Record<string, number>; after: Record<string, number> };
    const others = Object.keys(before).filter((tid) => Number(tid) !== pid && tid in after);
    assert.ok(others.length >= 4, `only ${others.length} other threads`);
    assert.equal(after[String(pid)], before[String(pid)]);
    for (const tid of others) assert.equal(after[tid], Math.min(19, before[tid]! + 10), `thread ${tid}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
