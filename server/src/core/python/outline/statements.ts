import type { BindingKind, Definition, FileFacts, ImportStatement, LegacyWarning, ModuleBinding } from '../facts.js';
import { intern } from '../intern.js';
import type { Ctx, Frame, Scope } from './context.js';
import { fromStatement, importStatement, type ModuleOptions } from './imports.js';
import { Lexer } from './lexer.js';
import * as literals from './literals.js';
import * as names from './names.js';
import { LineIndex } from './positions.js';
import { buildRefs, moduleNamesRead, Uses } from './refs.js';
import { Suppressions } from '../suppressions.js';
import { decline, nameHash, TokenBuffer } from './tokens.js';
import * as tokenKinds from './tokens.js';
import { readWarnCall, resolveWarnCalls, UNCERTAIN_CONSTANT, UNMODELED, type WarnCall } from './warnings.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { internAt } = names;
const { commasAt, dottedChain, elementEnd, matchingClose, plainGaps, stringList, stringValue } = literals;
const {
  F_AFTER_DOT, F_CHAINLESS, F_KWARG, F_LAMBDA, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_CLASS, KW_DEF, KW_DEL, KW_ELIF, KW_ELSE, KW_EXCEPT,
  KW_FALSE, KW_FINALLY, KW_FIRST, KW_FOR, KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_LAMBDA, KW_NONE, KW_NONLOCAL, KW_NOT, KW_RAISE,
  KW_RETURN, KW_TRUE, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD, T_ASSIGN, T_AT, T_AUGASSIGN, T_COLON, T_COMMA, T_DOT, T_FEND, T_FSTART, T_LPAR,
  T_LSQB, T_NAME, T_NUMBER, T_RPAR, T_RSQB, T_STAR, T_STRING,
} = tokenKinds;

/**
 * Simple statements for the outline scanner (scanner.ts does lines, blocks and compound statements): imports,
 * `global`, `del`, assignments and their targets, `__all__`, and the names every statement reads (Uses), plus the
 * facts they add to: imports, module bindings, `__all__`, globals(), hints of a deprecation.
 */

const H_GLOBALS = nameHash('globals');
const H_WARN = nameHash('warn');
const H_DEPRECATION = nameHash('DeprecationWarning');
const H_PENDING = nameHash('PendingDeprecationWarning');
const H_FUTURE = nameHash('FutureWarning');

const tokens = new TokenBuffer();
const reads = new Uses();
const split: number[] = [];
const assignScratch: number[] = [];

/** The suppressions in the comments starting at `comments` (the offsets the lexer reported). */
export function commentSuppressions(text: string, lines: LineIndex, comments: readonly number[]): FileFacts['suppressions'] {
  const found = new Suppressions();
  for (const p of comments) {
    const nl = text.indexOf('\n', p);
    found.add(lines.position(p).line, text.slice(p, nl < 0 ? text.length : nl));
  }
  return found.entries();
}

export abstract class Statements {
  protected readonly t = tokens;
  protected readonly lexer: Lexer;
  protected readonly lines: LineIndex;
  /** What the import parsers read. */
  private readonly src: { text: string; t: TokenBuffer; lines: LineIndex };
  protected readonly module: Scope = { kind: 'module', globals: null };
  protected readonly imports: ImportStatement[] = [];
  protected readonly bindings: ModuleBinding[] = [];
  protected readonly definitions: Definition[] = [];
  private all: string[] | null = null;
  private allDynamic = false;
  protected hasGetattr = false;
  private dynamicGlobals = false;
  // What could make extract.ts find a deprecation (legacyWarnings, Definition.deprecation).
  protected leadingWarn = false;
  protected deprecationName = false;
  protected futureName = false;
  // The warn() calls read exactly (outline/warnings.ts), resolved only when the hints above say one may count.
  private readonly warnCalls: WarnCall[] = [];
  /** Module-level `….warn(` anywhere (the hint), and those that are a whole statement read into warnCalls. */
  protected moduleWarnSites = 0;
  protected moduleWarnCalls = 0;
  /** A leading or module-level warn() call this does not read. */
  protected unmodeledWarn = false;
  private readonly stringConstants = new Map<string, string>();
  protected legacyWarnings: LegacyWarning[] = [];

  constructor(
    protected readonly text: string,
    protected readonly opts: ModuleOptions,
  ) {
    this.lexer = new Lexer(text, tokens);
    this.lines = new LineIndex(text);
    this.src = { text, t: tokens, lines: this.lines };
    reads.n = 0;
  }

  /** The facts, once every line is read. */
  protected facts(): FileFacts {
    return {
      module: this.opts.module === null ? null : intern(this.opts.module),
      isPackage: this.opts.isPackage,
      imports: this.imports,
      refs: buildRefs(reads, this.imports, this.text, this.lines),
      bindings: this.bindings,
      definitions: this.definitions,
      legacyWarnings: this.legacyWarnings,
      all: this.all,
      allDynamic: this.allDynamic,
      hasGetattr: this.hasGetattr,
      dynamicGlobals: this.dynamicGlobals,
      moduleNameLoads: moduleNamesRead(reads, this.bindings, this.text, this.lines),
      boundNames: [],
      unboundNames: [],
      suppressions: this.suppressions(),
      syntaxError: null,
    };
  }

  private suppressions(): FileFacts['suppressions'] {
    const comments = this.lexer.comments;
    return comments === null ? [] : commentSuppressions(this.text, this.lines, comments);
  }

  protected resolveWarnings(): LegacyWarning[] {
    return resolveWarnCalls(this.warnCalls, {
      text: this.text,
      lines: this.lines,
      imports: this.imports,
      bindings: this.bindings,
      definitions: this.definitions,
      constants: this.stringConstants,
    });
  }

  protected binds(ctx: Ctx): boolean {
    return ctx.scope === this.module || (ctx.scope.globals !== null && ctx.scope.globals.size > 0);
  }

  // ---- simple statements ------------------------------------------------------------------------------

  protected simple(s: number, e: number, frame: Frame): void {
    const t = this.t;
    const ctx = frame.ctx;
    if (s === e) decline('syntax');
    if (frame.watch) this.watch(frame, s, e);
    switch (t.kind[s]) {
      case KW_IMPORT:
        return this.importStatement(importStatement(this.src, s, e), ctx);
      case KW_FROM: {
        const stmt = fromStatement(this.src, s, e, this.opts);
        if (stmt) this.importStatement(stmt, ctx);
        return;
      }
      case KW_GLOBAL:
      case KW_NONLOCAL:
        return this.declaration(s, e, ctx);
      case KW_DEL:
        if (s + 1 === e) decline('syntax');
        this.uses(s + 1, e, ctx);
        this.targets(s + 1, e, ctx, 'other', null, this.binds(ctx));
        return;
      case KW_IF:
      case KW_WHILE:
      case KW_FOR:
      case KW_TRY:
      case KW_WITH:
      case KW_DEF:
      case KW_CLASS:
      case KW_ASYNC:
      case KW_ELIF:
      case KW_ELSE:
      case KW_EXCEPT:
      case KW_FINALLY:
      case T_AT:
        return decline('syntax');
      default:
        return this.expressionStatement(s, e, ctx);
    }
  }

  /**
   * First statements of a recorded function: a leading `….warn(…)` makes extract.ts find a deprecation. Its
   * docstring is an expression statement whose first element is one string (`"a" "b"` is not one).
   */
  protected watch(frame: Frame, s: number, e: number): void {
    const t = this.t;
    if (frame.watch === 2 && (t.kind[s] === T_STRING || t.kind[s] === T_FSTART)) {
      let last = s;
      if (t.kind[s] === T_FSTART) while (!(t.kind[last] === T_FEND && t.depth[last] === t.depth[s])) last++;
      frame.watch = last + 1 === e || (t.kind[last + 1] === T_COMMA && t.depth[last + 1] === t.depth[s]) ? 1 : 0;
      return;
    }
    frame.watch = 0;
    const call = readWarnCall(t, this.text, this.lines, s, e);
    if (call === UNMODELED) this.unmodeledWarn = this.leadingWarn = true;
    else if (call && frame.def) {
      call.def = frame.def;
      this.warnCalls.push(call);
      this.leadingWarn = true;
    }
  }

  protected importStatement(stmt: ImportStatement, ctx: Ctx): void {
    stmt.guard.typeChecking = ctx.typeChecking;
    stmt.guard.nested = ctx.nested;
    const index = this.imports.length;
    this.imports.push(stmt);
    stmt.items.forEach((item, i) => this.bindName(item.local, ctx, 'import', item.range, index, i));
  }

  protected declaration(s: number, e: number, ctx: Ctx): void {
    const t = this.t;
    if (s + 1 === e || t.kind[e - 1] !== T_NAME) decline('syntax');
    for (let i = s + 1; i < e; i += 2) {
      if (t.kind[i] !== T_NAME || (i + 1 < e && t.kind[i + 1] !== T_COMMA)) decline('syntax');
      if (t.kind[s] === KW_GLOBAL) (ctx.scope.globals ??= new Set()).add(this.nameAt(i));
    }
  }

  protected expressionStatement(s: number, e: number, ctx: Ctx): void {
    const t = this.t;
    if (t.kind[e - 1] === T_COLON) decline('syntax');
    if (t.kind[e - 1] === T_COMMA) this.trailingComma(s, e);
    const atModule = ctx.scope === this.module;
    if (atModule && t.kind[s] === T_NAME) {
      const call = readWarnCall(t, this.text, this.lines, s, e);
      if (call === UNMODELED) this.unmodeledWarn = true;
      else if (call) {
        this.warnCalls.push(call);
        this.moduleWarnCalls++;
      }
    }
    if (this.lexer.assignments === 0) {
      this.uses(s, e, ctx);
      if (atModule) this.allMutation(s, e);
      return;
    }
    const bind = this.binds(ctx);
    // Depth-0 `=` (outside lambda parameters), an augmented assignment, the annotation's `:`.
    const assigns = assignScratch;
    assigns.length = 0;
    let colon = -1;
    let augmented = -1;
    for (let i = s; i < e; i++) {
      if (t.depth[i] !== 0) continue;
      const k = t.kind[i];
      if (k === T_ASSIGN && (t.flags[i] & F_LAMBDA) === 0) assigns.push(i);
      else if (k === T_AUGASSIGN) {
        if (augmented >= 0 || assigns.length) decline('syntax');
        augmented = i;
      } else if (k === T_COLON && (t.flags[i] & F_LAMBDA) === 0) {
        // `a = b: T` is an annotated assignment inside an assignment for tree-sitter: not modelled.
        if (colon >= 0 || assigns.length) decline('syntax');
        colon = i;
      }
    }
    if (colon >= 0) {
      const end = assigns.length ? assigns[0]! : e;
      // One target, one annotation.
      if (elementEnd(t, s, colon, 0) !== colon || elementEnd(t, colon + 1, end, 0) !== end) decline('syntax');
      this.uses(s, colon, ctx);
      this.uses(colon + 1, end, ctx, -1, true);
      this.uses(end, e, ctx);
    } else this.uses(s, e, ctx);
    // The annotation is an expression (the lexer took the `:` for a header's and let a statement start after it).
    if (colon >= 0) {
      const k = t.kind[colon + 1]!;
      if (k >= KW_FIRST && k !== KW_LAMBDA && k !== KW_NOT && k !== KW_AWAIT && k !== KW_NONE && k !== KW_TRUE && k !== KW_FALSE) decline('syntax');
    }
    if (augmented >= 0) {
      if (assigns.length || colon >= 0) decline('syntax');
      return this.augmented(s, augmented, e, ctx, bind);
    }
    if (!assigns.length && colon < 0) {
      if (atModule) this.allMutation(s, e);
      return;
    }
    if (colon >= 0 && !assigns.length) {
      // `x: T` binds without a value.
      this.targets(s, colon, ctx, 'other', null, bind);
      return;
    }
    // Targets bind right to left: `a = b = c` is assignment(a, assignment(b, c)).
    const valueStart = assigns[assigns.length - 1]! + 1;
    if (valueStart === e) decline('syntax');
    for (let j = assigns.length - 1; j >= 0; j--) {
      const from = j === 0 ? s : assigns[j - 1]! + 1;
      const to = j === 0 && colon >= 0 ? colon : assigns[j]!;
      if (to === from) decline('syntax');
      const innermost = j === assigns.length - 1;
      const single = to - from === 1 && t.kind[from] === T_NAME;
      const alias = bind && innermost && single ? dottedChain(t, this.text, valueStart, e) : null;
      if (atModule && innermost && single) this.stringConstant(from, valueStart, e);
      this.targets(from, to, ctx, 'assign', alias, bind);
      if (atModule && single && this.text.startsWith('__all__', t.start[from]) && t.end[from]! - t.start[from]! === 7) {
        const names = innermost ? stringList(t, this.text, valueStart, e) : null;
        if (names) this.all = names.map(intern);
        else this.allDynamic = true;
      }
    }
  }

  /**
   * A statement ending in `,`: a tuple after `=`, `return`, `yield` or `raise`, or an expression statement. When
   * that could be a target list, tree-sitter joins it with a next line that reads as the rest of one (`x,\ny = 1`
   * is `x, y = 1`). And it has no `assert x,`.
   */
  private trailingComma(s: number, e: number): void {
    const t = this.t;
    const first = t.kind[s];
    if (first === KW_RETURN || first === KW_RAISE || first === KW_YIELD) return;
    if (first === KW_ASSERT) decline('syntax');
    for (let i = s; i < e; i++) if (t.depth[i] === 0 && (t.kind[i] === T_ASSIGN || t.kind[i] === T_AUGASSIGN)) return;
    // A call or a literal among the elements cannot be a target.
    for (let from = s, end = s; from < e; from = end + 1) {
      end = elementEnd(t, from, e, 0);
      if (end === from) continue;
      const last = t.kind[end - 1];
      if (last === T_RPAR ? matchingClose(t, from) !== end - 1 : last !== T_NAME && last !== T_RSQB) return;
    }
    decline('unsupported:trailing-comma');
  }

  protected augmented(s: number, op: number, e: number, ctx: Ctx, bind: boolean): void {
    const t = this.t;
    if (op === s || op + 1 === e) decline('syntax');
    // One target, a name, an attribute or a subscript.
    if (op - s !== 1 || t.kind[s] !== T_NAME) {
      const last = t.kind[op - 1];
      // `(x) += 1` is tree-sitter's tuple pattern of one: extract.ts reads it, binds nothing.
      const grouped = t.kind[s] === T_LPAR && matchingClose(t, s) === op - 1;
      const readTarget = last === T_RSQB || (last === T_NAME && (t.flags[op - 1] & F_AFTER_DOT) !== 0) || grouped;
      if (t.kind[s] === T_STAR || commasAt(t, s, op, 0, split).length || !readTarget) decline('syntax');
      this.targets(s, op, ctx, 'other', null, false);
      return;
    }
    if (!bind) return;
    const name = this.nameAt(s);
    this.bindName(name, ctx, 'other', this.lines.range(t.start[s]!, t.end[s]!));
    if (ctx.scope === this.module && name === '__all__') {
      const names = stringList(t, this.text, op + 1, e);
      if (names && this.all) this.all.push(...names.map(intern));
      else this.allDynamic = true;
    }
  }

  /** Module-level `NAME = "text"`: a constant a warn() message may name (extract.ts keeps the last of each name). */
  private stringConstant(name: number, a: number, b: number): void {
    const t = this.t;
    const value = stringValue(t, this.text, a, b);
    if (value === null) return;
    this.stringConstants.set(this.nameAt(name), plainGaps(t, this.text, a, b) ? value : UNCERTAIN_CONSTANT);
  }

  /** `__all__.extend([...])` / `.append('x')` / `.remove(…)` as an expression statement at module level. */
  protected allMutation(s: number, e: number): void {
    const t = this.t;
    if (!(t.kind[s] === T_NAME && t.end[s]! - t.start[s]! === 7 && this.text.startsWith('__all__', t.start[s]))) return;
    if (t.kind[s + 1] !== T_DOT || t.kind[s + 2] !== T_NAME || t.kind[s + 3] !== T_LPAR) return;
    const close = matchingClose(t, s + 3);
    if (close + 1 !== e && t.kind[close + 1] !== T_COMMA) return;
    const method = this.text.slice(t.start[s + 2], t.end[s + 2]);
    if (method !== 'extend' && method !== 'append' && method !== 'remove') return;
    let argEnd = s + 4;
    while (argEnd < close && !(t.kind[argEnd] === T_COMMA && t.depth[argEnd] === 1)) argEnd++;
    // A comment before the first argument is the argument list's first named child.
    const commented = this.text.slice(t.start[s + 3], argEnd > s + 4 ? t.start[s + 4] : t.start[close]).includes('#');
    let names: string[] | null = null;
    if (!commented && argEnd > s + 4) {
      if (method === 'extend') names = stringList(t, this.text, s + 4, argEnd);
      else if (method === 'append') {
        const value = stringValue(t, this.text, s + 4, argEnd);
        names = value === null ? [] : [value];
      }
    } else if (method === 'append') names = [];
    if (names && names.length && this.all) this.all.push(...names.map(intern));
    else this.allDynamic = true;
  }

  // ---- bindings ---------------------------------------------------------------------------------------

  /** A binding of `name` in `ctx`: a module binding when the scope is the module's or declares the name global. */
  protected bindName(name: string, ctx: Ctx, kind: BindingKind, range: ModuleBinding['range'], stmt?: number, item?: number): ModuleBinding | null {
    if (ctx.scope !== this.module && !ctx.scope.globals?.has(name)) return null;
    const binding: ModuleBinding = { name, kind, range, fallback: ctx.fallback, conditional: ctx.conditional };
    if (stmt !== undefined) {
      binding.stmt = stmt;
      binding.item = item;
    }
    this.bindings.push(binding);
    return binding;
  }

  /**
   * extract.ts's bindTarget over tokens [a, b): names bind (when `bind`), attributes and subscripts are only read.
   * Anything else is not a target tree-sitter accepts.
   */
  protected targets(a: number, b: number, ctx: Ctx, kind: BindingKind, alias: string[] | null, bind: boolean): void {
    const t = this.t;
    const depth = t.depth[a]!;
    for (let from = a, end = a; from <= b; from = end + 1) {
      end = elementEnd(t, from, b, depth);
      const n = end - from;
      if (n === 0) {
        if (end !== b || end === a) decline('syntax');
      } else if (n === 1 && t.kind[from] === T_NAME) {
        if (bind) {
          const range = this.lines.range(t.start[from]!, t.end[from]!);
          const binding = this.bindName(this.nameAt(from), ctx, alias ? 'alias' : kind, range);
          if (binding && alias) binding.aliasTarget = alias.map(intern);
        }
      } else if (n === 2 && t.kind[from] === T_STAR && t.kind[from + 1] === T_NAME) {
        if (bind) this.bindName(this.nameAt(from + 1), ctx, kind, this.lines.range(t.start[from + 1]!, t.end[from + 1]!));
      } else if ((t.kind[from] === T_LPAR || t.kind[from] === T_LSQB) && matchingClose(t, from) === end - 1) {
        if (n > 2) this.targets(from + 1, end - 1, ctx, kind, null, bind);
      } else {
        // An attribute or subscript target (possibly starred): a read, no binding. Only names, literals, `.` and
        // brackets at its own depth: `f().x`, `a[i]`, never `f()` or `a + b`.
        const last = t.kind[end - 1];
        const start = t.kind[from] === T_STAR ? from + 1 : from;
        if (!(last === T_RSQB || (last === T_NAME && (t.flags[end - 1] & F_AFTER_DOT) !== 0))) decline('syntax');
        for (let i = start; i < end; i++) {
          if (t.depth[i] !== depth) continue;
          const k = t.kind[i];
          const literal = k === T_STRING || k === T_NUMBER || k === T_FSTART || k === T_FEND;
          if (!(k === T_NAME || k === T_DOT || (k >= T_LPAR && k <= T_RSQB) || literal)) decline('syntax');
        }
      }
    }
  }

  // ---- uses -------------------------------------------------------------------------------------------

  /**
   * Records the names read in tokens [a, b); `noCall` is a token whose call is not a `globals()` call; in an
   * `annotation`, the names of `X[…].a.b` too (see F_CHAINLESS).
   */
  uses(a: number, b: number, ctx: Ctx, noCall = -1, annotation = false): void {
    const t = this.t;
    const atModule = ctx.scope === this.module;
    for (let i = a; i < b; i++) {
      if (t.kind[i] !== T_NAME) continue;
      const flags = t.flags[i]!;
      const h = t.hash[i]!;
      if ((flags & (F_AFTER_DOT | F_KWARG)) === 0) {
        reads.add(t.start[i]!, h);
        if (h === H_GLOBALS && t.kind[i + 1] === T_LPAR && i !== noCall && i + 1 < t.n && this.isWord(i, 'globals')) this.dynamicGlobals = true;
        else if (h === H_DEPRECATION || h === H_PENDING) this.deprecationName = true;
        else if (h === H_FUTURE) this.futureName = true;
      } else if (annotation && (flags & F_CHAINLESS) !== 0) {
        reads.add(~t.start[i]!, h);
      }
      if (atModule && h === H_WARN && t.kind[i + 1] === T_LPAR && i + 1 < t.n) this.moduleWarnSites++;
    }
  }

  /** The NAME token `i`'s text, interned. */
  protected nameAt(i: number): string {
    return internAt(this.text, this.t.start[i]!, this.t.end[i]!, this.t.hash[i]!);
  }

  protected isWord(i: number, word: string): boolean {
    return this.t.end[i]! - this.t.start[i]! === word.length && this.text.startsWith(word, this.t.start[i]);
  }
}
