import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CategoryRule, Config } from '../../server/src/core/config/types.js';
import {
  categoryFor,
  discoverFiles,
  formatSize,
  isExcluded,
  moduleNameFor,
  namespacePackages,
  type SourceFile,
} from '../../server/src/core/workspace/discover.js';

// --- fixtures -----------------------------------------------------------------------------------

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-')));
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

function makeConfig(root: string, over: Partial<Config> = {}): Config {
  return {
    configPath: null,
    root,
    src: ['.'],
    exclude: [],
    extendExclude: [],
    respectGitignore: true,
    targetVersion: { major: 3, minor: 11 },
    select: null,
    ignore: [],
    perFileIgnores: [],
    severity: {},
    categories: [],
    deprecated: [],
    canonical: [],
    required: [],
    maxFileSize: 4 * 1024 * 1024,
    ...over,
  };
}

function relPaths(files: SourceFile[]): string[] {
  return files.map((f) => f.relPath);
}

function byPath(files: SourceFile[], rel: string): SourceFile {
  const f = files.find((x) => x.relPath === rel);
  assert.ok(f, `expected ${rel} to be discovered`);
  return f;
}

const GIT_TREE: Record<string, string> = {
  '.gitignore': 'build/\n*_gen.py\n',
  'build/x.py': '',
  'build/.gitignore': '!x.py\n', // cannot re-include: its directory is ignored
  'a_gen.py': '',
  'main.py': '',
  'local_only.py': '', // pkg/.gitignore must not reach it
  'secret.py': '',
  'pkg/__init__.py': '',
  'pkg/.gitignore': '!keep_gen.py\nlocal_only.py\n',
  'pkg/keep_gen.py': '',
  'pkg/other_gen.py': '',
  'pkg/local_only.py': '',
  'pkg/secret.py': '',
  'pkg/deep/mod.py': '',
  '.git/info/exclude': 'secret.py\n',
  '.git/hooks/hook.py': '', // .git is never walked
};

const GIT_KEPT = ['local_only.py', 'main.py', 'pkg/__init__.py', 'pkg/deep/mod.py', 'pkg/keep_gen.py'];

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// --- moduleNameFor ------------------------------------------------------------------------------

test('moduleNameFor maps paths to dotted names and packages', () => {
  assert.deepEqual(moduleNameFor('a/b/c.py', ['.']), { module: 'a.b.c', isPackageInit: false });
  assert.deepEqual(moduleNameFor('a/b/__init__.py', ['.']), { module: 'a.b', isPackageInit: true });
  assert.deepEqual(moduleNameFor('setup.py', ['.']), { module: 'setup', isPackageInit: false });
  assert.deepEqual(moduleNameFor('données.py', ['.']), { module: 'données', isPackageInit: false });
  assert.equal(moduleNameFor('__init__.py', ['.']), null);
  assert.equal(moduleNameFor('a/b/c.pyi', ['.']), null);
});

test('moduleNameFor rejects segments that are not identifiers', () => {
  assert.equal(moduleNameFor('my-pkg/mod.py', ['.']), null);
  assert.equal(moduleNameFor('pkg/1abc.py', ['.']), null);
  assert.equal(moduleNameFor('pkg/foo.bar.py', ['.']), null);
  assert.equal(moduleNameFor('class/mod.py', ['.']), null, 'keywords cannot be imported');
  assert.equal(moduleNameFor('pkg/with space.py', ['.']), null);
});

test('moduleNameFor uses the longest src root and segment-wise prefixes', () => {
  const roots = ['.', 'src'];
  assert.deepEqual(moduleNameFor('src/pkg/a.py', roots), { module: 'pkg.a', isPackageInit: false });
  assert.deepEqual(moduleNameFor('src/pkg/__init__.py', roots), { module: 'pkg', isPackageInit: true });
  assert.equal(moduleNameFor('src/__init__.py', roots), null, 'init directly in a src root');
  assert.deepEqual(moduleNameFor('tests/t.py', roots), { module: 'tests.t', isPackageInit: false });
  assert.equal(moduleNameFor('tests/t.py', ['src']), null, 'outside every src root');
  assert.equal(moduleNameFor('srcfoo/x.py', ['src']), null, 'src is not a prefix of srcfoo');
  assert.deepEqual(moduleNameFor('lib/py/x.py', ['./lib/', 'lib/py']), { module: 'x', isPackageInit: false });
});

// --- namespacePackages --------------------------------------------------------------------------

test('namespacePackages finds directories without __init__ and nothing else', () => {
  const mods = (entries: [string | null, boolean][]) => entries.map(([module, isPackageInit]) => ({ module, isPackageInit }));
  const ns = namespacePackages(
    mods([
      ['ns.sub.mod', false], // ns and ns.sub have no __init__
      ['pkg', true],
      ['pkg.inner.leaf', false], // pkg.inner has none, pkg has one
      ['shadow', false], // shadow.py next to shadow/ wins over the namespace package
      ['shadow.child', false],
      [null, false],
      ['top', false],
    ]),
  );
  assert.deepEqual([...ns].sort(), ['ns', 'ns.sub', 'pkg.inner']);
});

// --- categoryFor --------------------------------------------------------------------------------

test('categoryFor: first match wins, slash-less patterns match any segment, slashes anchor', () => {
  const categories: CategoryRule[] = [
    { name: 'tests', patterns: ['test_*.py', 'tests', 'conftest.py'] },
    { name: 'scripts', patterns: ['scripts/**', 'test_special.py'] },
    { name: 'generated', patterns: ['**/gen/*.py', '/root_gen.py'] },
  ];
  assert.equal(categoryFor('test_special.py', categories), 'tests');
  assert.equal(categoryFor('pkg/tests/helper.py', categories), 'tests');
  assert.equal(categoryFor('pkg/conftest.py', categories), 'tests');
  assert.equal(categoryFor('scripts/run.py', categories), 'scripts');
  assert.equal(categoryFor('scripts/test_run.py', categories), 'tests');
  assert.equal(categoryFor('pkg/scripts/run.py', categories), 'production', 'scripts/** is anchored');
  assert.equal(categoryFor('a/b/gen/x.py', categories), 'generated');
  assert.equal(categoryFor('root_gen.py', categories), 'generated');
  assert.equal(categoryFor('pkg/root_gen.py', categories), 'production', 'leading / anchors');
  assert.equal(categoryFor('pkg/testsuite.py', categories), 'production');
  assert.equal(categoryFor('pkg/mod.py', []), 'production');
});

test('categoryFor caches per list without mixing lists up', () => {
  const a: CategoryRule[] = [{ name: 'x', patterns: ['*.py'] }];
  const b: CategoryRule[] = [{ name: 'y', patterns: ['other/**'] }];
  assert.equal(categoryFor('m.py', a), 'x');
  assert.equal(categoryFor('m.py', b), 'production');
  assert.equal(categoryFor('other/m.py', b), 'y');
  assert.equal(categoryFor('m.py', a), 'x');
});

// --- discoverFiles: ignore rules ----------------------------------------------------------------

test('discoverFiles honours nested .gitignore, negations and .git/info/exclude', () => {
  const root = tempDir();
  writeTree(root, GIT_TREE);
  const { files, problems } = discoverFiles(makeConfig(root));
  assert.deepEqual(relPaths(files), GIT_KEPT);
  assert.deepEqual(problems, []);
});

test('discoverFiles ignores gitignore when respectGitignore is false, but never walks .git', () => {
  const root = tempDir();
  writeTree(root, GIT_TREE);
  const { files } = discoverFiles(makeConfig(root, { respectGitignore: false }));
  const rels = relPaths(files);
  assert.ok(rels.includes('build/x.py') && rels.includes('secret.py') && rels.includes('pkg/other_gen.py'));
  assert.ok(!rels.some((r) => r.startsWith('.git/')));
  assert.equal(rels.length, 11);
});

test('discoverFiles agrees with git ls-files --others --exclude-standard', { skip: !hasGit() }, () => {
  const root = tempDir();
  execFileSync('git', ['init', '-q', root]);
  writeTree(root, GIT_TREE);
  const out = execFileSync('git', ['-C', root, 'ls-files', '--others', '--exclude-standard'], { encoding: 'utf8' });
  const gitPy = out.split('\n').filter((l) => l.endsWith('.py')).sort();
  assert.deepEqual(relPaths(discoverFiles(makeConfig(root)).files), gitPy);
});

test('discoverFiles applies exclude and extendExclude globs, without descending', () => {
  const root = tempDir();
  writeTree(root, {
    '.venv/lib/site.py': '',
    '.venv/big.py': 'x'.repeat(500), // would be a too-large problem if the walk went in
    'pkg/node_modules/y.py': '',
    'legacy/old_a.py': '',
    'legacy/new_a.py': '',
    'pkg/legacy/old_b.py': '',
    'pkg/msg_pb2.py': '',
    'pkg/mod.py': '',
    'docs/conf.py': '',
    'pkg/docs.py': '',
    'pkg/special.py': '', // `special.py/` is directory-only: not this file
  });
  const config = makeConfig(root, {
    exclude: ['.venv', 'node_modules'],
    extendExclude: ['legacy/old_*.py', '*_pb2.py', 'docs/', 'special.py/'],
    maxFileSize: 100,
  });
  const { files, problems } = discoverFiles(config);
  assert.deepEqual(relPaths(files), ['legacy/new_a.py', 'pkg/docs.py', 'pkg/legacy/old_b.py', 'pkg/mod.py', 'pkg/special.py']);
  assert.deepEqual(problems, []);
});

// --- discoverFiles: symlinks, size, errors ------------------------------------------------------

test('discoverFiles never leaves the root through symlinks', () => {
  const root = tempDir();
  const outside = tempDir();
  writeTree(outside, { 'evil.py': '', 'sub/evil2.py': '' });
  writeTree(root, { 'real.py': '', 'pkg/a.py': '' });
  fs.symlinkSync(path.join(outside, 'sub'), path.join(root, 'linked_dir'));
  fs.symlinkSync(path.join(outside, 'evil.py'), path.join(root, 'linked_file.py'));
  fs.symlinkSync(path.join(root, 'real.py'), path.join(root, 'inside_link.py'));
  fs.symlinkSync(path.join(root, 'pkg'), path.join(root, 'alias')); // would duplicate pkg/a.py
  fs.symlinkSync(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
  const { files, problems } = discoverFiles(makeConfig(root));
  assert.deepEqual(relPaths(files), ['inside_link.py', 'pkg/a.py', 'real.py']);
  for (const f of files) assert.ok(fs.realpathSync(f.absPath).startsWith(root + path.sep));
  assert.deepEqual(problems, []);
});

test('discoverFiles reports files over max-file-size and keeps walking', () => {
  const root = tempDir();
  writeTree(root, { 'a.py': 'x = 1\n', 'big.py': 'x'.repeat(250), 'z/after.py': 'y = 2\n' });
  const { files, problems } = discoverFiles(makeConfig(root, { maxFileSize: 100 }));
  assert.deepEqual(relPaths(files), ['a.py', 'z/after.py']);
  assert.deepEqual(problems, [
    { path: 'big.py', kind: 'too-large', message: 'skipped: 250 B exceeds max-file-size (100 B)' },
  ]);
  assert.equal(byPath(files, 'a.py').size, 6);
});

test('formatSize matches the documented message style', () => {
  assert.equal(formatSize(Math.round(5.2 * 1024 * 1024)), '5.2 MB');
  assert.equal(formatSize(4 * 1024 * 1024), '4.0 MB');
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(12), '12 B');
});

test('discoverFiles reports an unreadable root as a read problem', () => {
  const root = path.join(tempDir(), 'does-not-exist');
  const { files, problems } = discoverFiles(makeConfig(root));
  assert.deepEqual(files, []);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.path, '.');
  assert.equal(problems[0]!.kind, 'read');
});

test('discoverFiles reports an unreadable directory and continues', { skip: process.getuid?.() === 0 && 'root can read anything' }, () => {
  const root = tempDir();
  writeTree(root, { 'a.py': '', 'locked/b.py': '', 'z.py': '' });
  fs.chmodSync(path.join(root, 'locked'), 0o000);
  try {
    const { files, problems } = discoverFiles(makeConfig(root));
    assert.deepEqual(relPaths(files), ['a.py', 'z.py']);
    assert.deepEqual(problems.map((p) => [p.path, p.kind]), [['locked', 'read']]);
  } finally {
    fs.chmodSync(path.join(root, 'locked'), 0o755);
  }
});

// --- discoverFiles: modules, categories, order, scope -------------------------------------------

test('discoverFiles on a src layout assigns modules, packages, namespaces and categories', () => {
  const root = tempDir();
  writeTree(root, {
    'setup.py': '',
    'src/mypkg/__init__.py': '',
    'src/mypkg/core.py': '',
    'src/nsroot/part/mod.py': '',
    'tests/test_core.py': '',
    'tests/conftest.py': '',
    'my-scripts/run.py': '',
  });
  const categories: CategoryRule[] = [
    { name: 'tests', patterns: ['tests', 'test_*.py'] },
    { name: 'scripts', patterns: ['my-scripts/**'] },
  ];
  const { files } = discoverFiles(makeConfig(root, { src: ['.', 'src'], categories }));
  const summary = files.map((f) => [f.relPath, f.module, f.isPackageInit, f.category]);
  assert.deepEqual(summary, [
    ['my-scripts/run.py', null, false, 'scripts'],
    ['setup.py', 'setup', false, 'production'],
    ['src/mypkg/__init__.py', 'mypkg', true, 'production'],
    ['src/mypkg/core.py', 'mypkg.core', false, 'production'],
    ['src/nsroot/part/mod.py', 'nsroot.part.mod', false, 'production'],
    ['tests/conftest.py', 'tests.conftest', false, 'tests'],
    ['tests/test_core.py', 'tests.test_core', false, 'tests'],
  ]);
  assert.equal(byPath(files, 'setup.py').absPath, path.join(root, 'setup.py'));
  assert.deepEqual([...namespacePackages(files)].sort(), ['nsroot', 'nsroot.part', 'tests']);
});

test('discoverFiles sorts by relPath in code-unit order', () => {
  const root = tempDir();
  writeTree(root, { 'a_b.py': '', 'a/b.py': '', 'a.py': '', 'B.py': '', 'a/a/z.py': '' });
  const rels = relPaths(discoverFiles(makeConfig(root)).files);
  assert.deepEqual(rels, ['B.py', 'a.py', 'a/a/z.py', 'a/b.py', 'a_b.py']);
});

test('discoverFiles with a scope keeps the whole universe and marks what is in scope', () => {
  const root = tempDir();
  writeTree(root, { 'pkg/a.py': '', 'pkg/sub/b.py': '', 'pkg2/c.py': '', 'top.py': '' });
  const all = discoverFiles(makeConfig(root));
  assert.ok(all.files.every((f) => f.inScope));

  const dirScoped = discoverFiles(makeConfig(root), path.join(root, 'pkg'));
  assert.deepEqual(relPaths(dirScoped.files), relPaths(all.files));
  assert.deepEqual(dirScoped.files.filter((f) => f.inScope).map((f) => f.relPath), ['pkg/a.py', 'pkg/sub/b.py']);

  const fileScoped = discoverFiles(makeConfig(root), path.join(root, 'top.py'));
  assert.deepEqual(fileScoped.files.filter((f) => f.inScope).map((f) => f.relPath), ['top.py']);
});

// --- isExcluded ---------------------------------------------------------------------------------

test('isExcluded agrees with the walk for every file of the tree', () => {
  const root = tempDir();
  writeTree(root, { ...GIT_TREE, 'pkg/vendor/v.py': '', 'tools/t.py': '' });
  const config = makeConfig(root, { exclude: ['vendor'], extendExclude: ['tools/*.py'] });
  const found = new Set(relPaths(discoverFiles(config).files));
  const candidates = [...Object.keys(GIT_TREE), 'pkg/vendor/v.py', 'tools/t.py'].filter((p) => p.endsWith('.py'));
  for (const rel of candidates) assert.equal(isExcluded(rel, config), !found.has(rel), rel);
  assert.ok(isExcluded('pkg/vendor/v.py', config) && isExcluded('tools/t.py', config));
});

test('isExcluded handles absolute paths, paths outside the root and .git', () => {
  const root = tempDir();
  writeTree(root, GIT_TREE);
  const config = makeConfig(root);
  assert.equal(isExcluded(path.join(root, 'main.py'), config), false);
  assert.equal(isExcluded(path.join(root, 'build', 'x.py'), config), true);
  assert.equal(isExcluded(path.join(path.dirname(root), 'elsewhere.py'), config), true);
  assert.equal(isExcluded('../escape.py', config), true);
  assert.equal(isExcluded('.git/hooks/hook.py', config), true);
  assert.equal(isExcluded('pkg\\keep_gen.py', config), false);
  assert.equal(isExcluded('pkg\\other_gen.py', config), true);
  // A file that does not exist yet (an unsaved editor buffer) is judged by the rules alone.
  assert.equal(isExcluded('pkg/new_gen.py', config), true);
  assert.equal(isExcluded('pkg/new.py', makeConfig(root, { respectGitignore: false, exclude: ['pkg'] })), true);
  assert.equal(isExcluded('build/x.py', makeConfig(root, { respectGitignore: false })), false);
});

// --- real-world: the CPython standard library ---------------------------------------------------

test('discoverFiles on the CPython standard library', () => {
  const stdlib = execFileSync('python3', ['-c', "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], {
    encoding: 'utf8',
  }).trim();
  const categories: CategoryRule[] = [
    { name: 'tests', patterns: ['test_*.py', '*_test.py', 'tests', 'test', 'conftest.py'] },
    { name: 'examples', patterns: ['examples', 'docs'] },
  ];
  const config = makeConfig(stdlib, {
    exclude: ['site-packages', 'dist-packages', '__pycache__', '.venv'],
    categories,
    respectGitignore: true,
  });
  const started = Date.now();
  const { files } = discoverFiles(config);
  const elapsed = Date.now() - started;

  assert.ok(files.length > 1000, `only ${files.length} files`);
  assert.deepEqual(
    [byPath(files, 'os.py').module, byPath(files, 'os.py').isPackageInit, byPath(files, 'os.py').category],
    ['os', false, 'production'],
  );
  const json = byPath(files, 'json/__init__.py');
  assert.equal(json.module, 'json');
  assert.equal(json.isPackageInit, true);
  assert.equal(byPath(files, 'json/decoder.py').module, 'json.decoder');
  // Some distributions ship the stdlib without its `test` package.
  if (fs.existsSync(path.join(stdlib, 'test', 'test_os.py'))) {
    const testOs = byPath(files, 'test/test_os.py');
    assert.equal(testOs.category, 'tests');
    assert.equal(testOs.module, 'test.test_os');
  }
  assert.ok(!files.some((f) => f.relPath.split('/').includes('site-packages')));
  assert.ok(!files.some((f) => f.relPath.includes('__pycache__')));
  assert.equal(new Set(relPaths(files)).size, files.length, 'no duplicates');
  assert.deepEqual(relPaths(files), [...relPaths(files)].sort());
  assert.ok(files.every((f) => f.relPath.endsWith('.py') && !f.relPath.includes('\\')));
  assert.ok(elapsed < 10_000, `walk took ${elapsed} ms`);
  // `email`, `json`, ... are regular packages; the stdlib has (almost) no namespace packages.
  const ns = namespacePackages(files);
  assert.ok(!ns.has('json') && !ns.has('email'));
});
