import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFacts } from '../../server/src/core/python/extract.js';
import type { FileFacts } from '../../server/src/core/python/facts.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { Project, type ProjectFile } from '../../server/src/core/project/project.js';
import { analyzeText, outlineFile } from '../../server/src/core/workspace/analyzeJob.js';
import type { SourceFile } from '../../server/src/core/workspace/discover.js';
import { sameExports, sameProjectInputs } from '../../server/src/core/project/sameFacts.js';
import { RICH } from '../support/richPython.js';

// Project.upsert compares a file's new facts with its previous ones field by field (project/sameFacts.ts) to decide
// what to invalidate. A difference it misses would leave stale findings in other files, so: every leaf of what other
// files can observe, changed alone, must make `sameExports` false, and every leaf the workspace-wide rules read must
// make `sameProjectInputs` false. The sample fills every field (test/support/richPython.ts).

async function richFile(): Promise<ProjectFile> {
  const parser = await PythonParser.create();
  const tree = parser.parse(RICH);
  try {
    const facts = extractFacts(tree, RICH, { module: 'pkg.sub.rich', isPackage: false });
    return { relPath: 'pkg/sub/rich.py', absPath: '/w/pkg/sub/rich.py', module: 'pkg.sub.rich', isPackage: false, category: 'production', inScope: true, facts, problems: [], opaque: false };
  } finally {
    tree.delete();
    parser.delete();
  }
}

/** Paths (property/index lists) of every leaf under `value`; empty arrays count as leaves. */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length ? value.flatMap((v, i) => leaves(v, [...at, i])) : [at];
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [at];
}

/** A deep copy of `file` with the leaf at `path` (under `facts`) changed. */
function mutated(file: ProjectFile, path: (string | number)[]): ProjectFile {
  const copy = structuredClone(file);
  let parent: Record<string | number, unknown> = copy.facts as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const v = parent[key];
  if (Array.isArray(v)) v.push('added');
  else if (typeof v === 'number') parent[key] = v + 1;
  else if (typeof v === 'string') parent[key] = `${v}~`;
  else if (typeof v === 'boolean') parent[key] = !v;
  else parent[key] = 'was null';
  return copy;
}

const label = (path: (string | number)[]): string => path.join('.');

test('sameExports: a change of any field importers can observe is seen, of any other field is not', async () => {
  const file = await richFile();
  const f = file.facts;
  assert.ok(f.imports.some((s) => s.guard.nested && !s.star), 'the sample has a nested import');
  assert.ok(sameExports(file, structuredClone(file)));
  const observable: (keyof FileFacts)[] = ['bindings', 'all', 'allDynamic', 'hasGetattr', 'dynamicGlobals', 'legacyWarnings', 'definitions'];
  const missed: string[] = [];
  for (const field of observable) {
    for (const leaf of leaves(f[field], [field])) if (sameExports(file, mutated(file, leaf))) missed.push(label(leaf));
  }
  // Module-level and star imports, by the fields resolution reads; not the ones only fixes read.
  const fixOnly = /^imports\.\d+\.(moduleRange|parenthesized|indent|items\.\d+\.nameRange)(\.|$)/;
  f.imports.forEach((s, i) => {
    for (const leaf of leaves(s, ['imports', i])) {
      const same = sameExports(file, mutated(file, leaf));
      const exported = s.star || !s.guard.nested;
      if (exported && !fixOnly.test(label(leaf)) && same) missed.push(label(leaf));
      if ((!exported || fixOnly.test(label(leaf))) && !same && !/\.(guard\.nested|star)$/.test(label(leaf))) missed.push(`${label(leaf)} (needlessly)`);
    }
  });
  assert.deepEqual(missed, []);
  // Refs, name loads and suppressions are the file's own business.
  for (const field of ['refs', 'moduleNameLoads', 'boundNames', 'unboundNames', 'suppressions'] as const) {
    for (const leaf of leaves(f[field], [field])) assert.ok(sameExports(file, mutated(file, leaf)), label(leaf));
  }
  assert.ok(!sameExports(file, { ...file, module: 'other' }));
  assert.ok(!sameExports(file, { ...file, opaque: true }));
});

test('sameProjectInputs: a change of anything the workspace-wide rules read is seen', async () => {
  const file = await richFile();
  const f = file.facts;
  const missed: string[] = [];
  const fixOnly = /^imports\.\d+\.(moduleRange|parenthesized|indent|items\.\d+\.nameRange)(\.|$)/;
  for (const leaf of leaves(f.imports, ['imports'])) if (!fixOnly.test(label(leaf)) && sameProjectInputs(file, mutated(file, leaf))) missed.push(label(leaf));
  for (const field of ['moduleNameLoads', 'suppressions'] as const) {
    for (const leaf of leaves(f[field], [field])) if (sameProjectInputs(file, mutated(file, leaf))) missed.push(label(leaf));
  }
  // Refs through a module: which import item, and the first attribute (`module.Alias`); never their positions.
  f.refs.forEach((r, i) => {
    if (!r.chain.length) return;
    for (const leaf of [['refs', i, 'stmt'], ['refs', i, 'item'], ['refs', i, 'chain', 0]]) if (sameProjectInputs(file, mutated(file, leaf))) missed.push(label(leaf));
    for (const leaf of leaves(r.coords, ['refs', i, 'coords'])) assert.ok(sameProjectInputs(file, mutated(file, leaf)), label(leaf));
  });
  assert.ok(f.refs.some((r) => r.chain.length), 'the sample has refs with attributes');
  assert.deepEqual(missed, []);
  for (const key of ['category', 'inScope', 'opaque', 'outline'] as const) {
    assert.ok(!sameProjectInputs(file, { ...file, [key]: key === 'category' ? 'tests' : !file[key] }), key);
  }
});

test('an outline file and its parse have the same exports: replacing one by the other keeps every cross-file table', async () => {
  // A whole-workspace check replaces the outline of each file with a finding by its parse (workspace/load.ts). The
  // outline has no parameter lists (`params: false`); were that a difference, every replacement would rebuild the
  // export tables and re-run the rules of every file.
  const text = [
    'import os',
    'from datetime import datetime as dt',
    'def helper(first, /, second=os.sep, *args, key="v", **kwargs):',
    '    return dt.utcnow()',
    'class Thing(os.PathLike):',
    '    def method(self, x: int = 1) -> None:',
    '        pass',
    'ALIAS = helper',
    '',
  ].join('\n');
  const source: SourceFile = { absPath: '/w/pkg/mod.py', relPath: 'pkg/mod.py', module: 'pkg.mod', isPackageInit: false, category: 'production', size: text.length, inScope: true };
  const outline = outlineFile(source, text);
  assert.ok(outline?.outline, 'the sample is outlined');
  assert.ok(outline.facts.definitions.some((d) => d.kind === 'function' && d.params === null));
  const parser = await PythonParser.create();
  try {
    const parsed = analyzeText(parser, source, text);
    assert.ok(parsed.facts.definitions.some((d) => d.kind === 'function' && d.params !== null && d.params.length === 5));
    assert.ok(sameExports(outline, parsed) && sameExports(parsed, outline));
    // Still blind to nothing else: a renamed definition is a difference.
    const renamed = structuredClone(parsed);
    renamed.facts.definitions[0]!.qualName = 'helper2';
    assert.ok(!sameExports(outline, renamed));
    const project = new Project();
    project.upsert(outline);
    const { generation, workspaceRevision } = project;
    assert.equal(project.upsert(parsed), false);
    assert.equal(project.generation, generation);
    assert.ok(project.workspaceRevision > workspaceRevision, 'the workspace-wide rules read refs: they run again');
  } finally {
    parser.delete();
  }
});
