/**
 * The built-in catalog of deprecated and removed standard-library APIs.
 *
 * The facts live in `stdlib.json` (data, not code). This module validates that file once, turns its
 * version strings into {@link PyVersion}s, and implements the policy that decides how a catalog entry
 * applies to a project's target Python version ({@link applicability}) and how it is worded for users
 * ({@link catalogMessage}).
 *
 * The JSON ships with us, so a malformed entry is our bug: loading throws an error that names the
 * offending entry instead of producing half a catalog.
 */

import { compareVersions, formatVersion, type PyVersion, type Severity } from '../types.js';
import rawCatalog from './stdlib.json';

/** The fix kinds that exist; `fix` on a symbol entry names one of them. */
export type StdlibFixKind = 'utcnow' | 'utcfromtimestamp';
export const STDLIB_FIX_KINDS: readonly StdlibFixKind[] = ['utcnow', 'utcfromtimestamp'];

/** What a symbol is, as reached by importing. Functions and methods are shown with `()` in messages. */
export type StdlibSymbolKind = 'function' | 'method' | 'class' | 'constant';
export const STDLIB_SYMBOL_KINDS: readonly StdlibSymbolKind[] = ['function', 'method', 'class', 'constant'];

interface StdlibEntryBase {
  /** First version in which the API is deprecated (documented or warning). */
  deprecatedIn: PyVersion;
  /** First version that no longer has the API, if it has been removed. */
  removedIn?: PyVersion;
  /**
   * What to use instead, as code (`importlib`, `datetime.datetime.now(datetime.timezone.utc)`).
   * May be a third-party package (`setuptools`); then `replacementSince` is absent.
   */
  replacement?: string;
  /**
   * First version in which the standard-library replacement exists. Absent (with a replacement
   * present) means the replacement is available on every target (third-party or long-standing).
   */
  replacementSince?: PyVersion;
  /**
   * Short lower-case explanation. Used as the tail of {@link catalogMessage} when there is no
   * replacement; otherwise extra detail for hovers and documentation.
   */
  message: string;
}

export interface StdlibModuleEntry extends StdlibEntryBase {
  /** Fully-qualified dotted module name, e.g. `imp`, `tkinter.tix`. */
  module: string;
}

export interface StdlibSymbolEntry extends StdlibEntryBase {
  /** Fully-qualified dotted name as reached by importing, e.g. `datetime.datetime.utcnow`. */
  symbol: string;
  kind: StdlibSymbolKind;
  /** Fix kind that can rewrite usages automatically, if any. */
  fix?: StdlibFixKind;
}

export type StdlibEntry = StdlibModuleEntry | StdlibSymbolEntry;

export interface StdlibCatalog {
  modules: Map<string, StdlibModuleEntry>;
  symbols: Map<string, StdlibSymbolEntry>;
}

export interface StdlibApplicability {
  severity: Severity;
  note: string;
}

const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const VERSION = /^(\d+)\.(\d+)$/;
const COMMON_KEYS = ['deprecatedIn', 'removedIn', 'replacement', 'replacementSince', 'message'];
const MODULE_KEYS = new Set(['module', ...COMMON_KEYS]);
const SYMBOL_KEYS = new Set(['symbol', 'kind', 'fix', ...COMMON_KEYS]);

class CatalogError extends Error {
  constructor(where: string, problem: string) {
    super(`stdlib catalog: ${where}: ${problem}`);
    this.name = 'CatalogError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseVersionField(where: string, field: string, value: unknown): PyVersion {
  const match = typeof value === 'string' ? VERSION.exec(value) : null;
  if (!match) {
    throw new CatalogError(where, `${field} must be a version string like "3.12", got ${JSON.stringify(value)}`);
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

function optionalVersion(where: string, field: string, record: Record<string, unknown>): PyVersion | undefined {
  return record[field] === undefined ? undefined : parseVersionField(where, field, record[field]);
}

function requiredString(where: string, field: string, record: Record<string, unknown>): string {
  const value = record[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CatalogError(where, `${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseCommon(where: string, record: Record<string, unknown>, allowed: Set<string>): StdlibEntryBase {
  for (const key of Object.keys(record)) {
    if (!allowed.has(key)) throw new CatalogError(where, `unknown field "${key}"`);
  }
  const deprecatedIn = parseVersionField(where, 'deprecatedIn', record.deprecatedIn);
  const removedIn = optionalVersion(where, 'removedIn', record);
  const replacementSince = optionalVersion(where, 'replacementSince', record);
  const replacement = record.replacement === undefined ? undefined : requiredString(where, 'replacement', record);
  const message = requiredString(where, 'message', record);

  if (removedIn && compareVersions(removedIn, deprecatedIn) <= 0) {
    throw new CatalogError(where, `removedIn ${formatVersion(removedIn)} must be later than deprecatedIn ${formatVersion(deprecatedIn)}`);
  }
  if (replacementSince && replacement === undefined) {
    throw new CatalogError(where, 'replacementSince is set but there is no replacement');
  }
  const entry: StdlibEntryBase = { deprecatedIn, message };
  if (removedIn) entry.removedIn = removedIn;
  if (replacement !== undefined) entry.replacement = replacement;
  if (replacementSince) entry.replacementSince = replacementSince;
  return entry;
}

function dottedName(where: string, field: string, record: Record<string, unknown>): string {
  const name = record[field];
  if (typeof name !== 'string' || !DOTTED_NAME.test(name)) {
    throw new CatalogError(where, `${field} must be a dotted identifier, got ${JSON.stringify(name)}`);
  }
  return name;
}

/** Where an entry sits, named by its dotted name when it has a usable one. */
function describe(list: string, index: number, value: unknown, field: string): string {
  const name = isRecord(value) && typeof value[field] === 'string' ? ` (${JSON.stringify(value[field])})` : '';
  return `${list}[${index}]${name}`;
}

/**
 * Validates raw catalog data (the parsed `stdlib.json`) and returns its entries with parsed versions.
 * Throws an error naming the first bad entry. Exported for tests; use {@link loadStdlibCatalog}.
 */
export function parseStdlibCatalog(raw: unknown): { modules: StdlibModuleEntry[]; symbols: StdlibSymbolEntry[] } {
  if (!isRecord(raw)) throw new CatalogError('root', 'must be an object');
  if (raw.version !== 1) throw new CatalogError('root', `unsupported version ${JSON.stringify(raw.version)} (expected 1)`);
  for (const key of Object.keys(raw)) {
    if (key !== 'version' && key !== 'modules' && key !== 'symbols') throw new CatalogError('root', `unknown field "${key}"`);
  }
  if (!Array.isArray(raw.modules)) throw new CatalogError('root', '"modules" must be an array');
  if (!Array.isArray(raw.symbols)) throw new CatalogError('root', '"symbols" must be an array');

  const modules: StdlibModuleEntry[] = [];
  const seenModules = new Set<string>();
  raw.modules.forEach((value: unknown, index: number) => {
    const where = describe('modules', index, value, 'module');
    if (!isRecord(value)) throw new CatalogError(where, 'must be an object');
    const module = dottedName(where, 'module', value);
    if (seenModules.has(module)) throw new CatalogError(where, `duplicate module "${module}"`);
    seenModules.add(module);
    modules.push({ module, ...parseCommon(where, value, MODULE_KEYS) });
  });

  const symbols: StdlibSymbolEntry[] = [];
  const seenSymbols = new Set<string>();
  raw.symbols.forEach((value: unknown, index: number) => {
    const where = describe('symbols', index, value, 'symbol');
    if (!isRecord(value)) throw new CatalogError(where, 'must be an object');
    const symbol = dottedName(where, 'symbol', value);
    if (!symbol.includes('.')) throw new CatalogError(where, `symbol "${symbol}" must be qualified by its module`);
    if (seenSymbols.has(symbol)) throw new CatalogError(where, `duplicate symbol "${symbol}"`);
    seenSymbols.add(symbol);
    const kind = value.kind;
    if (typeof kind !== 'string' || !(STDLIB_SYMBOL_KINDS as readonly string[]).includes(kind)) {
      throw new CatalogError(where, `kind must be one of ${STDLIB_SYMBOL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    }
    const entry: StdlibSymbolEntry = { symbol, kind: kind as StdlibSymbolKind, ...parseCommon(where, value, SYMBOL_KEYS) };
    if (value.fix !== undefined) {
      if (typeof value.fix !== 'string' || !(STDLIB_FIX_KINDS as readonly string[]).includes(value.fix)) {
        throw new CatalogError(where, `fix must be one of ${STDLIB_FIX_KINDS.join(', ')}, got ${JSON.stringify(value.fix)}`);
      }
      entry.fix = value.fix as StdlibFixKind;
    }
    symbols.push(entry);
  });

  return { modules, symbols };
}

let parsed: { modules: StdlibModuleEntry[]; symbols: StdlibSymbolEntry[] } | undefined;

/**
 * The built-in catalog, keyed by dotted module name and by fully-qualified symbol name. The JSON is
 * validated on the first call (a bad entry throws); each call returns fresh maps over shared, frozen
 * entries.
 */
export function loadStdlibCatalog(): StdlibCatalog {
  if (!parsed) {
    const result = parseStdlibCatalog(rawCatalog as unknown);
    for (const entry of [...result.modules, ...result.symbols]) deepFreeze(entry);
    parsed = result;
  }
  return {
    modules: new Map(parsed.modules.map((entry) => [entry.module, entry])),
    symbols: new Map(parsed.symbols.map((entry) => [entry.symbol, entry])),
  };
}

function deepFreeze(value: object): void {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  Object.freeze(value);
}

function replacementAvailable(entry: StdlibEntry, target: PyVersion): boolean {
  if (entry.replacement === undefined) return false;
  return entry.replacementSince === undefined || compareVersions(entry.replacementSince, target) <= 0;
}

/**
 * How a catalog entry applies to code that targets Python `target`:
 *
 * 1. `removedIn` ≤ target → severity `error`, note "removed in Python X.Y": the code breaks there.
 * 2. else `deprecatedIn` ≤ target → `warning`, note "deprecated since Python X.Y".
 * 3. else, when the entry has a replacement that already exists on the target (`replacementSince`
 *    ≤ target; a replacement without `replacementSince` — a module replacement, a third-party
 *    package or a long-standing API — counts as available) → `info`, note "deprecated in Python X.Y
 *    (later than your target T); the replacement already works on your target": migrating early
 *    costs nothing.
 * 4. otherwise `null`: not applicable yet (deprecated only after the target, and nothing to move to).
 */
export function applicability(entry: StdlibEntry, target: PyVersion): StdlibApplicability | null {
  if (entry.removedIn && compareVersions(entry.removedIn, target) <= 0) {
    return { severity: 'error', note: `removed in Python ${formatVersion(entry.removedIn)}` };
  }
  if (compareVersions(entry.deprecatedIn, target) <= 0) {
    return { severity: 'warning', note: `deprecated since Python ${formatVersion(entry.deprecatedIn)}` };
  }
  if (replacementAvailable(entry, target)) {
    return {
      severity: 'info',
      note:
        `deprecated in Python ${formatVersion(entry.deprecatedIn)} (later than your target ${formatVersion(target)}); ` +
        'the replacement already works on your target',
    };
  }
  return null;
}

/** The entry's name as shown to users, in backticks: `` `imp` ``, `` `datetime.datetime.utcnow()` ``. */
export function entryDisplayName(entry: StdlibEntry): string {
  if ('module' in entry) return `\`${entry.module}\``;
  const call = entry.kind === 'function' || entry.kind === 'method' ? '()' : '';
  return `\`${entry.symbol}${call}\``;
}

/**
 * One short user-facing sentence for an entry at a target version, e.g.
 * "`datetime.datetime.utcnow()` is deprecated since Python 3.12: use `datetime.datetime.now(datetime.timezone.utc)`".
 * The tail is the replacement when there is one, else the entry's own message.
 */
export function catalogMessage(entry: StdlibEntry, target: PyVersion): string {
  const name = entryDisplayName(entry);
  const deprecated = formatVersion(entry.deprecatedIn);
  const status = applicability(entry, target);
  let head: string;
  if (status?.severity === 'error' && entry.removedIn) {
    head = `${name} was removed in Python ${formatVersion(entry.removedIn)}`;
  } else if (status?.severity === 'warning') {
    head = `${name} is deprecated since Python ${deprecated}`;
    if (entry.removedIn) head += ` and will be removed in Python ${formatVersion(entry.removedIn)}`;
  } else if (status?.severity === 'info') {
    head = `${name} is deprecated in Python ${deprecated} (later than your target ${formatVersion(target)})`;
  } else {
    head = `${name} is deprecated in Python ${deprecated}`;
  }
  const tail = entry.replacement !== undefined ? `use \`${entry.replacement}\`` : entry.message.replace(/\.$/, '');
  return `${head}: ${tail}`;
}
