import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CONFIG_KEYS,
  DEFAULT_CATEGORIES,
  DEFAULT_EXCLUDE,
  defaultConfig,
  findConfigFile,
  loadConfig,
  parseConfigText,
  parseRequiresPython,
} from '../../server/src/core/config/load.js';
import type { ConfigDiagnostic } from '../../server/src/core/types.js';
import type { ConfigSpan } from '../../server/src/core/config/types.js';

// Tests run from the repository root (`node --import tsx --test test/config/*.test.ts`).
const FIXTURES = path.resolve('test', 'fixtures', 'config');

function fixture(relative: string): string {
  return path.join(FIXTURES, relative);
}

function load(relative: string) {
  return loadConfig({ checkPath: FIXTURES, configFile: fixture(relative) });
}

/** 1-based "line:col-line:col", so expectations read like an editor's status bar. */
function at(range: ConfigDiagnostic['range']): string {
  return `${range.start.line + 1}:${range.start.column + 1}-${range.end.line + 1}:${range.end.column + 1}`;
}

function where(diagnostics: ConfigDiagnostic[]): string[] {
  return diagnostics.map((d) => `${at(d.range)} ${d.severity}`);
}

function spanAt(span: ConfigSpan | null | undefined): string {
  assert.ok(span, 'expected a span');
  return at(span.range);
}

function messageAt(diagnostics: ConfigDiagnostic[], position: string): string {
  const found = diagnostics.find((d) => at(d.range).startsWith(`${position}-`));
  assert.ok(found, `no diagnostic at ${position}; got ${where(diagnostics).join(', ')}`);
  return found.message;
}

const RUFF_EXCLUDE = [
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox',
  '.pants.d', '.pyenv', '.pytest_cache', '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode',
  '__pypackages__', '_build', 'buck-out', 'build', 'dist', 'node_modules', 'site-packages', 'venv',
];

test('defaultConfig has the documented defaults', () => {
  const config = defaultConfig('/project');
  assert.equal(config.root, '/project');
  assert.equal(config.configPath, null);
  assert.deepEqual(config.src, ['.', 'src']);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 9 });
  assert.equal(config.respectGitignore, true);
  assert.equal(config.maxFileSize, 4 * 1024 * 1024);
  assert.equal(config.select, null);
  assert.deepEqual(config.exclude, RUFF_EXCLUDE);
  assert.deepEqual(DEFAULT_EXCLUDE, RUFF_EXCLUDE);
  assert.deepEqual(config.categories, [
    { name: 'tests', patterns: ['tests/**', 'test/**', '**/tests/**', '**/test/**', '**/test_*.py', '**/*_test.py', '**/conftest.py'] },
  ]);
  assert.deepEqual(config.categories, DEFAULT_CATEGORIES);
  for (const empty of [config.extendExclude, config.ignore, config.perFileIgnores, config.deprecated, config.canonical]) {
    assert.deepEqual(empty, []);
  }
  assert.deepEqual(config.severity, {});
});

test('defaultConfig returns fresh arrays each time', () => {
  const first = defaultConfig('/a');
  first.exclude.push('mine');
  first.categories[0]?.patterns.push('mine/**');
  const second = defaultConfig('/b');
  assert.deepEqual(second.exclude, RUFF_EXCLUDE);
  assert.equal(second.categories[0]?.patterns.includes('mine/**'), false);
});

test('valid-full.toml: every key parsed, no diagnostics', () => {
  const { config, diagnostics } = load('valid-full.toml');
  assert.deepEqual(diagnostics, []);
  assert.equal(config.configPath, fixture('valid-full.toml'));
  assert.equal(config.root, FIXTURES);
  assert.deepEqual(config.src, ['src', 'lib']);
  assert.deepEqual(config.exclude, ['generated/**', '*.pb2.py']);
  assert.deepEqual(config.extendExclude, ['scratch/**']);
  assert.equal(config.respectGitignore, false);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 11 });
  assert.deepEqual(config.select, ['MIG', 'MIG002']);
  assert.deepEqual(config.ignore, ['MIG007']);
  assert.equal(config.maxFileSize, 1048576);
  assert.deepEqual(config.perFileIgnores, [
    { pattern: 'scripts/**', codes: ['MIG001', 'MIG00'] },
    { pattern: '**/__init__.py', codes: ['MIG003'] },
  ]);
  assert.deepEqual(config.severity, { MIG001: 'warning', MIG004: 'hint' });
  // File order, not alphabetical or integer-first object order.
  assert.deepEqual(config.categories.map((c) => c.name), ['zeta', 'tests', '10-docs']);
  assert.deepEqual(config.categories[2]?.patterns, ['docs/**/*.py']);
  assert.deepEqual(
    config.deprecated.map(({ symbol, replacement, message }) => ({ symbol, replacement, message })),
    [
      { symbol: 'netra.old.helpers.parse_config', replacement: 'netra.config.parse', message: 'Use the new config parser.' },
      { symbol: 'netra.legacy', replacement: null, message: null },
    ],
  );
  assert.deepEqual(config.canonical.map(({ module, symbols }) => ({ module, symbols })), [
    { module: 'netra.types', symbols: ['UserId', 'OrgId'] },
  ]);
  assert.deepEqual(config.required.map((r) => [r.name, spanAt(r.span)]), [
    ['netra.api', '10:13-10:24'],
    ['netra.types.UserId', '10:26-10:46'],
  ]);
});

test('valid-full.toml: spans of symbol, replacement, module and symbols', () => {
  const { config } = load('valid-full.toml');
  const [first, second] = config.deprecated;
  assert.equal(spanAt(first?.symbolSpan), '25:10-25:42');
  assert.equal(first?.symbolSpan?.path, fixture('valid-full.toml'));
  assert.equal(spanAt(first?.replacementSpan), '26:15-26:35');
  assert.equal(spanAt(second?.symbolSpan), '30:10-30:24');
  assert.equal(second?.replacementSpan, null);
  const canonical = config.canonical[0];
  assert.equal(spanAt(canonical?.moduleSpan), '33:10-33:23');
  assert.deepEqual(canonical?.symbolSpans.map((s) => spanAt(s)), ['34:12-34:20', '34:22-34:29']);
});

test('CONFIG_KEYS documents every key the parser accepts, and only those', () => {
  const keys = CONFIG_KEYS.map((k) => k.key);
  assert.equal(new Set(keys).size, keys.length, 'duplicate keys');
  assert.equal(keys.length, 14);
  const fullText = fs.readFileSync(fixture('valid-full.toml'), 'utf8');
  for (const doc of CONFIG_KEYS) {
    for (const field of [doc.type, doc.default, doc.description]) assert.ok(field.length > 0, `${doc.key} is missing documentation`);
    const escaped = doc.key.replace(/[-]/g, '\\-');
    assert.match(fullText, new RegExp(`^(${escaped} =|\\[${escaped}\\]|\\[\\[${escaped}\\]\\])`, 'm'), `valid-full.toml lacks ${doc.key}`);
    // Known keys may be rejected for their value, never as unknown.
    const { diagnostics } = parseConfigText(`${doc.key} = 0\n`, '/p/migration-lens.toml', '/p');
    assert.equal(diagnostics.length, 1, `${doc.key}: ${diagnostics.map((d) => d.message).join('; ')}`);
    assert.doesNotMatch(diagnostics[0]?.message ?? '', /Unknown key/);
  }
  const unknown = parseConfigText('not-a-key = 0\n', '/p/migration-lens.toml', '/p');
  assert.match(unknown.diagnostics[0]?.message ?? '', /^Unknown key `not-a-key`/);
});

test('bad-syntax.toml: one error at the parser position, defaults used', () => {
  const { config, diagnostics } = load('bad-syntax.toml');
  assert.deepEqual(where(diagnostics), ['4:1-4:2 error']);
  assert.match(diagnostics[0]?.message ?? '', /^TOML syntax error: /);
  assert.equal(diagnostics[0]?.path, fixture('bad-syntax.toml'));
  assert.equal(config.configPath, fixture('bad-syntax.toml'));
  assert.equal(config.root, FIXTURES);
  assert.deepEqual({ ...config, configPath: null }, defaultConfig(FIXTURES));
});

test('syntax error positions are converted to 0-based line and column', () => {
  // `@` is 1-based 2:5, i.e. 0-based line 1, column 4; the range covers that one character.
  const unexpected = parseConfigText('src = ["a"]\nx = @\n', '/p/migration-lens.toml', '/p');
  assert.deepEqual(unexpected.diagnostics.map((d) => d.range), [{ start: { line: 1, column: 4 }, end: { line: 1, column: 5 } }]);
  // The parser reports an unterminated string where the line ends: an empty range there.
  const unterminated = parseConfigText('src = ["a"]\nsrc2 = "unterminated\n', '/p/migration-lens.toml', '/p');
  assert.deepEqual(where(unterminated.diagnostics), ['2:21-2:21 error']);
  assert.match(unterminated.diagnostics[0]?.message ?? '', /Unterminated string/);
});

test('unknown-key.toml: errors at keys with did-you-mean, valid parts kept', () => {
  const { config, diagnostics } = load('unknown-key.toml');
  assert.deepEqual(where(diagnostics), ['1:1-1:5 error', '2:1-2:15 error', '3:1-3:4 error', '8:1-8:11 error']);
  assert.match(messageAt(diagnostics, '1:1'), /Unknown key `srcs`.*did you mean `src`\?/);
  assert.match(messageAt(diagnostics, '2:1'), /did you mean `target-version`\?/);
  assert.doesNotMatch(messageAt(diagnostics, '3:1'), /did you mean/);
  assert.match(messageAt(diagnostics, '3:1'), /expected one of: src, exclude/);
  assert.match(messageAt(diagnostics, '8:1'), /`replacment` in a `deprecated` entry; did you mean `replacement`\?/);
  assert.equal(config.respectGitignore, false);
  assert.deepEqual(config.src, ['.', 'src']);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(config.deprecated.map((d) => [d.symbol, d.replacement]), [['pkg.old', null]]);
  assert.equal(spanAt(config.deprecated[0]?.symbolSpan), '7:10-7:19');
});

test('wrong-type.toml: errors at values naming expected and actual types', () => {
  const { config, diagnostics } = load('wrong-type.toml');
  assert.deepEqual(where(diagnostics), [
    '1:7-1:12 error',
    '2:23-2:24 error',
    '3:21-3:26 error',
    '4:17-4:20 error',
    '5:18-5:21 error',
    '6:10-6:18 error',
    '7:12-7:19 error',
  ]);
  assert.match(messageAt(diagnostics, '1:7'), /`src` must be an array of strings, got string \(wrap it in brackets: \["lib"\]\)/);
  assert.match(messageAt(diagnostics, '2:23'), /element of `exclude` must be a string, got integer/);
  assert.match(messageAt(diagnostics, '3:21'), /must be a boolean .*got string/);
  assert.match(messageAt(diagnostics, '4:17'), /positive integer .*got float/);
  assert.match(messageAt(diagnostics, '5:18'), /`target-version` must be a string, got integer/);
  assert.match(messageAt(diagnostics, '7:12'), /`severity` must be a table.*got string/);
  // Bad parts fall back to defaults; good parts (and good elements) survive.
  assert.deepEqual(config.src, ['.', 'src']);
  assert.deepEqual(config.exclude, ['keep/**', 'also/**']);
  assert.equal(config.respectGitignore, true);
  assert.equal(config.maxFileSize, 4 * 1024 * 1024);
  assert.equal(config.select, null);
  assert.deepEqual(config.ignore, ['MIG003']);
});

test('bad-values.toml: each bad value reported at the exact value or key', () => {
  const { diagnostics } = load('bad-values.toml');
  assert.deepEqual(where(diagnostics), [
    '1:18-1:24 error', // target-version "3.10"
    '2:21-2:27 error', // "MIG9"
    '2:29-2:37 error', // "mig002"
    '2:39-2:41 error', // ""
    '3:17-3:18 error', // max-file-size = 0
    '4:28-4:35 error', // "[z-a]" in extend-exclude
    '7:1-7:8 error', // per-file-ignores key "[z-a]"
    '8:25-8:30 error', // "XYZ"
    '11:1-11:6 error', // severity key MIG01
    '12:10-12:17 error', // "fatal"
    '16:1-16:11 error', // categories.production
    '17:22-17:24 error', // empty glob
    '19:3-19:13 error', // deprecated entry without symbol (points at the header key)
    '23:10-23:20 error', // "pkg..old"
    '26:10-26:27 error', // "pkg.class.thing"
    '27:15-27:25 error', // "pkg.2new"
    '34:11-34:13 error', // symbols = []
    '38:20-38:29 error', // "pkg.Org"
    '38:31-38:32 error', // 7
    '40:3-40:12 error', // canonical without module
  ]);
  assert.match(messageAt(diagnostics, '1:18'), /expected "py38" through "py314" \(did you mean "py310"\?\)/);
  assert.match(messageAt(diagnostics, '2:29'), /upper-case: "MIG002"/);
  assert.match(messageAt(diagnostics, '4:28'), /Invalid glob pattern "\[z-a\]"/);
  assert.match(messageAt(diagnostics, '11:1'), /did you mean `MIG001`\?/);
  assert.match(messageAt(diagnostics, '12:10'), /"error", "warning", "info", "hint"/);
  assert.match(messageAt(diagnostics, '16:1'), /"production" is reserved/);
  assert.match(messageAt(diagnostics, '26:10'), /"class" is a Python keyword/);
  assert.match(messageAt(diagnostics, '27:15'), /"2new" is not a Python identifier/);
});

test('bad-values.toml: the valid parts survive', () => {
  const { config } = load('bad-values.toml');
  assert.deepEqual(config.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(config.select, ['MIG001']);
  assert.equal(config.maxFileSize, 4 * 1024 * 1024);
  assert.deepEqual(config.extendExclude, ['ok/**']);
  assert.deepEqual(config.perFileIgnores, [{ pattern: 'tests/**', codes: ['MIG001'] }]);
  assert.deepEqual(config.severity, { MIG003: 'info' });
  assert.deepEqual(config.categories, [{ name: 'tests', patterns: ['tests/**'] }]);
  assert.deepEqual(config.deprecated.map((d) => d.symbol), ['pkg.fine']);
  assert.deepEqual(config.canonical.map((c) => [c.module, c.symbols]), [['pkg.models', ['User', 'Team']]]);
  assert.deepEqual(config.canonical[0]?.symbolSpans.map((s) => spanAt(s)), ['38:12-38:18', '38:34-38:40']);
});

test('single [deprecated] table gets a double-bracket hint', () => {
  const { config, diagnostics } = load('single-bracket-deprecated.toml');
  assert.deepEqual(where(diagnostics), ['1:2-1:12 error']);
  assert.match(diagnostics[0]?.message ?? '', /got table; write each entry as \[\[deprecated\]\]/);
  assert.deepEqual(config.deprecated, []);
});

test('inline tables and dotted keys are located too', () => {
  const { config, diagnostics } = load('inline-and-dotted.toml');
  assert.deepEqual(where(diagnostics), ['2:56-2:62 error']);
  assert.match(diagnostics[0]?.message ?? '', /element of `deprecated` must be a table, got string/);
  assert.deepEqual(config.severity, { MIG005: 'error' });
  assert.equal(spanAt(config.deprecated[0]?.symbolSpan), '2:26-2:31');
  assert.equal(spanAt(config.deprecated[0]?.replacementSpan), '2:47-2:52');
  assert.equal(spanAt(config.canonical[0]?.moduleSpan), '4:14-4:24');
  assert.deepEqual(config.canonical[0]?.symbolSpans.map((s) => spanAt(s)), ['4:37-4:41']);
  assert.deepEqual(config.categories.map((c) => c.name), ['slow', 'tests']);
});

test('columns count UTF-16 code units and a BOM or CRLF does not shift positions', () => {
  const emoji = parseConfigText('src = ["😀", 1]\n', '/p/migration-lens.toml', '/p');
  assert.deepEqual(where(emoji.diagnostics), ['1:14-1:15 error']);
  const crlf = parseConfigText('\ufeffsrc = ["a"]\r\nzzz = 2\r\n', '/p/migration-lens.toml', '/p');
  assert.deepEqual(where(crlf.diagnostics), ['2:1-2:4 error']);
  assert.deepEqual(crlf.config.src, ['a']);
});

test('pyproject.toml: reads [tool.migration-lens] and requires-python', () => {
  const { config, diagnostics } = load('pyproject-requires-python/pyproject.toml');
  assert.deepEqual(where(diagnostics), ['10:1-10:6 error']);
  assert.match(diagnostics[0]?.message ?? '', /Unknown key `selct` in \[tool\.migration-lens\]; did you mean `select`\?/);
  assert.deepEqual(config.src, ['python']);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 10 });
  assert.equal(config.root, fixture('pyproject-requires-python'));
  // [project] and [tool.ruff] are not ours: no complaints about them.
  assert.equal(diagnostics.length, 1);
});

test('pyproject.toml: explicit target-version beats requires-python; unparsable requires-python → 3.9', () => {
  const explicit = parseConfigText(
    '[project]\nrequires-python = ">=3.12"\n[tool.migration-lens]\ntarget-version = "py38"\n',
    '/p/pyproject.toml',
    '/p',
  );
  assert.deepEqual(explicit.config.targetVersion, { major: 3, minor: 8 });
  const unparsable = parseConfigText('[project]\nrequires-python = "banana"\n[tool.migration-lens]\n', '/p/pyproject.toml', '/p');
  assert.deepEqual(unparsable.config.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(unparsable.diagnostics, []);
});

test('pyproject.toml: [[tool.migration-lens]] is reported, not crashed on', () => {
  const { diagnostics } = parseConfigText('[[tool.migration-lens]]\nsrc = ["a"]\n', '/p/pyproject.toml', '/p');
  assert.deepEqual(where(diagnostics), ['1:8-1:22 error']); // at `migration-lens` in the header
  assert.match(diagnostics[0]?.message ?? '', /`tool.migration-lens` must be a table, got array of tables/);
});

test('parseRequiresPython takes the lower-bound minor', () => {
  const cases: [string, string | null][] = [
    ['>=3.10', '3.10'],
    ['~=3.11', '3.11'],
    ['~=3.11.2', '3.11'],
    ['>3.9', '3.10'],
    ['>3.9.1', '3.9'],
    ['>= 3.10, <4', '3.10'],
    ['<4, >=3.9', '3.9'],
    ['==3.12.*', '3.12'],
    ['>=3.8.1', '3.8'],
    ['>=3.6', '3.8'], // clamped to the oldest supported target
    ['>=3.20', '3.14'], // clamped to the newest
    ['>=2.7', '3.8'],
    ['<4', null],
    ['banana', null],
    ['>=3.10; extra', null],
    ['', null],
  ];
  for (const [spec, expected] of cases) {
    const version = parseRequiresPython(spec);
    assert.equal(version ? `${version.major}.${version.minor}` : null, expected, spec);
  }
});

test('migration-lens.toml: target-version defaults from a sibling pyproject.toml', () => {
  const loaded = load('sibling-pyproject/migration-lens.toml');
  assert.deepEqual(loaded.diagnostics, []);
  assert.deepEqual(loaded.config.src, ['pkg']);
  assert.deepEqual(loaded.config.targetVersion, { major: 3, minor: 11 });
  // The pure parser knows nothing of siblings unless told.
  const text = fs.readFileSync(fixture('sibling-pyproject/migration-lens.toml'), 'utf8');
  const file = fixture('sibling-pyproject/migration-lens.toml');
  assert.deepEqual(parseConfigText(text, file, '/p').config.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(parseConfigText(text, file, '/p', { defaultTargetVersion: { major: 3, minor: 13 } }).config.targetVersion, {
    major: 3,
    minor: 13,
  });
});

test('migration-lens.toml may use a [tool.migration-lens] table; stray top-level keys are reported', () => {
  const { config, diagnostics } = load('tool-table/migration-lens.toml');
  assert.deepEqual(where(diagnostics), ['1:1-1:4 error']);
  assert.match(diagnostics[0]?.message ?? '', /`src` is ignored/);
  assert.deepEqual(config.src, ['app']);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 13 });
});

test('findConfigFile walks up and skips pyproject.toml without the table', () => {
  const expected = fixture('discovery/a/migration-lens.toml');
  assert.equal(findConfigFile(fixture('discovery/a/b/c/d/mod.py')), expected);
  assert.equal(findConfigFile(fixture('discovery/a/b/c/d')), expected);
  assert.equal(findConfigFile(fixture('discovery/a/b')), expected);
  assert.equal(findConfigFile(fixture('discovery/a')), expected);
});

test('findConfigFile priority within one folder', () => {
  assert.equal(findConfigFile(fixture('discovery/prio-all')), fixture('discovery/prio-all/migration-lens.toml'));
  assert.equal(findConfigFile(fixture('discovery/prio-dot')), fixture('discovery/prio-dot/.migration-lens.toml'));
  assert.equal(findConfigFile(fixture('pyproject-requires-python')), fixture('pyproject-requires-python/pyproject.toml'));
  assert.notEqual(findConfigFile(fixture('pyproject-no-table')), fixture('pyproject-no-table/pyproject.toml'));
});

test('findConfigFile picks a pyproject.toml whose table is there but whose TOML is broken', () => {
  assert.equal(findConfigFile(fixture('broken-pyproject')), fixture('broken-pyproject/pyproject.toml'));
  const { config, diagnostics } = loadConfig({ checkPath: fixture('broken-pyproject') });
  assert.equal(config.configPath, fixture('broken-pyproject/pyproject.toml'));
  assert.deepEqual(where(diagnostics), ['6:1-6:1 error']);
  assert.match(diagnostics[0]?.message ?? '', /syntax error: Unterminated array/);
});

test('loadConfig discovers the config and roots the project at its folder', () => {
  const { config, diagnostics } = loadConfig({ checkPath: fixture('discovery/a/b/c/d/mod.py') });
  assert.deepEqual(diagnostics, []);
  assert.equal(config.configPath, fixture('discovery/a/migration-lens.toml'));
  assert.equal(config.root, fixture('discovery/a'));
  assert.deepEqual(config.src, ['from-a']);
});

test('loadConfig without any config file uses defaults rooted at the checked path', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  if (findConfigFile(dir) !== null) {
    t.skip('a config file exists above the temp folder');
    return;
  }
  const file = path.join(dir, 'mod.py');
  fs.writeFileSync(file, 'x = 1\n');
  assert.deepEqual(loadConfig({ checkPath: dir }), { config: defaultConfig(dir), diagnostics: [] });
  assert.equal(loadConfig({ checkPath: file }).config.root, dir);
});

test('an explicit missing --config file is a diagnostic, not a throw', () => {
  const missing = fixture('does-not-exist.toml');
  const checked = fixture('discovery/a/b/c/d/mod.py');
  const result = loadConfig({ checkPath: checked, configFile: missing });
  assert.deepEqual(where(result.diagnostics), ['1:1-1:1 error']);
  assert.equal(result.diagnostics[0]?.path, missing);
  assert.match(result.diagnostics[0]?.message ?? '', /not found/);
  // Defaults, not the discoverable discovery/a/migration-lens.toml.
  assert.deepEqual(result.config, defaultConfig(fixture('discovery/a/b/c/d')));
});

test('an explicit pyproject.toml without the table warns and uses defaults plus requires-python', () => {
  const { config, diagnostics } = load('pyproject-no-table/pyproject.toml');
  assert.deepEqual(where(diagnostics), ['5:7-5:21 warning', '1:1-1:1 warning']);
  assert.match(messageAt(diagnostics, '5:7'), /did you mean \[tool\.migration-lens\]\?/);
  assert.match(messageAt(diagnostics, '1:1'), /no \[tool\.migration-lens\] table/);
  assert.deepEqual(config.src, ['.', 'src']);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 12 });
});

test('odd input never throws', () => {
  const texts = [
    '',
    '\u0000\u0001garbage = = =',
    'deprecated = 5\ncanonical = [1, [2]]\ncategories = []\n',
    'when = 1979-05-27T07:32:00Z\ntarget-version = 1979-05-27\n',
    '[[canonical]]\nmodule = 3\nsymbols = "x"\n[[canonical]]\nextra = 1\n',
    'tool = 1\n',
    'max-file-size = 99999999999999999999\n',
  ];
  for (const name of ['migration-lens.toml', 'pyproject.toml']) {
    for (const text of texts) {
      const result = parseConfigText(text, `/p/${name}`, '/p');
      assert.equal(result.config.root, '/p');
      for (const d of result.diagnostics) assert.equal(d.path, `/p/${name}`);
    }
  }
  const mixed = parseConfigText(texts[4] ?? '', '/p/migration-lens.toml', '/p');
  assert.deepEqual(where(mixed.diagnostics), [
    '2:10-2:11 error', // module = 3
    '3:11-3:14 error', // symbols = "x"
    '5:1-5:6 error', // unknown key `extra`
    '4:3-4:12 error', // missing module
    '4:3-4:12 error', // missing symbols
  ]);
  assert.deepEqual(mixed.config.canonical, []);
});
