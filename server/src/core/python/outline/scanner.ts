import type { Definition, FileFacts } from '../facts.js';
import { intern } from '../intern.js';
import { Ctx, type Body, type Compound, type Frame, type Marks } from './context.js';
import type { OutlineOptions } from '../outline.js';
import * as literals from './literals.js';
import { signature } from './signature.js';
import { Statements } from './statements.js';
import { decline } from './tokens.js';
import { mayMarkDeprecation, warnTarget, type WatchedDef } from './warnings.js';
import * as tokenKinds from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { commasAt, elementEnd, matchingClose } = literals;
const {
  F_LAMBDA, KW_AS, KW_ASYNC, KW_CLASS, KW_DEF, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FINALLY, KW_FOR, KW_IF, KW_IN, KW_TRY, KW_WHILE, KW_WITH,
  SOFT_CASE, SOFT_MATCH, T_ARROW, T_ASSIGN, T_AT, T_AUGASSIGN, T_COLON, T_COMMA, T_COMPARE, T_DOT, T_LPAR, T_LSQB, T_NAME, T_SEMI, T_STAR,
} = tokenKinds;

/**
 * The statement level of the outline scanner: blocks from indentation, the scope and guard context of every
 * statement, compound statements and definitions; simple statements are statements.ts's. From them, the facts
 * extract.ts would build (see ../outline.ts for what must match it exactly).
 */

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);
const TYPE_CHECKING = new Set(['TYPE_CHECKING', 'typing.TYPE_CHECKING', 't.TYPE_CHECKING']);
const split: number[] = [];

export class Scanner extends Statements {
  private readonly frames: Frame[] = [];
  private pendingBody: Body | null = null;
  private decorators: string[] | null = null;
  private decoratorFrame: Frame | null = null;
  private deprecatedDecorator = false;
  private readonly withParams: boolean;

  constructor(text: string, opts: OutlineOptions) {
    super(text, opts);
    this.withParams = opts.params !== false;
    const ctx = new Ctx(this.module, false, false, false, false, '');
    this.frames.push({ indent: 0, ctx, last: null, match: false, watch: 0, def: null, twice: null });
  }

  run(): FileFacts {
    while (this.lexer.lexLine()) this.line();
    if (this.pendingBody || this.decorators) decline('syntax');
    while (this.frames.length > 1) this.popFrame(this.text.length);
    // Only a file that could hold a marker pays for resolving its warn() calls, and declines when one is unmodelled.
    if (this.deprecationMarker()) {
      if (this.unmodeledWarn || this.moduleWarnSites !== this.moduleWarnCalls) decline('deprecation-marker');
      this.legacyWarnings = this.resolveWarnings();
    }
    return this.facts();
  }

  /** Whether a warnings.warn(…, DeprecationWarning) could be where extract.ts looks for one. */
  private deprecationMarker(): boolean {
    const { moduleWarnSites, leadingWarn, deprecationName, futureName } = this;
    return mayMarkDeprecation({ moduleWarnSites, leadingWarn, deprecationName, futureName }, this.imports);
  }

  // ---- lines and blocks -------------------------------------------------------------------------------

  private line(): void {
    const t = this.t;
    const indent = this.lexer.lineIndent;
    let frame = this.frames[this.frames.length - 1]!;
    if (this.pendingBody) {
      if (indent <= frame.indent) decline('expected-indent');
      const body = this.pendingBody;
      this.pendingBody = null;
      frame = { indent, ctx: body.ctx, last: null, match: body.match, watch: body.watch, def: body.def ?? null, twice: body.twice ?? null };
      this.frames.push(frame);
    } else if (indent > frame.indent) {
      decline('unexpected-indent');
    } else {
      while (indent < frame.indent) {
        this.popFrame(t.start[0]!);
        frame = this.frames[this.frames.length - 1]!;
        if (indent > frame.indent) decline('inconsistent-dedent');
      }
    }
    if (this.lexer.walrus && (frame.ctx.scope === this.module || frame.ctx.scope.globals)) decline('unsupported:walrus');
    const first = t.kind[0];
    // Decorators and their definition are one statement of one block.
    if (this.decorators && frame !== this.decoratorFrame) decline('syntax');
    const definition = first === KW_DEF || first === KW_CLASS || (first === KW_ASYNC && t.kind[1] === KW_DEF);
    if (this.decorators && first !== T_AT && !definition) decline('syntax');
    if (frame.match) {
      if (!(first === T_NAME && t.aux[0] === SOFT_CASE)) decline('syntax');
      this.caseClause(frame);
      return;
    }
    switch (first) {
      case T_AT:
        frame.last = null;
        frame.watch = 0;
        return this.decorator(frame);
      case KW_IF:
      case KW_WHILE:
      case KW_FOR:
      case KW_TRY:
      case KW_WITH:
      case KW_DEF:
      case KW_CLASS:
      case KW_ASYNC:
        frame.watch = 0;
        return this.compound(frame, first === KW_ASYNC ? t.kind[1]! : first, first === KW_ASYNC ? 1 : 0);
      case KW_ELIF:
      case KW_ELSE:
      case KW_EXCEPT:
      case KW_FINALLY:
        return this.clause(frame, first);
      case T_NAME:
        if (t.aux[0] === SOFT_MATCH && this.isMatch()) {
          frame.watch = 0;
          return this.matchStatement(frame);
        }
        // `match x` / `case x` read as the start of a statement the line does not complete.
        if (this.lexer.softStatement || (t.aux[0] === SOFT_CASE && t.n > 1 && this.isCase())) decline('syntax');
        break;
      default:
        break;
    }
    frame.last = null;
    this.statements(0, frame);
  }

  /** Ends the innermost block; `end`: the offset of the line that is no longer in it. */
  private popFrame(end: number): void {
    const frame = this.frames.pop()!;
    if (frame.def) frame.def.end = end;
    if (frame.twice) this.twice(frame.twice);
  }

  /**
   * extract.ts visits a decorated definition it does not record (one nested in a function) a second time: what
   * the first visit added (imports in its body, module bindings through `global`) is added again.
   */
  private twice(marks: Marks): void {
    const count = this.imports.length - marks.imports;
    for (let k = marks.imports; k < marks.imports + count; k++) {
      const stmt = this.imports[k]!;
      this.imports.push({ ...stmt, items: stmt.items.map((item) => ({ ...item })), guard: { ...stmt.guard } });
    }
    const end = this.bindings.length;
    for (let k = marks.bindings; k < end; k++) {
      const binding = { ...this.bindings[k]! };
      if (binding.stmt !== undefined && binding.stmt >= marks.imports) binding.stmt += count;
      this.bindings.push(binding);
    }
  }

  /** Simple statements from token `i` to the end of the line, separated by `;`. */
  private statements(i: number, frame: Frame): void {
    const t = this.t;
    while (i < t.n) {
      let e = i;
      while (e < t.n && !(t.kind[e] === T_SEMI && t.depth[e] === 0)) e++;
      this.simple(i, e, frame);
      i = e + 1;
    }
  }

  /** The header's `:` (the first at depth 0 that does not end a lambda's parameters); no assignment before it. */
  private headerColon(from: number): number {
    const t = this.t;
    for (let i = from; i < t.n; i++) {
      if (t.depth[i] !== 0 || (t.flags[i] & F_LAMBDA) !== 0) continue;
      const k = t.kind[i];
      if (k === T_COLON) return i;
      if (k === T_ASSIGN || k === T_AUGASSIGN) decline('syntax');
    }
    return decline('syntax');
  }

  /** After a header's `:`: a block on the next lines, or simple statements on this one. */
  private body(colon: number, body: Body): void {
    if (colon === this.t.n - 1) {
      this.pendingBody = body;
      return;
    }
    if (body.match) decline('syntax');
    this.statements(colon + 1, { indent: -1, ctx: body.ctx, last: null, match: false, watch: body.watch, def: body.def ?? null, twice: null });
    if (body.def) body.def.end = this.t.end[this.t.n - 1]!;
    if (body.twice) this.twice(body.twice);
  }

  // ---- compound statements ----------------------------------------------------------------------------

  private compound(frame: Frame, kind: number, i: number): void {
    const t = this.t;
    const ctx = frame.ctx;
    const colon = this.headerColon(i);
    const inner = ctx.inBlock();
    frame.last = null;
    switch (kind) {
      case KW_IF: {
        if (i || colon === 1 || elementEnd(t, 1, colon, 0) !== colon) decline('syntax');
        this.uses(1, colon, ctx);
        frame.last = this.compoundRecord(KW_IF, ctx);
        this.body(colon, { ctx: this.isTypeChecking(colon) ? inner.inTypeChecking() : inner, match: false, watch: 0 });
        return;
      }
      case KW_WHILE:
        if (i || colon === 1 || elementEnd(t, 1, colon, 0) !== colon) decline('syntax');
        this.uses(1, colon, ctx);
        frame.last = this.compoundRecord(KW_WHILE, ctx);
        this.body(colon, { ctx: inner, match: false, watch: 0 });
        return;
      case KW_FOR: {
        let inAt = i + 1;
        while (inAt < colon && !(t.kind[inAt] === KW_IN && t.depth[inAt] === 0)) inAt++;
        if (inAt === colon || inAt === i + 1 || inAt + 1 === colon) decline('syntax');
        this.uses(i + 1, colon, ctx);
        this.targets(i + 1, inAt, inner, 'other', null, this.binds(ctx));
        frame.last = this.compoundRecord(KW_FOR, ctx);
        this.body(colon, { ctx: inner, match: false, watch: 0 });
        return;
      }
      case KW_TRY:
        if (i || colon !== 1) decline('syntax');
        frame.last = this.compoundRecord(KW_TRY, ctx);
        this.body(colon, { ctx: inner, match: false, watch: 0 });
        return;
      case KW_WITH:
        if (colon === i + 1) decline('syntax');
        this.uses(i + 1, colon, ctx);
        if (this.binds(ctx)) this.withItems(i + 1, colon, inner);
        frame.last = this.compoundRecord(KW_WITH, ctx);
        this.body(colon, { ctx: inner, match: false, watch: 0 });
        return;
      case KW_DEF:
        return this.functionDef(frame, i, colon);
      case KW_CLASS:
        if (i) decline('syntax');
        return this.classDef(frame, colon);
      default:
        decline('syntax');
    }
  }

  /** extract.ts compares the condition's text. */
  private isTypeChecking(colon: number): boolean {
    const t = this.t;
    const start = t.start[1]!;
    const length = t.end[colon - 1]! - start;
    return (length === 13 || length === 15 || length === 20) && TYPE_CHECKING.has(this.text.slice(start, start + length));
  }

  private compoundRecord(kind: number, ctx: Ctx): Compound {
    return { kind, stage: 0, ctx, importStart: this.imports.length, bodyEnd: -1 };
  }

  /** `elif`, `else`, `except`, `finally`: continue the block's last compound statement. */
  private clause(frame: Frame, kind: number): void {
    const last = frame.last;
    if (!last) return decline('syntax');
    const colon = this.headerColon(0);
    const inner = last.ctx.inBlock();
    if (last.kind === KW_TRY) {
      if (last.bodyEnd < 0) last.bodyEnd = this.imports.length;
      if (kind === KW_EXCEPT) {
        if (last.stage > 1) decline('syntax');
        last.stage = 1;
        const catches = this.exceptClause(colon, inner);
        if (catches) for (let k = last.importStart; k < last.bodyEnd; k++) this.imports[k]!.guard.tryImportError = true;
        return this.body(colon, { ctx: catches ? inner.inFallback() : inner, match: false, watch: 0 });
      }
      if (kind === KW_ELSE && last.stage !== 1) decline('syntax');
      if (kind === KW_FINALLY && last.stage > 2) decline('syntax');
      if (kind === KW_ELIF) decline('syntax');
      last.stage = kind === KW_ELSE ? 2 : 3;
    } else if (kind === KW_ELIF) {
      if (last.kind !== KW_IF || last.stage !== 0) decline('syntax');
      if (colon === 1 || elementEnd(this.t, 1, colon, 0) !== colon) decline('syntax');
      this.uses(1, colon, last.ctx);
    } else if (kind === KW_ELSE) {
      if ((last.kind !== KW_IF && last.kind !== KW_FOR && last.kind !== KW_WHILE) || last.stage !== 0) decline('syntax');
      last.stage = 1;
    } else decline('syntax');
    if (kind !== KW_ELIF && colon !== 1) decline('syntax');
    this.body(colon, { ctx: inner, match: false, watch: 0 });
  }

  /** An except clause's header: binds its `as` name; whether it catches ImportError (extract.ts's rule). */
  private exceptClause(colon: number, ctx: Ctx): boolean {
    const t = this.t;
    let x = 1;
    if (t.kind[x] === T_STAR) x++;
    let as = x;
    while (as < colon && !(t.kind[as] === KW_AS && t.depth[as] === 0)) as++;
    this.uses(x, colon, ctx);
    if (as < colon) {
      if (as === x || as + 1 === colon) decline('syntax');
      if (this.binds(ctx)) this.targets(as + 1, colon, ctx, 'other', null, true);
    }
    if (x === as) {
      if (x !== 1) decline('syntax');
      return true;
    }
    const types: string[] = [];
    const element = (a: number, b: number): void => {
      if (b > a) types.push(this.text.slice(t.start[a], t.end[b - 1]));
    };
    const each = (a: number, b: number, depth: number): void => {
      let from = a;
      for (const c of [...commasAt(t, a, b, depth, split), b]) {
        element(from, c);
        from = c + 1;
      }
    };
    if (t.kind[x] === T_LPAR && matchingClose(t, x) === as - 1) each(x + 1, as - 1, 1);
    else each(x, as, 0);
    const catches = types.some((s) => IMPORT_ERRORS.has(s.split('.').pop() ?? ''));
    if (!catches) this.exceptComments(t.start[x]!, t.end[as - 1]!);
    return catches;
  }

  /** A comment inside an except clause's parentheses is a child of its own there, whose text extract.ts reads too. */
  private exceptComments(from: number, to: number): void {
    const text = this.text;
    for (let i = text.indexOf('#', from); i >= 0 && i < to; i = text.indexOf('#', i + 1)) {
      if (/['"]/.test(text.slice(from, to))) decline('unsupported:except-comment');
      const nl = text.indexOf('\n', i);
      const last = text.slice(i, nl < 0 ? text.length : nl).split('.').pop() ?? '';
      if (IMPORT_ERRORS.has(last) || IMPORT_ERRORS.has(last.trimEnd())) decline('unsupported:except-comment');
    }
  }

  private withItems(a: number, colon: number, ctx: Ctx): void {
    const t = this.t;
    // `with (a as b):` and `with (a as b, c as d):` parse differently: only the latter binds.
    if (t.kind[a] === T_LPAR && matchingClose(t, a) === colon - 1) decline('unsupported:with-parens');
    let from = a;
    for (const end of [...commasAt(t, a, colon, 0, split), colon]) {
      for (let i = from; i < end; i++) {
        if (t.kind[i] === KW_AS && t.depth[i] === 0) {
          if (i + 1 === end) decline('syntax');
          this.targets(i + 1, end, ctx, 'other', null, true);
          break;
        }
      }
      from = end + 1;
    }
  }

  private isMatch(): boolean {
    const t = this.t;
    const second = t.kind[1];
    const last = t.n - 1;
    return t.n > 2 && t.kind[last] === T_COLON && t.depth[last] === 0 && (t.flags[last] & F_LAMBDA) === 0 &&
      second !== T_ASSIGN && second !== T_COLON && second !== T_DOT && second !== T_AUGASSIGN && second !== T_COMMA;
  }

  /** `case` followed by what can only be a pattern (not `case = …`, `case(…)`, `case.x`). */
  private isCase(): boolean {
    const k = this.t.kind[1];
    const operator = k === T_ASSIGN || k === T_AUGASSIGN || k === T_DOT || k === T_COLON || k === T_COMMA || (k >= T_AT && k <= T_COMPARE);
    return !(operator || k === T_SEMI || k === T_LPAR || k === T_LSQB);
  }

  private matchStatement(frame: Frame): void {
    const ctx = frame.ctx;
    // Captures bind names: only inside functions (without `global`) are they invisible to the outline.
    if (ctx.scope.kind !== 'function' || ctx.scope.globals) decline('unsupported:match');
    const colon = this.t.n - 1;
    this.uses(1, colon, ctx);
    frame.last = null;
    this.pendingBody = { ctx: ctx.inBlock(), match: true, watch: 0 };
  }

  private caseClause(frame: Frame): void {
    const colon = this.headerColon(1);
    if (colon === 1) decline('syntax');
    this.uses(1, colon, frame.ctx);
    this.body(colon, { ctx: frame.ctx, match: false, watch: 0 });
  }

  // ---- definitions ------------------------------------------------------------------------------------

  private decorator(frame: Frame): void {
    const t = this.t;
    const n = t.n;
    if (n < 2) decline('syntax');
    // One expression: no assignment, annotation or tuple.
    for (let i = 1; i < n; i++) {
      const k = t.kind[i];
      const separator = k === T_ASSIGN || k === T_AUGASSIGN || k === T_COMMA || (k === T_COLON && (t.flags[i] & F_LAMBDA) === 0);
      if (separator && t.depth[i] === 0) decline('syntax');
    }
    let last = 1;
    let name = '';
    if (t.kind[1] === T_NAME) {
      while (last + 2 < n && t.kind[last + 1] === T_DOT && t.kind[last + 2] === T_NAME) last += 2;
      const call = t.kind[last + 1] === T_LPAR && matchingClose(t, last + 1) === n - 1;
      if (last === n - 1 || call) {
        // extract.ts joins the names (whatever lies between them).
        const names: string[] = [];
        for (let j = 1; j <= last; j += 2) names.push(this.text.slice(t.start[j], t.end[j]));
        name = names.join('.');
        if (this.text.endsWith('deprecated', t.end[last])) this.deprecatedDecorator = true;
      }
      // `@globals(…)` is not a call extract.ts looks at (decorators are read as expressions).
      this.uses(1, n, frame.ctx, call && last === 1 ? 1 : -1);
    } else this.uses(1, n, frame.ctx);
    (this.decorators ??= []).push(intern(name));
    this.decoratorFrame = frame;
  }

  private takeDecorators(): string[] {
    const names = this.decorators ?? [];
    this.decorators = null;
    return names.filter((d) => d !== '');
  }

  private functionDef(frame: Frame, i: number, colon: number): void {
    const t = this.t;
    const ctx = frame.ctx;
    const twice = this.decorators && ctx.qualPrefix === null ? this.marks() : null;
    const nameAt = i + 1;
    if (t.kind[nameAt] !== T_NAME) decline('syntax');
    let p = nameAt + 1;
    if (t.kind[p] === T_LSQB) {
      const close = matchingClose(t, p);
      this.uses(p, close + 1, ctx, -1, true);
      p = close + 1;
    }
    if (t.kind[p] !== T_LPAR) decline('syntax');
    const close = matchingClose(t, p);
    const params = signature(t, this.text, this.lines, p + 1, close, (a, b, annotation) => this.uses(a, b, ctx, -1, annotation), this.withParams);
    if (close + 1 !== colon) {
      if (t.kind[close + 1] !== T_ARROW || close + 2 >= colon || elementEnd(t, close + 2, colon, 0) !== colon) decline('syntax');
      this.uses(close + 2, colon, ctx, -1, true);
      // `def f() -> T: x[1]`: tree-sitter reads `T: x[1]` as a constrained type and fails.
      if (t.kind[colon + 1] === T_NAME && t.kind[colon + 2] === T_LSQB) decline('syntax');
    }
    const name = this.nameAt(nameAt);
    const nameRange = this.lines.range(t.start[nameAt]!, t.end[nameAt]!);
    this.bindName(name, ctx, 'function', nameRange);
    if (ctx.scope === this.module && name === '__getattr__') this.hasGetattr = true;
    const decorators = this.takeDecorators();
    const recorded = ctx.qualPrefix !== null;
    let def: WatchedDef | null = null;
    if (recorded) {
      this.define(ctx, name, 'function', nameRange, decorators, this.withParams ? params : null);
      def = { target: warnTarget(this.definitions, this.definitions.length - 1), start: t.start[0]!, end: this.text.length };
    } else this.deprecatedDecorator = false;
    frame.last = this.compoundRecord(KW_DEF, ctx);
    const inner = new Ctx({ kind: 'function', globals: null }, ctx.typeChecking, true, false, false, null);
    this.body(colon, { ctx: inner, match: false, watch: recorded ? 2 : 0, def, twice });
  }

  private marks(): Marks {
    return { imports: this.imports.length, bindings: this.bindings.length };
  }

  private classDef(frame: Frame, colon: number): void {
    const t = this.t;
    const ctx = frame.ctx;
    const twice = this.decorators && ctx.qualPrefix === null ? this.marks() : null;
    if (t.kind[1] !== T_NAME) decline('syntax');
    let p = 2;
    if (t.kind[p] === T_LSQB) {
      p = matchingClose(t, p) + 1;
      this.uses(2, p, ctx, -1, true);
    }
    const bases = p;
    if (t.kind[p] === T_LPAR) p = matchingClose(t, p) + 1;
    if (p !== colon) decline('syntax');
    this.uses(bases, colon, ctx);
    const name = this.nameAt(1);
    const nameRange = this.lines.range(t.start[1]!, t.end[1]!);
    this.bindName(name, ctx, 'class', nameRange);
    const decorators = this.takeDecorators();
    if (ctx.qualPrefix !== null) this.define(ctx, name, 'class', nameRange, decorators, null);
    else this.deprecatedDecorator = false;
    frame.last = this.compoundRecord(KW_CLASS, ctx);
    const qualPrefix = ctx.qualPrefix === null ? null : `${ctx.qualPrefix}${name}.`;
    const inner = new Ctx({ kind: 'class', globals: null }, ctx.typeChecking, true, false, false, qualPrefix);
    this.body(colon, { ctx: inner, match: false, watch: 0, twice });
  }

  private define(
    ctx: Ctx,
    name: string,
    kind: 'class' | 'function',
    nameRange: Definition['nameRange'],
    decorators: string[],
    params: Definition['params'],
  ): void {
    if (this.deprecatedDecorator) decline('deprecation-marker');
    this.definitions.push({
      // Not sliced from the text (nothing to detach), and unique per file: not worth interning.
      qualName: ctx.qualPrefix ? ctx.qualPrefix + name : name,
      kind,
      nameRange,
      deprecation: null,
      decorators,
      params,
      conditional: ctx.conditional || ctx.fallback,
    });
  }
}
