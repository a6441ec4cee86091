/** Resolves after one turn of the event loop: long work yields here so that I/O, timers and requests get a turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
