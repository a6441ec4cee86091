import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a run that analyzes once and exits (check, fix, status, report, baseline), not for the
 * long-lived language server.
 *
 * Profiled with --trace-opt (BENCHMARKS.md): on the stdlib TurboFan spent ~2.6 s of background-thread time
 * compiling ~400 functions, most of it re-compiling large inlined bodies after deoptimizations, which kept the
 * second core busy and optimized code late. Without inlining, ~1.0 s: cold `check` took 12-15% less wall time
 * on the stdlib and Django and ~20% less CPU. Flags are read per compilation, so setting this before the
 * analysis starts covers every function that gets hot, including on worker threads (flags are per process).
 */
export function tuneV8ForBatchRun(): void {
  setFlagsFromString('--no-turbo-inlining');
}
