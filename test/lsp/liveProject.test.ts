import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { computeStatus } from '../../server/src/core/status/status.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { DocumentStore } from '../../server/src/lsp/documents.js';
import { LiveProject } from '../../server/src/lsp/liveProject.js';
import { copyPythonTree, DJANGO } from '../support/corpora.js';

// The language server indexes closed files as outlines where the pre-scan vouches for them, as `check` does, and
// parses the outline files a finding or the status could differ on (LiveProject.refine). The promise is the CLI's:
// once the index is ready, every finding, problem and status count is what parsing every file gives, and after an
// edit that gives closed outline files findings, too.

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-live-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function indexed(dir: string, parser: PythonParser, docs = new DocumentStore()): LiveProject {
  const project = new LiveProject(dir, LiveProject.loadConfig(dir, '', null), parser, docs);
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

async function fullAnalysis(dir: string) {
  const ws = await openWorkspace({ checkPath: dir, parse: 'all' });
  try {
    return results(ws.analyzer, ws.problems);
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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-live-'));
    if (inside) copyPythonTree(src, path.join(dir, inside));
    else fs.cpSync(src, dir, { recursive: true });
    const parser = await PythonParser.create();
    try {
      const project = indexed(dir, parser);
      const files = [...project.analyzer.project.allFiles()];
      const parsed = files.filter((f) => !f.outline).length;
      const live = results(project.analyzer, project.allProblems());
      const full = await fullAnalysis(dir);
      assert.ok(full.findings.length >= 10, `expected real findings, got ${full.findings.length}`);
      assertSame(live, full, name);
      assert.ok(parsed / files.length <= 0.5, `${parsed} of ${files.length} files were parsed: the index outlines too little`);
    } finally {
      parser.delete();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('an edit that gives closed outline files findings gets them parsed: the same results as parsing every file', async () => {
  const dir = writeTree({
    'pkg/__init__.py': '',
    'pkg/old.py': 'VALUE = 1\n',
    // A parameter shadows the import: the outline's refs count that read, a parse does not.
    'pkg/user.py': 'from pkg.old import VALUE\n\n\ndef f(VALUE):\n    return VALUE\n\n\nprint(VALUE)\n',
    'pkg/other.py': 'import json\n',
  });
  const parser = await PythonParser.create();
  const docs = new DocumentStore();
  try {
    const project = indexed(dir, parser, docs);
    const user = (): boolean | undefined => project.analyzer.project.file('pkg/user.py')!.outline;
    assert.equal(user(), true, 'nothing to report: the importer stays an outline');
    assert.equal(project.refine(), 0);

    // pkg/old.py starts warning in the editor: its importer, closed, now has findings.
    const warned = 'import warnings\n\nwarnings.warn("pkg.old is deprecated", DeprecationWarning, stacklevel=2)\n\nVALUE = 1\n';
    const abs = path.join(dir, 'pkg/old.py');
    docs.open('file://' + abs, 'python', 1, warned, abs);
    project.indexFile(project.source(abs)!);
    assert.equal(project.refine(), 1, 'the importer is queued for a parse');
    assert.equal(project.ready, false);
    while (!project.ready) project.indexUntil(Number.POSITIVE_INFINITY);
    assert.equal(user(), undefined, 'the importer is parsed');
    assert.equal(project.analyzer.project.file('pkg/other.py')!.outline, true, 'an unrelated file stays an outline');

    fs.writeFileSync(abs, warned);
    const live = results(project.analyzer, project.allProblems());
    const full = await fullAnalysis(dir);
    assert.ok(full.findings.some((f) => f.path === 'pkg/user.py' && f.code === 'MIG001'), JSON.stringify(full.findings.map((f) => `${f.path} ${f.code}`)));
    assertSame(live, full, 'after the edit');
  } finally {
    parser.delete();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
