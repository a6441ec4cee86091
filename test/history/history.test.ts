import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config/load.js';
import { GitError, openRepository } from '../../server/src/core/git/git.js';
import { RevisionFiles } from '../../server/src/core/git/revision.js';
import { computeHistory, HistoryCancelled, parseHistoryCount, reuseWorkTree, type HistoryPoint } from '../../server/src/core/history/history.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { sparkline } from '../../server/src/core/history/sparkline.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { computeStatus } from '../../server/src/core/status/status.js';
import { commit, git, gitRepo } from '../support/git.js';

// A legacy shim: warns on import and re-exports `f` from its real home.
const shim = (home: string): string => `import warnings\nwarnings.warn("pkg.old is deprecated: use ${home}", DeprecationWarning, stacklevel=2)\nfrom ${home} import f\n`;
const app = (home: string, now: string): string => `import datetime\nfrom ${home} import f\n\nx = ${now}\n`;
const UTCNOW = 'datetime.datetime.utcnow()';
const NOW = 'datetime.datetime.now(datetime.timezone.utc)';

/**
 * Seven commits: legacy usages added, some migrated, a file deleted, a module renamed (with the same content, so
 * its blob is one the run has seen under another path), a commit touching no Python file, a new package whose
 * empty `__init__.py` shares its blob with `pkg/__init__.py`.
 */
function buildRepo(): { dir: string; hashes: string[] } {
  const dir = gitRepo({ 'pkg/__init__.py': '', 'pkg/old.py': shim('pkg.new'), 'pkg/new.py': 'def f():\n    return 1\n', 'app.py': app('pkg.old', UTCNOW) });
  const hashes = [git(dir, 'rev-parse', 'HEAD').trim()];
  hashes.push(commit(dir, 'add svc with legacy usages', { 'svc.py': `import datetime\nfrom pkg.old import f\n\n\ndef stamp():\n    return ${UTCNOW}, ${UTCNOW}, f()\n` }));
  hashes.push(commit(dir, 'migrate app', { 'app.py': app('pkg.new', NOW) }));
  hashes.push(commit(dir, 'drop svc', { 'svc.py': null }));
  hashes.push(commit(dir, 'rename pkg.new to pkg.core', { 'pkg/core.py': { from: 'pkg/new.py' }, 'pkg/old.py': shim('pkg.core'), 'app.py': app('pkg.core', NOW) }));
  hashes.push(commit(dir, 'docs only', { 'README.md': '# demo\n' }));
  hashes.push(commit(dir, 'tools package with a legacy import', { 'tools/__init__.py': '', 'tools/run.py': 'from pkg.old import f\nprint(f())\n' }));
  return { dir, hashes };
}

const brief = (p: HistoryPoint) => [p.subject, p.files, p.remaining, p.migrated, p.compliance, p.changedFiles];

describe('history over git commits (real git)', () => {
  let parser: PythonParser;
  let repoDir: string;
  let hashes: string[];
  before(async () => {
    parser = await PythonParser.create();
    ({ dir: repoDir, hashes } = buildRepo());
  });
  after(() => parser.delete());

  it('measures every first-parent commit, oldest first, with exact counts', async () => {
    const repo = await openRepository(repoDir);
    const result = await computeHistory({ config: defaultConfig(repoDir), parser, repo, count: 7 });
    assert.equal(result.truncated, null);
    assert.deepEqual(result.points.map((p) => p.commit), hashes);
    assert.deepEqual(result.points.map(brief), [
      ['initial', 4, 2, 1, 1 / 3, 4],
      ['add svc with legacy usages', 5, 5, 1, 1 / 6, 1],
      ['migrate app', 5, 3, 3, 0.5, 1],
      ['drop svc', 4, 0, 3, 1, 1],
      // delete pkg/new.py, add pkg/core.py, modify pkg/old.py and app.py
      ['rename pkg.new to pkg.core', 4, 0, 3, 1, 4],
      ['docs only', 4, 0, 3, 1, 0],
      ['tools package with a legacy import', 6, 1, 3, 0.75, 2],
    ]);
    const last = result.points.at(-1)!;
    assert.equal(last.shortCommit, hashes[6]!.slice(0, 7));
    assert.match(last.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.deepEqual(last.migrations, [
      { id: 'legacy-module:pkg.old', title: 'legacy module pkg.old', remaining: 1, migrated: 2, compliance: 2 / 3 },
      { id: 'stdlib:datetime.datetime.utcnow', title: 'deprecated datetime.datetime.utcnow (stdlib)', remaining: 0, migrated: 1, compliance: 1 },
    ]);
    assert.equal(sparkline(result.points.map((p) => p.compliance)), '▃▂▅███▇');
  });

  it('walking forward incrementally gives what a full analysis of each commit gives', async () => {
    const repo = await openRepository(repoDir);
    const config = defaultConfig(repoDir);
    const result = await computeHistory({ config, parser, repo, count: 50 });
    assert.equal(result.points.length, 7, 'asking for more commits than exist returns what exists');
    for (const point of result.points) {
      // A fresh RevisionFiles per commit: nothing shared with the walk.
      const status = computeStatus((await new RevisionFiles(repo, config, parser).snapshot(point.commit)).analyzer, () => true);
      const expected = {
        files: status.files,
        remaining: status.remaining,
        migrated: status.migrated,
        compliance: status.compliance,
        migrations: status.groups.filter((g) => g.kind === 'migration').map((g) => ({ id: g.id, title: g.title, remaining: g.remaining, migrated: g.migrated, compliance: g.compliance })),
      };
      const { files, remaining, migrated, compliance, migrations } = point;
      assert.deepEqual({ files, remaining, migrated, compliance, migrations }, expected, point.subject);
    }
  });

  it("reusing the work tree's analysis changes no number, and never reuses a file that differs from the commit", async () => {
    const repo = await openRepository(repoDir);
    const config = defaultConfig(repoDir);
    const plain = await computeHistory({ config, parser, repo, count: 7 });
    // An uncommitted edit: app.py on disk no longer matches any commit's blob.
    const appPath = path.join(repoDir, 'app.py');
    const committed = fs.readFileSync(appPath, 'utf8');
    fs.writeFileSync(appPath, `import datetime\nfrom pkg.old import f\n\nx = ${UTCNOW}\ny = ${UTCNOW}\n`);
    try {
      const ws = await openWorkspace({ checkPath: repoDir });
      const reused: string[] = [];
      const base = reuseWorkTree(ws.analyzer, ws.textOf);
      const reuse = { lookup: (rel: string, blob: string) => { const f = base.lookup(rel, blob); if (f) reused.push(rel); return f; }, textOf: base.textOf };
      const withReuse = await computeHistory({ config, parser, repo, count: 7, reuse });
      assert.deepEqual(withReuse.points, plain.points);
      assert.ok(reused.includes('pkg/old.py') && reused.includes('tools/run.py'), reused.join(' '));
      assert.ok(!reused.includes('app.py'), 'app.py differs from every commit');
    } finally {
      fs.writeFileSync(appPath, committed);
    }
  });

  it('starts anywhere: the last N commits from a given revision, limited to a scope', async () => {
    const repo = await openRepository(repoDir);
    const config = defaultConfig(repoDir);
    const result = await computeHistory({ config, parser, repo, head: 'HEAD~3', count: 2, scope: (f) => f.relPath === 'app.py' });
    assert.deepEqual(result.points.map((p) => [p.subject, p.files, p.remaining, p.migrated]), [
      ['migrate app', 1, 0, 2],
      ['drop svc', 1, 0, 2],
    ]);
    assert.equal(result.points[0]!.changedFiles, 1, 'the first point counts what its commit changed against its parent');
  });

  it('analyzes only the project under the config root when it is a subfolder of the repository', async () => {
    const dir = gitRepo({ 'proj/pkg/__init__.py': '', 'proj/pkg/a.py': `import datetime\nx = ${UTCNOW}\n`, 'other/b.py': `import datetime\ny = ${UTCNOW}\n` });
    commit(dir, 'outside only', { 'other/b.py': `import datetime\ny = ${UTCNOW}\nz = ${UTCNOW}\n` });
    commit(dir, 'inside', { 'proj/pkg/a.py': `import datetime\nx = ${NOW}\n` });
    const repo = await openRepository(path.join(dir, 'proj'));
    const result = await computeHistory({ config: defaultConfig(path.join(dir, 'proj')), parser, repo, count: 3 });
    assert.deepEqual(result.points.map((p) => [p.files, p.remaining, p.migrated, p.changedFiles]), [
      [2, 1, 0, 2],
      [2, 1, 0, 0],
      [2, 0, 1, 1],
    ]);
  });

  it('reports progress after each point and stops when cancelled', async () => {
    const repo = await openRepository(repoDir);
    const seen: [number, number][] = [];
    await computeHistory({ config: defaultConfig(repoDir), parser, repo, count: 3, onProgress: (p) => seen.push([p.done, p.total]) });
    assert.deepEqual(seen, [[1, 3], [2, 3], [3, 3]]);

    let points = 0;
    await assert.rejects(
      computeHistory({ config: defaultConfig(repoDir), parser, repo, count: 5, onProgress: () => points++, isCancelled: () => points >= 2 }),
      HistoryCancelled,
    );
    assert.equal(points, 2);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(computeHistory({ config: defaultConfig(repoDir), parser, repo, count: 5, signal: controller.signal }), HistoryCancelled);
  });

  it('errors: not a repository, unknown or invalid revision, invalid count', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-nogit-'));
    await assert.rejects(openRepository(plain), (e: Error) => e instanceof GitError && /not inside a git repository/.test(e.message));
    const repo = await openRepository(repoDir);
    const config = defaultConfig(repoDir);
    await assert.rejects(computeHistory({ config, parser, repo, head: 'no-such-branch', count: 3 }), (e: Error) => e instanceof GitError && /unknown revision "no-such-branch"/.test(e.message));
    await assert.rejects(computeHistory({ config, parser, repo, head: '--all', count: 3 }), (e: Error) => e instanceof GitError && /invalid revision/.test(e.message));
    await assert.rejects(computeHistory({ config, parser, repo, count: 0 }), /between 1 and/);
    await assert.rejects(computeHistory({ config, parser, repo, count: 2.5 }), /between 1 and/);
    assert.equal(parseHistoryCount('20'), 20);
    assert.match(String(parseHistoryCount('abc')), /positive integer\), got "abc"/);
    assert.match(String(parseHistoryCount('0')), /between 1 and 10000, got 0/);
    assert.match(String(parseHistoryCount('-3')), /positive integer/);
  });

  it('a shallow clone: the commits that exist, and a sentence saying history is truncated', async () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-shallow-'));
    git(clone, 'clone', '-q', '--depth=2', `file://${repoDir}`, 'c');
    const dir = path.join(clone, 'c');
    const repo = await openRepository(dir);
    assert.equal(repo.shallow, true);
    const result = await computeHistory({ config: defaultConfig(dir), parser, repo, count: 5 });
    assert.deepEqual(result.points.map(brief), [
      // The boundary commit has no known parent: every file counts as added.
      ['docs only', 4, 0, 3, 1, 4],
      ['tools package with a legacy import', 6, 1, 3, 0.75, 2],
    ]);
    assert.match(result.truncated ?? '', /truncated at the shallow clone boundary \([0-9a-f]{7}\): 2 of 5 commits exist in this clone; fetch more with `git fetch --deepen=3`/);
    // Asking for no more than exists is not truncation.
    assert.equal((await computeHistory({ config: defaultConfig(dir), parser, repo, count: 2 })).truncated, null);
  });
});
