/**
 * Turns the text of a configuration file into a `Config` plus located diagnostics. Pure: no file
 * system access, so the language server can run it on unsaved buffers. Never throws: every bad
 * part is reported and replaced by its default while every valid part is kept.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { ALL_RULE_CODES, SEVERITIES, compareVersions } from '../types.js';
import type { ConfigDiagnostic, PyVersion, Range, RuleCode, Severity } from '../types.js';
import type { CanonicalEntry, CategoryRule, Config, ConfigSpan, DeprecatedEntry } from './types.js';
import {
  CANONICAL_ENTRY_KEYS,
  CONFIG_KEYS,
  DEFAULT_TARGET_VERSION,
  DEPRECATED_ENTRY_KEYS,
  FALLBACK_CATEGORY,
  MAX_TARGET_VERSION,
  MIN_TARGET_VERSION,
  defaultConfig,
  type ConfigKey,
} from './defaults.js';
import { describeKind, parseTomlTree, type TomlEntry, type TomlNode, type TomlTable } from './tree.js';

export const CONFIG_TABLE_KEY = 'migration-lens';

export interface ParseConfigOptions {
  /** target-version when the file sets none and has no requires-python of its own (e.g. from a sibling pyproject.toml). */
  defaultTargetVersion?: PyVersion | null;
}

export interface ConfigResult {
  config: Config;
  diagnostics: ConfigDiagnostic[];
}

/** Collects diagnostics for one file and knows how to name its config table in messages. */
class Reporter {
  readonly diagnostics: ConfigDiagnostic[] = [];

  constructor(
    readonly filePath: string,
    /** Prefix of header names in hints: `tool.migration-lens.`, or empty for top-level keys. */
    public headerPrefix: string,
  ) {}

  error(range: Range, message: string): void {
    this.diagnostics.push({ path: this.filePath, range, message, severity: 'error' });
  }

  warning(range: Range, message: string): void {
    this.diagnostics.push({ path: this.filePath, range, message, severity: 'warning' });
  }

  span(node: TomlNode): ConfigSpan {
    return { path: this.filePath, range: node.range };
  }

  get where(): string {
    return this.headerPrefix ? `[${this.headerPrefix.slice(0, -1)}]` : path.basename(this.filePath);
  }
}

// ---------------------------------------------------------------------------------------------
// Small value checks. Each returns an error message, or null when the value is fine.

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

function checkIdentifier(name: string): string | null {
  if (!IDENTIFIER.test(name)) return `"${name}" is not a Python identifier`;
  if (PYTHON_KEYWORDS.has(name)) return `"${name}" is a Python keyword, not a usable name`;
  return null;
}

function checkDottedName(name: string): string | null {
  if (name === '') return 'Expected a dotted Python name like "pkg.module.Name", got an empty string';
  for (const segment of name.split('.')) {
    if (segment === '') return `"${name}" is not a dotted Python name: it has an empty segment`;
    const problem = checkIdentifier(segment);
    if (problem) return `"${name}" is not a dotted Python name: ${problem}`;
  }
  return null;
}

function checkGlob(pattern: string): string | null {
  if (pattern === '') return 'Empty glob pattern';
  try {
    // With `debug`, picomatch throws instead of silently compiling to a never-matching regex.
    picomatch.makeRe(pattern, { debug: true });
    return null;
  } catch (e) {
    const detail = e instanceof Error ? e.message.split(': ').pop() : String(e);
    return `Invalid glob pattern "${pattern}": ${detail}`;
  }
}

function checkRulePrefix(code: string): string | null {
  if (code !== '' && ALL_RULE_CODES.some((c) => c.startsWith(code))) return null;
  const hint = code !== code.toUpperCase() && checkRulePrefix(code.toUpperCase()) === null ? ` (codes are upper-case: "${code.toUpperCase()}")` : '';
  return `"${code}" matches no rule: expected a rule code or prefix of ${ALL_RULE_CODES[0]}..${ALL_RULE_CODES[ALL_RULE_CODES.length - 1]}, e.g. "MIG", "MIG00", "MIG002"${hint}`;
}

function checkPath(value: string): string | null {
  return value === '' ? 'Empty path; use "." for the project root' : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known word closest to `word` within edit distance 2 (case-insensitive), if any. */
export function closestMatch(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Typed readers. They report problems and return null (or drop elements) for the bad parts.

function typeMismatch(label: string, expected: string, node: TomlNode): string {
  const hint = expected.startsWith('an array') && node.kind === 'string' ? ` (wrap it in brackets: ["${node.value}"])` : '';
  return `\`${label}\` must be ${expected}, got ${describeKind(node)}${hint}`;
}

function unknownKey(report: Reporter, entry: TomlEntry, known: readonly string[], where: string): void {
  const suggestion = closestMatch(entry.key, known);
  const tail = suggestion ? `; did you mean \`${suggestion}\`?` : `; expected one of: ${known.join(', ')}`;
  report.error(entry.keyRange, `Unknown key \`${entry.key}\` in ${where}${tail}`);
}

function readString(entry: TomlEntry, report: Reporter, label: string): string | null {
  if (entry.node.kind === 'string') return entry.node.value;
  report.error(entry.node.range, typeMismatch(label, 'a string', entry.node));
  return null;
}

function readBoolean(entry: TomlEntry, report: Reporter): boolean | null {
  if (entry.node.kind === 'boolean') return entry.node.value;
  report.error(entry.node.range, typeMismatch(entry.key, 'a boolean (true or false)', entry.node));
  return null;
}

function readTable(entry: TomlEntry, report: Reporter, expected: string, label = entry.key): TomlTable | null {
  if (entry.node.kind === 'table') return entry.node;
  report.error(entry.node.range, typeMismatch(label, expected, entry.node));
  return null;
}

/** An array of strings; bad elements are reported at the element and dropped. Null if not an array. */
function readStringArray(
  entry: TomlEntry,
  report: Reporter,
  label: string,
  check: (value: string) => string | null,
): string[] | null {
  const node = entry.node;
  if (node.kind !== 'array') {
    report.error(node.range, typeMismatch(label, 'an array of strings', node));
    return null;
  }
  const values: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'string') {
      report.error(item.range, `Each element of \`${label}\` must be a string, got ${describeKind(item)}`);
      continue;
    }
    const problem = check(item.value);
    if (problem) report.error(item.range, problem);
    else values.push(item.value);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// One reader per top-level key.

function targetVersionFromString(value: string): PyVersion | null {
  const match = /^py3(\d{1,2})$/.exec(value);
  if (!match) return null;
  const version = { major: 3, minor: Number(match[1]) };
  const inRange = compareVersions(version, MIN_TARGET_VERSION) >= 0 && compareVersions(version, MAX_TARGET_VERSION) <= 0;
  return inRange ? version : null;
}

function readTargetVersion(entry: TomlEntry, config: Config, report: Reporter): void {
  const value = readString(entry, report, entry.key);
  if (value === null) return;
  const version = targetVersionFromString(value);
  if (version) {
    config.targetVersion = version;
    return;
  }
  const dotted = /^3\.(\d{1,2})$/.exec(value.trim());
  const hint = dotted ? ` (did you mean "py3${dotted[1]}"?)` : '';
  const range = `"py3${MIN_TARGET_VERSION.minor}" through "py3${MAX_TARGET_VERSION.minor}"`;
  report.error(entry.node.range, `Unsupported target-version "${value}": expected ${range}${hint}`);
}

function readMaxFileSize(entry: TomlEntry, config: Config, report: Reporter): void {
  const node = entry.node;
  if (node.kind !== 'integer') {
    report.error(node.range, typeMismatch(entry.key, 'a positive integer (bytes)', node));
    return;
  }
  if (node.value <= 0 || !Number.isSafeInteger(node.value)) {
    report.error(node.range, `\`${entry.key}\` must be a positive integer number of bytes, got ${node.value}`);
    return;
  }
  config.maxFileSize = node.value;
}

function readPerFileIgnores(entry: TomlEntry, config: Config, report: Reporter): void {
  const table = readTable(entry, report, 'a table of glob = [rule codes]');
  if (!table) return;
  const result: Config['perFileIgnores'] = [];
  for (const item of table.entries.values()) {
    const problem = checkGlob(item.key);
    if (problem) {
      report.error(item.keyRange, problem);
      continue;
    }
    const codes = readStringArray(item, report, `${entry.key}."${item.key}"`, checkRulePrefix);
    if (codes) result.push({ pattern: item.key, codes });
  }
  config.perFileIgnores = result;
}

function isRuleCode(value: string): value is RuleCode {
  return (ALL_RULE_CODES as readonly string[]).includes(value);
}

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

function readSeverity(entry: TomlEntry, config: Config, report: Reporter): void {
  const table = readTable(entry, report, 'a table of rule code = severity');
  if (!table) return;
  const result: Config['severity'] = {};
  for (const item of table.entries.values()) {
    if (!isRuleCode(item.key)) {
      const suggestion = closestMatch(item.key, ALL_RULE_CODES);
      const tail = suggestion ? `; did you mean \`${suggestion}\`?` : '';
      report.error(item.keyRange, `Unknown rule code \`${item.key}\` in \`severity\`: expected a full code ${ALL_RULE_CODES[0]}..${ALL_RULE_CODES[ALL_RULE_CODES.length - 1]}${tail}`);
      continue;
    }
    const value = readString(item, report, `severity.${item.key}`);
    if (value === null) continue;
    if (isSeverity(value)) result[item.key] = value;
    else report.error(item.node.range, `Invalid severity "${value}": expected one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}`);
  }
  config.severity = result;
}

function readCategories(entry: TomlEntry, config: Config, report: Reporter): void {
  const table = readTable(entry, report, 'a table of name = [globs]');
  if (!table) return;
  const result: CategoryRule[] = [];
  for (const item of table.entries.values()) {
    if (item.key === FALLBACK_CATEGORY) {
      report.error(item.keyRange, `Category name "${FALLBACK_CATEGORY}" is reserved for files no category matches; choose another name`);
      continue;
    }
    if (item.key.trim() === '') {
      report.error(item.keyRange, 'Category name must not be empty');
      continue;
    }
    const patterns = readStringArray(item, report, `categories.${item.key}`, checkGlob);
    if (patterns) result.push({ name: item.key, patterns });
  }
  config.categories = result;
}

/** Entries of an array of tables; a single `[x]` table is the classic mistake for `[[x]]`. */
function tablesOf(entry: TomlEntry, report: Reporter): TomlTable[] {
  const node = entry.node;
  if (node.kind !== 'array') {
    const hint = node.kind === 'table' ? `; write each entry as [[${report.headerPrefix}${entry.key}]] (double brackets)` : '';
    report.error(node.range, `${typeMismatch(entry.key, 'an array of tables', node)}${hint}`);
    return [];
  }
  const tables: TomlTable[] = [];
  for (const item of node.items) {
    if (item.kind === 'table') tables.push(item);
    else report.error(item.range, `Each element of \`${entry.key}\` must be a table, got ${describeKind(item)}`);
  }
  return tables;
}

/** A dotted-name string value; null (reported) when the type or syntax is wrong. */
function readDottedName(item: TomlEntry, report: Reporter, label: string): string | null {
  const value = readString(item, report, label);
  if (value === null) return null;
  const problem = checkDottedName(value);
  if (problem) report.error(item.node.range, problem);
  return problem ? null : value;
}

function readDeprecatedEntry(table: TomlTable, report: Reporter): DeprecatedEntry | null {
  const entry: DeprecatedEntry = { symbol: '', replacement: null, message: null, symbolSpan: null, replacementSpan: null };
  let hasSymbol = false;
  for (const item of table.entries.values()) {
    if (item.key === 'symbol') {
      const symbol = readDottedName(item, report, 'deprecated.symbol');
      if (symbol !== null) {
        entry.symbol = symbol;
        entry.symbolSpan = report.span(item.node);
        hasSymbol = true;
      }
    } else if (item.key === 'replacement') {
      const replacement = readDottedName(item, report, 'deprecated.replacement');
      if (replacement !== null) {
        entry.replacement = replacement;
        entry.replacementSpan = report.span(item.node);
      }
    } else if (item.key === 'message') {
      entry.message = readString(item, report, 'deprecated.message');
    } else {
      unknownKey(report, item, DEPRECATED_ENTRY_KEYS, 'a `deprecated` entry');
    }
  }
  if (!table.entries.has('symbol')) report.error(table.range, 'A `deprecated` entry needs a `symbol` (dotted name of the deprecated symbol or module)');
  return hasSymbol ? entry : null;
}

function readDeprecated(entry: TomlEntry, config: Config, report: Reporter): void {
  const result: DeprecatedEntry[] = [];
  for (const table of tablesOf(entry, report)) {
    const item = readDeprecatedEntry(table, report);
    if (item) result.push(item);
  }
  config.deprecated = result;
}

function readCanonicalSymbols(item: TomlEntry, report: Reporter): { symbols: string[]; spans: ConfigSpan[] } | null {
  const node = item.node;
  if (node.kind !== 'array') {
    report.error(node.range, typeMismatch('canonical.symbols', 'an array of strings', node));
    return null;
  }
  if (node.items.length === 0) {
    report.error(node.range, '`canonical.symbols` must list at least one name');
    return null;
  }
  const symbols: string[] = [];
  const spans: ConfigSpan[] = [];
  for (const element of node.items) {
    if (element.kind !== 'string') {
      report.error(element.range, `Each element of \`canonical.symbols\` must be a string, got ${describeKind(element)}`);
      continue;
    }
    const problem = checkIdentifier(element.value);
    if (problem) {
      report.error(element.range, `${problem} (symbols are plain names; put the dotted part in \`module\`)`);
      continue;
    }
    symbols.push(element.value);
    spans.push(report.span(element));
  }
  return symbols.length > 0 ? { symbols, spans } : null;
}

function readCanonicalEntry(table: TomlTable, report: Reporter): CanonicalEntry | null {
  let module: { name: string; span: ConfigSpan } | null = null;
  let symbols: { symbols: string[]; spans: ConfigSpan[] } | null = null;
  for (const item of table.entries.values()) {
    if (item.key === 'module') {
      const name = readDottedName(item, report, 'canonical.module');
      if (name !== null) module = { name, span: report.span(item.node) };
    } else if (item.key === 'symbols') {
      symbols = readCanonicalSymbols(item, report);
    } else {
      unknownKey(report, item, CANONICAL_ENTRY_KEYS, 'a `canonical` entry');
    }
  }
  if (!table.entries.has('module')) report.error(table.range, 'A `canonical` entry needs a `module` (dotted module name)');
  if (!table.entries.has('symbols')) report.error(table.range, 'A `canonical` entry needs `symbols` (names whose single home is `module`)');
  if (!module || !symbols) return null;
  return { module: module.name, symbols: symbols.symbols, moduleSpan: module.span, symbolSpans: symbols.spans };
}

function readCanonical(entry: TomlEntry, config: Config, report: Reporter): void {
  const result: CanonicalEntry[] = [];
  for (const table of tablesOf(entry, report)) {
    const item = readCanonicalEntry(table, report);
    if (item) result.push(item);
  }
  config.canonical = result;
}

function readRequired(entry: TomlEntry, config: Config, report: Reporter): void {
  const node = entry.node;
  if (node.kind !== 'array') {
    report.error(node.range, typeMismatch(entry.key, 'an array of strings', node));
    return;
  }
  const result: Config['required'] = [];
  for (const item of node.items) {
    if (item.kind !== 'string') {
      report.error(item.range, `Each element of \`required\` must be a string, got ${describeKind(item)}`);
      continue;
    }
    const problem = checkDottedName(item.value);
    if (problem) report.error(item.range, problem);
    else result.push({ name: item.value, span: report.span(item) });
  }
  config.required = result;
}

type KeyReader = (entry: TomlEntry, config: Config, report: Reporter) => void;

/** Typed against CONFIG_KEYS so the documentation table and the parser cannot drift apart. */
const READERS: Record<ConfigKey, KeyReader> = {
  src: (e, c, r) => {
    const v = readStringArray(e, r, e.key, checkPath);
    if (v) c.src = v;
  },
  exclude: (e, c, r) => {
    const v = readStringArray(e, r, e.key, checkGlob);
    if (v) c.exclude = v;
  },
  'extend-exclude': (e, c, r) => {
    const v = readStringArray(e, r, e.key, checkGlob);
    if (v) c.extendExclude = v;
  },
  'respect-gitignore': (e, c, r) => {
    const v = readBoolean(e, r);
    if (v !== null) c.respectGitignore = v;
  },
  'target-version': readTargetVersion,
  select: (e, c, r) => {
    const v = readStringArray(e, r, e.key, checkRulePrefix);
    if (v) c.select = v;
  },
  ignore: (e, c, r) => {
    const v = readStringArray(e, r, e.key, checkRulePrefix);
    if (v) c.ignore = v;
  },
  'per-file-ignores': readPerFileIgnores,
  severity: readSeverity,
  'max-file-size': readMaxFileSize,
  categories: readCategories,
  deprecated: readDeprecated,
  canonical: readCanonical,
  required: readRequired,
};

const KNOWN_KEYS: readonly string[] = CONFIG_KEYS.map((k) => k.key);

function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(READERS, key);
}

function applyTable(table: TomlTable, config: Config, report: Reporter): void {
  for (const entry of table.entries.values()) {
    if (isConfigKey(entry.key)) READERS[entry.key](entry, config, report);
    else unknownKey(report, entry, KNOWN_KEYS, report.where);
  }
}

// ---------------------------------------------------------------------------------------------
// requires-python → default target-version.

const SPECIFIER = /^(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+)(?:\.(\d+|\*))?([0-9A-Za-z.*+!_-]*)$/;

/** Lower bound implied by one PEP 440 clause: undefined if it has none, null if unparsable. */
function clauseLowerBound(clause: string): PyVersion | null | undefined {
  const match = SPECIFIER.exec(clause);
  if (!match) return null;
  const [, operator, majorText, minorText, rest] = match;
  if (operator === '<' || operator === '<=' || operator === '!=') return undefined;
  const major = Number(majorText);
  const minor = minorText === undefined || minorText === '*' ? 0 : Number(minorText);
  // `>3.9` excludes all of 3.9; `>3.9.1` still allows 3.9.2.
  const exclusive = operator === '>' && minorText !== undefined && minorText !== '*' && rest === '';
  return { major, minor: exclusive ? minor + 1 : minor };
}

function clampTargetVersion(version: PyVersion): PyVersion {
  if (compareVersions(version, MIN_TARGET_VERSION) < 0) return { ...MIN_TARGET_VERSION };
  if (compareVersions(version, MAX_TARGET_VERSION) > 0) return { ...MAX_TARGET_VERSION };
  return version;
}

/**
 * The minimum Python 3 version a `requires-python` specifier allows (`>=3.10` → 3.10, `~=3.11` →
 * 3.11, `>3.9` → 3.10), clamped to the supported target range; null when it cannot be determined.
 */
export function parseRequiresPython(spec: string): PyVersion | null {
  const clauses = spec.split(',').map((c) => c.trim()).filter((c) => c !== '');
  let lower: PyVersion | null = null;
  for (const clause of clauses) {
    const bound = clauseLowerBound(clause);
    if (bound === null) return null;
    if (bound && (!lower || compareVersions(bound, lower) > 0)) lower = bound;
  }
  // Python 2 lower bounds (`>=2.7`) still mean "every 3.x", so they clamp to the oldest target.
  if (!lower || lower.major > 3) return null;
  return clampTargetVersion(lower);
}

function tableAt(table: TomlTable, key: string): TomlTable | null {
  const node = table.entries.get(key)?.node;
  return node && node.kind === 'table' ? node : null;
}

function requiresPythonOf(root: TomlTable): PyVersion | null {
  const node = tableAt(root, 'project')?.entries.get('requires-python')?.node;
  return node && node.kind === 'string' ? parseRequiresPython(node.value) : null;
}

/** `[project] requires-python` of a pyproject.toml text, as a target version; null if absent or unparsable. */
export function requiresPythonFromText(text: string): PyVersion | null {
  const parsed = parseTomlTree(stripBom(text));
  return parsed.ok ? requiresPythonOf(parsed.root) : null;
}

// ---------------------------------------------------------------------------------------------
// Locating the configuration table.

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// Used only when the file does not parse, so a broken pyproject.toml that was meant for us is
// still picked up and its syntax error shown, instead of silently running on defaults.
const TABLE_HEADER_TEXT = /^[ \t]*(?:\[{1,2}[ \t]*)?tool[ \t]*\.[ \t]*(["']?)migration-lens\1[ \t]*[.\]=]/m;

/** Whether a TOML text has a `tool.migration-lens` entry (textual guess if it does not parse). */
export function hasConfigTable(text: string): boolean {
  const parsed = parseTomlTree(stripBom(text));
  if (!parsed.ok) return TABLE_HEADER_TEXT.test(text);
  return tableAt(parsed.root, 'tool')?.entries.has(CONFIG_TABLE_KEY) ?? false;
}

function pyprojectTable(root: TomlTable, report: Reporter): TomlTable | null {
  const tool = tableAt(root, 'tool');
  if (!tool) return null;
  const entry = tool.entries.get(CONFIG_TABLE_KEY);
  if (entry) return readTable(entry, report, 'a table', `tool.${CONFIG_TABLE_KEY}`);
  // A near miss like [tool.migration_lens] would otherwise be silently ignored.
  for (const other of tool.entries.values()) {
    if (closestMatch(other.key, [CONFIG_TABLE_KEY])) report.warning(other.keyRange, `[tool.${other.key}] is not read; did you mean [tool.${CONFIG_TABLE_KEY}]?`);
  }
  return null;
}

/** migration-lens.toml: keys at the top level, or under [tool.migration-lens] if present. */
function dedicatedTable(root: TomlTable, report: Reporter): TomlTable | null {
  const entry = tableAt(root, 'tool')?.entries.get(CONFIG_TABLE_KEY);
  if (!entry) return root;
  for (const other of root.entries.values()) {
    if (other.key !== 'tool') report.error(other.keyRange, `\`${other.key}\` is ignored: this file keeps its settings under [tool.${CONFIG_TABLE_KEY}]`);
  }
  return readTable(entry, report, 'a table', `tool.${CONFIG_TABLE_KEY}`);
}

/**
 * Parse a configuration file's text. `filePath` (absolute) names the file in diagnostics and decides
 * the layout: `pyproject.toml` reads `[tool.migration-lens]`, any other name reads top-level keys or
 * `[tool.migration-lens]`. `root` becomes `config.root`.
 */
export function parseConfigText(text: string, filePath: string, root: string, options: ParseConfigOptions = {}): ConfigResult {
  const config = defaultConfig(root);
  config.configPath = filePath;
  const isPyproject = path.basename(filePath) === 'pyproject.toml';
  const report = new Reporter(filePath, `tool.${CONFIG_TABLE_KEY}.`);
  const parsed = parseTomlTree(stripBom(text));
  const fallbackVersion = options.defaultTargetVersion ?? DEFAULT_TARGET_VERSION;
  if (!parsed.ok) {
    config.targetVersion = { ...fallbackVersion };
    report.error(parsed.error.range, `TOML syntax error: ${parsed.error.message}`);
    return { config, diagnostics: report.diagnostics };
  }
  const ownVersion = isPyproject ? requiresPythonOf(parsed.root) : null;
  config.targetVersion = { ...(ownVersion ?? fallbackVersion) };
  const table = isPyproject ? pyprojectTable(parsed.root, report) : dedicatedTable(parsed.root, report);
  if (table) {
    if (table === parsed.root) report.headerPrefix = '';
    applyTable(table, config, report);
  }
  return { config, diagnostics: report.diagnostics };
}
