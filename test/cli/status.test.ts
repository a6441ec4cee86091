import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { writeWorkspace } from '../support/files.js';
import { commit, git, gitRepo } from '../support/git.js';

// The real, bundled CLI (`npm test` builds it first), as a separate process.
const CLI = path.resolve('dist/cli.js');
const DEMO = path.resolve('examples/netra');

function run(args: string[], cwd = process.cwd()): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Point {
  commit: string;
  shortCommit: string;
  time: string;
  subject: string;
  files: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  changedFiles: number;
  migrations: { id: string; title: string; remaining: number; migrated: number; compliance: number | null }[];
}

interface StatusJson {
  version: number;
  root: string;
  files: number;
  problems: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  definition: { text: string; url: string };
  groups: { id: string; kind: string; title: string; codes: string[]; remaining: number; migrated: number; compliance: number | null; files: number; categories: { category: string; remaining: number; migrated: number; compliance: number | null; files: number }[] }[];
  rules: { code: string; name: string; remaining: number; files: number }[];
  configErrors: unknown[];
  history?: Point[];
  historyTruncated?: string | null;
}

const UTCNOW = 'datetime.datetime.utcnow()';
const NOW = 'datetime.datetime.now(datetime.timezone.utc)';

/** Four commits: 3 legacy usages, one migrated, a commit without Python, then a second one migrated. */
function historyRepo(): { dir: string; hashes: string[] } {
  const dir = gitRepo({ 'a.py': `import datetime\nx = ${UTCNOW}\ny = ${UTCNOW}\n`, 'b.py': `import datetime\nz = ${UTCNOW}\n` }, 'start with three legacy calls');
  const hashes = [git(dir, 'rev-parse', 'HEAD').trim()];
  hashes.push(commit(dir, 'migrate b', { 'b.py': `import datetime\nz = ${NOW}\n` }));
  hashes.push(commit(dir, 'docs', { 'README.md': 'hello\n' }));
  hashes.push(commit(dir, 'migrate one call in a', { 'a.py': `import datetime\nx = ${NOW}\ny = ${UTCNOW}\n` }));
  return { dir, hashes };
}

describe('migration-lens status', () => {
  it('text on the demo: totals, migrations by category, rules, and the definition of compliance', () => {
    const r = run(['status', DEMO]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `Migration status of ${DEMO}: 41 Python files`);
    // 44 / (44 + 40) = 52.38…%, rounded down to 0.1 like every percentage Migration Lens shows.
    assert.equal(lines[1], '40 remaining · 44 migrated · SSOT compliance 52.3%');
    assert.match(r.stdout, /^MIGRATION +REMAINING {2}MIGRATED {2}COMPLIANCE {2}FILES$/m);
    assert.match(r.stdout, /^deprecated datetime\.datetime\.utcnow \(stdlib\) +9 +9 +50\.0% +5$/m);
    assert.match(r.stdout, /^ {2}production +4 +9 +69\.2% +3$/m);
    assert.match(r.stdout, /^WebSocketManager from netra_backend\.app\.websocket_core\.websocket_manager +8 +4 +33\.3% +6$/m);
    assert.match(r.stdout, /^legacy module netra_backend\.app\.agents\.supervisor\.agent_registry_legacy +0 +8 +100\.0% +0$/m);
    assert.match(r.stdout, /^RULE +FINDINGS {2}FILES$/m);
    assert.match(r.stdout, /^MIG001 deprecated-usage +25 +10$/m);
    assert.match(r.stdout, /^MIG002 non-canonical-import +13 +8$/m);
    assert.match(r.stdout, /^MIG007 removable-shim +2 +2$/m);
    assert.match(lines.at(-2)!, /^SSOT compliance = migrated \/ \(migrated \+ remaining\).*\(definition: https:\/\/github\.com\/migration-lens\/migration-lens\/blob\/main\/server\/src\/core\/status\/status\.ts\)\.$/);
    assert.doesNotMatch(r.stdout, /History/);
  });

  it('json on the demo: the documented shape with exact numbers', () => {
    const r = run(['status', DEMO, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as StatusJson;
    assert.deepEqual(Object.keys(out), ['version', 'root', 'files', 'problems', 'remaining', 'migrated', 'compliance', 'definition', 'groups', 'rules', 'configErrors']);
    assert.equal(out.version, 1);
    assert.equal(out.root, DEMO);
    assert.deepEqual([out.files, out.problems, out.remaining, out.migrated], [41, 0, 40, 44]);
    assert.equal(out.compliance, 44 / 84);
    assert.match(out.definition.url, /status\.ts$/);
    const migrations = out.groups.filter((g) => g.kind === 'migration');
    assert.equal(migrations.reduce((n, g) => n + g.remaining, 0), 40);
    assert.equal(migrations.reduce((n, g) => n + g.migrated, 0), 44);
    const utcnow = out.groups.find((g) => g.id === 'stdlib:datetime.datetime.utcnow')!;
    assert.deepEqual(utcnow, {
      id: 'stdlib:datetime.datetime.utcnow',
      kind: 'migration',
      title: 'deprecated datetime.datetime.utcnow (stdlib)',
      codes: ['MIG001'],
      remaining: 9,
      migrated: 9,
      compliance: 0.5,
      files: 5,
      categories: [
        { category: 'production', remaining: 4, migrated: 9, files: 3, compliance: 9 / 13 },
        { category: 'backup', remaining: 3, migrated: 0, files: 1, compliance: 0 },
        { category: 'tests', remaining: 2, migrated: 0, files: 1, compliance: 0 },
      ],
    });
    const cycle = out.groups.find((g) => g.id === 'rule:MIG005')!;
    assert.equal(cycle.compliance, null);
    assert.deepEqual(out.rules.map((r) => [r.code, r.remaining, r.files]), [
      ['MIG001', 25, 10],
      ['MIG002', 13, 8],
      ['MIG003', 2, 1],
      ['MIG004', 2, 2],
      ['MIG005', 1, 1],
      ['MIG006', 1, 1],
      ['MIG007', 2, 2],
    ]);
    assert.equal(out.history, undefined);
  });

  it('--history N: a table per commit with a sparkline; JSON adds the points', () => {
    const { dir, hashes } = historyRepo();
    const r = run(['status', '--history', '10'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^History of the last 4 commits \(first parent, oldest first; measured with today's config\):$/m);
    const rows = r.stdout.split('\n').filter((l) => /^[0-9a-f]{7} {2}\d{4}-\d\d-\d\d/.test(l));
    assert.deepEqual(
      rows.map((l) => l.split(/ {2,}/)),
      [
        [hashes[0]!.slice(0, 7), rows[0]!.slice(9, 19), '3', '0', '0.0%', '2', 'start with three legacy calls'],
        [hashes[1]!.slice(0, 7), rows[1]!.slice(9, 19), '2', '1', '33.3%', '1', 'migrate b'],
        [hashes[2]!.slice(0, 7), rows[2]!.slice(9, 19), '2', '1', '33.3%', '0', 'docs'],
        [hashes[3]!.slice(0, 7), rows[3]!.slice(9, 19), '1', '2', '66.6%', '1', 'migrate one call in a'],
      ],
    );
    assert.match(r.stdout, /^Compliance ▁▃▃▆ {2}0\.0% → 66\.6% \(\+66\.6 points\); remaining 3 → 1$/m);

    const j = run(['status', '--history', '3', '--format', 'json'], dir);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout) as StatusJson;
    assert.equal(out.historyTruncated, null);
    assert.deepEqual(out.history!.map((p) => [p.commit, p.subject, p.files, p.remaining, p.migrated, p.compliance, p.changedFiles]), [
      [hashes[1], 'migrate b', 2, 2, 1, 1 / 3, 1],
      [hashes[2], 'docs', 2, 2, 1, 1 / 3, 0],
      [hashes[3], 'migrate one call in a', 2, 1, 2, 2 / 3, 1],
    ]);
    assert.deepEqual(out.history!.at(-1)!.migrations, [{ id: 'stdlib:datetime.datetime.utcnow', title: 'deprecated datetime.datetime.utcnow (stdlib)', remaining: 1, migrated: 2, compliance: 2 / 3 }]);
    // The newest point measures HEAD like plain `status` measures the (clean) work tree.
    assert.deepEqual([out.remaining, out.migrated, out.files], [1, 2, 2]);
  });

  it('--history on a shallow clone: the commits that exist, and a note', () => {
    const { dir } = historyRepo();
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-shallow-'));
    git(clone, 'clone', '-q', '--depth=2', `file://${dir}`, 'c');
    const r = run(['status', '--history', '20'], path.join(clone, 'c'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^History of the last 2 commits/m);
    assert.match(r.stdout, /^Note: history is truncated at the shallow clone boundary \([0-9a-f]{7}\): 2 of 20 commits exist in this clone; fetch more with `git fetch --deepen=18` or `git fetch --unshallow`\.$/m);
  });

  it('usage errors are exit 2 with a message: bad N, no repository, bad format, missing path', () => {
    const { dir } = historyRepo();
    const cases: [string[], string, RegExp][] = [
      [['status', '--history', 'ten'], dir, /^migration-lens: error: --history: expected a number of commits \(a positive integer\), got "ten"\n$/],
      [['status', '--history', '0'], dir, /--history: expected a number of commits between 1 and 10000, got 0/],
      [['status', '--history'], dir, /--history/],
      [['status', '--format', 'sarif'], dir, /--format: expected one of text, json, got "sarif"/],
      [['status', 'nowhere'], dir, /path does not exist: nowhere/],
      [['status', '--history', '5'], writeWorkspace({ 'a.py': '' }, 'ml-nogit-'), /--history: .* is not inside a git repository/],
    ];
    for (const [args, cwd, pattern] of cases) {
      const r = run(args, cwd);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    }
  });
});

describe('migration-lens status and the facts cache', () => {
  const HOUR_AGO = Date.now() / 1000 - 3600;
  const numbers = (dir: string, ...args: string[]): [number, number] => {
    const r = run(['status', dir, '--format', 'json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as StatusJson;
    return [out.remaining, out.migrated];
  };

  it("serves an unchanged file's facts from the cache check keeps, and --no-cache analyzes afresh", () => {
    // Same length either way: `utcnow()` and `now(UTC)` (a call of the replacement with arguments: migrated).
    const before = 'from datetime import datetime, timezone as UTC\n\nstamp = datetime.utcnow()\n';
    const after = 'from datetime import datetime, timezone as UTC\n\nstamp = datetime.now(UTC)\n';
    const dir = writeWorkspace({ 'app/__init__.py': '', 'app/clock.py': before }, 'ml-status-cache-');
    const clock = path.join(dir, 'app/clock.py');
    fs.utimesSync(clock, HOUR_AGO, HOUR_AGO);
    assert.deepEqual(numbers(dir), [1, 0]);
    assert.ok(fs.existsSync(path.join(dir, '.migration-lens-cache', 'facts.bin')));
    // New bytes behind the same size and mtime: only a file served from the cache still counts the old call.
    fs.writeFileSync(clock, after);
    fs.utimesSync(clock, HOUR_AGO, HOUR_AGO);
    assert.deepEqual(numbers(dir), [1, 0], 'served from the cache');
    assert.deepEqual(numbers(dir, '--no-cache'), [0, 1]);
    // Once the mtime moves, the file is analyzed again.
    fs.utimesSync(clock, HOUR_AGO + 60, HOUR_AGO + 60);
    assert.deepEqual(numbers(dir), [0, 1]);
    // `check` reads the same cache: the file as status stored it.
    fs.writeFileSync(clock, before);
    fs.utimesSync(clock, HOUR_AGO + 60, HOUR_AGO + 60);
    const check = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--exit-zero'], { encoding: 'utf8' });
    assert.equal((JSON.parse(check.stdout) as { findings: unknown[] }).findings.length, 0, 'check served the facts status stored');
  });
});
