import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import { CANONICAL_ENTRY_KEYS, CONFIG_KEYS, DEPRECATED_ENTRY_KEYS } from '../../server/src/core/config/defaults.js';
import { parseTomlTree } from '../../server/src/core/config/tree.js';
import { extractFacts } from '../../server/src/core/python/extract.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { ALL_RULE_CODES } from '../../server/src/core/types.js';
import {
  FIXTURES,
  INJECTION_SCOPE,
  PYTHON_SCOPE,
  REPO_ROOT,
  SYNTAXES,
  TOML_SCOPE,
  checkFixture,
  createRegistry,
  invalidTokens,
  loadGrammar,
  onigLib,
  parseFixture,
  scopesAt,
  tokenize,
  type Token,
} from './tmgrammar.js';

const S = 'migration-lens-toml';
const KNOWN_KEY = `keyword.other.key.known.${S}`;
const KNOWN_TABLE = `keyword.other.table.known.${S}`;
const RULE_CODE = 'constant.other.rule-code.migration-lens';
const RULE_CODE_PREFIX = 'constant.other.rule-code.prefix.migration-lens';
const SUPPRESSION = 'meta.suppression.migration-lens';

const TOML_FIXTURES = ['all-constructs.toml', 'inline-config.toml', 'tool-table.toml'];
const INVALID_FIXTURE = 'invalid.toml';
const PYTHON_FIXTURE = 'suppressions.py';
const NETRA_CONFIG = path.join(REPO_ROOT, 'examples', 'netra', 'migration-lens.toml');

const registry = createRegistry();
const tomlGrammar = loadGrammar(registry, TOML_SCOPE);
const pythonGrammar = loadGrammar(registry, PYTHON_SCOPE);

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

async function tokenizeToml(text: string): Promise<Token[][]> {
  return tokenize(await tomlGrammar, text);
}

/** Scopes of the first token whose text is `text` on 0-based line `line`. */
function scopesOf(tokens: Token[][], line: number, text: string): string[] {
  const token = (tokens[line] ?? []).find((t) => t.text === text);
  assert.ok(token, `no token ${JSON.stringify(text)} on line ${line + 1}: ${JSON.stringify((tokens[line] ?? []).map((t) => t.text))}`);
  return token.scopes;
}

// ---- the grammar files themselves ------------------------------------------------------------------

function includesOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) includesOf(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'include' && typeof value === 'string') out.push(value);
      else includesOf(value, out);
    }
  }
  return out;
}

test('grammar files declare the scope names the extension registers, every #include resolves, # is the line comment', () => {
  const toml = JSON.parse(fs.readFileSync(path.join(SYNTAXES, 'migration-lens-toml.tmLanguage.json'), 'utf8'));
  const injection = JSON.parse(fs.readFileSync(path.join(SYNTAXES, 'migration-lens-suppression.injection.tmLanguage.json'), 'utf8'));
  assert.equal(toml.scopeName, TOML_SCOPE);
  assert.equal(injection.scopeName, INJECTION_SCOPE);
  assert.equal(injection.injectionSelector, 'L:comment.line.number-sign.python -string');
  // The language id gets its own configuration, so toggling comments keeps working in the config files.
  const languageConfiguration = JSON.parse(fs.readFileSync(path.join(SYNTAXES, 'migration-lens-toml.language-configuration.json'), 'utf8'));
  assert.equal(languageConfiguration.comments.lineComment, '#');
  // vscode-textmate silently drops an include whose rule is missing, so a typo would only show as lost highlighting.
  for (const grammar of [toml, injection]) {
    const missing = includesOf(grammar).filter((inc) => inc.startsWith('#') && !Object.hasOwn(grammar.repository, inc.slice(1)));
    assert.deepEqual(missing, [], `${grammar.scopeName}: includes without a repository rule`);
  }
});

// ---- TOML fixtures ---------------------------------------------------------------------------------

for (const name of [...TOML_FIXTURES, INVALID_FIXTURE]) {
  test(`${name}: every scope assertion holds`, async () => {
    const text = readFixture(name);
    const fixture = parseFixture(text);
    assert.equal(fixture.scopeName, TOML_SCOPE);
    assert.ok(fixture.assertions.length >= 20, `only ${fixture.assertions.length} assertions`);
    assert.deepEqual(checkFixture(fixture, await tokenizeToml(text), name), []);
  });
}

test('the valid fixtures are TOML 1.0 the config loader parses, and nothing in them is scoped invalid', async () => {
  for (const name of TOML_FIXTURES) {
    const text = readFixture(name);
    const parsed = parseTomlTree(text);
    assert.ok(parsed.ok, `${name} does not parse: ${parsed.ok ? '' : JSON.stringify(parsed.error)}`);
    assert.deepEqual(invalidTokens(await tokenizeToml(text)), [], name);
  }
  // ...while the invalid fixture is rejected by the parser too, so its invalid scopes are not false alarms.
  assert.equal(parseTomlTree(readFixture(INVALID_FIXTURE)).ok, false);
});

test('examples/netra/migration-lens.toml: no invalid scopes, and its settings and tables are the known ones', async () => {
  const text = fs.readFileSync(NETRA_CONFIG, 'utf8');
  const tokens = await tokenizeToml(text);
  assert.deepEqual(invalidTokens(tokens), []);
  const known = tokens.flat().filter((t) => t.scopes.includes(KNOWN_KEY)).map((t) => t.text);
  assert.deepEqual(known, ['src', 'exclude', 'target-version', 'required', 'symbol', 'replacement', 'message', 'module', 'symbols']);
  const tables = tokens.flat().filter((t) => t.scopes.includes(KNOWN_TABLE)).map((t) => t.text);
  assert.deepEqual(tables, ['categories', 'deprecated', 'canonical']);
  // Category names are data, not settings.
  assert.ok(!scopesOf(tokens, text.split('\n').indexOf('tests = ["tests/**"]'), 'tests').includes(KNOWN_KEY));
});

test('a deliberately broken line of the netra config is scoped invalid.illegal, and only that line', async () => {
  const lines = fs.readFileSync(NETRA_CONFIG, 'utf8').split('\n');
  const at = lines.indexOf('target-version = "py311"');
  assert.ok(at > 0);
  for (const broken of ['target-version = "py311', 'target-version = py311', 'target-version "py311"', 'target-version = "py311" 3.11', '[target-version']) {
    const text = [...lines.slice(0, at), broken, ...lines.slice(at + 1)].join('\n');
    assert.equal(parseTomlTree(text).ok, false, `the parser accepts ${broken}`);
    const invalid = invalidTokens(await tokenizeToml(text));
    assert.ok(invalid.length > 0, `nothing invalid in ${broken}`);
    for (const entry of invalid) assert.ok(entry.startsWith(`${at + 1}:`) && entry.includes('invalid.illegal.'), `${broken}: ${entry}`);
  }
});

// What the grammar marks invalid must agree with toml-eslint-parser (TOML 1.0), the parser of the config loader.
const VALID_TOML = [
  'a = 1', 'a = +1', 'a = -0', 'a = 1_000', 'a = 0xDEAD_beef', 'a = 0o755', 'a = 0b1101',
  'a = 3.14', 'a = -0.01', 'a = 5e+22', 'a = 1e06', 'a = -2E-2', 'a = 224_617.445_991', 'a = inf', 'a = -inf', 'a = +nan', 'a = -0.0',
  'a = true', 'a = false',
  'a = 1979-05-27T07:32:00Z', 'a = 1979-05-27T00:32:00.999999-07:00', 'a = 1979-05-27 07:32:00Z', 'a = 1979-05-27t07:32:00z',
  'a = 1979-05-27T07:32:00', 'a = 1979-05-27', 'a = 07:32:00', 'a = 1979-12-31T23:59:60Z', 'a = 1979-05-27 # c',
  'a = "x\\"y\\\\z\\u00E9\\U0001F600\\t"', "a = 'C:\\Users\\x'", 'a = ""', "a = ''", 'a = "a # b" # c',
  'a = """\nRoses\nViolets"""', 'a = """\\\n  x \\\n  """', "a = '''\nraw \\ text\n'''", 'a = """x""""', "a = ''''x''''", 'a = """"x"""', 'a = """"""',
  'a = [ 1, 2, 3 ]', 'a = [ [1, 2], ["a"] ]', 'a = [\n  1,\n  2, # c\n]', 'a = []', 'a = [1,]', 'a = [ "x", ]', 'a = [0.1, "x", {b = 1}]',
  'a = [\n  # only a comment\n]', 'a = [\n  1\n  ,\n  2\n]', 'a = [ { b = [\n 1,\n] }, ]', 'b = { c = 1, d = [1,\n 2] }',
  'a = { b = 1, "c d" = 2, e.f = 3 }', 'a = {}', 'a = { }', 'a = { b = { c = 1 } }',
  '"127.0.0.1" = "x"', "'quoted \"value\"' = 1", 'a.b.c = 1', 'a . b = 1', '"" = 1', '1234 = 1', '3.14159 = "pi"',
  '[a]', '[ d.e.f ]', "[ j . \"k\" . 'l' ]", '[a."b.c".d]', '[[fruits]]', '[[a . b]]', '  [indented]', '[a] # comment',
  '# c', '\ta\t=\t1\t', 'a = 1 # c',
];
const INVALID_TOML = [
  'a = ', 'a =', 'a = # c', 'a = 01', 'a = 1__0', 'a = _1', 'a = 1_', 'a = 0x', 'a = +0x10', 'a = 1.', 'a = .5', 'a = 1.e5', 'a = True', 'a = tru',
  'a = "unterminated', 'a = "x\\', 'a = "bad \\q escape"', 'a = "\\u12"', 'a = """x\\q"""', "a = 'unterminated", "a = 'it's'",
  'a = 1 2', 'a = "x" junk', 'a = """abc""" x', 'a = 1 = 2', 'key = value', '= 1', 'a b = 1', 'a.=1', '.a = 1', 'a..b = 1', '"a = 1', 'a = 1, b = 2',
  'a = 1979-05-27T07:32', 'a = 1979-05-27T07:32:00Zjunk', 'a = 1979-05-27T25:00:00', 'a = 1979-13-01', 'a = 07:60:00', 'a = 1979-05-27T07:32:00+24:00',
  'a = 0b102', 'a = 0o8', 'a = 1e', 'a = --1', 'a = inf1',
  'a = [1 2]', 'a = [1,,2]', 'a = [,1]', 'a = [\n 1\n 2\n]', 'a = [1, 2 # c\n3]', 'a = [1, 2]]', 'a = [ 1, 2 } ]',
  'a = { b = 1, }', 'a = { , b = 1 }', 'a = { b = 1,, c = 2 }', 'a = { b = 1 c = 2 }', 'a = {\n b = 1 }', 'a = { b = 1 } c', 'a = {b = 1]', 'a = }',
  '[a', '[a.]', '[]', '[[a]', '[a]]', '[ [a] ]', '[a] b = 1', '[[a]] x',
];

test('the grammar and the TOML 1.0 parser agree on what is invalid', async () => {
  const disagreements: string[] = [];
  for (const text of VALID_TOML) {
    const invalid = invalidTokens(await tokenizeToml(text));
    if (!parseTomlTree(text).ok || invalid.length > 0) disagreements.push(`valid ${JSON.stringify(text)}: parses=${parseTomlTree(text).ok} invalid=${invalid.join('; ')}`);
  }
  for (const text of INVALID_TOML) {
    const invalid = invalidTokens(await tokenizeToml(text));
    if (parseTomlTree(text).ok || invalid.length === 0) disagreements.push(`invalid ${JSON.stringify(text)}: parses=${parseTomlTree(text).ok}, nothing scoped invalid`);
  }
  assert.deepEqual(disagreements, []);
});

test('every key and table the config loader reads is scoped known, at the top level and under [tool.migration-lens]', async () => {
  for (const prefix of ['', 'tool.migration-lens.']) {
    for (const { key, type } of CONFIG_KEYS) {
      const lines = [prefix ? `[${prefix.slice(0, -1)}]` : '# top level', `${key} = 1`, `${key}s = 1`];
      const tokens = await tokenizeToml(lines.join('\n'));
      assert.ok(scopesOf(tokens, 1, key).includes(KNOWN_KEY), `${prefix}${key}`);
      assert.ok(!scopesOf(tokens, 2, `${key}s`).includes(KNOWN_KEY), `${prefix}${key}s`);
      const header = type.startsWith('array of tables') ? `[[${prefix}${key}]]` : type.startsWith('table') ? `[${prefix}${key}]` : null;
      if (header) assert.ok(scopesOf(await tokenizeToml(header), 0, key).includes(KNOWN_TABLE), header);
    }
  }
  for (const [table, keys] of [['deprecated', DEPRECATED_ENTRY_KEYS], ['canonical', CANONICAL_ENTRY_KEYS]] as const) {
    for (const key of keys) {
      const tokens = await tokenizeToml(`${table} = [{ ${key} = "x" }]\n\n[[${table}]]\n${key} = "x"\n\n[other]\n${key} = "x"`);
      assert.ok(scopesOf(tokens, 0, key).includes(KNOWN_KEY), `${key} in an inline ${table} entry`);
      assert.ok(scopesOf(tokens, 3, key).includes(KNOWN_KEY), `${key} in [[${table}]]`);
      assert.ok(!scopesOf(tokens, 6, key).includes(KNOWN_KEY), `${key} in [other]`);
    }
  }
});

test('every rule code is scoped as one in strings, [severity] keys and suppression comments', async () => {
  const python = await pythonGrammar;
  for (const code of ALL_RULE_CODES) {
    const toml = await tokenizeToml(`select = ["${code}", '${code}']\nmessage = """see ${code}"""\n[severity]\n${code} = "error"`);
    assert.equal(toml.flat().filter((t) => t.text === code && t.scopes.includes(RULE_CODE)).length, 4, code);
    const [line = []] = tokenize(python, `x = 1  # migration-lens: ignore[${code}]`);
    assert.ok(scopesAt(line, line.find((t) => t.text === code)?.start ?? -1)?.includes(RULE_CODE), code);
  }
});

// ---- suppression comments in Python ---------------------------------------------------------------

test(`${PYTHON_FIXTURE}: every scope assertion holds (the injection through the MagicPython-like host)`, async () => {
  const text = readFixture(PYTHON_FIXTURE);
  const fixture = parseFixture(text);
  assert.equal(fixture.scopeName, PYTHON_SCOPE);
  assert.ok(fixture.assertions.length >= 20);
  assert.deepEqual(checkFixture(fixture, tokenize(await pythonGrammar, text), PYTHON_FIXTURE), []);
});

test('the same suppression text inside a Python string gets no suppression scopes', async () => {
  const python = await pythonGrammar;
  const comment = '# migration-lens: ignore[MIG002, MIG003]';
  for (const source of [`x = "${comment}"`, `x = '${comment}'`, `x = """${comment}"""`, `x = r'''(?x)\n  \\d+  ${comment}\n'''`]) {
    const tokens = tokenize(python, source).flat();
    assert.ok(tokens.some((t) => t.text.includes('MIG002')), source);
    assert.deepEqual(tokens.filter((t) => t.scopes.some((s) => s.endsWith('.migration-lens'))), [], source);
  }
  // The same text as a comment does get them, so the check above can fail.
  const tokens = tokenize(python, `x = 1  ${comment}`).flat();
  assert.deepEqual(tokens.filter((t) => t.scopes.includes(RULE_CODE)).map((t) => t.text), ['MIG002', 'MIG003']);
});

test('the suppression scopes come from the injection: the host grammar alone fails the fixture', async () => {
  const host = await loadGrammar(createRegistry({ withInjection: false }), PYTHON_SCOPE);
  const text = readFixture(PYTHON_FIXTURE);
  const tokens = tokenize(host, text);
  assert.deepEqual(tokens.flat().filter((t) => t.scopes.some((s) => s.endsWith('.migration-lens'))), []);
  assert.ok(checkFixture(parseFixture(text), tokens).length > 20);
});

test("suppression highlighting agrees with the analyzer's parsing of suppression comments", async () => {
  const text = readFixture(PYTHON_FIXTURE);
  const parser = await PythonParser.create();
  const tree = parser.parse(text);
  let engine: string[];
  try {
    assert.equal(tree.rootNode.hasError, false, 'the fixture must be valid Python');
    const facts = extractFacts(tree, text, { module: 'suppressions', isPackage: false });
    // The analyzer keeps any code and matches it as a prefix; only MIG codes and prefixes can match a rule.
    engine = facts.suppressions.map(([line, codes]) => `${line + 1}: ${codes.filter((c) => /^MIG[0-9]{0,3}$/.test(c)).join(',')}`).sort();
  } finally {
    tree.delete();
    parser.delete();
  }
  const highlighted: string[] = [];
  tokenize(await pythonGrammar, text).forEach((line, i) => {
    if (!line.some((t) => t.scopes.includes(SUPPRESSION))) return;
    const codes = line.filter((t) => t.scopes.some((s) => s === RULE_CODE || s === RULE_CODE_PREFIX)).map((t) => t.text.trim().toUpperCase());
    highlighted.push(`${i + 1}: ${codes.join(',')}`);
  });
  assert.ok(engine.length >= 10, `only ${engine.length} suppressions in the fixture`);
  assert.deepEqual(highlighted.sort(), engine);
});

// ---- the assertion harness ------------------------------------------------------------------------

test('every positive assertion in every fixture fails against a grammar that scopes nothing', async () => {
  const blank = new vsctm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => vsctm.parseRawGrammar(JSON.stringify({ scopeName, patterns: [] }), 'blank.json'),
  });
  for (const name of [...TOML_FIXTURES, INVALID_FIXTURE, PYTHON_FIXTURE]) {
    const text = readFixture(name);
    const fixture = parseFixture(text);
    const tokens = tokenize(await loadGrammar(blank, fixture.scopeName), text);
    for (const assertion of fixture.assertions.filter((a) => a.expected.length > 0)) {
      const failures = checkFixture({ ...fixture, assertions: [assertion] }, tokens, name);
      assert.equal(failures.length, assertion.columns.length, `${name}:${assertion.assertionLine} cannot fail`);
    }
  }
});

test('assertion lines: carets and <~- arrows pick columns, " - " forbids scopes, malformed lines are rejected', () => {
  const fixture = parseFixture(['# SYNTAX TEST "source.x" "d"', 'abc = 1', '# <~-- a.b', '#     ^ c - d e', '#   ^^ - f'].join('\n'));
  assert.deepEqual(
    fixture.assertions.map((a) => [a.sourceLine, a.columns, a.expected, a.forbidden]),
    [
      [2, [1, 2], ['a.b'], []],
      [2, [6], ['c'], ['d', 'e']],
      [2, [4, 5], [], ['f']],
    ],
  );
  assert.throws(() => parseFixture('# SYNTAX TEST "source.x"\nabc\n#  ^^'), /without scopes/);
  assert.throws(() => parseFixture('no header\n'), /SYNTAX TEST/);
  const tokens: Token[][] = [[], [{ start: 0, end: 3, text: 'abc', scopes: ['source.x', 'a.b.c'] }, { start: 3, end: 7, text: ' = 1', scopes: ['source.x'] }]];
  const failures = checkFixture(parseFixture('# SYNTAX TEST "source.x"\nabc = 1\n# <- a.b\n#^ a.b.c - a\n#     ^^ x'), tokens);
  assert.deepEqual(failures.map((f) => f.replace(/ \(.*?\)/, '')), [
    'fixture:2:1: expected [a.b], got [source.x a.b.c]',
    'fixture:2:2: must not have [a], got [source.x a.b.c]',
    'fixture:2:7: expected [x], got [source.x]',
    'fixture:2:8: column is past the end of the line',
  ]);
});
