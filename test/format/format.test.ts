import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSarifValidator } from '../support/sarif.js';
import type { Log, Result } from 'sarif';

import type { ConfigDiagnostic, FileProblem, Finding, Range } from '../../server/src/core/types.js';
import type { CheckResult, RuleMeta } from '../../server/src/cli/format/types.js';
import { formatText } from '../../server/src/cli/format/text.js';
import { formatJson } from '../../server/src/cli/format/json.js';
import { formatSarif, FINGERPRINT_KEY } from '../../server/src/cli/format/sarif.js';
import { formatGithub } from '../../server/src/cli/format/github.js';
import { formatResult, isOutputFormat, OUTPUT_FORMATS } from '../../server/src/cli/format/index.js';

// ---------------------------------------------------------------------------------------------
// Fixture: a realistic result, built by hand. Internal positions are 0-based.

const ROOT = '/home/dev/acme shop';

function r(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, column: sc }, end: { line: el, column: ec } };
}

const RULES: RuleMeta[] = [
  { code: 'MIG001', name: 'removed-api', summary: 'Use of an API removed by the migration.', docsUrl: 'https://example.com/rules/MIG001', defaultSeverity: 'error' },
  { code: 'MIG002', name: 'non-canonical-import', summary: 'Import a symbol from its canonical module.', docsUrl: 'https://example.com/rules/MIG002', defaultSeverity: 'error' },
  { code: 'MIG004', name: 'deprecated-call', summary: 'Call of a deprecated function.', docsUrl: 'https://example.com/rules/MIG004', defaultSeverity: 'warning' },
  { code: 'MIG005', name: 'compat-alias', summary: 'Use of a compatibility alias.', docsUrl: 'https://example.com/rules/MIG005', defaultSeverity: 'info' },
  { code: 'MIG006', name: 'legacy-pattern', summary: 'Legacy pattern.', docsUrl: 'https://example.com/rules/MIG006', defaultSeverity: 'hint' },
];

const NON_ASCII_MESSAGE = 'Deprecated call `os.popen()`: use `subprocess.run()` — déjà vu ✓';
const TRICKY_MESSAGE = 'Alias `compat.get_user` is 100% redundant,\nuse: `app.domain.user.get_user`';

function makeFindings(): Finding[] {
  return [
    {
      code: 'MIG004',
      rule: 'deprecated-call',
      severity: 'warning',
      message: NON_ASCII_MESSAGE,
      path: 'scripts/old tools/migrate.py',
      range: r(2, 0, 2, 8),
      category: 'backup',
      fix: null,
      tags: ['deprecated'],
      related: [],
    },
    {
      code: 'MIG002',
      rule: 'non-canonical-import',
      severity: 'error',
      message: 'Import `User` from canonical module `app.domain.user`',
      path: 'src/app/models.py',
      range: r(3, 7, 3, 22),
      category: 'production',
      fix: {
        safety: 'safe',
        title: 'Import from `app.domain.user`',
        edits: [
          { range: r(3, 5, 3, 17), newText: 'app.domain.user' },
          { range: r(0, 0, 0, 0), newText: '# migrated\n' },
        ],
      },
      tags: [],
      related: [{ path: 'src/app/domain/user.py', range: r(9, 6, 9, 10), message: 'canonical definition of `User`' }],
      migration: 'ssot-user',
    },
    {
      code: 'MIG002',
      rule: 'non-canonical-import',
      severity: 'error',
      message: 'Import `Order` from canonical module `app.domain.order`',
      path: 'src/app/models.py',
      range: r(10, 4, 10, 9),
      category: 'production',
      fix: null,
      tags: [],
      related: [],
      migration: 'ssot-order',
    },
    {
      code: 'MIG005',
      rule: 'compat-alias',
      severity: 'info',
      message: TRICKY_MESSAGE,
      path: 'src/app/views.py',
      range: r(0, 0, 1, 4),
      category: 'production',
      fix: { safety: 'unsafe', title: 'Remove the alias', edits: [{ range: r(0, 0, 1, 0), newText: '' }] },
      tags: ['deprecated', 'unnecessary'],
      related: [],
    },
    {
      code: 'MIG002',
      rule: 'non-canonical-import',
      severity: 'error',
      message: 'Import `User` from canonical module `app.domain.user`',
      path: 'tests/test_views.py',
      range: r(5, 11, 5, 15),
      category: 'tests',
      fix: { safety: 'safe', title: 'Import from `app.domain.user`', edits: [{ range: r(5, 5, 5, 9), newText: 'app.domain.user' }] },
      tags: [],
      related: [],
    },
    {
      code: 'MIG006',
      rule: 'legacy-pattern',
      severity: 'hint',
      message: 'Legacy fixture pattern',
      path: 'tests/test_views.py',
      range: r(8, 0, 8, 3),
      category: 'tests',
      fix: null,
      tags: [],
      related: [],
    },
  ];
}

const PROBLEMS: FileProblem[] = [
  { path: 'src/legacy/broken.py', kind: 'syntax', message: 'Syntax error: unexpected indent', range: r(12, 4, 12, 8) },
];

const CONFIG_DIAGNOSTICS: ConfigDiagnostic[] = [
  { path: `${ROOT}/pyproject.toml`, range: r(20, 10, 20, 18), message: 'Unknown rule code `MIG999` in `select`', severity: 'error' },
  { path: '/etc/migration-lens/shared.toml', range: r(0, 0, 0, 5), message: 'Unknown key `colour`', severity: 'warning' },
];

function makeResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    root: ROOT,
    findings: makeFindings(),
    problems: PROBLEMS,
    configDiagnostics: CONFIG_DIAGNOSTICS,
    rules: RULES,
    toolVersion: '0.1.0',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// text

test('text: problems first, one line per finding with 1-based positions, summary', () => {
  const out = formatText(makeResult(), { color: false });
  assert.equal(
    out,
    [
      'pyproject.toml:21:11: error: Unknown rule code `MIG999` in `select`',
      '/etc/migration-lens/shared.toml:1:1: warning: Unknown key `colour`',
      'src/legacy/broken.py:13:5: error: Syntax error: unexpected indent',
      `scripts/old tools/migrate.py:3:1: MIG004 ${NON_ASCII_MESSAGE}`,
      'src/app/models.py:4:8: MIG002 [*] Import `User` from canonical module `app.domain.user`',
      'src/app/models.py:11:5: MIG002 Import `Order` from canonical module `app.domain.order`',
      `src/app/views.py:1:1: MIG005 ${TRICKY_MESSAGE}`,
      'tests/test_views.py:6:12: MIG002 [*] Import `User` from canonical module `app.domain.user`',
      'tests/test_views.py:9:1: MIG006 Legacy fixture pattern',
      '',
      '   3  MIG002  non-canonical-import',
      '   1  MIG004  deprecated-call',
      '   1  MIG005  compat-alias',
      '   1  MIG006  legacy-pattern',
      'production 3 · tests 2 · backup 1',
      'Found 6 findings (2 fixable with `migration-lens fix`, 1 more with `--unsafe`).',
      '1 file could not be analyzed.',
      '1 configuration error.',
      '',
    ].join('\n'),
  );
  assert.ok(!out.includes('\u001b'), 'no ANSI escapes without color');
});

test('text: counts are right-aligned and sorted by count desc; custom fix command; singular', () => {
  const base = makeFindings()[4]!; // MIG002, safe fix, tests
  const findings: Finding[] = [];
  for (let i = 0; i < 12; i++) findings.push({ ...base, range: r(i, 0, i, 1) });
  findings.push(makeFindings()[0]!); // MIG004 x1, no fix
  const out = formatText(makeResult({ findings, problems: [], configDiagnostics: [], fixCommand: 'npx migration-lens fix' }), { color: false });
  const lines = out.trimEnd().split('\n');
  assert.deepEqual(lines.slice(-4), [
    '   12  MIG002  non-canonical-import',
    '    1  MIG004  deprecated-call',
    'tests 12 · backup 1',
    'Found 13 findings (12 fixable with `npx migration-lens fix`).',
  ]);

  const one = formatText(makeResult({ findings: [makeFindings()[0]!], problems: [], configDiagnostics: [] }), { color: false });
  assert.match(one, /\nFound 1 finding\.\n$/);

  const unsafeOnly = formatText(makeResult({ findings: [makeFindings()[3]!], problems: [], configDiagnostics: [] }), { color: false });
  assert.match(unsafeOnly, /\nFound 1 finding \(1 fixable with `migration-lens fix --unsafe`\)\.\n$/);
  assert.ok(!unsafeOnly.includes('[*]'), 'unsafe fixes get no [*] marker');
});

test('text: "All checks passed!" only when there is nothing at all', () => {
  assert.equal(formatText(makeResult({ findings: [], problems: [], configDiagnostics: [] }), { color: false }), 'All checks passed!\n');
  const withProblem = formatText(makeResult({ findings: [], configDiagnostics: [] }), { color: false });
  assert.ok(!withProblem.includes('All checks passed!'));
  assert.match(withProblem, /No findings\.\n1 file could not be analyzed\.\n$/);
});

test('text: ANSI colors by severity only when requested', () => {
  const out = formatText(makeResult(), { color: true });
  const BOLD = '\u001b[1m';
  const RESET = '\u001b[0m';
  const lines = out.split('\n');
  const errorLine = lines.find((l) => l.includes('app.domain.user') && l.includes('models.py'))!;
  assert.equal(
    errorLine,
    `${BOLD}src/app/models.py:4:8:${RESET} ${BOLD}\u001b[31mMIG002${RESET} [*] Import \`User\` from canonical module \`app.domain.user\``,
  );
  assert.ok(lines.some((l) => l.includes(`\u001b[33mMIG004${RESET}`)), 'warning code is yellow');
  assert.ok(lines.some((l) => l.includes(`\u001b[36mMIG005${RESET}`)), 'info code is cyan');
  assert.ok(lines.some((l) => l.includes(`${BOLD}\u001b[31merror:${RESET} Syntax error`)), 'problem label is red');
});

// ---------------------------------------------------------------------------------------------
// json

test('json: exact shape, 1-based ranges, null fix/migration, 2-space indent and trailing newline', () => {
  const text = formatJson(makeResult());
  assert.ok(text.endsWith('}\n'));
  assert.ok(text.startsWith('{\n  "version": 1,\n  "root": '), 'pretty-printed with 2 spaces');
  const doc = JSON.parse(text);
  assert.deepEqual(Object.keys(doc), ['version', 'root', 'findings', 'problems', 'configErrors']);
  assert.equal(doc.version, 1);
  assert.equal(doc.root, ROOT);
  assert.equal(doc.findings.length, 6);

  assert.deepEqual(doc.findings[1], {
    code: 'MIG002',
    rule: 'non-canonical-import',
    severity: 'error',
    message: 'Import `User` from canonical module `app.domain.user`',
    path: 'src/app/models.py',
    range: { start: { line: 4, column: 8 }, end: { line: 4, column: 23 } },
    category: 'production',
    fix: {
      safety: 'safe',
      title: 'Import from `app.domain.user`',
      edits: [
        { range: { start: { line: 4, column: 6 }, end: { line: 4, column: 18 } }, newText: 'app.domain.user' },
        { range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, newText: '# migrated\n' },
      ],
    },
    related: [
      {
        path: 'src/app/domain/user.py',
        range: { start: { line: 10, column: 7 }, end: { line: 10, column: 11 } },
        message: 'canonical definition of `User`',
      },
    ],
    migration: 'ssot-user',
  });
  assert.equal(doc.findings[0].fix, null);
  assert.equal(doc.findings[0].migration, null);
  assert.equal(doc.findings[0].message, NON_ASCII_MESSAGE);
  assert.equal(doc.findings[0].path, 'scripts/old tools/migrate.py');
  assert.equal(doc.findings[3].fix.safety, 'unsafe');
  assert.ok(!('tags' in doc.findings[3]), 'no fields beyond the documented shape');

  assert.deepEqual(doc.problems, [
    {
      path: 'src/legacy/broken.py',
      kind: 'syntax',
      message: 'Syntax error: unexpected indent',
      range: { start: { line: 13, column: 5 }, end: { line: 13, column: 9 } },
    },
  ]);
  assert.deepEqual(doc.configErrors, [
    {
      path: 'pyproject.toml',
      range: { start: { line: 21, column: 11 }, end: { line: 21, column: 19 } },
      message: 'Unknown rule code `MIG999` in `select`',
      severity: 'error',
    },
    {
      path: '/etc/migration-lens/shared.toml',
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 6 } },
      message: 'Unknown key `colour`',
      severity: 'warning',
    },
  ]);
});

test('json: a problem without range has range null', () => {
  const doc = JSON.parse(formatJson(makeResult({ problems: [{ path: 'big.py', kind: 'too-large', message: 'File too large' }] })));
  assert.deepEqual(doc.problems, [{ path: 'big.py', kind: 'too-large', message: 'File too large', range: null }]);
});

// ---------------------------------------------------------------------------------------------
// sarif

const validateSarif = compileSarifValidator();

function sarifOf(result: CheckResult): Log {
  return JSON.parse(formatSarif(result)) as Log;
}

test('sarif: validates against the SARIF 2.1.0 schema (and the validator does reject bad logs)', () => {
  const log = sarifOf(makeResult());
  const ok = validateSarif(log);
  assert.ok(ok, JSON.stringify(validateSarif.errors, null, 2));

  // Negative controls: the validator really checks regions, formats and required properties.
  const badRegion = structuredClone(log);
  badRegion.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
  assert.equal(validateSarif(badRegion), false);
  const badUri = structuredClone(log);
  badUri.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'scripts/old tools/migrate.py';
  assert.equal(validateSarif(badUri), false, 'an unencoded space is not a valid uri-reference');
  const badInvocation = structuredClone(log) as unknown as { runs: Array<{ invocations: Array<Record<string, unknown>> }> };
  delete badInvocation.runs[0]!.invocations[0]!.executionSuccessful;
  assert.equal(validateSarif(badInvocation), false);

  const empty = sarifOf(makeResult({ findings: [], problems: [], configDiagnostics: [] }));
  assert.ok(validateSarif(empty), JSON.stringify(validateSarif.errors, null, 2));
});

test('sarif: tool, rules, base URI and column kind', () => {
  const log = sarifOf(makeResult());
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'migration-lens');
  assert.equal(run.tool.driver.version, '0.1.0');
  assert.match(run.tool.driver.informationUri ?? '', /^https:\/\//);
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///home/dev/acme%20shop/' } });
  assert.deepEqual(
    run.tool.driver.rules!.map((rule) => [rule.id, rule.name, rule.shortDescription?.text, rule.helpUri, rule.defaultConfiguration?.level]),
    [
      ['MIG001', 'removed-api', 'Use of an API removed by the migration.', 'https://example.com/rules/MIG001', 'error'],
      ['MIG002', 'non-canonical-import', 'Import a symbol from its canonical module.', 'https://example.com/rules/MIG002', 'error'],
      ['MIG004', 'deprecated-call', 'Call of a deprecated function.', 'https://example.com/rules/MIG004', 'warning'],
      ['MIG005', 'compat-alias', 'Use of a compatibility alias.', 'https://example.com/rules/MIG005', 'note'],
      ['MIG006', 'legacy-pattern', 'Legacy pattern.', 'https://example.com/rules/MIG006', 'note'],
    ],
  );
  for (const artifact of run.artifacts ?? []) assert.equal(artifact.location?.uriBaseId, '%SRCROOT%');
});

test('sarif: results have ruleId/ruleIndex, levels, encoded relative URIs and 1-based regions', () => {
  const run = sarifOf(makeResult()).runs[0]!;
  const results = run.results!;
  assert.equal(results.length, 6);
  assert.deepEqual(
    results.map((res) => [res.ruleId, res.ruleIndex, res.level]),
    [
      ['MIG004', 2, 'warning'],
      ['MIG002', 1, 'error'],
      ['MIG002', 1, 'error'],
      ['MIG005', 3, 'note'],
      ['MIG002', 1, 'error'],
      ['MIG006', 4, 'note'],
    ],
  );
  for (const res of results) assert.equal(run.tool.driver.rules![res.ruleIndex!]!.id, res.ruleId);

  const first = results[0]!;
  assert.equal(first.message.text, NON_ASCII_MESSAGE);
  const loc = first.locations![0]!.physicalLocation!;
  assert.equal(loc.artifactLocation!.uri, 'scripts/old%20tools/migrate.py');
  assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
  assert.deepEqual(loc.region, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 9 });

  const multi = results[1]!;
  assert.deepEqual(multi.locations![0]!.physicalLocation!.region, { startLine: 4, startColumn: 8, endLine: 4, endColumn: 23 });
  assert.deepEqual(multi.relatedLocations, [
    {
      id: 0,
      physicalLocation: {
        artifactLocation: { uri: 'src/app/domain/user.py', uriBaseId: '%SRCROOT%' },
        region: { startLine: 10, startColumn: 7, endLine: 10, endColumn: 11 },
      },
      message: { text: 'canonical definition of `User`' },
    },
  ]);
  assert.deepEqual(multi.fixes, [
    {
      description: { text: 'Import from `app.domain.user`' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'src/app/models.py', uriBaseId: '%SRCROOT%' },
          replacements: [
            { deletedRegion: { startLine: 4, startColumn: 6, endLine: 4, endColumn: 18 }, insertedContent: { text: 'app.domain.user' } },
            { deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: '# migrated\n' } },
          ],
        },
      ],
      properties: { safety: 'safe' },
    },
  ]);
  assert.equal(results[2]!.fixes, undefined, 'no fixes when the finding has none');
  assert.equal(results[3]!.fixes![0]!.properties!.safety, 'unsafe');
  assert.equal(results[3]!.message.text, TRICKY_MESSAGE);
});

test('sarif: file problems and config diagnostics become tool execution notifications', () => {
  const invocations = sarifOf(makeResult()).runs[0]!.invocations!;
  assert.equal(invocations.length, 1);
  assert.equal(invocations[0]!.executionSuccessful, true);
  const notes = invocations[0]!.toolExecutionNotifications!;
  assert.deepEqual(
    notes.map((n) => [n.level, n.message.text, n.locations![0]!.physicalLocation!.artifactLocation, n.locations![0]!.physicalLocation!.region]),
    [
      [
        'error',
        'Unknown rule code `MIG999` in `select`',
        { uri: 'pyproject.toml', uriBaseId: '%SRCROOT%' },
        { startLine: 21, startColumn: 11, endLine: 21, endColumn: 19 },
      ],
      ['warning', 'Unknown key `colour`', { uri: 'file:///etc/migration-lens/shared.toml' }, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 6 }],
      [
        'error',
        'Syntax error: unexpected indent',
        { uri: 'src/legacy/broken.py', uriBaseId: '%SRCROOT%' },
        { startLine: 13, startColumn: 5, endLine: 13, endColumn: 9 },
      ],
    ],
  );
});

test('sarif: partial fingerprints survive line moves, change with the message, disambiguate duplicates', () => {
  const fingerprints = (findings: Finding[]) =>
    sarifOf(makeResult({ findings })).runs[0]!.results!.map((res: Result) => res.partialFingerprints![FINGERPRINT_KEY]!);

  const before = fingerprints(makeFindings());
  assert.equal(new Set(before).size, before.length, 'all distinct');
  for (const fp of before) assert.match(fp, /^[0-9a-f]{32}:\d+$/);

  const moved = makeFindings().map((f) => ({
    ...f,
    range: r(f.range.start.line + 7, f.range.start.column + 2, f.range.end.line + 7, f.range.end.column + 2),
  }));
  assert.deepEqual(fingerprints(moved), before, 'stable when lines and columns move');

  const reworded = makeFindings();
  reworded[1] = { ...reworded[1]!, message: 'Import `User` from canonical module `app.domain.users`' };
  const after = fingerprints(reworded);
  assert.notEqual(after[1], before[1]);
  assert.equal(after[2], before[2]);

  const dup = makeFindings()[2]!;
  const dups = fingerprints([dup, { ...dup, range: r(20, 4, 20, 9) }]);
  assert.notEqual(dups[0], dups[1]);
  assert.equal(dups[0]!.split(':')[0], dups[1]!.split(':')[0], 'same hash, different occurrence index');
});

// ---------------------------------------------------------------------------------------------
// github

test('github: one workflow command per item, levels by severity, 1-based positions', () => {
  const lines = formatGithub(makeResult()).trimEnd().split('\n');
  assert.equal(lines.length, 3 + 6);
  assert.equal(
    lines[0],
    '::error file=pyproject.toml,line=21,col=11,endLine=21,endColumn=19,title=migration-lens configuration::Unknown rule code `MIG999` in `select`',
  );
  assert.equal(
    lines[1],
    '::warning file=/etc/migration-lens/shared.toml,line=1,col=1,endLine=1,endColumn=6,title=migration-lens configuration::Unknown key `colour`',
  );
  assert.equal(
    lines[2],
    '::error file=src/legacy/broken.py,line=13,col=5,endLine=13,endColumn=9,title=migration-lens syntax error::Syntax error: unexpected indent',
  );
  assert.equal(
    lines[3],
    `::warning file=scripts/old tools/migrate.py,line=3,col=1,endLine=3,endColumn=9,title=MIG004 deprecated-call::${NON_ASCII_MESSAGE}`,
  );
  assert.equal(
    lines[4],
    '::error file=src/app/models.py,line=4,col=8,endLine=4,endColumn=23,title=MIG002 non-canonical-import::Import `User` from canonical module `app.domain.user`',
  );
  assert.ok(lines[7]!.startsWith('::error file=tests/test_views.py,line=6,col=12,'));
  assert.ok(lines[8]!.startsWith('::notice file=tests/test_views.py,line=9,col=1,'), 'hint → notice');
  assert.equal(formatGithub(makeResult({ findings: [], problems: [], configDiagnostics: [] })), '');
});

test('github: escapes %, CR, LF in data and also : and , in properties', () => {
  const lines = formatGithub(makeResult()).trimEnd().split('\n');
  assert.equal(
    lines[6],
    '::notice file=src/app/views.py,line=1,col=1,endLine=2,endColumn=5,title=MIG005 compat-alias::' +
      'Alias `compat.get_user` is 100%25 redundant,%0Ause: `app.domain.user.get_user`',
  );
  const weird: Finding = { ...makeFindings()[5]!, path: 'odd,dir/a:b%c.py', message: 'line1\r\nline2 50%' };
  const out = formatGithub(makeResult({ findings: [weird], problems: [], configDiagnostics: [] }));
  assert.equal(
    out,
    '::notice file=odd%2Cdir/a%3Ab%25c.py,line=9,col=1,endLine=9,endColumn=4,title=MIG006 legacy-pattern::line1%0D%0Aline2 50%25\n',
  );
  assert.equal(out.split('\n').length, 2, 'a multi-line message stays on one line');
});

// ---------------------------------------------------------------------------------------------
// index

test('index: formatResult dispatches to each format; OUTPUT_FORMATS and isOutputFormat', () => {
  const result = makeResult();
  assert.deepEqual(OUTPUT_FORMATS, ['text', 'json', 'sarif', 'github']);
  assert.equal(formatResult(result, 'text'), formatText(result, { color: false }));
  assert.equal(formatResult(result, 'text', { color: true }), formatText(result, { color: true }));
  assert.equal(formatResult(result, 'json'), formatJson(result));
  assert.equal(formatResult(result, 'sarif'), formatSarif(result));
  assert.equal(formatResult(result, 'github'), formatGithub(result));
  assert.ok(isOutputFormat('sarif'));
  assert.ok(!isOutputFormat('junit'));
});
