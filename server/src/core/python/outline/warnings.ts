import type { Definition, ImportStatement, LegacyWarning, ModuleBinding } from '../facts.js';
import type { Range } from '../../types.js';
import { intern } from '../intern.js';
import type { LineIndex } from './positions.js';
import { decline, type TokenBuffer } from './tokens.js';
import * as literals from './literals.js';
import * as tokenKinds from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { elementEnd, matchingClose, plainGaps, stringValue } = literals;
const { KW_FOR, T_ASSIGN, T_DOT, T_DSTAR, T_LPAR, T_NAME, T_STAR } = tokenKinds;

/**
 * The `warnings.warn(…)` calls extract.ts turns into deprecations, read exactly by the outline where it can:
 * - a module-level expression statement that is such a call → LegacyWarning;
 * - the first statement of a recorded function's body (after a docstring) that is such a call → that function's
 *   Definition.deprecation, or its class's for an `__init__`.
 * Names resolve as extract.ts's lookup does, from the module bindings, when the function's own text shows it binds
 * neither the callee's first name nor the category; anything it cannot vouch for declines ('deprecation-marker').
 */

/** extract.ts's DEPRECATION_CATEGORIES. */
const CATEGORIES = new Set(['DeprecationWarning', 'PendingDeprecationWarning', 'FutureWarning']);

/** A recorded function whose first statement is watched: its definition and where its text starts and ends. */
export interface WatchedDef {
  /** Index of the definition a leading warn() marks (the class's, for an `__init__` extract.ts maps to it). */
  target: number;
  start: number;
  /** Set when the body ends (text.length until then). */
  end: number;
}

export interface WarnCall {
  /** Offset of the callee's first name: the call's start. */
  start: number;
  range: Range;
  /** The callee `root.chain[0]….warn`. */
  root: string;
  chain: string[];
  /** The message: a literal's text, '' for any other expression, or null when it is the constant `constant`. */
  message: string | null;
  constant: string | null;
  /** The category when it is a bare name, and where that name is. */
  category: string | null;
  categoryAt: number;
  /** Null at module level. */
  def: WatchedDef | null;
}

/**
 * A constant whose value this cannot vouch for (a comment or line continuation between the parts of its
 * concatenation): a message naming it declines.
 */
export const UNCERTAIN_CONSTANT = '\0uncertain';

/** What readWarnCall returns for a call it does not model. */
export const UNMODELED = 'unmodeled';

/**
 * Tokens [s, e) as a whole call `name(.name)*.warn(…)`: the call, null when the statement is anything else, or
 * UNMODELED for argument lists extract.ts reads in ways this does not follow (`*args`, a generator, a repeated
 * keyword, a comment or line continuation inside the message).
 */
export function readWarnCall(t: TokenBuffer, text: string, lines: LineIndex, s: number, e: number): WarnCall | null | typeof UNMODELED {
  if (t.kind[s] !== T_NAME) return null;
  let i = s;
  while (i + 2 < e && t.kind[i + 1] === T_DOT && t.kind[i + 2] === T_NAME) i += 2;
  if (t.kind[i + 1] !== T_LPAR || t.end[i]! - t.start[i]! !== 4 || !text.startsWith('warn', t.start[i])) return null;
  const open = i + 1;
  if (matchingClose(t, open) !== e - 1) return null;
  const close = e - 1;
  const depth = t.depth[open]! + 1;
  const positional: [number, number][] = [];
  const keywords = new Map<string, [number, number]>();
  for (let from = open + 1; from < close; ) {
    // elementEnd skips the commas between a lambda's parameters.
    const end = elementEnd(t, from, close, depth);
    for (let k = from; k < end; k++) if (t.depth[k] === depth && t.kind[k] === KW_FOR) return UNMODELED;
    if (end > from) {
      if (t.kind[from] === T_STAR || t.kind[from] === T_DSTAR) return UNMODELED;
      if (t.kind[from] === T_NAME && t.kind[from + 1] === T_ASSIGN) {
        const name = text.slice(t.start[from], t.end[from]);
        if (keywords.has(name)) return UNMODELED;
        keywords.set(name, [from + 2, end]);
      } else positional.push([from, end]);
    }
    from = end + 1;
  }
  const messageAt = positional[0] ?? keywords.get('message') ?? null;
  const categoryAt = positional[1] ?? keywords.get('category') ?? null;
  let message: string | null = '';
  let constant: string | null = null;
  if (messageAt) {
    const [a, b] = messageAt;
    if (b - a === 1 && t.kind[a] === T_NAME) {
      message = null;
      constant = text.slice(t.start[a], t.end[a]);
    } else {
      if (!plainGaps(t, text, a, b)) return UNMODELED;
      message = stringValue(t, text, a, b) ?? '';
    }
  }
  const bareCategory = categoryAt !== null && categoryAt[1] - categoryAt[0] === 1 && t.kind[categoryAt[0]] === T_NAME;
  const chain: string[] = [];
  for (let k = s + 2; k <= i; k += 2) chain.push(text.slice(t.start[k], t.end[k]));
  return {
    start: t.start[s]!,
    range: lines.range(t.start[s]!, t.end[close]!),
    root: text.slice(t.start[s], t.end[s]),
    chain,
    message,
    constant,
    category: bareCategory ? text.slice(t.start[categoryAt[0]], t.end[categoryAt[0]]) : null,
    categoryAt: bareCategory ? t.start[categoryAt[0]]! : -1,
    def: null,
  };
}

/** What the scanners note while reading that could make extract.ts find a deprecation through a warn() call. */
export interface WarnHints {
  /** Module-level `….warn(` sites. */
  moduleWarnSites: number;
  /** A recorded function's leading statement is a warn() call. */
  leadingWarn: boolean;
  /** `DeprecationWarning` or `PendingDeprecationWarning` is read somewhere; `FutureWarning` is. */
  deprecationName: boolean;
  futureName: boolean;
}

/**
 * Whether a warnings.warn(…, DeprecationWarning) could be where extract.ts looks for one: only then are the warn()
 * calls read and resolved (scanner.ts, and fastScan.ts for the wasm scanner). Only a call resolving to warnings.warn
 * counts, so the file must import it.
 */
export function mayMarkDeprecation(hints: WarnHints, imports: readonly ImportStatement[]): boolean {
  const moduleLevel = hints.moduleWarnSites > 0 && (hints.deprecationName || hints.futureName);
  if (!moduleLevel && !(hints.leadingWarn && hints.deprecationName)) return false;
  return imports.some((s) =>
    s.kind === 'from' ? s.absModule === 'warnings' : s.items.some((i) => i.name === 'warnings' || (!i.asName && i.name.startsWith('warnings.'))),
  );
}

/**
 * The definition a leading warn() in recorded function `index` marks: the function's own, or for an `__init__` its
 * class's, as extract.ts does (the first definition of that name).
 */
export function warnTarget(definitions: readonly Definition[], index: number): number {
  const qualName = definitions[index]!.qualName;
  if (!qualName.endsWith('.__init__')) return index;
  const owner = qualName.slice(0, -'.__init__'.length);
  const classIndex = definitions.findIndex((d) => d.qualName === owner);
  return classIndex >= 0 ? classIndex : index;
}

export interface WarnScope {
  text: string;
  lines: LineIndex;
  imports: readonly ImportStatement[];
  bindings: readonly ModuleBinding[];
  definitions: Definition[];
  /** Module-level `NAME = "text"` (the last one of each name), as extract.ts's stringConstants. */
  constants: ReadonlyMap<string, string>;
}

/** extract.ts's finish for warn calls: the legacy warnings, and the deprecations set on `scope.definitions`. */
export function resolveWarnCalls(calls: readonly WarnCall[], scope: WarnScope): LegacyWarning[] {
  const legacy: LegacyWarning[] = [];
  for (const call of calls) {
    const category = call.category;
    if (category === null || !CATEGORIES.has(category)) continue;
    if (call.def && category === 'FutureWarning') continue;
    if (call.def) {
      // Names bound in the function itself would be its locals: its text must show none.
      onlyReads(scope, call.def, call.root, call.start);
      onlyReads(scope, call.def, category, call.categoryAt);
    }
    const root = lookup(scope, call.root, call.def ? null : call.start);
    if (!root || !callsWarningsWarn(scope.imports, root, call.chain)) continue;
    if (lookup(scope, category, call.def ? null : call.categoryAt)) continue;
    const message = call.message ?? scope.constants.get(call.constant!) ?? '';
    if (message === UNCERTAIN_CONSTANT) decline('deprecation-marker');
    if (call.def) {
      const def = scope.definitions[call.def.target]!;
      def.deprecation ??= { message: intern(message), via: 'warn' };
    } else legacy.push({ message: intern(message), category: intern(category), range: call.range });
  }
  return legacy;
}

/**
 * extract.ts's lookup of a name from the module scope: at `pos` there (the binding before it, else none), or from
 * inside a function (pos null: the last binding). Only primary bindings count unless all are fallbacks.
 */
function lookup(scope: WarnScope, name: string, pos: number | null): ModuleBinding | null {
  let anyPrimary = false;
  for (const b of scope.bindings) if (b.name === name && !b.fallback) anyPrimary = true;
  let last: ModuleBinding | null = null;
  let best: ModuleBinding | null = null;
  for (const b of scope.bindings) {
    if (b.name !== name || (anyPrimary && b.fallback)) continue;
    last = b;
    if (pos !== null && scope.lines.offset(b.range.start) <= pos) best = b;
  }
  return pos === null ? last : best;
}

/** extract.ts's qualify(ref) === 'warnings.warn' for a ref bound to `binding`. */
function callsWarningsWarn(imports: readonly ImportStatement[], binding: ModuleBinding, chain: readonly string[]): boolean {
  if (binding.kind !== 'import' || binding.stmt === undefined || binding.item === undefined) return false;
  const stmt = imports[binding.stmt]!;
  const item = stmt.items[binding.item]!;
  const base = stmt.kind === 'from' ? (stmt.absModule === null ? null : `${stmt.absModule}.${item.name}`) : item.asName ? item.name : item.local;
  return base !== null && [base, ...chain].join('.') === 'warnings.warn';
}

/**
 * Declines unless, in the function's text, `name` occurs only at `at` or as the object of an attribute (`name.x`),
 * and no import there binds it: then the function does not bind it, and extract.ts resolves it outside.
 * Occurrences in strings and comments count too (the cost is only a parse).
 */
function onlyReads(scope: WarnScope, def: WatchedDef, name: string, at: number): void {
  const { text } = scope;
  for (let p = text.indexOf(name, def.start); p >= 0 && p < def.end; p = text.indexOf(name, p + 1)) {
    if (p === at || identifierChar(text.charCodeAt(p - 1)) || identifierChar(text.charCodeAt(p + name.length))) continue;
    if (charBefore(text, p) === 46 || charAfter(text, p + name.length) === 46) continue;
    decline('deprecation-marker');
  }
  for (const stmt of scope.imports) {
    for (const item of stmt.items) {
      if (item.local !== name) continue;
      const p = scope.lines.offset(item.range.start);
      if (p >= def.start && p < def.end) decline('deprecation-marker');
    }
  }
}

function identifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

/** The character before `p`, past spaces and tabs. */
function charBefore(text: string, p: number): number {
  let q = p - 1;
  while (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9) q--;
  return text.charCodeAt(q);
}

/** The character at `p` or after, past spaces and tabs. */
function charAfter(text: string, p: number): number {
  while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
  return text.charCodeAt(p);
}
