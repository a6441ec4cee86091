import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lspBench } from './bench-lsp.js';

/**
 * `npm run bench`: whole-process `migration-lens check` timings (cold: a new process per run) on the demo
 * workspace, the CPython standard library of this machine and Django (Debian's python3-django, when installed),
 * median of N runs plus peak RSS; written to BENCHMARKS.md with the machine and the exact command.
 */
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CLI = path.resolve('dist/cli.js');
const RSS = path.resolve('scripts/rss.cjs');

function copyTree(src: string, dest: string): void {
  // Relative to `src`: the source itself may live under dist-packages.
  const skip = (p: string): boolean => /(^|[\\/])(site-packages|dist-packages|__pycache__)([\\/]|$)/.test(path.relative(src, p));
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !skip(p) && (fs.statSync(p).isDirectory() || p.endsWith('.py')) });
}

function targets(): { name: string; dir: string }[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bench-'));
  const out = [{ name: 'demo (examples/netra)', dir: path.resolve('examples/netra') }];
  const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  copyTree(stdlib, path.join(tmp, 'stdlib'));
  out.push({ name: `CPython ${execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim()} stdlib`, dir: path.join(tmp, 'stdlib') });
  const django = '/usr/lib/python3/dist-packages/django';
  if (fs.existsSync(django)) {
    copyTree(django, path.join(tmp, 'django-checkout', 'django'));
    out.push({ name: 'Django (python3-django)', dir: path.join(tmp, 'django-checkout') });
  } else {
    process.stderr.write('python3-django not installed (apt-get install python3-django): skipping Django\n');
  }
  return out;
}

function countPy(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py')) (files++, (bytes += fs.statSync(p).size));
    }
  };
  walk(dir);
  return { files, bytes };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: string[] = [];
for (const t of targets()) {
  const times: number[] = [];
  const rss: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--require', RSS, CLI, 'check', t.dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    rss.push(Number(/ML_MAX_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0));
    if (r.status !== 0 && r.status !== 1) throw new Error(`check ${t.dir} exited ${r.status}: ${r.stderr}`);
    findings = (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
  }
  const { files, bytes } = countPy(t.dir);
  const row = `| ${t.name} | ${files} | ${(bytes / 1e6).toFixed(1)} MB | ${findings} | ${median(times).toFixed(0)} ms | ${(median(rss) / 1024).toFixed(0)} MB |`;
  rows.push(row);
  process.stdout.write(`${row}\n`);
}

async function main(): Promise<void> {
  const lsp = await lspBench();
  for (const row of lsp.rows) process.stdout.write(`${row}\n`);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const section = [
    '## `check`, whole process, cold',
    '',
    `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Command: \`npm run bench\` (each run: \`node dist/cli.js check DIR --format json\` in a new process; median of ${RUNS}).`,
    '',
    '| workspace | .py files | size | findings | median wall time | peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '## Language server, through the real protocol',
    '',
    'Command: `npm run bench` (`scripts/bench-lsp.ts`: the bundled server over stdio, a JSON-RPC client, a copy of the demo',
    'workspace plus a generated 100 KB module; each sample is the time from sending `didChange` to receiving the',
    "`publishDiagnostics` for that version; the cross-file sample waits for the importer's diagnostics to change).",
    '',
    '| measurement | result |',
    '|---|---|',
    ...lsp.rows,
    '',
  ].join('\n');
  const header = '# Benchmarks\n\nMeasured, never asserted in tests. Regenerate with `npm run bench` (`BENCH_RUNS=5` for more runs).\n\n';
  fs.writeFileSync('BENCHMARKS.md', header + section);
  process.stdout.write('wrote BENCHMARKS.md\n');
}

void main();
