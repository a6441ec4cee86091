/**
 * Builds a git repository with a long, realistic history to measure `migration-lens status --history N`:
 *
 *     node --import tsx scripts/history-repo.ts DIR [--commits 120] [--seed 1]
 *
 * DIR (created, must not exist or be empty) gets the Python files of this machine's CPython standard library
 * (`sysconfig.get_paths()['stdlib']`, without site-packages/dist-packages and __pycache__) under `lib/`, so it
 * reads as an application that uses the stdlib, plus a small migration: a legacy shim `lib/legacy_time.py`
 * (warns DeprecationWarning, re-exports from `lib/newtime.py`). That is the first commit. Then `--commits` more,
 * each touching one to four files the way a team migrating would: add `datetime.datetime.utcnow()` calls, move
 * them to `datetime.datetime.now(datetime.timezone.utc)`, import through the legacy shim or move an import to
 * its new home, add or drop an import, rename a private function (and its uses in that file), and now and then
 * a commit touching no Python file. Deterministic for a seed: same files, same commits (fixed dates and author).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { commits: { type: 'string', default: '120' }, seed: { type: 'string', default: '1' } },
});
const target = positionals[0];
if (!target) {
  process.stderr.write('usage: node --import tsx scripts/history-repo.ts DIR [--commits N] [--seed S]\n');
  process.exit(2);
}
const dir = path.resolve(target);
const COMMITS = Number(values.commits);
if (!Number.isInteger(COMMITS) || COMMITS < 1) throw new Error(`--commits: expected a positive integer, got ${values.commits}`);
if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty`);

// mulberry32: a small deterministic PRNG.
let state = Number(values.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

let clock = 1_700_000_000;
function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'History Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'History Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
      GIT_AUTHOR_DATE: `${clock} +0000`,
      GIT_COMMITTER_DATE: `${clock} +0000`,
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

// --- the first commit: the stdlib under lib/, and a legacy shim ----------------------------------------------

const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
const SKIP_DIRS = new Set(['site-packages', 'dist-packages', '__pycache__']);
const files: string[] = [];
function copy(from: string, rel: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      if (!SKIP_DIRS.has(entry.name)) copy(src, relPath);
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      const dest = path.join(dir, 'lib', relPath);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(src, dest);
      files.push(`lib/${relPath}`);
    }
  }
}
fs.mkdirSync(dir, { recursive: true });
copy(stdlib, '');
files.sort();
fs.writeFileSync(path.join(dir, 'lib/__init__.py'), '');
fs.writeFileSync(path.join(dir, 'lib/newtime.py'), 'import datetime\n\n\ndef utc_now():\n    return datetime.datetime.now(datetime.timezone.utc)\n\n\ndef iso(ts):\n    return ts.isoformat()\n');
fs.writeFileSync(
  path.join(dir, 'lib/legacy_time.py'),
  'import warnings\n\nwarnings.warn("lib.legacy_time is deprecated: use lib.newtime", DeprecationWarning, stacklevel=2)\n\nfrom lib.newtime import iso, utc_now  # noqa: F401\n',
);
fs.writeFileSync(path.join(dir, 'README.md'), '# history bench\n');
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', `stdlib ${path.basename(stdlib)}: ${files.length} files`);

// --- the history --------------------------------------------------------------------------------------------

const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'latin1');
const write = (rel: string, text: string): void => fs.writeFileSync(path.join(dir, rel), text, 'latin1');
/** Files this history added calls or imports to, so later commits can migrate them. */
const withUtcnow: string[] = [];
const withLegacy: string[] = [];
let serial = 0;

/** After the module docstring and `from __future__` imports: where a new import may go. */
function importPoint(text: string): number {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith('#') || lines[i]!.trim() === '')) i++;
  const docstring = /^[rRuUbB]*("""|''')/.exec(lines[i] ?? '');
  if (docstring) {
    const quote = docstring[1]!;
    const rest = lines[i]!.slice(lines[i]!.indexOf(quote) + 3);
    if (!rest.includes(quote)) while (++i < lines.length && !lines[i]!.includes(quote));
    i++;
  }
  while (i < lines.length && (lines[i]!.startsWith('from __future__') || lines[i]!.trim() === '')) i++;
  return lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0);
}

function insertImport(text: string, statement: string): string {
  if (text.includes(`\n${statement}\n`) || text.startsWith(`${statement}\n`)) return text;
  const at = importPoint(text);
  return `${text.slice(0, at)}${statement}\n${text.slice(at)}`;
}

const plainFiles = files.filter((f) => !f.endsWith('__init__.py'));

const edits: { name: string; weight: number; run: () => string | null }[] = [
  {
    name: 'add utcnow',
    weight: 5,
    run: () => {
      const f = pick(plainFiles);
      const n = ++serial;
      write(f, `${insertImport(read(f), 'import datetime')}\n\ndef _ml_stamp_${n}():\n    return datetime.datetime.utcnow()\n`);
      withUtcnow.push(f);
      return `${f}: timestamp helper ${n}`;
    },
  },
  {
    name: 'migrate utcnow',
    weight: 4,
    run: () => {
      const f = withUtcnow.length ? withUtcnow.splice(Math.floor(random() * withUtcnow.length), 1)[0]! : null;
      if (!f) return null;
      const text = read(f);
      if (!text.includes('datetime.datetime.utcnow()')) return null;
      write(f, text.replace('datetime.datetime.utcnow()', 'datetime.datetime.now(datetime.timezone.utc)'));
      return `${f}: timezone-aware timestamp`;
    },
  },
  {
    name: 'import through the legacy shim',
    weight: 3,
    run: () => {
      const f = pick(plainFiles);
      write(f, `${insertImport(read(f), 'from lib.legacy_time import utc_now')}\n\ndef _ml_now_${++serial}():\n    return utc_now()\n`);
      withLegacy.push(f);
      return `${f}: use utc_now`;
    },
  },
  {
    name: 'move an import to its new home',
    weight: 3,
    run: () => {
      const f = withLegacy.length ? withLegacy.splice(Math.floor(random() * withLegacy.length), 1)[0]! : null;
      if (!f) return null;
      write(f, read(f).replace('from lib.legacy_time import utc_now', 'from lib.newtime import utc_now'));
      return `${f}: import utc_now from lib.newtime`;
    },
  },
  {
    name: 'add or drop an import',
    weight: 2,
    run: () => {
      const f = pick(plainFiles);
      const text = read(f);
      if (text.includes('\nimport imp\n')) {
        write(f, text.replace('\nimport imp\n', '\n'));
        return `${f}: drop the imp import`;
      }
      write(f, insertImport(text, 'import imp'));
      return `${f}: import imp`;
    },
  },
  {
    name: 'rename a private function',
    weight: 2,
    run: () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const f = pick(plainFiles);
        const text = read(f);
        const defs = [...text.matchAll(/^def (_[a-z][a-z0-9_]{2,})\(/gm)].map((m) => m[1]!);
        if (defs.length === 0) continue;
        const name = pick(defs);
        const renamed = `${name}_v${++serial}`;
        write(f, text.replace(new RegExp(`\\b${name}\\b`, 'g'), renamed));
        return `${f}: rename ${name} to ${renamed}`;
      }
      return null;
    },
  },
  {
    name: 'docs only',
    weight: 1,
    run: () => {
      fs.appendFileSync(path.join(dir, 'README.md'), `\nNote ${++serial}.\n`);
      return 'README: a note';
    },
  },
];
const totalWeight = edits.reduce((n, e) => n + e.weight, 0);
function pickEdit(): (typeof edits)[number] {
  let r = random() * totalWeight;
  for (const e of edits) if ((r -= e.weight) < 0) return e;
  return edits[0]!;
}

for (let c = 0; c < COMMITS; c++) {
  const subjects: string[] = [];
  const wanted = 1 + Math.floor(random() * 4);
  for (let tries = 0; subjects.length < wanted && tries < 20; tries++) {
    const subject = pickEdit().run();
    if (subject) subjects.push(subject);
  }
  clock += 3600;
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', subjects.length === 1 ? subjects[0]! : `${subjects.length} changes: ${subjects.join('; ')}`);
}

process.stdout.write(`${dir}: ${files.length} stdlib files, ${COMMITS + 1} commits (${git('rev-parse', '--short', 'HEAD').trim()})\n`);
