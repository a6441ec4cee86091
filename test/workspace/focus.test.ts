import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { statementSpans } from '../../server/src/core/python/outline/statementSpans.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { focusCovers } from '../../server/src/core/workspace/focus.js';
import type { Focus } from '../../server/src/core/project/project.js';
import { packRefRanges, type FileFacts } from '../../server/src/core/python/facts.js';
import type { Finding, TextEdit } from '../../server/src/core/types.js';
import { writeWorkspace } from '../support/files.js';

// A file parsed only for the exact refs of its findings gets a focused parse (workspace/focus.ts): the definitions
// that never name the imports those findings are about are blanked first. Each case compares with parsing
// everything, and checks which way the file went.

const at = (text: string, needle: string): number => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i;
};

test('statement spans: every statement that starts a line, clauses and decorators included, to the line where the next one starts', () => {
  const text = [
    'import os',
    '',
    '@decorate',
    '@decorate(1)',
    'def top():',
    '    def inner():',
    '        pass',
    '    return inner',
    '',
    '# a comment',
    'class Box:',
    '    x = 1; y = (',
    '        2)',
    '    async def method(self):',
    '        class Local:',
    '            pass',
    '    if x:',
    '        def conditional(self): pass',
    '    elif y:',
    '        if x: z = 1',
    '        else: z = 2',
    '    else:',
    '        from a import b',
    'try:',
    '    pass',
    'except OSError:',
    '    pass',
    'finally:',
    '    pass',
    'y = 2',
  ].join('\n');
  const spans = statementSpans(text).map(({ start, end, name, inFunction, isImport }) => [text.slice(start, end), name, inFunction, isImport]);
  const box = text.slice(text.indexOf('class Box'), text.indexOf('try:'));
  assert.deepEqual(spans, [
    ['import os\n\n', null, false, true],
    ['@decorate\n@decorate(1)\ndef top():\n    def inner():\n        pass\n    return inner\n\n# a comment\n', 'top', false, false],
    ['def inner():\n        pass\n', 'inner', true, false],
    ['pass\n', null, true, false],
    ['return inner\n\n# a comment\n', null, true, false],
    [box, 'Box', false, false],
    ['x = 1; y = (\n        2)\n', null, false, false],
    ['async def method(self):\n        class Local:\n            pass\n', 'method', false, false],
    ['class Local:\n            pass\n', 'Local', true, false],
    ['pass\n', null, true, false],
    [box.slice(box.indexOf('if x:')), null, false, false],
    ['def conditional(self): pass\n', 'conditional', false, false],
    ['if x: z = 1\n        else: z = 2\n', null, false, false],
    ['from a import b\n', null, false, true],
    ['try:\n    pass\nexcept OSError:\n    pass\nfinally:\n    pass\n', null, false, false],
    ['pass\n', null, false, false],
    ['pass\n', null, false, false],
    ['pass\n', null, false, false],
    ['y = 2', null, false, false],
  ]);
  assert.equal(statementSpans(text)[1]!.start, at(text, '@decorate'));
});

async function analyze(dir: string, parse: 'all' | 'as-needed', focus: boolean) {
  const ws = await openWorkspace({ checkPath: dir, parse, focus });
  try {
    const files = [...ws.analyzer.project.allFiles()];
    return {
      findings: ws.analyzer.checkAll((f) => f.inScope),
      focused: files.filter((f) => f.focus).map((f) => f.relPath).sort(),
      parsed: files.filter((f) => !f.outline).map((f) => f.relPath).sort(),
      /** What each focused file had blanked. */
      blanked: Object.fromEntries(files.filter((f) => f.focus).map((f) => [f.relPath, f.focus!.blanked.map(([a, b]) => ws.textOf(f)!.slice(a, b))])),
    };
  } finally {
    ws.parser.delete();
  }
}

/** `files` analyzed three ways: parsing everything, parsing as needed, and as needed with focused parses. */
async function analyzeWays(files: Record<string, string>) {
  const dir = writeWorkspace(files);
  try {
    return { full: await analyze(dir, 'all', false), plain: await analyze(dir, 'as-needed', false), focused: await analyze(dir, 'as-needed', true) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const STAMP = 'from datetime import datetime\n\n\ndef stamp():\n    return datetime.utcnow()\n\n\n';

test('a focused parse gives exactly the findings and fixes of a full one, and blanks only what never names the import', async () => {
  const { full, focused } = await analyzeWays({
    'app/__init__.py': '',
    // utcnow twice, one of them shadowed by a parameter; the rest of the file never names `datetime`.
    'app/clock.py':
      STAMP +
      'def shadowed(datetime):\n    return datetime.utcnow()\n\n\n' +
      'class Helpers:\n    """Long and unrelated."""\n\n    def one(self):\n        return [i * 2 for i in range(10)]\n\n    def two(self):\n        return {"a": 1}\n\n\n' +
      'def tail():\n    return stamp()\n',
  });
  assert.deepEqual(focused.findings, full.findings);
  assert.deepEqual(full.findings.map((f) => [f.code, f.range.start.line + 1, f.fix?.edits.map((e) => e.newText)]), [['MIG001', 5, [', timezone', 'now', '(timezone.utc)']]]);
  assert.deepEqual(focused.focused, ['app/clock.py']);
  assert.ok(!focused.parsed.includes('app/clock.py'));
});

test('inside a kept function, statements that never name the import are blanked; those binding its name stay', async () => {
  const { full, focused } = await analyzeWays({
    'app/__init__.py': '',
    'app/clock.py': [
      'from datetime import datetime',
      '',
      '',
      'def stamp():',
      '    started = 1',
      '    return datetime.utcnow()',
      '',
      '',
      'def shadowed():',
      '    datetime = Clock()',
      '    unrelated = [i for i in range(3)]',
      '    if unrelated:',
      '        return datetime.utcnow()',
      '',
    ].join('\n'),
  });
  assert.deepEqual(focused.findings, full.findings);
  // The local `datetime` shadows the import in `shadowed`: one finding, in `stamp`.
  assert.deepEqual(full.findings.map((f) => [f.code, f.range.start.line + 1]), [['MIG001', 6]]);
  assert.deepEqual(focused.focused, ['app/clock.py']);
  assert.deepEqual(focused.blanked['app/clock.py'], ['started = 1\n', 'unrelated = [i for i in range(3)]\n']);
});

test('a fix told a name is free that only a blanked definition binds sends the file to a full parse', async () => {
  // `timezone` (what the fix imports below Python 3.11) is bound in `other` only: the full parse's fix must not
  // introduce it, and a focused parse cannot see that.
  const { full, focused } = await analyzeWays({ 'app/__init__.py': '', 'app/clock.py': STAMP + 'def other():\n    timezone = 1\n    return timezone\n' });
  assert.deepEqual(focused.findings, full.findings);
  assert.deepEqual(full.findings.map((f) => [f.code, f.fix]), [['MIG001', null]]);
  assert.deepEqual(focused.focused, []);
  assert.ok(focused.parsed.includes('app/clock.py'));
});

test('without the focus option (fix, baseline, status) files are parsed whole', async () => {
  const { plain, focused } = await analyzeWays({ 'app/__init__.py': '', 'app/clock.py': STAMP + 'def other():\n    return 1\n' });
  assert.deepEqual(plain.focused, []);
  assert.ok(plain.parsed.includes('app/clock.py'));
  assert.deepEqual(focused.focused, ['app/clock.py']);
  assert.deepEqual(focused.findings, plain.findings);
});

test('a fix of a finding about one chain that edits another use of its item is not covered by a chain focus', () => {
  const range = (line: number, start: number, end: number) => ({ start: { line, column: start }, end: { line, column: end } });
  // `dt.utcnow()` on line 1 and `dt.now()` on line 2, both refs of import item 0:0.
  const ref = (line: number, attr: string) => ({
    stmt: 0, item: 0, chain: [attr],
    coords: packRefRanges([range(line, 0, 2), range(line, 0, 3 + attr.length)], [range(line, 3, 3 + attr.length)]),
    context: 'load' as const, call: null, lambdaSafe: false,
  });
  const facts = { imports: [], refs: [ref(1, 'utcnow'), ref(2, 'now')] } as unknown as FileFacts;
  const focus: Focus = { items: new Set(), chains: new Map([['0:0', new Set(['utcnow'])]]), names: new Set(), blanked: [] };
  const finding = (edits: TextEdit[]): Finding => ({
    code: 'MIG001', rule: 'deprecated-usage', severity: 'warning', message: 'm', path: 'a.py', range: range(1, 0, 9), category: 'production',
    fix: { safety: 'safe', title: 't', edits }, tags: [], related: [],
  });
  assert.equal(focusCovers(focus, facts, [finding([{ range: range(1, 3, 9), newText: 'now' }])]), true);
  assert.equal(focusCovers(focus, facts, [finding([{ range: range(2, 0, 2), newText: 'other' }])]), false);
  // The same fix is fine when the focus has the item whole.
  assert.equal(focusCovers({ ...focus, items: new Set(['0:0']) }, facts, [finding([{ range: range(2, 0, 2), newText: 'other' }])]), true);
});
