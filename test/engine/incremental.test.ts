import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { writeWorkspace } from '../support/files.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';

// The API an editor uses: change one file's text, ask again for another file; no reload of the workspace.
const workspace = (files: Record<string, string>): string => writeWorkspace(files, 'ml-inc-');

test('a module that starts warning with DeprecationWarning turns its importers\' imports into findings', async () => {
  const dir = workspace({
    'pkg/__init__.py': '',
    'pkg/new.py': 'class Engine:\n    pass\n',
    'pkg/old.py': 'from pkg.new import Engine\n',
    'app.py': 'from pkg.old import Engine\n\nEngine()\n',
  });
  const ws = await openWorkspace({ checkPath: dir });
  assert.deepEqual(ws.analyzer.checkFile('app.py'), []);
  const generation = ws.analyzer.project.generation;

  const old = ws.files.find((f) => f.relPath === 'pkg/old.py')!;
  ws.update(old, 'import warnings\n\nwarnings.warn("pkg.old is deprecated", DeprecationWarning)\nfrom pkg.new import Engine\n');
  assert.ok(ws.analyzer.project.generation > generation, 'an export-relevant change invalidates cross-file tables');
  assert.deepEqual(ws.analyzer.checkFile('app.py').map((f) => `${f.code} ${f.range.start.line}:${f.range.start.column}`), ['MIG002 0:20']);

  // An edit that changes nothing another file can see keeps the cross-file tables.
  const generationAfter = ws.analyzer.project.generation;
  const app = ws.files.find((f) => f.relPath === 'app.py')!;
  ws.update(app, 'from pkg.old import Engine\n\nEngine()\nEngine()\n');
  assert.equal(ws.analyzer.project.generation, generationAfter);

  ws.update(old, 'from pkg.new import Engine\n');
  assert.deepEqual(ws.analyzer.checkFile('app.py'), []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an alias added to a module makes its importers report alias usage', async () => {
  const dir = workspace({
    'lib/__init__.py': '',
    'lib/core.py': 'class Manager:\n    pass\n',
    'use.py': 'from lib.core import OldManager\n',
  });
  const ws = await openWorkspace({ checkPath: dir });
  assert.deepEqual(ws.analyzer.checkFile('use.py').map((f) => f.code), ['MIG004']);
  ws.update(ws.files.find((f) => f.relPath === 'lib/core.py')!, 'class Manager:\n    pass\n\n\nOldManager = Manager\n');
  assert.deepEqual(ws.analyzer.checkFile('use.py').map((f) => f.code), ['MIG003']);
  fs.rmSync(dir, { recursive: true, force: true });
});
