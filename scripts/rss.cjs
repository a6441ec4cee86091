// Preloaded (`node --require scripts/rss.cjs ...`) into benchmarked processes: reports their peak RSS (KB) on
// stderr at exit as `ML_MAX_RSS_KB=<n>`.
//
// With ML_BENCH_MEM=1 it also reports where the memory is, as `ML_MEM=<json>` on stderr: the V8 heap
// (`heapTotal`/`heapUsed`), `external`/`arrayBuffers`, and the size of every WebAssembly linear memory the
// process created (web-tree-sitter's `new WebAssembly.Memory`, or a memory a wasm module exports, like Ruff's;
// linear memories never shrink). It is taken when `check` writes its `--output` file — the whole workspace is
// still alive then, unlike at exit — or at exit for other processes. With ML_BENCH_HEAPSNAPSHOT=<file> a V8 heap
// snapshot is written at that same moment (scripts/bench/heapsnapshot.ts summarizes it).
// Off by default: wrapping the WebAssembly constructors and fs.writeFileSync must not be part of the timed runs.
'use strict';

const memories = [];
let measured = '';

function measure(when) {
  if (measured) return;
  const mu = process.memoryUsage();
  const hs = require('node:v8').getHeapStatistics();
  measured = JSON.stringify({
    when,
    rss: mu.rss,
    heapTotal: mu.heapTotal,
    heapUsed: mu.heapUsed,
    external: mu.external,
    arrayBuffers: mu.arrayBuffers,
    mallocedMemory: hs.malloced_memory,
    peakMalloced: hs.peak_malloced_memory,
    wasm: memories.map((m) => m.buffer.byteLength),
    maxRssKb: process.resourceUsage().maxRSS,
  });
  // After the numbers: taking a snapshot collects garbage and allocates.
  if (process.env.ML_BENCH_HEAPSNAPSHOT) require('node:v8').writeHeapSnapshot(process.env.ML_BENCH_HEAPSNAPSHOT);
}

if (process.env.ML_BENCH_MEM === '1' || process.env.ML_BENCH_HEAPSNAPSHOT) {
  const W = globalThis.WebAssembly;
  const track = (instance) => {
    for (const v of Object.values(instance.exports ?? {})) if (v instanceof W.Memory && !memories.includes(v)) memories.push(v);
    return instance;
  };
  W.Memory = new Proxy(W.Memory, {
    construct(target, args, newTarget) {
      const m = Reflect.construct(target, args, newTarget);
      memories.push(m);
      return m;
    },
  });
  W.Instance = new Proxy(W.Instance, { construct: (target, args, newTarget) => track(Reflect.construct(target, args, newTarget)) });
  const instantiate = W.instantiate;
  W.instantiate = async (...args) => {
    const r = await instantiate.apply(W, args);
    track(r.instance ?? r);
    return r;
  };
  const i = process.argv.indexOf('--output');
  const output = i > 0 ? require('node:path').resolve(process.argv[i + 1]) : null;
  if (output) {
    const fs = require('node:fs');
    const writeFileSync = fs.writeFileSync;
    fs.writeFileSync = function (file, ...rest) {
      if (typeof file === 'string' && require('node:path').resolve(file) === output) measure('output');
      return writeFileSync.call(this, file, ...rest);
    };
  }
}

process.on('exit', () => {
  if (process.env.ML_BENCH_MEM === '1' || process.env.ML_BENCH_HEAPSNAPSHOT) measure('exit');
  process.stderr.write(`\nML_MAX_RSS_KB=${process.resourceUsage().maxRSS}${measured ? `\nML_MEM=${measured}` : ''}\n`);
});
