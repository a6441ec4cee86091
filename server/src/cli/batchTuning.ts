import * as fs from 'node:fs';
import * as os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { onSoloWork } from '../core/workspace/soloWork.js';

/**
 * Settings for a run that analyzes once and exits (check, fix, status, report, baseline), not for the long-lived
 * language server.
 */
export function tuneForBatchRun(): void {
  tuneV8();
  // The helpers are the threads there are now; worker threads started later keep the normal priority.
  const helpers = helperThreads();
  onSoloWork(() => lowerPriority(helpers));
}

/**
 * Profiled with --trace-opt (BENCHMARKS.md): on the stdlib TurboFan spent ~2.6 s of background-thread time
 * compiling ~400 functions, most of it re-compiling large inlined bodies after deoptimizations, which kept the
 * second core busy and optimized code late. Without inlining, ~1.0 s: cold `check` took 12-15% less wall time
 * on the stdlib and Django and ~20% less CPU. Flags are read per compilation, so setting this before the
 * analysis starts covers every function that gets hot, including on worker threads (flags are per process).
 * The binary (launch.ts) sets it before it compiles the CLI's bundle: V8 accepts a code cache only under the flags it
 * was made with.
 */
export function tuneV8(): void {
  setFlagsFromString('--no-turbo-inlining');
}

/** How much nicer than this thread the process's other threads run. */
const BACKGROUND_NICENESS = 10;

/**
 * Linux only: lowers the scheduling priority of the process's helper threads, found at start-up (V8's platform
 * workers: four on any machine, running TurboFan and GC tasks; Node's signal and timer threads), once the loader says
 * one thread does the rest of the analysis (core/workspace/soloWork.ts), so that on
 * a machine with fewer free cores than runnable threads the one thread that does the analysis is not the one that
 * waits. They still run whenever a core is free. Measured on the 2-core machine (BENCHMARKS.md), alternating runs:
 * cold `check` ~6% faster on the stdlib and ~7% on Django, the same gain as `node --v8-pool-size=1` (which a program
 * cannot set for itself). Threads started later (worker threads that analyze) keep the normal priority. Raising a
 * thread's niceness needs no privilege; anything that fails is left as it is.
 */
function lowerPriority(threads: readonly number[]): void {
  for (const tid of threads) {
    try {
      os.setPriority(tid, Math.min(19, os.getPriority(tid) + BACKGROUND_NICENESS));
    } catch {
      // The thread has exited, or the system refuses: the run goes on at the usual priorities.
    }
  }
}

/** Every thread of the process but this one (Linux; none elsewhere). */
function helperThreads(): number[] {
  if (process.platform !== 'linux') return [];
  try {
    return fs
      .readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isInteger(tid) && tid !== process.pid);
  } catch {
    return [];
  }
}
