import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportMarkdown, type ProfileReport } from './bench/cpuprofile.js';
import { FLAT_MB, growthText } from './bench/memoryTrend.js';
import type { SizeProfile } from './bench/monorepo.js';
import { profileLsp, profileMarkdown, profileTarget, type TargetProfile } from './bench/profile.js';
import { median } from './bench/stats.js';
import { build, countPy, ensureRuff, pyFiles, prepareTargets, REPO, RUFF_PACKAGE, RUFF_VERSION, snapshotBuild, type Target } from './bench/targets.js';

/**
 * `npm run bench`: whole processes, side by side, on the demo, the CPython standard library of this machine,
 * Django (Debian's python3-django, installed with apt-get when running as root) and a generated 20,000-file
 * monorepo (scripts/bench/monorepo.ts). For each workspace and each repetition, in this order, every one a new
 * process timed from spawn to exit:
 *   read floor   scripts/bench/read-floor.cjs DIR           list + read + decode every .py file
 *   regex floor  scripts/bench/regex-floor.cjs DIR          … and regex-scan for `utcnow(` and import lines
 *   Ruff         scripts/bench/ruff-run.cjs DIR BANNED      Ruff's wasm build, DTZ003 + TID251 (banned-api) (.bench-cache/),
 *                                                           the process killed as soon as it has printed (see ruff-run.cjs)
 *   Ruff, exit   … --natural-exit                           the same, the process left to end by itself
 *   cold         dist/cli.js check DIR                      Migration Lens, its cache directory removed first
 *   warm         dist/cli.js check DIR                      again right after, nothing changed (cache kept)
 *   edited       dist/cli.js check DIR                      again after a comment is appended to one file (restored after)
 * Every Migration Lens process runs a copy of the bundle taken right after `npm run build` (.bench-cache/build/):
 * dist/ is shared with whoever else rebuilds while the benchmark runs.
 * Then the language server through the real protocol (scripts/bench-lsp.ts: latency, memory over 10,000 edits)
 * and a CPU + memory profile of `check` (scripts/bench/profile.ts). Medians are printed and BENCHMARKS.md is
 * rewritten (only on a full run: BENCH_ONLY unset).
 *
 * Environment: BENCH_RUNS (default 5), BENCH_MONOREPO_RUNS (default min(BENCH_RUNS, 3)), BENCH_MONOREPO_FILES
 * (20000), BENCH_SEED (1), BENCH_MONOREPO_SIZES (django | stdlib | both; default django), BENCH_EDITS (10000),
 * BENCH_KEYSTROKES (300), BENCH_RUFF_VERSION, BENCH_ONLY (comma-separated: demo,stdlib,django,monorepo,lsp,edits,profile).
 */

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const MONO_RUNS = Number(process.env['BENCH_MONOREPO_RUNS'] ?? Math.min(RUNS, 3));
const MONO_FILES = Number(process.env['BENCH_MONOREPO_FILES'] ?? 20000);
const SEED = Number(process.env['BENCH_SEED'] ?? 1);
const MONO_SIZES = (process.env['BENCH_MONOREPO_SIZES'] ?? 'django') as SizeProfile;
const ONLY = process.env['BENCH_ONLY'] ? new Set(process.env['BENCH_ONLY'].split(',').map((s) => s.trim())) : null;
const want = (k: string): boolean => ONLY === null || ONLY.has(k);

const NODE = process.execPath;
const RSS = path.join(REPO, 'scripts/rss.cjs');
const READ = path.join(REPO, 'scripts/bench/read-floor.cjs');
const REGEX = path.join(REPO, 'scripts/bench/regex-floor.cjs');
const RUFF = path.join(REPO, 'scripts/bench/ruff-run.cjs');
/** Where `check` keeps its run cache (core/cache/runCache.ts); removed before every cold run. */
const ML_CACHE_DIR = '.migration-lens-cache';

type Tool = 'read' | 'regex' | 'ruff' | 'ruffExit' | 'cold' | 'warm' | 'edited' | 'statusCold' | 'statusWarm' | 'report';
interface Sample {
  ms: number;
  rssKb: number;
  out: string;
}
interface Measured {
  target: Target;
  files: number;
  bytes: number;
  runs: number;
  samples: Record<Tool, Sample[]>;
  findings: number;
  findingsByCode: Record<string, number>;
  ruff: { diagnostics: number; byCode: Record<string, number> } | null;
  regex: { utcnow: number; imports: number } | null;
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** One whole process, spawn to exit, with scripts/rss.cjs preloaded to report its peak RSS. */
function run(args: string[]): Sample {
  const start = process.hrtime.bigint();
  const r = spawnSync(NODE, ['--require', RSS, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: REPO });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // ruff-run.cjs ends itself with SIGKILL after printing (and reports its own peak RSS: no exit handler runs).
  const killedAfterOutput = r.signal === 'SIGKILL' && args[0] === RUFF && r.stdout.includes('"maxRssKb"');
  if (r.status !== 0 && !killedAfterOutput) throw new Error(`${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(-3000)}`);
  const rss = /ML_MAX_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? /"maxRssKb":(\d+)/.exec(r.stdout)?.[1] ?? 0;
  return { ms, rssKb: Number(rss), out: r.stdout };
}

function measure(target: Target, runs: number, ruffPrefix: string | null, work: string): Measured {
  const { files, bytes } = countPy(target.dir);
  const banned = path.join(work, `${target.key}-banned.json`);
  fs.writeFileSync(banned, JSON.stringify(target.banned));
  const out = path.join(work, `${target.key}-findings.json`);
  const check = [build.cli, 'check', target.dir, '--exit-zero', '--format', 'json', '--output', out];
  const samples: Record<Tool, Sample[]> = { read: [], regex: [], ruff: [], ruffExit: [], cold: [], warm: [], edited: [], statusCold: [], statusWarm: [], report: [] };
  // `status` and `report` (no base) parse as needed too; not on the monorepo, where they would double its minutes.
  const others = target.key !== 'monorepo';
  const edited = fileToEdit(target.dir);
  const original = fs.readFileSync(edited);
  let findings: { code: string }[] = [];
  // Untimed: the files into the page cache, so the first repetition is not the only one reading the disk.
  run([READ, target.dir]);
  for (let i = 0; i < runs; i++) {
    log(`${target.name}: run ${i + 1}/${runs}`);
    samples.read.push(run([READ, target.dir]));
    samples.regex.push(run([REGEX, target.dir]));
    if (ruffPrefix) samples.ruff.push(run([RUFF, target.dir, banned, ruffPrefix]));
    if (ruffPrefix) samples.ruffExit.push(run([RUFF, target.dir, banned, ruffPrefix, '--natural-exit']));
    fs.rmSync(path.join(target.dir, ML_CACHE_DIR), { recursive: true, force: true });
    samples.cold.push(run(check));
    findings = (JSON.parse(fs.readFileSync(out, 'utf8')) as { findings: { code: string }[] }).findings;
    samples.warm.push(run(check));
    // One file edited since the last run: the result misses, the facts of every other file are served.
    fs.appendFileSync(edited, `\n# edited by the benchmark, run ${i + 1}\n`);
    samples.edited.push(run(check));
    fs.writeFileSync(edited, original);
    if (others) {
      fs.rmSync(path.join(target.dir, ML_CACHE_DIR), { recursive: true, force: true });
      samples.statusCold.push(run([build.cli, 'status', target.dir, '--format', 'json']));
      samples.statusWarm.push(run([build.cli, 'status', target.dir, '--format', 'json']));
      samples.report.push(run([build.cli, 'report', target.dir, '--format', 'json', '--output', path.join(work, `${target.key}-report.json`)]));
    }
  }
  const findingsByCode: Record<string, number> = {};
  for (const f of findings) findingsByCode[f.code] = (findingsByCode[f.code] ?? 0) + 1;
  const last = (t: Tool): unknown => (samples[t].length ? JSON.parse(samples[t][samples[t].length - 1]!.out) : null);
  return {
    target,
    files,
    bytes,
    runs,
    samples,
    findings: findings.length,
    findingsByCode,
    ruff: last('ruff') as Measured['ruff'],
    regex: last('regex') as Measured['regex'],
  };
}

/** The file the "one file edited" run changes: the middle one by path, so neither a first nor a last file. */
function fileToEdit(dir: string): string {
  const files = pyFiles(dir);
  return files[Math.floor(files.length / 2)]!;
}

const med = (m: Measured, t: Tool): number => median(m.samples[t].map((s) => s.ms));
const medRss = (m: Measured, t: Tool): number => median(m.samples[t].map((s) => s.rssKb)) / 1024;
const fmtMs = (x: number): string => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const fmtX = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
const byCode = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function ruffFindings(m: Measured): string {
  if (!m.ruff) return '';
  const codes = { ...m.ruff.byCode };
  const syntax = (codes['invalid-syntax'] ?? 0) + (codes['syntax'] ?? 0);
  delete codes['invalid-syntax'];
  delete codes['syntax'];
  const n = Object.values(codes).reduce((a, b) => a + b, 0);
  return `${n} (${byCode(codes)}${syntax ? `; and ${syntax} syntax errors` : ''})`;
}

function table(m: Measured, ruffLabel: string): string[] {
  const ruff = m.samples.ruff.length ? med(m, 'ruff') : null;
  const regex = med(m, 'regex');
  const read = med(m, 'read');
  const cold = med(m, 'cold');
  const warm = med(m, 'warm');
  const range = (t: Tool): string => {
    const xs = m.samples[t].map((s) => s.ms);
    return `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  };
  const row = (label: string, t: Tool, ratios: string, findings: string): string =>
    `| ${label} | ${fmtMs(med(m, t))} | ${range(t)} | ${ratios} | ${medRss(m, t).toFixed(0)} MB | ${findings} |`;
  const rows = [
    `### ${m.target.name} — ${m.files.toLocaleString('en-US')} files, ${(m.bytes / 1e6).toFixed(1)} MB (median of ${m.runs})`,
    '',
    '| process | median | min–max (ms) | ratios | peak RSS | findings |',
    '|---|---:|---:|---|---:|---|',
    row('read floor', 'read', '', `${m.files} files read`),
    row('regex floor', 'regex', `${fmtX(regex / read)} read`, m.regex ? `${m.regex.utcnow} \`utcnow(\`, ${m.regex.imports.toLocaleString('en-US')} import lines` : ''),
  ];
  if (ruff !== null) {
    rows.push(row(`${ruffLabel} cold`, 'ruff', `${fmtX(ruff / regex)} regex floor`, ruffFindings(m)));
    rows.push(row(`${ruffLabel} cold, left to exit by itself`, 'ruffExit', `${fmtX(med(m, 'ruffExit') / ruff)} Ruff cold`, 'same'));
  }
  rows.push(
    row(
      'Migration Lens cold',
      'cold',
      [ruff !== null ? `**${fmtX(cold / ruff)} Ruff** (goal ≤ 0.5×)` : 'Ruff: not run', `**${fmtX(cold / regex)} regex floor** (goal ≤ 10×)`].join(' · '),
      `${m.findings} (${byCode(m.findingsByCode)})`,
    ),
    row('Migration Lens warm (2nd run, nothing changed)', 'warm', `**${fmtX(warm / read)} read floor** (goal ≤ 3×)`, 'same'),
    row('Migration Lens, one file edited since (3rd run)', 'edited', `${fmtX(med(m, 'edited') / cold)} cold · ${fmtX(med(m, 'edited') / read)} read floor`, 'same but that file'),
  );
  if (m.samples.statusCold.length) {
    rows.push(
      row('`status`, no cache', 'statusCold', `${fmtX(med(m, 'statusCold') / cold)} \`check\` cold`, ''),
      row('`status` again, nothing changed (run cache)', 'statusWarm', `${fmtX(med(m, 'statusWarm') / read)} read floor`, ''),
      row('`report` (no base)', 'report', `${fmtX(med(m, 'report') / cold)} \`check\` cold`, ''),
    );
  }
  rows.push('');
  return rows;
}

function machine(): string[] {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const meminfo = fs.existsSync('/proc/meminfo') ? fs.readFileSync('/proc/meminfo', 'utf8') : '';
  const memKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? os.totalmem() / 1024);
  const release = fs.existsSync('/etc/os-release') ? /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] : undefined;
  return [
    `- CPU: ${model}, ${os.cpus().length} cores (\`nproc\`: ${os.availableParallelism?.() ?? os.cpus().length})`,
    `- RAM: ${(memKb / 2 ** 20).toFixed(1)} GiB`,
    `- OS: ${release ?? os.type()} (kernel ${os.release()}), Node ${process.version}`,
  ];
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bench-'));
  const ruffPrefix = ONLY && ![...ONLY].some((k) => ['demo', 'stdlib', 'django', 'monorepo'].includes(k)) ? null : ensureRuff();
  const ruffLabel = `Ruff-wasm ${RUFF_VERSION}`;
  if (process.env['BENCH_NO_SNAPSHOT'] !== '1') snapshotBuild();
  log(`measuring ${build.cli} (${build.id})`);
  // test/support/lspClient.ts (used by bench-lsp.ts) resolves dist/cli.js and the demo against the working
  // directory when it is loaded: load it from inside the snapshot.
  process.chdir(build.root);
  const { lspBench, lspConfigBench, lspMemoryBench } = require('./bench-lsp.js') as typeof import('./bench-lsp.js');
  // The profile needs the stdlib and Django copies even when only it was asked for.
  const prepare = ONLY && ONLY.has('profile') ? new Set([...ONLY, 'stdlib', 'django']) : ONLY;
  const targets = prepareTargets(work, { only: prepare, monorepo: { files: MONO_FILES, seed: SEED, sizes: MONO_SIZES } });
  // The demo is measured on a copy: a cold run removes the cache directory, never inside the repository.
  const demo = targets.find((t) => t.key === 'demo');
  if (demo) {
    fs.cpSync(demo.dir, path.join(work, 'demo'), { recursive: true });
    demo.dir = path.join(work, 'demo');
  }

  // Fixed costs: the same processes on an empty directory (start Node, load the bundle / the wasm, exit).
  let startup: string[] = [];
  if (ONLY === null || [...ONLY].some((k) => ['demo', 'stdlib', 'django', 'monorepo'].includes(k))) {
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    const banned = path.join(work, 'empty-banned.json');
    fs.writeFileSync(banned, '{}');
    const t: Record<string, number[]> = { node: [], read: [], ruff: [], ml: [] };
    for (let i = 0; i < RUNS; i++) {
      t['node']!.push(run(['-e', '0']).ms);
      t['read']!.push(run([READ, empty]).ms);
      if (ruffPrefix) t['ruff']!.push(run([RUFF, empty, banned, ruffPrefix]).ms);
      t['ml']!.push(run([build.cli, 'check', empty, '--exit-zero', '--format', 'json', '--output', path.join(work, 'empty.json')]).ms);
    }
    startup = [
      '| empty directory | `node -e 0` | read floor | ' + (ruffPrefix ? `${ruffLabel} | ` : '') + 'Migration Lens `check` |',
      '|---|---:|---:|' + (ruffPrefix ? '---:|' : '') + '---:|',
      `| median of ${RUNS} | ${fmtMs(median(t['node']!))} | ${fmtMs(median(t['read']!))} | ` + (ruffPrefix ? `${fmtMs(median(t['ruff']!))} | ` : '') + `${fmtMs(median(t['ml']!))} |`,
      '',
    ];
    process.stdout.write(`${startup.join('\n')}\n`);
  }

  const measured: Measured[] = [];
  for (const t of targets.filter((x) => want(x.key))) {
    const m = measure(t, t.key === 'monorepo' ? MONO_RUNS : RUNS, ruffPrefix, work);
    measured.push(m);
    for (const line of table(m, ruffLabel)) process.stdout.write(`${line}\n`);
  }

  let lsp: Awaited<ReturnType<typeof lspBench>> | null = null;
  if (want('lsp')) {
    lsp = await lspBench();
    // A config change in a large workspace: the stdlib, with a file that has a MIG001 finding open.
    const stdlibTarget = targets.find((t) => t.key === 'stdlib');
    if (stdlibTarget) {
      const found = JSON.parse(run([build.cli, 'check', stdlibTarget.dir, '--no-cache', '--exit-zero', '--select', 'MIG001', '--format', 'json']).out) as { findings: { path: string }[] };
      const open = found.findings[0]?.path;
      if (open) lsp.rows.push(...(await lspConfigBench(stdlibTarget.dir, open)).rows);
    }
    for (const row of lsp.rows) process.stdout.write(`${row}\n`);
  }
  let edits: Awaited<ReturnType<typeof lspMemoryBench>> | null = null;
  if (want('edits')) {
    edits = await lspMemoryBench();
    for (const row of edits.rows) process.stdout.write(`${row}\n`);
  }
  const profiles: TargetProfile[] = [];
  let lspProfile: { cpu: ProfileReport; rows: string[] } | null = null;
  if (want('profile')) {
    for (const t of targets.filter((x) => x.key === 'stdlib' || x.key === 'django')) {
      const p = await profileTarget(t);
      profiles.push(p);
      process.stdout.write(`${profileMarkdown(p).join('\n')}\n`);
    }
    lspProfile = await profileLsp();
    process.stdout.write(`${reportMarkdown('language server', lspProfile.cpu).join('\n')}\n`);
  }
  const loadAfter = os.loadavg();

  // ---- summary against the issue's goals ----
  const get = (k: Target['key']): Measured | undefined => measured.find((m) => m.target.key === k);
  const goals: string[] = [];
  const goal = (what: string, value: string, target: string, ok: boolean | null): void => void goals.push(`| ${what} | ${value} | ${target} | ${ok === null ? '—' : ok ? 'met' : '**not met**'} |`);
  for (const k of ['stdlib', 'django'] as const) {
    const m = get(k);
    if (!m) continue;
    if (m.samples.ruff.length) goal(`${m.target.name}: cold ÷ Ruff-wasm cold`, fmtX(med(m, 'cold') / med(m, 'ruff')), '≤ 0.5×', med(m, 'cold') / med(m, 'ruff') <= 0.5);
    goal(`${m.target.name}: cold ÷ regex floor`, fmtX(med(m, 'cold') / med(m, 'regex')), '≤ 10×', med(m, 'cold') / med(m, 'regex') <= 10);
    goal(`${m.target.name}: warm ÷ read floor`, fmtX(med(m, 'warm') / med(m, 'read')), '≤ 3×', med(m, 'warm') / med(m, 'read') <= 3);
  }
  const stdlib = get('stdlib');
  if (stdlib) goal(`${stdlib.target.name}: peak RSS of \`check\``, `${medRss(stdlib, 'cold').toFixed(0)} MB`, '≤ 250 MB', medRss(stdlib, 'cold') <= 250);
  if (lsp) {
    const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))]!;
    goal('LSP keystroke → diagnostics, 100 KB file, p95', fmtMs(p95(lsp.keystrokes)), '≤ 15 ms', p95(lsp.keystrokes) <= 15);
    goal('LSP cross-file update, p95 (max)', `${fmtMs(p95(lsp.crossFile))} (${fmtMs(Math.max(...lsp.crossFile))})`, '≤ 100 ms', Math.max(...lsp.crossFile) <= 100);
  }
  if (edits) {
    const { trend } = edits;
    goal(
      `LSP server RSS over ${edits.edits.toLocaleString('en-US')} edits (start → end, max; trend after edit ${trend.from.toLocaleString('en-US')})`,
      `${(edits.start.rssKb / 1024).toFixed(0)} → ${(edits.end.rssKb / 1024).toFixed(0)} MB, max ${(edits.max.rssKb / 1024).toFixed(0)} MB; trend ${growthText(trend)} over the run`,
      `flat: trend ≤ +${FLAT_MB} MB`,
      trend.flat,
    );
  }
  const mono = get('monorepo');
  const django = get('django');
  let monoLine: string[] = [];
  if (mono) {
    const perFile = med(mono, 'cold') / mono.files;
    const s = mono.target.monorepo!;
    monoLine = [
      `Generated by \`scripts/bench/monorepo.ts\` (seed ${SEED}, sizes drawn from the ${MONO_SIZES === 'both' ? 'stdlib + Django' : MONO_SIZES} file-size distribution): ${mono.files.toLocaleString('en-US')} .py files,`,
      `${(mono.bytes / 1e6).toFixed(1)} MB (mean ${(mono.bytes / mono.files / 1024).toFixed(1)} KB; Django: ${django ? (django.bytes / django.files / 1024).toFixed(1) : '?'} KB), ${s.packages} packages of ~400 files importing each other (layered, with a few`,
      `back-edges), canonical module \`${s.canonical}\` and deprecated \`${s.deprecated}\` declared in \`migration-lens.toml\`, legacy shims`,
      `${s.shims.map((x) => `\`${x}\``).join(', ')} (warn with DeprecationWarning, re-export from the canonical module), ${s.shimImports} imports through a shim,`,
      `${s.deprecatedImports} of the deprecated class, ${s.utcnowCalls} \`utcnow()\` calls. Ruff gets the shims and the deprecated class as banned APIs.`,
      '',
    ];
    if (django) {
      const djPerFile = med(django, 'cold') / django.files;
      const perKb = med(mono, 'cold') / (mono.bytes / 1024) / (med(django, 'cold') / (django.bytes / 1024));
      goal('monorepo cold time per file ÷ Django cold time per file', `${perFile.toFixed(2)} ms ÷ ${djPerFile.toFixed(2)} ms = ${fmtX(perFile / djPerFile)} (per KB: ${fmtX(perKb)})`, '≤ 1.2×', perFile / djPerFile <= 1.2);
    } else goal('monorepo cold time per file', `${perFile.toFixed(2)} ms`, '≤ 1.2× Django (not measured)', null);
  }
  process.stdout.write(`\n| goal | measured | target | |\n|---|---|---|---|\n${goals.join('\n')}\n`);
  if (ONLY) {
    process.stdout.write('BENCH_ONLY is set: BENCHMARKS.md not rewritten\n');
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }

  const doc = [
    '# Benchmarks',
    '',
    'Measured, never asserted in tests. Regenerate with `npm run bench` (environment variables in `scripts/bench.ts`).',
    '',
    `Date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC. Load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after:`,
    'the machine is shared (other processes run tests on the same cores), so single numbers are noisy; compare medians',
    'and ratios measured in the same run, never numbers from different runs.',
    '',
    ...machine(),
    `- Build measured: ${build.id} (copied to \`.bench-cache/build/\` right after \`npm run build\`)`,
    '',
    '## Goals (issue 5)',
    '',
    '| goal | measured | target | |',
    '|---|---|---|---|',
    ...goals,
    '',
    '## `check`, whole processes, side by side',
    '',
    `Each repetition runs, in this order, seven new processes (ten but on the monorepo) on the same copy of the workspace, each timed from spawn to exit`,
    `(\`process.hrtime\` around \`spawnSync\`), with \`scripts/rss.cjs\` preloaded to report the peak RSS (\`getrusage\` maxRSS):`,
    '',
    '```sh',
    `node scripts/bench/read-floor.cjs DIR                  # read floor: list, read and UTF-8-decode every .py file`,
    `node scripts/bench/regex-floor.cjs DIR                 # regex floor: … and regex-scan for \`utcnow(\` and import lines`,
    `node scripts/bench/ruff-run.cjs DIR BANNED.json .bench-cache   # ${ruffLabel} (${RUFF_PACKAGE}): Workspace.check on every file`,
    `node scripts/bench/ruff-run.cjs DIR BANNED.json .bench-cache --natural-exit   # the same, left to exit by itself`,
    `rm -rf DIR/${ML_CACHE_DIR}; node dist/cli.js check DIR --exit-zero --format json --output FINDINGS.json   # cold`,
    `node dist/cli.js check DIR --exit-zero --format json --output FINDINGS.json                               # warm: again, nothing changed`,
    `echo '# edited' >> DIR/ONE_FILE.py; node dist/cli.js check DIR --exit-zero --format json --output FINDINGS.json   # one file edited`,
    `# then, except on the monorepo (the file restored):`,
    `rm -rf DIR/${ML_CACHE_DIR}; node dist/cli.js status DIR --format json                   # status, no cache`,
    `node dist/cli.js status DIR --format json                                               # status again (run cache)`,
    `node dist/cli.js report DIR --format json --output REPORT.json                          # report, no base`,
    '```',
    '',
    `Ruff runs with \`lint.select = ["DTZ003", "TID251"]\` and \`lint.flake8-tidy-imports.banned-api\` listing every module and symbol`,
    'of the standard-library catalog Migration Lens ships (`server/src/core/catalog/stdlib.json`: `datetime.datetime.utcnow`, `imp`,',
    '`asyncore`, …) plus what the workspace\'s config declares — the same things Migration Lens flags (it flags more: shims,',
    'canonical imports, aliases, cycles, which Ruff cannot see). Its findings are counted without syntax errors. Ruff compiles',
    'its 10 MB wasm module in every process (see the empty-directory row). Left alone, a Node process that ran Ruff\'s wasm waits',
    'at exit (even in `process.exit`) for V8\'s background tier-up compilation of that module — up to 2 s after Ruff\'s last',
    'result here —, so the runner kills itself (SIGKILL) once its output is written: the "Ruff-wasm cold" row, the one the',
    'goals use, is the faster, conservative baseline; the "left to exit by itself" row is what a user of the wasm build waits.',
    `"Warm" is a second run right after the cold one with nothing changed: \`check\` stats every discovered file and serves`,
    `the result it stored in \`${ML_CACHE_DIR}/\` (core/cache/runCache.ts); cold runs remove that directory first. "One file`,
    'edited" appends a comment line to the middle file (by path) of the workspace and runs again: the stored result no longer',
    'holds, every other file\'s facts come from the facts cache (core/cache/factsCache.ts) and the rules run over the whole project.',
    'The file is restored afterwards. "Cold"',
    'means a new process, not an empty page cache: every repetition reads files the previous one just read.',
    '',
    'Fixed cost of each process (start, load, exit) on an empty directory:',
    '',
    ...startup,
    ...measured.flatMap((m) => table(m, ruffLabel)),
    ...(mono ? ['### About the generated monorepo', '', ...monoLine] : []),
    '## Language server, through the real protocol',
    '',
    'Command: `node --import tsx scripts/bench-lsp.ts [latency|memory|config DIR FILE]` (`npm run bench` runs all three): the bundled server (`dist/cli.js server --stdio`),',
    'a JSON-RPC client, a copy of the demo workspace plus a generated 100 KB module. Each latency sample is the time from',
    'sending `didChange` to receiving the `publishDiagnostics` for that version; the cross-file sample waits for the',
    "importer's diagnostics to change. The config-change sample (`scripts/bench-lsp.ts config DIR FILE`) times a new server on",
    'a copy of the stdlib from its start to the first status with the index ready (no facts cache yet), opens one file, flips a',
    'rule\'s severity in `migration-lens.toml` and times `didChangeWatchedFiles` → the first status with every file indexed again,',
    'then starts a second server on the same copy, which reads the facts the first stored (`.migration-lens-cache/server-facts.bin`). The memory run starts a new server, then makes 10,000 edits of the open 100 KB',
    'module in a cycle of four (type a character, delete it, insert a `datetime.utcnow()` line, delete it) at positions',
    'moving through the file, each waiting for its diagnostics, and reads VmRSS/VmHWM from `/proc/<pid>/status` of the',
    'server process. "Flat" is judged by scripts/bench/memoryTrend.ts: the first 20% of the edits are warm-up (the wasm heap',
    'and the old space grow to their working size there), a least-squares line through the samples after it, projected over',
    `the whole run, may grow RSS by at most ${FLAT_MB} MB.`,
    '',
    '| measurement | result |',
    '|---|---|',
    ...(lsp?.rows ?? []),
    ...(edits?.rows ?? []),
    '',
    ...(edits
      ? [
          '| edits | ' + edits.samples.filter((_, i) => i % 2 === 0 || i === edits!.samples.length - 1).map((s) => s.edits.toLocaleString('en-US')).join(' | ') + ' |',
          '|---|' + edits.samples.filter((_, i) => i % 2 === 0 || i === edits!.samples.length - 1).map(() => '---:').join('|') + '|',
          '| server VmRSS | ' + edits.samples.filter((_, i) => i % 2 === 0 || i === edits!.samples.length - 1).map((s) => `${(s.rssKb / 1024).toFixed(0)} MB`).join(' | ') + ' |',
          '',
          '(The last column is after 2 s of idle.)',
          '',
        ]
      : []),
    ...(profiles.length
      ? [
          '## Where the time and the memory go (profile of `check`)',
          '',
          'Commands (`scripts/bench/profile.ts`, `npm run bench` runs it on the stdlib and Django copies):',
          '',
          '```sh',
          'node --cpu-prof --cpu-prof-dir=PROF dist/cli.js check DIR --exit-zero --format json --output OUT.json',
          'node --import tsx scripts/bench/cpuprofile.ts PROF/*.cpuprofile         # aggregation below (source-mapped to server/src)',
          'ML_BENCH_MEM=1 node --require scripts/rss.cjs dist/cli.js check DIR ... --output OUT.json   # heap vs wasm, VmRSS polled',
          'ML_BENCH_HEAPSNAPSHOT=F.heapsnapshot node --require scripts/rss.cjs dist/cli.js check DIR ... --output OUT.json',
          'node --max-old-space-size=8192 --import tsx scripts/bench/heapsnapshot.ts F.heapsnapshot',
          'node --max-old-space-size=N --require scripts/rss.cjs dist/cli.js check DIR ...                  # sweep',
          '```',
          '',
          'A profiled run is slower than an unprofiled one (sampling overhead); read the shares, not the absolute times. Phases:',
          'read/decode `workspace/read.ts`; parse `python/parser.ts` (tree-sitter\'s parser in wasm); extract `python/extract.ts`',
          "(including the web-tree-sitter node accessors it calls); project/model `project/`, `migrations/`, `catalog/`; rules",
          '`rules/`, `fixes/`, `analyzer.ts`; output `cli/format/`. *Exclusive*: each sample counts once, for the innermost phase',
          'on its stack (so phases sum to the total). *Inclusive*: every sample with the phase anywhere on its stack.',
          '',
          ...profiles.flatMap(profileMarkdown),
        ]
      : []),
    ...(lspProfile
      ? [
          '### Language server, keystrokes in the 100 KB file',
          '',
          'The latency benchmark again with the server under `--cpu-prof` (`ML_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=PROF"`;',
          `the whole server process: start, indexing the demo, ${process.env['BENCH_KEYSTROKES'] ?? 300} keystrokes, the cross-file changes). Latency while profiled:`,
          `${lspProfile.rows.map((r) => r.replace(/^\| /, '').replace(/ \|$/, '').replace(' | ', ': ')).join('; ')}.`,
          '',
          ...reportMarkdown('CPU profile of the server', lspProfile.cpu),
        ]
      : []),
  ].join('\n');
  fs.writeFileSync(path.join(REPO, 'BENCHMARKS.md'), `${doc}\n`);
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write('wrote BENCHMARKS.md\n');
}

let finished = false;
// A promise that can never settle (a child that died unseen) lets Node run out of work and exit 0 halfway: say so.
process.on('exit', (code) => {
  if (finished || code !== 0) return;
  process.stderr.write('the benchmark stopped before its end: something it awaited can never settle (did a process it started die?)\n');
  process.exitCode = 1;
});
main().then(
  () => void (finished = true),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
