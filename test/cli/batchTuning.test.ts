import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { runTypeScript } from '../support/files.js';

// A batch run lowers the priority of the threads there are at start-up but the one that analyzes (cli/batchTuning.ts),
// once the loader says one thread does the analysis (core/workspace/soloWork.ts), not before: a worker sharing the
// outline needs V8's helpers at full priority. A worker thread started in between keeps its priority. Checked in a
// fresh process, whose threads' niceness is read back from /proc.
const TUNING = path.resolve('server/src/cli/batchTuning.ts');
const SOLO = path.resolve('server/src/core/workspace/soloWork.ts');

const probe = `
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tuneForBatchRun } from ${JSON.stringify(TUNING)};
import { soloWork } from ${JSON.stringify(SOLO)};
const nice = () => Object.fromEntries(fs.readdirSync('/proc/self/task').map((t) => {
  const stat = fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
  return [t, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
}));
const before = nice();
tuneForBatchRun();
const tuned = nice();
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
worker.once('online', () => {
  soloWork();
  console.log(JSON.stringify({ pid: process.pid, before, tuned, after: nice() }));
  process.exit(0);
});
`;

test('a batch run makes the threads it started with 10 nicer but the main thread, once one thread analyzes', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const r = runTypeScript(probe);
  assert.equal(r.status, 0, r.stderr);
  const { pid, before, tuned, after } = JSON.parse(r.stdout) as { pid: number; before: Record<string, number>; tuned: Record<string, number>; after: Record<string, number> };
  const others = Object.keys(before).filter((tid) => Number(tid) !== pid && tid in after);
  assert.ok(others.length >= 4, `only ${others.length} other threads`);
  for (const tid of Object.keys(before)) if (tid in tuned) assert.equal(tuned[tid], before[tid], `thread ${tid} changed before solo work`);
  assert.equal(after[String(pid)], before[String(pid)]);
  for (const tid of others) assert.equal(after[tid], Math.min(19, before[tid]! + 10), `thread ${tid}`);
  const later = Object.keys(after).filter((tid) => !(tid in before) && !(tid in tuned));
  assert.ok(later.length >= 1, 'the worker thread is not listed');
  for (const tid of later) assert.equal(after[tid], before[String(pid)], `thread ${tid}, started later, was made nicer`);
});
