import * as fs from 'node:fs';
import * as path from 'node:path';
import { outlineFacts } from '../server/src/core/python/outline.js';
import { DJANGO, pythonFiles, STDLIB } from '../test/support/corpora.js';

/**
 * `node --import tsx scripts/outline-stats.ts [DIR…]`: throughput of the outline scanner (server/src/core/python/
 * outline.ts) and its declines by reason, on this machine's CPython standard library and Django (or the given
 * directories). Files are read and decoded first; only outlineFacts is timed, single thread, best of RUNS (default 5)
 * after a warm-up pass. Not a test: test/python/outline.test.ts checks correctness.
 */

const RUNS = Number(process.env['RUNS'] ?? 5);


function corpora(): [string, string, string][] {
  const args = process.argv.slice(2);
  if (args.length) return args.map((dir) => [dir, path.resolve(dir), '']);
  return [
    ['stdlib', STDLIB, ''],
    ['django', DJANGO, 'django'],
  ];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

for (const [name, root, prefix] of corpora()) {
  if (!fs.existsSync(root)) {
    console.log(`${name}: ${root} not found`);
    continue;
  }
  const files: { text: string; bytes: number; opts: { module: string | null; isPackage: boolean } }[] = [];
  for (const file of pythonFiles(root)) {
    const buf = fs.readFileSync(file);
    let text: string;
    try {
      text = decoder.decode(buf);
    } catch {
      continue;
    }
    const parts = path.relative(root, file).slice(0, -'.py'.length).split(path.sep);
    const isPackage = parts[parts.length - 1] === '__init__';
    if (isPackage) parts.pop();
    files.push({ text, bytes: buf.length, opts: { module: [prefix, ...parts].filter(Boolean).join('.') || null, isPackage } });
  }
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const reasons = new Map<string, { files: number; bytes: number }>();
  for (const f of files) {
    const r = outlineFacts(f.text, f.opts);
    if (r.ok) continue;
    const entry = reasons.get(r.reason) ?? { files: 0, bytes: 0 };
    entry.files++;
    entry.bytes += f.bytes;
    reasons.set(r.reason, entry);
  }
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = process.hrtime.bigint();
    for (const f of files) outlineFacts(f.text, f.opts);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mb = total / 1e6;
  console.log(
    `${name}: ${files.length} files, ${mb.toFixed(1)} MB; best ${times[0]!.toFixed(0)} ms (${(mb / (times[0]! / 1000)).toFixed(0)} MB/s), ` +
      `median ${times[times.length >> 1]!.toFixed(0)} ms (${(mb / (times[times.length >> 1]! / 1000)).toFixed(0)} MB/s)`,
  );
  let declined = 0;
  let declinedOther = 0;
  for (const [reason, { files: n, bytes }] of [...reasons].sort((a, b) => b[1].bytes - a[1].bytes)) {
    declined += bytes;
    if (reason !== 'deprecation-marker') declinedOther += bytes;
    console.log(`  declined ${reason}: ${n} files, ${(bytes / 1e6).toFixed(2)} MB (${((100 * bytes) / total).toFixed(2)}%)`);
  }
  const percent = (n: number): string => `${((100 * n) / total).toFixed(2)}%`;
  console.log(`  declined in all: ${percent(declined)} of bytes; other than deprecation markers: ${percent(declinedOther)}`);
}
