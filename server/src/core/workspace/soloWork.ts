/**
 * When one thread is about to do all of a run's analysis. A one-shot CLI run then lowers the priority of the process's
 * helper threads (cli/batchTuning.ts) so that the analyzing thread is never the one that waits for a core; while a
 * worker shares the outline (outlineShare.ts) that would starve V8's background compiler, which both threads need, so
 * the loader announces solo work only once the worker is done. The language server sets no hook. Process-wide by
 * nature: the hook runs at most once.
 */

let hook: (() => void) | null = null;

export function onSoloWork(run: () => void): void {
  hook = run;
}

export function soloWork(): void {
  const run = hook;
  hook = null;
  run?.();
}
