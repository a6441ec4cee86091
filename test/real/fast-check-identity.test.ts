import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { generateReport } from '../../server/src/core/report/generate.js';
import { computeStatus, statusFilesToRefine } from '../../server/src/core/status/status.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { copyPythonTree, DJANGO, STDLIB } from '../support/corpora.js';

// `check` pre-scans every file and parses only those whose outline could hold a finding (parse: 'as-needed'), most of
// them focused on the imports their findings are about (focus: statements that never name those are blanked first,
// workspace/focus.ts). The promise is that nothing changes: on the two largest bodies of real Python at hand, this machine's CPython
// standard library and Django, the findings (with their fixes) and the problems are exactly those of parsing
// every file. The scanner must also actually skip work, or the fast path silently becomes the slow one. `status`
// and `report` without a base parse as needed too (with the files the count of migrated usages depends on): their
// results must not move either.

/** A copy of `src` at `<tmp>/<name>`; with `inside`, at `<tmp>/<name>/<inside>` (a checkout holding the package). */
function copyPython(src: string, name: string, inside?: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-identity-')), name);
  copyPythonTree(src, inside ? path.join(dir, inside) : dir);
  return dir;
}

async function results(dir: string, parse: 'all' | 'as-needed', forStatus = false, focus = false) {
  const ws = await openWorkspace({ checkPath: dir, parse, focus, ...(forStatus ? { refineAlso: statusFilesToRefine } : {}) });
  try {
    const files = [...ws.analyzer.project.allFiles()];
    const inScope = new Set(ws.files.filter((f) => f.inScope).map((f) => f.relPath));
    const report =
      forStatus || parse === 'all'
        ? await generateReport({ analyzer: ws.analyzer, parser: ws.parser, problems: ws.problems.filter((p) => inScope.has(p.path)), pathArg: dir, toolVersion: 'test', generatedAt: '2026-01-01T00:00:00Z' })
        : null;
    return {
      report,
      status: forStatus || parse === 'all' ? computeStatus(ws.analyzer) : null,
      findings: ws.analyzer.checkAll((f) => f.inScope),
      problems: ws.problems,
      configDiagnostics: ws.configDiagnostics,
      parsed: files.filter((f) => !f.outline).length,
      focused: files.filter((f) => f.focus).length,
      total: files.length,
    };
  } finally {
    ws.parser.delete();
  }
}

function firstDifference<T>(a: T[], b: T[], key: (x: T) => string): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!isDeepStrictEqual(a[i], b[i])) return `#${i}: full ${a[i] ? key(a[i]!) : '(none)'} vs as-needed ${b[i] ? key(b[i]!) : '(none)'}`;
  }
  return '';
}

// Django twice: checked as the package directory, and as a checkout that holds it (the benchmark's layout, where
// modules are named `django.…` and other rules fire).
for (const [name, src, minFindings, maxParsedShare, minFocused, inside] of [
  ['CPython stdlib', STDLIB, 300, 0.35, 30, undefined],
  ['Django', DJANGO, 20, 0.35, 5, undefined],
  ['Django checkout', DJANGO, 20, 0.35, 5, 'django'],
] as const) {
  test(`${name}: parsing as needed gives exactly the findings and problems of parsing everything`, { timeout: 600_000, skip: !fs.existsSync(src) && `${src} is missing` }, async () => {
    const dir = copyPython(src, inside ? 'checkout' : path.basename(src), inside);
    try {
      const full = await results(dir, 'all');
      const fast = await results(dir, 'as-needed');
      assert.ok(full.findings.length >= minFindings, `expected real findings, got ${full.findings.length}`);
      const describe = (f: (typeof full.findings)[number]): string => `${f.path}:${f.range.start.line + 1}:${f.range.start.column + 1} ${f.code} ${f.message}`;
      if (!isDeepStrictEqual(fast.findings, full.findings)) assert.fail(`findings differ (${full.findings.length} vs ${fast.findings.length}): ${firstDifference(full.findings, fast.findings, describe)}`);
      if (!isDeepStrictEqual(fast.problems, full.problems)) assert.fail(`problems differ: ${firstDifference(full.problems, fast.problems, (p) => `${p.path} ${p.kind} ${p.message}`)}`);
      assert.deepEqual(fast.configDiagnostics, full.configDiagnostics);
      assert.equal(full.parsed, full.total);
      assert.ok(fast.parsed / fast.total <= maxParsedShare, `${fast.parsed} of ${fast.total} files were parsed: the pre-scan skips too little`);
      // check's way: focused parses where they can vouch for the findings.
      const focused = await results(dir, 'as-needed', false, true);
      if (!isDeepStrictEqual(focused.findings, full.findings)) assert.fail(`findings differ with focused parses (${full.findings.length} vs ${focused.findings.length}): ${firstDifference(full.findings, focused.findings, describe)}`);
      if (!isDeepStrictEqual(focused.problems, full.problems)) assert.fail(`problems differ with focused parses: ${firstDifference(full.problems, focused.problems, (p) => `${p.path} ${p.kind} ${p.message}`)}`);
      assert.ok(focused.focused >= minFocused, `only ${focused.focused} files were focused`);
      assert.ok(focused.parsed < fast.parsed, `focusing parsed as many files (${focused.parsed}) as not focusing`);
      // status's and report's way: the files with migrated usages to count refined too, focused where that vouches.
      const status = await results(dir, 'as-needed', true, true);
      const { findings: _f, ...statusFull } = full.status!;
      const { findings: _s, ...statusFast } = status.status!;
      assert.deepEqual(statusFast, statusFull, 'status differs');
      assert.ok(isDeepStrictEqual(status.status!.findings, full.findings), 'status findings differ');
      assert.ok(full.status!.migrated > 0 || full.status!.groups.length > 0, 'expected a real status');
      assert.ok(status.parsed / status.total <= maxParsedShare, `${status.parsed} of ${status.total} files were parsed for status`);
      assert.ok(status.focused > focused.focused, `no more files focused for status (${status.focused}) than for check (${focused.focused})`);
      assert.ok(isDeepStrictEqual(status.report, full.report), 'report differs');
      assert.ok(full.report!.remaining.total > 0, 'expected a real report');
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
}
