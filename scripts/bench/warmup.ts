import * as path from 'node:path';
import { tuneV8 } from '../../server/src/cli/batchTuning.js';
import { openWorkspace, prepareWorkspace, type LoadPhase } from '../../server/src/core/workspace/load.js';
import { median } from './stats.js';

/**
 * How much of a cold `check` is V8 warming up, phase by phase: runs the check's analysis (`check --no-cache`: discovery,
 * outline, parses, rules; no output, no caches) several times in one process and compares the first run, where
 * every function starts in the interpreter, with the later ones, which run optimized code with complete type
 * feedback. What a phase loses in the first run is what moving its code to wasm (which runs compiled from the first
 * file) could win at most; what it keeps is its work.
 *
 * node --import tsx scripts/bench/warmup.ts DIR [RUNS]   (RUNS ≥ 2, default 4; markdown on stdout)
 *
 * It runs the sources through tsx, not the bundle: no code cache, and module bindings read through getters, so the
 * first run is ~3% slower than `node dist/cli.js check` (BENCHMARKS.md has those). The V8 flag of batch runs is set
 * as cli/launch.ts sets it. The intern table (python/intern.ts) is warm too after the first run.
 */

/** The steps of one run, in order: each ends at the mark of the same name. */
export const STEPS = ['discovery', 'outline', 'declined parses', 'refine', 'final check'] as const;
type Step = (typeof STEPS)[number];
const STEP_OF: Record<LoadPhase, Step> = { outlined: 'outline', parsed: 'declined parses', refined: 'refine' };

export interface Run {
  ms: Record<Step, number>;
  findings: number;
}

/** One run of the check's analysis on `dir`, timed step by step. */
export async function timeCheck(dir: string): Promise<Run> {
  const ms = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  let last = performance.now();
  const end = (step: Step): void => {
    const now = performance.now();
    ms[step] = now - last;
    last = now;
  };
  const prepared = prepareWorkspace({ checkPath: dir });
  end('discovery');
  const ws = await openWorkspace(
    { checkPath: dir, select: null, ignore: [], parse: 'as-needed', focus: true, onPhase: (phase) => end(STEP_OF[phase]) },
    prepared,
  );
  const findings = ws.analyzer.checkAll((f) => f.inScope).length;
  end('final check');
  ws.parser.delete();
  return { ms, findings };
}

/** Markdown: each step's time in the first run, its median over the later ones, and the difference. */
export function warmupTable(runs: Run[]): string {
  const [cold, ...warm] = runs;
  if (!cold || !warm.length) throw new Error('needs at least two runs');
  // A step that takes no time once warm (no declined file) has no meaningful ratio.
  const ratio = (c: number, w: number): string => (w >= 1 ? `${(c / w).toFixed(2)}×` : '—');
  const row = (label: string, c: number, w: number): string => `| ${label} | ${c.toFixed(0)} ms | ${w.toFixed(0)} ms | ${(c - w).toFixed(0)} ms | ${ratio(c, w)} |`;
  const total = (r: Run): number => STEPS.reduce((sum, s) => sum + r.ms[s], 0);
  return [
    '| step | first run | later runs (median) | warm-up | first ÷ later |',
    '|---|---:|---:|---:|---:|',
    ...STEPS.map((s) => row(s, cold.ms[s], median(warm.map((r) => r.ms[s])))),
    row('**total**', total(cold), median(warm.map(total))),
  ].join('\n');
}

async function main(): Promise<void> {
  const [dirArg, runsArg = '4'] = process.argv.slice(2);
  const runs = Number(runsArg);
  if (!dirArg || !Number.isInteger(runs) || runs < 2) {
    process.stderr.write('usage: node --import tsx scripts/bench/warmup.ts DIR [RUNS ≥ 2]\n');
    process.exit(2);
  }
  tuneV8();
  const dir = path.resolve(dirArg);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await timeCheck(dir));
  // The same analysis every time, or the comparison means nothing.
  const counts = new Set(results.map((r) => r.findings));
  if (counts.size !== 1) throw new Error(`runs disagree on the number of findings: ${[...counts].join(', ')}`);
  process.stdout.write(`${dir}: ${runs} runs in one process, ${results[0]!.findings} findings each\n\n${warmupTable(results)}\n`);
}

if (require.main === module) void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
