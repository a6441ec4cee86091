import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLAT_MB, memoryTrend, type RssSample } from '../../scripts/bench/memoryTrend.js';

// The benchmark's judge of "the server's memory flat over 10,000 edits" (scripts/bench/memoryTrend.ts).

const EDITS = 10_000;
const series = (mb: (edits: number) => number, step = 500): RssSample[] => {
  const out: RssSample[] = [];
  for (let e = 0; e <= EDITS; e += step) out.push({ edits: e, rssKb: Math.round(mb(e) * 1024) });
  return out;
};

test('the series BENCHMARKS.md recorded (a peak at 1,000 edits, then noise around 138 MB) is flat', () => {
  const mb = [110, 186, 138, 138, 138, 146, 138, 145, 139, 138, 138, 138];
  const samples = mb.map((m, i) => ({ edits: Math.min(i * 1000, EDITS), rssKb: m * 1024 }));
  const t = memoryTrend(samples, EDITS);
  assert.equal(t.from, 2000);
  assert.equal(t.samples, 10);
  assert.ok(Math.abs(t.growthMb) < 1, `growth ${t.growthMb}`);
  assert.equal(t.flat, true);
});

test('a leak of 2 KB per edit (20 MB over the run) is not flat, whatever the warm-up did', () => {
  const t = memoryTrend(series((e) => (e < 1000 ? 110 + e / 10 : 130 + (e * 2) / 1024)), EDITS);
  assert.ok(t.growthMb > 15 && t.growthMb < 25, `growth ${t.growthMb}`);
  assert.equal(t.flat, false);
});

test('growth confined to warm-up, and a small trend under the bound, are flat', () => {
  assert.equal(memoryTrend(series((e) => (e < 2000 ? 100 + e / 20 : 200)), EDITS).flat, true);
  const small = memoryTrend(series((e) => 140 + ((FLAT_MB / 2) * e) / EDITS), EDITS);
  assert.ok(Math.abs(small.growthMb - FLAT_MB / 2) < 0.1, `growth ${small.growthMb}`);
  assert.equal(small.flat, true);
});

test('too few samples after warm-up cannot tell', () => {
  const t = memoryTrend([{ edits: 0, rssKb: 1 }, { edits: 5000, rssKb: 2 }, { edits: EDITS, rssKb: 3 }], EDITS);
  assert.equal(t.flat, null);
  assert.equal(memoryTrend([0, 3000, 3000, 3000, 3000].map((e) => ({ edits: e, rssKb: e })), EDITS).flat, null);
});
