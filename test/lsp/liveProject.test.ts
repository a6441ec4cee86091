import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { fixWorkspace } from '../../server/src/core/fixes/fixAll.js';
import { computeStatus } from '../../server/src/core/status/status.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { DocumentStore } from '../../server/src/lsp/documents.js';
import { LiveProject, SERVER_FACTS_FILE } from '../../server/src/lsp/liveProject.js';
import { copyPythonTree, DJANGO } from '../support/corpora.js';
import { tempCopy, writeWorkspace } from '../support/files.js';

// The language server indexes closed files as outlines where the pre-scan vouches for them, as `check` does, and
// parses the outline files a finding or the status could differ on (LiveProject.refine), focused on what those are about. The promise is the CLI's:
// once the index is ready, every finding, problem and status count is what parsing every file gives, and after an
// edit that gives closed outline files findings, too.

function indexed(dir: string, parser: PythonParser, docs = new DocumentStore(), options: { cache?: boolean } = {}): LiveProject {
  const project = new LiveProject(dir, LiveProject.loadConfig(dir, '', null), parser, docs, undefined, options);
  while (!project.ready) project.indexUntil(Number.POSITIVE_INFINITY);
  return project;
}

/** What a result is compared on: the findings (fixes included), problems and status of the project's in-scope files. */
function results(analyzer: LiveProject['analyzer'], problems: { path: string; kind: string; message: string }[]) {
  const status = computeStatus(analyzer);
  return {
    findings: analyzer.checkAll((f) => f.inScope),
    problems: problems.map((p) => `${p.path} ${p.kind} ${p.message}`).sort(),
    status: { ...status, findings: status.findings.length },
  };
}

/** Every file's definitions (signatures included), which a report against a base compares. */
function definitions(analyzer: LiveProject['analyzer']): Record<string, unknown> {
  return Object.fromEntries([...analyzer.project.allFiles()].map((f) => [f.relPath, f.facts.definitions]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

async function fullAnalysis(dir: string) {
  const ws = await openWorkspace({ checkPath: dir, parse: 'all' });
  try {
    return { ...results(ws.analyzer, ws.problems), definitions: definitions(ws.analyzer) };
  } finally {
    ws.parser.delete();
  }
}

function assertSame<T extends object>(live: T, full: T, what: string): void {
  for (const key of Object.keys(full) as (keyof T)[]) {
    if (!isDeepStrictEqual(live[key], full[key])) assert.fail(`${what}: ${String(key)} differ from a full parse:\nlive ${JSON.stringify(live[key]).slice(0, 600)}\nfull ${JSON.stringify(full[key]).slice(0, 600)}`);
  }
}

for (const [name, src, inside] of [
  ['demo workspace', path.resolve('examples/netra'), undefined],
  ['Django checkout', DJANGO, 'django'],
] as const) {
  test(`${name}: the server's index gives the findings, problems and status of parsing every file, parsing a few`, { timeout: 300_000, skip: !fs.existsSync(src) && `${src} is missing` }, async () => {
    const dir = inside ? fs.mkdtempSync(path.join(os.tmpdir(), 'ml-live-')) : tempCopy(src, 'ml-live-');
    if (inside) copyPythonTree(src, path.join(dir, inside));
    const parser = await PythonParser.create();
    try {
      const project = indexed(dir, parser);
      const files = [...project.analyzer.project.allFiles()];
      const parsed = files.filter((f) => !f.outline).length;
      const live = results(project.analyzer, project.allProblems());
      const { definitions: fullDefinitions, ...full } = await fullAnalysis(dir);
      assert.ok(full.findings.length >= 10, `expected real findings, got ${full.findings.length}`);
      assertSame(live, full, name);
      // A report against a base compares signatures, which outlines leave out: it has every outline parsed first.
      await project.parseOutlines(async () => undefined);
      assert.deepEqual([...project.analyzer.project.allFiles()].filter((f) => f.outline).map((f) => f.relPath), [], 'outline files left');
      assertSame({ ...results(project.analyzer, project.allProblems()), definitions: definitions(project.analyzer) }, { ...full, definitions: fullDefinitions }, `${name}, every file parsed`);
      assert.ok(parsed / files.length <= 0.5, `${parsed} of ${files.length} files were parsed: the index outlines too little`);
      if (inside) assert.ok(files.some((f) => f.focus), 'no file got a focused parse');
    } finally {
      parser.delete();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('an edit that gives closed outline files findings gets them parsed: the same results as parsing every file', async () => {
  const dir = writeWorkspace({
    'pkg/__init__.py': '',
    'pkg/old.py': 'VALUE = 1\n',
    // A parameter shadows the import: the outline's refs count that read, a parse does not.
    // The last function does not spell it: a focused parse blanks it.
    'pkg/user.py': 'from pkg.old import VALUE\n\n\ndef f(VALUE):\n    return VALUE\n\n\nprint(VALUE)\n\n\ndef other():\n    return 2\n',
    'pkg/other.py': 'import json\n',
  });
  const parser = await PythonParser.create();
  const docs = new DocumentStore();
  try {
    const project = indexed(dir, parser, docs);
    const user = () => project.analyzer.project.file('pkg/user.py')!;
    assert.equal(user().outline, true, 'nothing to report: the importer stays an outline');
    assert.equal(project.refine(), 0);

    // pkg/old.py starts warning in the editor: its importer, closed, now has findings.
    const warned = 'import warnings\n\nwarnings.warn("pkg.old is deprecated", DeprecationWarning, stacklevel=2)\n\nVALUE = 1\n';
    const abs = path.join(dir, 'pkg/old.py');
    docs.open('file://' + abs, 'python', 1, warned, abs);
    project.indexFile(project.source(abs)!);
    assert.equal(project.refine(), 1, 'the importer is queued for a parse');
    assert.equal(project.ready, false);
    while (!project.ready) project.indexUntil(Number.POSITIVE_INFINITY);
    assert.ok(user().focus, 'the importer gets a focused parse');
    assert.equal(project.analyzer.project.file('pkg/other.py')!.outline, true, 'an unrelated file stays an outline');

    fs.writeFileSync(abs, warned);
    const live = results(project.analyzer, project.allProblems());
    const { definitions: _, ...full } = await fullAnalysis(dir);
    assert.ok(full.findings.some((f) => f.path === 'pkg/user.py' && f.code === 'MIG001'), JSON.stringify(full.findings.map((f) => `${f.path} ${f.code}`)));
    assertSame(live, full, 'after the edit');
  } finally {
    parser.delete();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fix all on the server\'s index rewrites exactly what fixing a fully parsed workspace does', async () => {
  const dir = tempCopy(path.resolve('examples/netra'), 'ml-live-fix-');
  // A focused parse blanks g(), so it does not see that g() reads a name nothing binds; fixing from the focused facts
  // would then refuse the file ("reads a name nothing binds" after the fix): fix all parses such files whole first.
  fs.writeFileSync(path.join(dir, 'stamp.py'), 'import datetime\n\n\ndef f():\n    return datetime.datetime.utcnow()\n\n\ndef g():\n    return undefined_name\n');
  const parser = await PythonParser.create();
  try {
    const project = indexed(dir, parser);
    assert.ok(project.analyzer.project.file('stamp.py')!.focus, 'stamp.py is focused in the index');
    const texts = (outcome: ReturnType<typeof fixWorkspace>) => [...outcome.changed.values()].map((c) => [c.relPath, c.after]).sort();
    const live = project.computeFixes({ unsafe: true });
    const ws = await openWorkspace({ checkPath: dir, parse: 'all' });
    try {
      const full = fixWorkspace(ws, { unsafe: true });
      assert.ok(full.applied >= 20, `expected real fixes, got ${full.applied}`);
      assert.ok(full.changed.has(path.join(dir, 'stamp.py')), 'stamp.py is fixed');
      assert.deepEqual(live.refused, full.refused);
      assert.deepEqual(texts(live).map(([rel]) => rel), texts(full).map(([rel]) => rel));
      assert.deepEqual(texts(live), texts(full));
      assert.deepEqual([live.applied, [...live.appliedByCode].sort()], [full.applied, [...full.appliedByCode].sort()]);
    } finally {
      ws.parser.delete();
    }
  } finally {
    parser.delete();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the next session serves unchanged files from the facts cache; edited files and unsaved buffers are analyzed again', async () => {
  const dir = tempCopy(path.resolve('examples/netra'), 'ml-live-cache-');
  const parser = await PythonParser.create();
  try {
    // Session 1: one file open with an unsaved edit that adds a finding, which the disk does not hold.
    const docs = new DocumentStore();
    const openRel = 'netra_backend/app/services/analytics_service.py';
    const openAbs = path.join(dir, openRel);
    const disk = fs.readFileSync(openAbs, 'utf8');
    docs.open('file://' + openAbs, 'python', 1, `${disk}\n\nSTAMP = datetime.datetime.utcnow()\n`, openAbs);
    const first = indexed(dir, parser, docs, { cache: true });
    assert.equal(first.servedFromCache, 0);
    assert.ok(first.analyzer.checkFile(openRel).some((f) => f.code === 'MIG002' || f.code === 'MIG001'), 'the buffer has the added finding');
    first.saveFacts();
    assert.ok(fs.existsSync(path.join(dir, '.migration-lens-cache', SERVER_FACTS_FILE)));

    // Between sessions a file changes on disk.
    const editedRel = 'netra_backend/app/db/models.py';
    fs.appendFileSync(path.join(dir, editedRel), '\n\nLATER = datetime.now(UTC)\n');

    // Session 2, nothing open: every other file comes from the cache, and the results are a full parse's of the disk.
    const second = indexed(dir, parser, new DocumentStore(), { cache: true });
    const total = second.total;
    assert.equal(second.servedFromCache, total - 2, `${second.servedFromCache} of ${total} files served: all but the edited and the open one`);
    const { definitions: _, ...full } = await fullAnalysis(dir);
    assertSame(results(second.analyzer, second.allProblems()), full, 'second session');

    // Without the setting, nothing is read.
    assert.equal(indexed(dir, parser, new DocumentStore()).servedFromCache, 0);
  } finally {
    parser.delete();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
