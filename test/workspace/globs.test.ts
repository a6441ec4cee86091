import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { DEFAULT_CATEGORIES, DEFAULT_EXCLUDE } from '../../server/src/core/config/defaults.js';
import { compileList } from '../../server/src/core/workspace/globs.js';

// compileList joins a pattern list into one regular expression for speed; its verdicts must be picomatch's own.

const OPTIONS = { dot: true, windows: false, nonegate: true } as const;

const LISTS: string[][] = [
  [...DEFAULT_EXCLUDE],
  ...DEFAULT_CATEGORIES.map((c) => c.patterns),
  ['*.py', '!x.py', 'a[1].py', 'b?c', '{foo,bar}/**', '**/gen_*/**', 'x/**/y.py', '.hidden', '*.{txt,md}', '[!a]*.pyi'],
  ['docs', 'src/legacy/*.py', 'a\\*b', '(weird|odd)', '+(x|y).py', 'dir/'],
];

const INPUTS = [
  '', 'build', 'build.py', '.git', '.venv', 'venv', 'x/venv', 'node_modules', 'site-packages', 'tests', 'tests/a.py',
  'pkg/tests/a.py', 'pkg/test/b.py', 'pkg/test_mod.py', 'mod_test.py', 'conftest.py', 'deep/a/conftest.py', 'x.py',
  'a[1].py', 'a1.py', 'bxc', 'b/c', 'foo/z.py', 'bar', 'q/gen_1/r.py', 'x/y.py', 'x/a/b/y.py', '.hidden', 'r.txt',
  'r.md', 'b.pyi', 'a.pyi', 'docs', 'src/legacy/old.py', 'src/legacy/sub/old.py', 'a*b', 'axb', '(weird|odd)', 'weird',
  'x.py', 'y.py', 'xy.py', 'dir', 'dir/', '_build', 'buck-out', '__pypackages__', '.ipynb_checkpoints', 'tests/**',
];

test('compileList matches exactly what picomatch matches, list by list', () => {
  const differ: string[] = [];
  for (const list of LISTS) {
    const ours = compileList(list);
    const theirs = picomatch(list, OPTIONS);
    for (const input of [...INPUTS, ...list]) if (ours(input) !== Boolean(theirs(input))) differ.push(`${JSON.stringify(list)} on ${JSON.stringify(input)}`);
  }
  assert.deepEqual(differ, []);
});

test('compileList: an empty list matches nothing, the pattern text itself always matches', () => {
  assert.equal(compileList([])('anything'), false);
  const m = compileList(['a[1].py']);
  assert.equal(m('a[1].py'), true);
  assert.equal(m('a1.py'), true);
  assert.equal(m(''), false);
});
