import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeProfile, reportMarkdown, type ProfileReport } from './cpuprofile.js';
import { heapMarkdown, type HeapSummary } from './heapsnapshot.js';
import { build, REPO, type Target } from './targets.js';

/**
 * Where `check`'s time and memory go, for `npm run bench` (or alone:
 * `node --import tsx scripts/bench/profile.ts DIR...`):
 * - CPU: `node --cpu-prof dist/cli.js check DIR`, aggregated by cpuprofile.ts (top self-time functions, modules, phases).
 * - Memory: one run with scripts/rss.cjs in ML_BENCH_MEM mode (V8 heap vs WebAssembly memory when the output is
 *   written, the whole workspace still alive), VmRSS sampled from /proc/<pid>/status through the run, a heap
 *   snapshot at the same moment (summarized by heapsnapshot.ts), and the smallest `--max-old-space-size` that still
 *   completes (the JS heap the run really needs).
 */

const RSS = path.join(REPO, 'scripts/rss.cjs');

export interface MemoryProfile {
  maxRssKb: number;
  atOutput: { rss: number; heapTotal: number; heapUsed: number; external: number; wasm: number[] } | null;
  timeline: { pct: number; rssKb: number }[];
  heap: HeapSummary | null;
  oldSpace: { mb: number; ok: boolean; ms: number; maxRssKb: number }[];
}

export interface TargetProfile {
  target: Target;
  cpu: ProfileReport;
  memory: MemoryProfile;
  /** warmup.ts's table: each step of the first run in a process against later runs. */
  warmup: string | null;
}

/** A cold check: --no-cache, or every profile after the benchmark's warm runs would profile a cache hit. */
function checkArgs(dir: string, out: string): string[] {
  return [build.cli, 'check', dir, '--no-cache', '--exit-zero', '--format', 'json', '--output', out];
}

export function cpuProfile(dir: string, work: string): ProfileReport {
  const profDir = fs.mkdtempSync(path.join(work, 'cpuprof-'));
  const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...checkArgs(dir, path.join(work, 'out.json'))], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`profiled check failed: ${r.stderr}`);
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  return analyzeProfile(path.join(profDir, file), 25, build.dist);
}

function vmRssKb(pid: number): number | null {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return null;
  }
}

/** One run with the memory probes on, VmRSS polled every 20 ms; plus a heap snapshot at output time. */
async function memoryRun(dir: string, work: string): Promise<Pick<MemoryProfile, 'maxRssKb' | 'atOutput' | 'timeline'>> {
  const polled: { t: number; kb: number }[] = [];
  const started = Date.now();
  const child = spawn(process.execPath, ['--require', RSS, ...checkArgs(dir, path.join(work, 'out.json'))], { env: { ...process.env, ML_BENCH_MEM: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setInterval(() => {
    const kb = child.pid ? vmRssKb(child.pid) : null;
    if (kb !== null && !Number.isNaN(kb)) polled.push({ t: Date.now() - started, kb });
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`check exited ${code}: ${stderr}`);
  const total = Date.now() - started;
  const mem = /ML_MEM=(\{.*\})/.exec(stderr)?.[1];
  const timeline: { pct: number; rssKb: number }[] = [];
  // The highest VmRSS seen in each tenth of the run.
  for (let pct = 10; pct <= 100; pct += 10) {
    const inTenth = polled.filter((p) => p.t > ((pct - 10) / 100) * total && p.t <= (pct / 100) * total);
    if (inTenth.length > 0) timeline.push({ pct, rssKb: Math.max(...inTenth.map((p) => p.kb)) });
  }
  return {
    maxRssKb: Number(/ML_MAX_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0),
    atOutput: mem ? (JSON.parse(mem) as MemoryProfile['atOutput']) : null,
    timeline,
  };
}

function heapSnapshot(dir: string, work: string): HeapSummary | null {
  const file = path.join(work, 'check.heapsnapshot');
  const r = spawnSync(process.execPath, ['--require', RSS, ...checkArgs(dir, path.join(work, 'out.json'))], { env: { ...process.env, ML_BENCH_HEAPSNAPSHOT: file }, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(file)) return null;
  // Parsing a snapshot takes several times its size: in its own process, with room.
  const s = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(REPO, 'scripts/bench/heapsnapshot.ts'), file, '20', '--json'], { encoding: 'utf8', cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(file, { force: true });
  return s.status === 0 ? (JSON.parse(s.stdout) as HeapSummary) : null;
}

/** The smallest V8 old space (MB) the check completes with, tried in increasing steps. */
function oldSpaceSweep(dir: string, work: string, sizes: number[]): MemoryProfile['oldSpace'] {
  const out: MemoryProfile['oldSpace'] = [];
  for (const mb of sizes) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [`--max-old-space-size=${mb}`, '--require', RSS, ...checkArgs(dir, path.join(work, 'out.json'))], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    out.push({ mb, ok: r.status === 0, ms, maxRssKb: Number(/ML_MAX_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0) });
    if (out.filter((o) => o.ok).length >= 2) break;
  }
  return out;
}

export async function profileTarget(target: Target): Promise<TargetProfile> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `ml-bench-prof-${target.key}-`));
  try {
    process.stderr.write(`profiling ${target.name}: CPU\n`);
    const cpu = cpuProfile(target.dir, work);
    process.stderr.write(`profiling ${target.name}: memory\n`);
    const run = await memoryRun(target.dir, work);
    const heap = heapSnapshot(target.dir, work);
    // Around the live heap measured at output time: from 3/4 of it up to twice it, in 16 MB steps.
    const live = (run.atOutput?.heapUsed ?? 128 * 2 ** 20) / 2 ** 20;
    const sweep = [0.75, 1, 1.25, 1.5, 2].map((f) => Math.max(16, Math.round((live * f) / 16) * 16));
    const oldSpace = oldSpaceSweep(target.dir, work, [...new Set(sweep)]);
    process.stderr.write(`profiling ${target.name}: warm-up\n`);
    return { target, cpu, memory: { ...run, heap, oldSpace }, warmup: warmupRuns(target.dir) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The language server under the latency benchmark (keystrokes in the 100 KB file, then the cross-file changes),
 * profiled with `--cpu-prof` through ML_SERVER_NODE_ARGS (test/support/lspClient.ts passes it to the server).
 */
export async function profileLsp(): Promise<{ cpu: ProfileReport; rows: string[] }> {
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bench-prof-lsp-'));
  const saved = process.env['ML_SERVER_NODE_ARGS'];
  process.env['ML_SERVER_NODE_ARGS'] = `--cpu-prof --cpu-prof-dir=${profDir}`;
  try {
    process.stderr.write('profiling the language server\n');
    // Loaded here: test/support/lspClient.ts resolves the server (dist/cli.js) against the working directory when
    // it is loaded, and bench.ts changes into the build snapshot first.
    const { lspBench } = require('../bench-lsp.js') as typeof import('../bench-lsp.js');
    const { rows } = await lspBench();
    // The profile is written when the server exits, which `stop()` waits for.
    const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no .cpuprofile');
    return { cpu: analyzeProfile(path.join(profDir, file), 25, build.dist), rows };
  } finally {
    if (saved === undefined) delete process.env['ML_SERVER_NODE_ARGS'];
    else process.env['ML_SERVER_NODE_ARGS'] = saved;
    fs.rmSync(profDir, { recursive: true, force: true });
  }
}

const MB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** scripts/bench/warmup.ts in a fresh process (its first run must be the process's first): its table, or null. */
function warmupRuns(dir: string): string | null {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/bench/warmup.ts'), dir, '4'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`warm-up runs failed: ${r.stderr}\n`);
    return null;
  }
  const table = r.stdout.indexOf('| step');
  return table < 0 ? null : r.stdout.slice(table).trimEnd();
}

export function profileMarkdown(p: TargetProfile): string[] {
  const m = p.memory;
  const a = m.atOutput;
  const wasm = a ? a.wasm.reduce((x, y) => x + y, 0) : 0;
  const lines = [`### ${p.target.name}`, '', ...reportMarkdown('CPU profile (`--cpu-prof`, one run)', p.cpu)];
  lines.push('#### Memory', '');
  if (a) {
    lines.push(
      `Peak RSS ${MB(m.maxRssKb * 1024)}. When the output is written (the whole workspace alive): RSS ${MB(a.rss)} = V8 heap ${MB(a.heapTotal)} (${MB(a.heapUsed)} used)` +
        ` + WebAssembly linear memory ${MB(wasm)} (tree-sitter; ${a.wasm.map(MB).join(' + ')}) + the rest ${MB(Math.max(0, a.rss - a.heapTotal - wasm))} (code, Node's own heap, malloc).` +
        ' The wasm memory is the 32 MB Emscripten initial size and does not grow; the JS heap is what scales with the workspace.',
      '',
    );
  }
  if (m.timeline.length > 0) {
    lines.push('| tenth of the run | ' + m.timeline.map((t) => `≤ ${t.pct} %`).join(' | ') + ' |', '|---|' + m.timeline.map(() => '---:').join('|') + '|', '| max VmRSS | ' + m.timeline.map((t) => `${(t.rssKb / 1024).toFixed(0)} MB`).join(' | ') + ' |', '');
  }
  if (m.oldSpace.length > 0) {
    lines.push(
      '`--max-old-space-size` sweep (the JS heap the run really needs; a smaller old space means more GC):',
      '',
      '| old space | result | wall time | peak RSS |',
      '|---:|---|---:|---:|',
      ...m.oldSpace.map((o) => `| ${o.mb} MB | ${o.ok ? 'completes' : 'out of memory'} | ${o.ms.toFixed(0)} ms | ${o.ok ? `${(o.maxRssKb / 1024).toFixed(0)} MB` : '—'} |`),
      '',
    );
  }
  if (m.heap) lines.push(...heapMarkdown('Heap snapshot when the output is written', m.heap));
  if (p.warmup) {
    lines.push(
      '#### V8 warming up, step by step',
      '',
      '`node --import tsx scripts/bench/warmup.ts DIR 4`: the check\'s analysis (no output, no caches) four times in one process, from',
      'the sources; the first run against the median of the other three. The difference is the time V8 spends before its code',
      'is optimized with complete type feedback, which a batch run pays once per process.',
      '',
      p.warmup,
      '',
    );
  }
  return lines;
}

if (require.main === module) {
  void (async () => {
    for (const dir of process.argv.slice(2)) {
      const p = await profileTarget({ key: 'stdlib', name: dir, dir: path.resolve(dir), banned: {} });
      process.stdout.write(`${profileMarkdown(p).join('\n')}\n`);
    }
  })();
}
