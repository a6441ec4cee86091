import type { Range } from '../../types.js';
import type { Definition, FileFacts, ImportItem, ImportStatement, LegacyWarning, ModuleBinding, Ref } from '../facts.js';
import { intern } from '../intern.js';
import type { OutlineOptions } from '../outline.js';
import { resolveRelative } from '../relativeImport.js';
import * as kinds from './kinds.js';
import { Lexer, scanInWasm } from './lexer.js';
import * as names from './names.js';
import { LineIndex } from './positions.js';
import { commentSuppressions } from './statements.js';
import { Decline, TokenBuffer } from './tokens.js';
import {
  mayMarkDeprecation, readWarnCall, resolveWarnCalls, UNCERTAIN_CONSTANT, UNMODELED, warnTarget, type WarnCall, type WatchedDef,
} from './warnings.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { internAt } = names;
const {
  BIND_SIZE, B_ALIAS, B_IMPORT, DEF_SIZE, G_NESTED, G_TRY_IMPORT_ERROR, G_TYPE_CHECKING, IMP_SIZE, ITEM_SIZE, RS_ALL, RS_ALL_DYNAMIC,
  RS_ALL_MODE, RS_BIND, RS_DECO, RS_DEF, RS_DEPRECATION_NAME, RS_DYNAMIC_GLOBALS, RS_FUTURE_NAME, RS_HAS_GETATTR, RS_IMP, RS_ITEM,
  RS_CAND, RS_CONST, RS_LEADING_WARN, RS_MNL, RS_MODULE_WARN_SITES, RS_N_ALL, RS_N_BIND, RS_N_CAND, RS_N_CONST, RS_N_DEF, RS_N_IMP,
  RS_N_MNL, RS_N_OUT, RS_OUT, RS_PARTS, RS_PREFIX, RS_WATCH,
} = kinds;

/**
 * The outline's fast path: the statement scanner in wasm (server/assembly/outlineScanner.ts) reads the file into
 * tables, and this builds the facts from them, the same objects (shared where scanner.ts shares them) in the same
 * order as outline/scanner.ts builds them: test/python/outline.test.ts holds the two deep-equal on every stdlib and
 * Django file and on mutated copies. Null when the file is the JavaScript scanner's: functions' parameters asked for,
 * or a construct the wasm side leaves to it (it declines, or does not model it). warn() calls that could make a
 * deprecation are read here, by outline/warnings.ts, on the few statements the wasm side names.
 */

const BINDING_KINDS: ModuleBinding['kind'][] = ['class', 'function', 'assign', 'alias', 'import', 'other'];

/**
 * Where short lists are gathered before they are copied out exactly sized: an array grown from empty by push keeps
 * V8's spare capacity (17 elements on the first push), ~10 MB over the stdlib's 110,000 ref chains.
 */
const scratch: string[] = [];
const exact = (): string[] => {
  const out = scratch.slice();
  scratch.length = 0;
  return out;
};

export function fastOutline(text: string, opts: OutlineOptions): FileFacts | null {
  if (opts.params !== false) return null;
  const scanned = scanInWasm(text, opts.distinctRefs === true);
  if (!scanned) return null;
  const { memory: m, results: res, comments } = scanned;
  const imports = readImports(m, res, text, opts);
  const bindings = readBindings(m, res, text, imports);
  const definitions = readDefinitions(m, res, text, bindings);
  let legacyWarnings: LegacyWarning[] = [];
  const hints = {
    moduleWarnSites: m[res + RS_MODULE_WARN_SITES]!,
    leadingWarn: m[res + RS_LEADING_WARN] === 1,
    deprecationName: m[res + RS_DEPRECATION_NAME] === 1,
    futureName: m[res + RS_FUTURE_NAME] === 1,
  };
  if (mayMarkDeprecation(hints, imports)) {
    const warnings = readWarnings(m, res, text, imports, bindings, definitions);
    if (!warnings) return null;
    legacyWarnings = warnings;
  }
  for (let k = 0, at = m[res + RS_MNL]! >> 2; k < m[res + RS_N_MNL]!; k++) scratch.push(bindings[m[at + k]!]!.name);
  const moduleNameLoads = exact();
  return {
    module: opts.module === null ? null : intern(opts.module),
    isPackage: opts.isPackage,
    imports,
    refs: readRefs(m, res, text),
    bindings,
    definitions,
    legacyWarnings,
    all: m[res + RS_ALL_MODE] ? readAll(m, res, text) : null,
    allDynamic: m[res + RS_ALL_DYNAMIC] === 1,
    hasGetattr: m[res + RS_HAS_GETATTR] === 1,
    dynamicGlobals: m[res + RS_DYNAMIC_GLOBALS] === 1,
    moduleNameLoads,
    boundNames: [],
    unboundNames: [],
    suppressions: comments?.length ? commentSuppressions(text, new LineIndex(text), comments) : [],
    syntaxError: null,
  };
}

const warnTokens = new TokenBuffer();

/**
 * scanner.ts resolveWarnings for a file whose hints say a warn() call may make a deprecation: the candidate
 * statements are lexed again (their logical lines only) and read by outline/warnings.ts; null where the JavaScript
 * scanner declines ('deprecation-marker'), so that it gives the reason.
 */
function readWarnings(
  m: Int32Array,
  res: number,
  text: string,
  imports: ImportStatement[],
  bindings: ModuleBinding[],
  definitions: Definition[],
): LegacyWarning[] | null {
  const lines = new LineIndex(text);
  const lexer = new Lexer(text, warnTokens);
  const watched = new Map<number, WatchedDef>();
  const watchedDef = (w: number): WatchedDef => {
    let def = watched.get(w);
    if (!def) {
      const at = (m[res + RS_WATCH]! >> 2) + w * 3;
      watched.set(w, (def = { target: warnTarget(definitions, m[at]!), start: m[at + 1]!, end: m[at + 2]! }));
    }
    return def;
  };
  const calls: WarnCall[] = [];
  let unmodeled = false;
  let moduleCalls = 0;
  for (let k = 0, at = m[res + RS_CAND]! >> 2; k < m[res + RS_N_CAND]!; k++, at += 4) {
    lexer.seek(m[at]!);
    lexer.lexLine();
    const call = readWarnCall(warnTokens, text, lines, m[at + 1]!, m[at + 2]!);
    if (call === UNMODELED) unmodeled = true;
    else if (call) {
      const w = m[at + 3]!;
      if (w >= 0) call.def = watchedDef(w);
      else moduleCalls++;
      calls.push(call);
    }
  }
  if (unmodeled || m[res + RS_MODULE_WARN_SITES] !== moduleCalls) return null;
  const constants = new Map<string, string>();
  const parts = m[res + RS_PARTS]! >> 2;
  for (let k = 0, at = m[res + RS_CONST]! >> 2; k < m[res + RS_N_CONST]!; k++, at += 6) {
    const value = joined(m, parts, m[at + 3]!, m[at + 4]!, text, '');
    constants.set(internAt(text, m[at]!, m[at + 1]!, m[at + 2]!), m[at + 5] === 1 ? value : UNCERTAIN_CONSTANT);
  }
  try {
    return resolveWarnCalls(calls, { text, lines, imports, bindings, definitions, constants });
  } catch (error) {
    if (error instanceof Decline) return null;
    throw error;
  }
}

/** The text of `count` pieces from the parts table (start, end, hash each) at `first`, joined by `separator`. */
function joined(m: Int32Array, parts: number, first: number, count: number, text: string, separator: string): string {
  let value = '';
  for (let j = 0, p = parts + first * 3; j < count; j++, p += 3) value += (j ? separator : '') + text.slice(m[p], m[p + 1]);
  return value;
}

function range(m: Int32Array, at: number): Range {
  return { start: { line: m[at]!, column: m[at + 1]! }, end: { line: m[at + 2]!, column: m[at + 3]! } };
}

function readImports(m: Int32Array, res: number, text: string, opts: OutlineOptions): ImportStatement[] {
  const out: ImportStatement[] = [];
  const items = m[res + RS_ITEM]! >> 2;
  for (let s = 0, at = m[res + RS_IMP]! >> 2; s < m[res + RS_N_IMP]!; s++, at += IMP_SIZE) {
    const from = m[at] === 1;
    const level = m[at + 1]!;
    let module: string | null = null;
    let absModule: string | null = null;
    if (from) {
      const raw = m[at + 2] === -2 ? '' : text.slice(m[at + 2], m[at + 3]);
      module = intern(raw);
      const abs = resolveRelative(opts, level, raw);
      absModule = abs === null ? null : intern(abs);
    }
    const list: ImportItem[] = [];
    for (let k = 0, it = items + m[at + 17]! * ITEM_SIZE; k < m[at + 18]!; k++, it += ITEM_SIZE) list.push(readItem(m, it, text));
    const guard = m[at + 14]!;
    out.push({
      kind: from ? 'from' : 'import',
      level,
      module,
      absModule,
      range: range(m, at + 4),
      moduleRange: m[at + 8]! < 0 ? null : range(m, at + 8),
      items: list,
      star: m[at + 12] === 1,
      parenthesized: m[at + 13] === 1,
      guard: { tryImportError: (guard & G_TRY_IMPORT_ERROR) !== 0, typeChecking: (guard & G_TYPE_CHECKING) !== 0, nested: (guard & G_NESTED) !== 0 },
      indent: m[at + 15]! < 0 ? '' : intern(text.slice(m[at + 15], m[at + 16])),
    });
  }
  return out;
}

function readItem(m: Int32Array, it: number, text: string): ImportItem {
  const dotted = m[it + 3] === 1;
  let name: string;
  if (dotted) {
    const raw = text.slice(m[it], m[it + 1]);
    name = intern(m[it + 4] === 1 ? raw : raw.replace(/\s+/g, ''));
  } else name = internAt(text, m[it]!, m[it + 1]!, m[it + 2]!);
  const asName = m[it + 5]! < 0 ? null : internAt(text, m[it + 5]!, m[it + 6]!, m[it + 7]!);
  return {
    name,
    asName,
    local: asName ?? (dotted ? internAt(text, m[it + 16]!, m[it + 17]!, m[it + 18]!) : name),
    range: range(m, it + 8),
    nameRange: range(m, it + 12),
  };
}

/** The bindings; an import item's shares its Range object with the item, as scanner.ts's do. */
function readBindings(m: Int32Array, res: number, text: string, imports: readonly ImportStatement[]): ModuleBinding[] {
  const out: ModuleBinding[] = [];
  const parts = m[res + RS_PARTS]! >> 2;
  for (let b = 0, at = m[res + RS_BIND]! >> 2; b < m[res + RS_N_BIND]!; b++, at += BIND_SIZE) {
    const kind = m[at + 3]!;
    const binding: ModuleBinding = {
      name: internAt(text, m[at]!, m[at + 1]!, m[at + 2]!),
      kind: BINDING_KINDS[kind]!,
      range: kind === B_IMPORT ? imports[m[at + 10]!]!.items[m[at + 11]!]!.range : range(m, at + 4),
      fallback: m[at + 8] === 1,
      conditional: m[at + 9] === 1,
    };
    if (kind === B_IMPORT) {
      binding.stmt = m[at + 10]!;
      binding.item = m[at + 11]!;
    } else if (kind === B_ALIAS) {
      for (let k = 0, p = parts + m[at + 12]! * 3; k < m[at + 13]!; k++, p += 3) scratch.push(internAt(text, m[p]!, m[p + 1]!, m[p + 2]!));
      binding.aliasTarget = exact();
    }
    out.push(binding);
  }
  return out;
}

/** The definitions; one whose name is bound at module level shares its Range object with that binding. */
function readDefinitions(m: Int32Array, res: number, text: string, bindings: readonly ModuleBinding[]): Definition[] {
  const out: Definition[] = [];
  const prefixes = m[res + RS_PREFIX]! >> 2;
  const decos = m[res + RS_DECO]! >> 2;
  const parts = m[res + RS_PARTS]! >> 2;
  // Qualified-name prefixes by index (0 is the module's ''), made once per file.
  const prefixText: string[] = [''];
  const prefixOf = (q: number): string => {
    let s = prefixText[q];
    if (s === undefined) {
      const at = prefixes + q * 4;
      // Interned: a slice of the text would keep the whole file alive.
      s = prefixText[q] = `${prefixOf(m[at]!)}${internAt(text, m[at + 1]!, m[at + 2]!, m[at + 3]!)}.`;
    }
    return s;
  };
  for (let d = 0, at = m[res + RS_DEF]! >> 2; d < m[res + RS_N_DEF]!; d++, at += DEF_SIZE) {
    const name = internAt(text, m[at + 1]!, m[at + 2]!, m[at + 3]!);
    const prefix = prefixOf(m[at]!);
    for (let k = 0, dc = decos + m[at + 9]! * 2; k < m[at + 10]!; k++, dc += 2) scratch.push(intern(joined(m, parts, m[dc]!, m[dc + 1]!, text, '.')));
    const decorators = exact();
    out.push({
      qualName: prefix ? prefix + name : name,
      kind: m[at + 4] === 1 ? 'function' : 'class',
      nameRange: m[at + 12]! >= 0 ? bindings[m[at + 12]!]!.range : range(m, at + 5),
      deprecation: null,
      decorators,
      params: null,
      conditional: m[at + 11] === 1,
    });
  }
  return out;
}

function readRefs(m: Int32Array, res: number, text: string): Ref[] {
  const refs: Ref[] = [];
  const start = m[res + RS_OUT]! >> 2;
  const end = start + m[res + RS_N_OUT]!;
  for (let at = start; at < end; ) {
    const c = m[at]!;
    const targets = m[at + 1]!;
    at += 2;
    for (let k = 0; k < c; k++, at += 3) scratch.push(internAt(text, m[at]!, m[at + 1]!, m[at + 2]!));
    const size = 4 + 8 * c;
    const coords = new Array<number>(size);
    for (let k = 0; k < size; k++) coords[k] = m[at + k]!;
    at += size;
    for (let t = 0; t < targets; t++, at += 2) {
      refs.push({ stmt: m[at]!, item: m[at + 1]!, chain: scratch.slice(), coords, context: 'load', call: null, lambdaSafe: false });
    }
    scratch.length = 0;
  }
  return refs;
}

function readAll(m: Int32Array, res: number, text: string): string[] {
  const parts = m[res + RS_PARTS]! >> 2;
  for (let k = 0, at = m[res + RS_ALL]! >> 2; k < m[res + RS_N_ALL]!; k++, at += 2) scratch.push(intern(joined(m, parts, m[at]!, m[at + 1]!, text, '')));
  return exact();
}
