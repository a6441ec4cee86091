import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { STEPS, timeCheck, warmupTable, type Run } from '../../scripts/bench/warmup.js';
import { openWorkspace, type LoadPhase } from '../../server/src/core/workspace/load.js';

// scripts/bench/warmup.ts times a check's steps through openWorkspace's onPhase hook.

const DEMO = path.resolve(__dirname, '../../examples/netra');

test('onPhase reports the three steps of an as-needed load in order, and nothing for a full parse', async () => {
  for (const [parse, expected] of [
    ['as-needed', ['outlined', 'parsed', 'refined']],
    ['all', []],
  ] as const) {
    const phases: LoadPhase[] = [];
    const ws = await openWorkspace({ checkPath: DEMO, parse, focus: true, onPhase: (p) => phases.push(p) });
    ws.parser.delete();
    assert.deepEqual(phases, expected, parse);
  }
});

test('timeCheck times every step and finds what the check finds', async () => {
  const ws = await openWorkspace({ checkPath: DEMO, parse: 'as-needed', focus: true });
  const expected = ws.analyzer.checkAll((f) => f.inScope).length;
  ws.parser.delete();
  const run = await timeCheck(DEMO);
  assert.equal(run.findings, expected);
  assert.ok(expected > 0);
  for (const step of STEPS) assert.ok(run.ms[step] >= 0, step);
  assert.ok(run.ms.outline > 0);
});

test('warmupTable compares the first run with the median of the later ones', () => {
  const run = (ms: number[]): Run => ({ ms: Object.fromEntries(STEPS.map((s, i) => [s, ms[i]!])) as Run['ms'], findings: 1 });
  const table = warmupTable([run([30, 600, 0, 300, 90]), run([20, 400, 0, 200, 30]), run([10, 500, 0, 250, 40]), run([40, 450, 0, 240, 20])]).split('\n');
  assert.equal(table.length, 2 + STEPS.length + 1);
  assert.equal(table[2], '| discovery | 30 ms | 20 ms | 10 ms | 1.50× |');
  assert.equal(table[3], '| outline | 600 ms | 450 ms | 150 ms | 1.33× |');
  // No time once warm: no ratio.
  assert.equal(table[4], '| declined parses | 0 ms | 0 ms | 0 ms | — |');
  assert.equal(table[6], '| final check | 90 ms | 30 ms | 60 ms | 3.00× |');
  // Totals: 1020 first, then 650, 800 and 750: median 750.
  assert.equal(table[7], '| **total** | 1020 ms | 750 ms | 270 ms | 1.36× |');
  assert.throws(() => warmupTable([run([1, 1, 1, 1, 1])]), /at least two runs/);
});
