import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config/load.js';
import { changedFiles, GitError, listCommits, listTree, openRepository, readBlobs, resolveCommit } from '../../server/src/core/git/git.js';
import { RevisionFiles } from '../../server/src/core/git/revision.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { commit, git, gitRepo } from '../support/git.js';

describe('git layer (real git)', () => {
  it('lists commits, changes, trees and blobs', async () => {
    const dir = gitRepo({ 'pkg/__init__.py': '', 'pkg/a.py': 'X = 1\n' });
    const second = commit(dir, 'add b, change a', { 'pkg/a.py': 'X = 2\n', 'pkg/b.py': 'from pkg.a import X\n' });
    const third = commit(dir, 'drop b; name with space', { 'pkg/b.py': null, 'pkg/c d.py': '' });
    const repo = await openRepository(path.join(dir, 'pkg'));
    assert.equal(repo.root, fs.realpathSync(dir));
    assert.equal(repo.shallow, false);
    const commits = await listCommits(repo, 'HEAD', 10);
    assert.deepEqual(commits.map((c) => c.subject), ['drop b; name with space', 'add b, change a', 'initial']);
    assert.equal(commits[0]!.hash, third);
    assert.equal(commits[0]!.parent, second);
    assert.equal(commits[2]!.parent, null);
    assert.deepEqual(await changedFiles(repo, second, third), [
      { status: 'deleted', path: 'pkg/b.py' },
      { status: 'added', path: 'pkg/c d.py' },
    ]);
    const tree = await listTree(repo, second);
    assert.deepEqual(tree.map((e) => [e.path, e.size]), [['pkg/__init__.py', 0], ['pkg/a.py', 6], ['pkg/b.py', 20]]);
    const blobs = await readBlobs(repo, tree.map((e) => e.blob));
    assert.equal(blobs.get(tree[2]!.blob)!.toString('utf8'), 'from pkg.a import X\n');
    assert.equal(blobs.get(tree[0]!.blob)!.length, 0);
  });

  it('rejects bad and unknown revisions, and folders outside a repository, with clear messages', async () => {
    const dir = gitRepo({ 'a.py': '' });
    const repo = await openRepository(dir);
    assert.equal(await resolveCommit(repo, 'HEAD'), git(dir, 'rev-parse', 'HEAD').trim());
    await assert.rejects(resolveCommit(repo, '--output=/tmp/x'), (e: Error) => e instanceof GitError && /invalid revision/.test(e.message));
    await assert.rejects(resolveCommit(repo, 'HEAD~5'), (e: Error) => e instanceof GitError && /unknown revision "HEAD~5"/.test(e.message));
    await assert.rejects(resolveCommit(repo, 'a b'), /invalid revision/);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-nogit-'));
    await assert.rejects(openRepository(plain), (e: Error) => e instanceof GitError && /not inside a git repository/.test(e.message));
  });

  it('flags a shallow clone', async () => {
    const dir = gitRepo({ 'a.py': '' });
    commit(dir, 'two', { 'a.py': 'x = 1\n' });
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-shallow-'));
    git(clone, 'clone', '-q', '--depth=1', `file://${dir}`, 'c');
    const repo = await openRepository(path.join(clone, 'c'));
    assert.equal(repo.shallow, true);
    await assert.rejects(resolveCommit(repo, 'HEAD~1'), /shallow clone/);
  });

  it('analyzes a revision from the object store, reusing unchanged blobs', async () => {
    const dir = gitRepo({ 'pkg/__init__.py': '', 'pkg/old.py': 'import warnings\nwarnings.warn("use pkg.new", DeprecationWarning)\nfrom pkg.new import f\n', 'pkg/new.py': 'def f(): pass\n', 'app.py': 'from pkg.old import f\n' });
    const first = git(dir, 'rev-parse', 'HEAD').trim();
    const second = commit(dir, 'migrate app', { 'app.py': 'from pkg.new import f\n' });
    fs.writeFileSync(path.join(dir, 'app.py'), 'this is not python (\n'); // the work tree is never read
    const repo = await openRepository(dir);
    const parser = await PythonParser.create();
    const files = new RevisionFiles(repo, defaultConfig(dir), parser);
    const before = await files.snapshot(first);
    const after = await files.snapshot(second);
    assert.deepEqual(before.analyzer.checkAll().filter((f) => f.path === 'app.py').map((f) => f.code), ['MIG002']);
    assert.deepEqual(after.analyzer.checkAll().filter((f) => f.path === 'app.py').map((f) => f.code), []);
    assert.deepEqual(after.problems, []);
    assert.equal(before.analyzer.project.file('pkg/new.py'), after.analyzer.project.file('pkg/new.py'), 'same blob, same analyzed file');
    parser.delete();
  });
});
