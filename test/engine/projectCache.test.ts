import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/core/types.js';
import { openWorkspace, type Workspace } from '../../server/src/core/workspace/load.js';
import { writeWorkspace } from '../support/files.js';

// The workspace-wide rules (MIG005 cycles, MIG006 duplicates, MIG007 removable shims) are re-run only when something
// they read changed (Project.workspaceRevision, Project.generation), and exports are compared field by field
// (project/sameFacts.ts). After every edit of an editing session, the findings must be exactly those of a workspace
// loaded from scratch with the same texts, and an edit that changes nothing those rules read must not re-run them.

const FILES: Record<string, string> = {
  'migration-lens.toml': '[[canonical]]\nmodule = "pkg.new"\nsymbols = ["Fresh"]\n',
  'pkg/__init__.py': '',
  'pkg/new.py': 'class Fresh:\n    pass\n\n\nOldFresh = Fresh\nSpare = Fresh\n',
  'pkg/shim.py': 'import warnings\n\nwarnings.warn("pkg.shim is deprecated", DeprecationWarning)\nfrom pkg.new import Fresh\n',
  'pkg/a.py': 'from pkg import b\n\n\ndef run():\n    return b.VALUE\n',
  'pkg/b.py': 'VALUE = 1\n',
  'app.py': 'from pkg import new\nfrom pkg.new import Fresh\n\n\ndef main():\n    x = Fresh()\n    return x\n',
};

const brief = (fs: Finding[]): string[] => fs.map((f) => `${f.path}:${f.range.start.line + 1} ${f.code} ${f.message}`);

async function session(extra: Record<string, string> = {}): Promise<{ ws: Workspace; dir: string; texts: Map<string, string>; edit(rel: string, text: string): Promise<string[]> }> {
  const files = { ...FILES, ...extra };
  const dir = writeWorkspace(files, 'ml-projcache-');
  const ws = await openWorkspace({ checkPath: dir });
  const texts = new Map(Object.entries(files));
  return {
    ws,
    dir,
    texts,
    /** Applies an edit incrementally, checks the result against a fresh load, and returns the findings. */
    async edit(rel, text) {
      texts.set(rel, text);
      ws.update(ws.files.find((f) => f.relPath === rel)!, text);
      const incremental = ws.analyzer.checkAll();
      const overlay = new Map([...texts].map(([r, t]) => [path.join(dir, r), t]));
      const fresh = (await openWorkspace({ checkPath: dir, overlay })).analyzer.checkAll();
      assert.deepStrictEqual(incremental, fresh, `after editing ${rel}`);
      return brief(incremental);
    },
  };
}

test('an edit inside a function body that changes nothing the workspace-wide rules read reuses their findings', async () => {
  const s = await session();
  try {
    const before = brief(s.ws.analyzer.checkAll());
    const { generation, workspaceRevision } = s.ws.analyzer.project;
    await s.edit('app.py', 'from pkg import new\nfrom pkg.new import Fresh\n\n\ndef main():\n    fresh = Fresh()\n    fresh.start(1)\n    return fresh\n');
    assert.equal(s.ws.analyzer.project.generation, generation, 'exports unchanged');
    assert.equal(s.ws.analyzer.project.workspaceRevision, workspaceRevision, 'nothing the workspace-wide rules read changed');
    assert.deepEqual(brief(s.ws.analyzer.checkAll()).filter((f) => !f.startsWith('app.py')), before.filter((f) => !f.startsWith('app.py')));
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('an import cycle appears and disappears with the import that closes it', async () => {
  const s = await session();
  try {
    const mig005 = async (rel: string, text: string): Promise<string[]> => (await s.edit(rel, text)).filter((f) => f.includes('MIG005'));
    assert.deepEqual(await mig005('pkg/b.py', 'from pkg import a\n\nVALUE = 1\n'), ['pkg/a.py:1 MIG005 import cycle: pkg.a → pkg.b → pkg.a']);
    // The same cycle through an import moved below a docstring: only its range changes.
    assert.deepEqual(await mig005('pkg/b.py', '"""B."""\nfrom pkg import a\n\nVALUE = 1\n'), ['pkg/a.py:1 MIG005 import cycle: pkg.a → pkg.b → pkg.a']);
    // Inside a function the import no longer runs at import time.
    assert.deepEqual(await mig005('pkg/b.py', 'VALUE = 1\n\n\ndef late():\n    from pkg import a\n    return a\n'), []);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('an alias becomes used and unused through reads in function bodies, module-level loads and suppressions', async () => {
  const s = await session();
  try {
    const mig007 = (fs: string[]): string[] => fs.filter((f) => f.includes('MIG007')).map((f) => f.replace(/ has no remaining.*/, ''));
    const initial = mig007(await s.edit('app.py', FILES['app.py']!));
    assert.deepEqual(initial, [
      'pkg/new.py:5 MIG007 compatibility alias `OldFresh` (for `Fresh`)',
      'pkg/new.py:6 MIG007 compatibility alias `Spare` (for `Fresh`)',
      'pkg/shim.py:3 MIG007 legacy module `pkg.shim`',
    ]);
    const { generation } = s.ws.analyzer.project;
    // `new.OldFresh` read in a function body: only a ref changes, not an export.
    const used = 'from pkg import new\nfrom pkg.new import Fresh\n\n\ndef main():\n    x = new.OldFresh()\n    return x\n';
    assert.deepEqual(mig007(await s.edit('app.py', used)), initial.slice(1));
    assert.equal(s.ws.analyzer.project.generation, generation, 'no export changed');
    assert.deepEqual(mig007(await s.edit('app.py', FILES['app.py']!)), initial);
    // A module-level read in the defining module, then in one of its functions.
    assert.deepEqual(mig007(await s.edit('pkg/new.py', `${FILES['pkg/new.py']!}print(Spare)\n`)), [initial[0], initial[2]]);
    assert.deepEqual(mig007(await s.edit('pkg/new.py', `${FILES['pkg/new.py']!}\n\ndef f():\n    return Spare\n`)), [initial[0], initial[2]]);
    // A suppression comment on the alias' line (and nothing else).
    await s.edit('pkg/new.py', FILES['pkg/new.py']!);
    const suppressed = FILES['pkg/new.py']!.replace('OldFresh = Fresh', 'OldFresh = Fresh  # migration-lens: ignore[MIG007]');
    assert.deepEqual(mig007(await s.edit('pkg/new.py', suppressed)), initial.slice(1));
    // The legacy module imported inside a function (a nested import is still an importer).
    const importer = 'from pkg import new\nfrom pkg.new import Fresh\n\n\ndef main():\n    from pkg import shim\n    return shim\n';
    assert.deepEqual(mig007(await s.edit('app.py', importer)), [initial[1]]);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('a duplicate of a canonical class appears and moves with the lines above it', async () => {
  const s = await session();
  try {
    const dup = 'import pkg.new\n\n\nclass Fresh:\n    pass\n';
    assert.deepEqual((await s.edit('app.py', dup)).filter((f) => f.includes('MIG006')), ['app.py:4 MIG006 `Fresh` duplicates the canonical `Fresh` of `pkg.new`']);
    assert.deepEqual((await s.edit('app.py', `# moved\n${dup}`)).filter((f) => f.includes('MIG006')), ['app.py:5 MIG006 `Fresh` duplicates the canonical `Fresh` of `pkg.new`']);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('a re-export that changes only the module it comes from updates the importers\' own findings', async () => {
  // `pkg.new` and `pkg.alt` have names of the same length: the binding of `Fresh` in pkg/b.py keeps its range.
  const s = await session({ 'pkg/alt.py': 'class Fresh:\n    pass\n', 'use.py': 'from pkg.b import Fresh\n\nFresh()\n' });
  try {
    const of = (fs: string[], path: string): string[] => fs.filter((f) => f.startsWith(path)).map((f) => f.split(' ').slice(0, 2).join(' '));
    assert.deepEqual(of(await s.edit('pkg/b.py', 'from pkg.new import Fresh\n'), 'use.py'), ['use.py:1 MIG002']);
    assert.deepEqual(of(await s.edit('pkg/b.py', 'from pkg.alt import Fresh\n'), 'use.py'), []);
    assert.deepEqual(of(await s.edit('pkg/b.py', 'from pkg.new import Fresh\n'), 'use.py'), ['use.py:1 MIG002']);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});
