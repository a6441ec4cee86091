/**
 * Test-only: a frozen copy of server/src/core/python/extract.ts as of commit a46fa33, before extraction walked a
 * mirror of the tree instead of web-tree-sitter node wrappers. test/python/extract-equivalence.test.ts proves the
 * production extractor still produces exactly these facts. Do not change its behaviour: it is the reference.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../../server/src/core/types.js';
import { BUILTIN_NAMES } from '../../server/src/core/python/builtins.js';
import type {
  BindingKind,
  CallInfo,
  Definition,
  Parameter,
  FileFacts,
  ImportGuard,
  ImportItem,
  ImportStatement,
  LegacyWarning,
  ModuleBinding,
  Ref,
  RefContext,
} from '../../server/src/core/python/facts.js';
import { packRefRanges } from '../../server/src/core/python/facts.js';

/**
 * One pass over a syntax tree that builds Python's scopes, resolves every name read to the binding it sees,
 * and keeps only what the rules need (see FileFacts). Strings and comments are never names: the grammar
 * tells them apart, and f-string interpolations are expressions like any other.
 */

const DEPRECATION_CATEGORIES = new Set(['DeprecationWarning', 'PendingDeprecationWarning', 'FutureWarning']);
const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);
const DEPRECATED_DECORATORS = new Set([
  'warnings.deprecated',
  'typing_extensions.deprecated',
  'typing.deprecated',
  'deprecated.deprecated',
  'deprecated.classic.deprecated',
  'deprecated.sphinx.deprecated',
]);
/** `# migration-lens: ignore` or `# migration-lens: ignore[MIG001, MIG002]`; group 1 is the code list. */
export const SUPPRESSION = /#\s*migration-lens:\s*ignore(?:\[([A-Za-z0-9,\s]*)\])?/;

type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

interface Bind {
  pos: number;
  kind: BindingKind | 'param';
  fallback: boolean;
  stmt?: number;
  item?: number;
}

class Scope {
  readonly bindings = new Map<string, Bind[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
  ) {}

  bind(name: string, b: Bind): void {
    let list = this.bindings.get(name);
    if (!list) this.bindings.set(name, (list = []));
    list.push(b);
  }
}

/** A name read, before scopes are complete: a Ref once it resolves to an import binding. */
interface PendingRef extends Omit<Ref, 'stmt' | 'item'> {
  scope: Scope;
  name: string;
  pos: number;
}

/** A call that may be `warnings.warn(...)`, kept until names are resolved. */
interface WarnCandidate {
  ref: PendingRef;
  message: string;
  category: PendingRef | null;
  range: Range;
  moduleLevel: boolean;
  /** Index into definitions when this call is the first statement of that def's body (or its __init__). */
  firstStatementOf: number | null;
}

interface DecoratorCandidate {
  ref: PendingRef;
  message: string;
  definition: number;
}

interface Context {
  scope: Scope;
  guard: ImportGuard;
  fallback: boolean;
  conditional: boolean;
  /** Qualified name prefix for definitions (`Class.`), null inside functions. */
  qualPrefix: string | null;
}

export interface ExtractOptions {
  /** Dotted module name of the file, for resolving relative imports. */
  module: string | null;
  isPackage: boolean;
}

function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, column: node.startPosition.column },
    end: { line: node.endPosition.row, column: node.endPosition.column },
  };
}

function isTypeCheckingCondition(node: Node | null): boolean {
  if (!node) return false;
  const text = node.text;
  return text === 'TYPE_CHECKING' || text === 'typing.TYPE_CHECKING' || text === 't.TYPE_CHECKING';
}

/** The text of a string literal (or implicit concatenation), escapes and interpolations kept verbatim. */
export function stringValue(node: Node | null): string | null {
  if (!node) return null;
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((child) => stringValue(child));
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (node.type !== 'string') return null;
  let out = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_start' || child.type === 'string_end') continue;
    out += child.text;
  }
  return out;
}

function resolveRelative(opts: ExtractOptions, level: number, module: string): string | null {
  if (level === 0) return module;
  if (opts.module === null) return null;
  const parts = opts.module.split('.');
  // A package's own module is its package; a plain module's package is its parent.
  const pkg = opts.isPackage ? parts : parts.slice(0, -1);
  const up = level - 1;
  if (up > pkg.length || (up === pkg.length && !module)) return null;
  const base = pkg.slice(0, pkg.length - up);
  if (module) base.push(module);
  return base.length ? base.join('.') : null;
}

export function extractFacts(tree: Tree, text: string, opts: ExtractOptions): FileFacts {
  return new Extractor(text, opts).run(tree.rootNode);
}

class Extractor {
  private readonly imports: ImportStatement[] = [];
  private readonly bindings: ModuleBinding[] = [];
  private readonly definitions: Definition[] = [];
  private readonly pending: PendingRef[] = [];
  private readonly warns: WarnCandidate[] = [];
  private readonly decorators: DecoratorCandidate[] = [];
  private readonly suppressions = new Map<number, string[]>();
  private readonly boundNames = new Set<string>();
  /** call node id → definition index, for "body starts by warning". */
  private readonly firstStatementCalls = new Map<number, number>();
  private all: string[] | null = null;
  private allDynamic = false;
  private hasGetattr = false;
  private dynamicGlobals = false;
  /** Module-level `NAME = "text"`, for warnings whose message is a constant. */
  private readonly stringConstants = new Map<string, string>();
  private syntaxError: Range | null = null;
  private readonly module = new Scope('module', null);

  constructor(
    private readonly text: string,
    private readonly opts: ExtractOptions,
  ) {}

  run(root: Node): FileFacts {
    if (root.hasError) this.syntaxError = this.findFirstError(root);
    const ctx: Context = {
      scope: this.module,
      guard: { tryImportError: false, typeChecking: false, nested: false },
      fallback: false,
      conditional: false,
      qualPrefix: '',
    };
    this.visitChildren(root, ctx);
    return this.finish();
  }

  private findFirstError(node: Node): Range | null {
    if (node.isError || node.isMissing) return rangeOf(node);
    for (const child of node.children) {
      if (child.hasError || child.isError || child.isMissing) {
        const found = this.findFirstError(child);
        if (found) return found;
      }
    }
    return null;
  }

  // ---- traversal -------------------------------------------------------------------------------------

  private visitChildren(node: Node, ctx: Context): void {
    for (const child of node.children) this.visit(child, ctx);
  }

  private visit(node: Node, ctx: Context, refContext: RefContext = 'load', call: CallInfo | null = null): void {
    switch (node.type) {
      case 'comment':
        return this.comment(node);
      case 'identifier':
        return this.reference(node, ctx, refContext, call, node.parent);
      case 'attribute':
        this.attribute(node, ctx, refContext, call);
        return;
      case 'import_statement':
      case 'import_from_statement':
        return this.importStatement(node, ctx);
      case 'future_import_statement':
        return;
      case 'decorated_definition':
        return this.decorated(node, ctx);
      case 'function_definition':
        this.functionDef(node, ctx, []);
        return;
      case 'class_definition':
        this.classDef(node, ctx, []);
        return;
      case 'lambda':
        return this.lambda(node, ctx);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node, ctx);
      case 'assignment':
        return this.assignment(node, ctx);
      case 'augmented_assignment':
        return this.augmented(node, ctx);
      case 'for_statement':
        return this.forStatement(node, ctx);
      case 'with_statement':
        return this.withStatement(node, ctx);
      case 'try_statement':
        return this.tryStatement(node, ctx);
      case 'except_clause':
        return this.exceptClause(node, ctx);
      case 'if_statement':
        return this.ifStatement(node, ctx);
      case 'named_expression':
        return this.namedExpression(node, ctx);
      case 'global_statement':
      case 'nonlocal_statement':
        return this.declaration(node, ctx);
      case 'delete_statement':
        return this.deleteStatement(node, ctx);
      case 'call':
        return this.call(node, ctx);
      case 'keyword_argument': {
        const value = node.childForFieldName('value');
        if (value) this.visit(value, ctx);
        return;
      }
      case 'string':
        for (const child of node.namedChildren) if (child.type === 'interpolation') this.visitChildren(child, ctx);
        return;
      case 'case_pattern':
        return this.casePattern(node, ctx);
      case 'while_statement':
      case 'match_statement':
        return this.visitChildren(node, { ...ctx, conditional: true });
      case 'expression_statement':
        this.visitChildren(node, ctx);
        if (ctx.scope === this.module) this.allMutation(node);
        return;
      default:
        if (node.childCount) this.visitChildren(node, ctx);
    }
  }

  private comment(node: Node): void {
    const m = SUPPRESSION.exec(node.text);
    if (!m) return;
    const codes = m[1] === undefined ? [] : m[1].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    const line = node.startPosition.row;
    const existing = this.suppressions.get(line);
    // A bare ignore (empty list) wins over specific codes on the same line.
    if (existing && existing.length === 0) return;
    this.suppressions.set(line, codes.length === 0 ? [] : [...(existing ?? []), ...codes]);
  }

  // ---- references -------------------------------------------------------------------------------------

  private reference(node: Node, ctx: Context, refContext: RefContext, call: CallInfo | null, parent: Node | null): void {
    const r = rangeOf(node);
    this.pending.push({
      scope: ctx.scope,
      name: node.text,
      pos: node.startIndex,
      chain: [],
      coords: packRefRanges([r], []),
      context: refContext,
      call,
      lambdaSafe: isLambdaSafe(node, parent),
    });
  }

  private attribute(node: Node, ctx: Context, refContext: RefContext, call: CallInfo | null): PendingRef | null {
    // Collect the pure dotted chain `a.b.c`; anything else (`f().x`) is visited normally.
    const attrs: Node[] = [];
    let cur: Node = node;
    while (cur.type === 'attribute') {
      attrs.push(cur);
      const object = cur.childForFieldName('object');
      if (!object) break;
      cur = object;
    }
    if (cur.type !== 'identifier') {
      const object = node.childForFieldName('object');
      if (object) this.visit(object, ctx);
      return null;
    }
    attrs.reverse();
    const chain: string[] = [];
    const attrRanges: Range[] = [];
    for (const a of attrs) {
      const name = a.childForFieldName('attribute');
      chain.push(name ? name.text : '');
      attrRanges.push(name ? rangeOf(name) : rangeOf(a));
    }
    const ref: PendingRef = {
      scope: ctx.scope,
      name: cur.text,
      pos: cur.startIndex,
      chain,
      coords: packRefRanges([rangeOf(cur), ...attrs.map(rangeOf)], attrRanges),
      context: refContext,
      call,
      lambdaSafe: isLambdaSafe(node, node.parent),
    };
    this.pending.push(ref);
    return ref;
  }

  /** Visits an expression that may be a dotted chain, returning its pending reference if it is one. */
  private visitExpression(node: Node, ctx: Context, refContext: RefContext, call: CallInfo | null = null): PendingRef | null {
    if (node.type === 'identifier') {
      this.reference(node, ctx, refContext, call, node.parent);
      return this.pending[this.pending.length - 1]!;
    }
    if (node.type === 'attribute') return this.attribute(node, ctx, refContext, call);
    this.visit(node, ctx, refContext, call);
    return null;
  }

  private call(node: Node, ctx: Context): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    const info = args && args.type === 'argument_list' ? callInfo(args) : null;
    const ref = fn ? this.visitExpression(fn, ctx, 'call', info) : null;
    if (args) this.visit(args, ctx);
    if (ref && ref.name === 'globals' && !ref.chain.length) this.dynamicGlobals = true;
    if (ref && args && (ref.chain.length ? ref.chain[ref.chain.length - 1] : ref.name) === 'warn') {
      this.warnCandidate(node, args, ref, ctx);
    }
  }

  private warnCandidate(node: Node, args: Node, ref: PendingRef, ctx: Context): void {
    const positional = args.namedChildren.filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment');
    const keywords = new Map<string, Node>();
    for (const kw of args.namedChildren) {
      if (kw.type !== 'keyword_argument') continue;
      const name = kw.childForFieldName('name');
      const value = kw.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    }
    const messageNode = positional[0] ?? keywords.get('message') ?? null;
    const categoryNode = positional[1] ?? keywords.get('category') ?? null;
    let category: PendingRef | null = null;
    if (categoryNode && categoryNode.type === 'identifier') {
      category = this.pending.find((p) => p.pos === categoryNode.startIndex) ?? null;
    }
    const constant = messageNode?.type === 'identifier' ? `\0${messageNode.text}` : '';
    this.warns.push({
      ref,
      message: stringValue(messageNode) ?? constant,
      category,
      range: rangeOf(node),
      moduleLevel: ctx.scope === this.module,
      firstStatementOf: this.firstStatementCalls.get(node.id) ?? null,
    });
  }

  // ---- imports ----------------------------------------------------------------------------------------

  private importStatement(node: Node, ctx: Context): void {
    const isFrom = node.type === 'import_from_statement';
    let level = 0;
    let module: string | null = null;
    let moduleRange: Range | null = null;
    const items: ImportItem[] = [];
    let star = false;
    let parenthesized = false;
    const moduleNode = isFrom ? node.childForFieldName('module_name') : null;
    if (moduleNode) {
      moduleRange = rangeOf(moduleNode);
      if (moduleNode.type === 'relative_import') {
        for (const child of moduleNode.namedChildren) {
          if (child.type === 'import_prefix') level = child.text.length;
          else if (child.type === 'dotted_name') module = child.text;
        }
        module ??= '';
      } else {
        module = moduleNode.text;
      }
    }
    for (const child of node.children) {
      if (child.type === '(') parenthesized = true;
      if (child.type === 'wildcard_import') star = true;
      if (child.type === 'comment') this.comment(child);
    }
    for (const itemNode of node.childrenForFieldName('name')) {
      let nameNode = itemNode;
      let asName: string | null = null;
      if (itemNode.type === 'aliased_import') {
        nameNode = itemNode.childForFieldName('name') ?? itemNode;
        asName = itemNode.childForFieldName('alias')?.text ?? null;
      }
      const name = nameNode.text.replace(/\s+/g, '');
      const local = asName ?? (isFrom ? name : name.split('.')[0]!);
      items.push({ name, asName, local, range: rangeOf(itemNode), nameRange: rangeOf(nameNode) });
    }
    const stmtIndex = this.imports.length;
    const lineStart = this.text.lastIndexOf('\n', node.startIndex - 1) + 1;
    const before = this.text.slice(lineStart, node.startIndex);
    this.imports.push({
      kind: isFrom ? 'from' : 'import',
      level,
      module: isFrom ? module : null,
      absModule: isFrom && module !== null ? resolveRelative(this.opts, level, module) : null,
      range: rangeOf(node),
      moduleRange,
      items,
      star,
      parenthesized,
      guard: { ...ctx.guard },
      indent: /^\s*$/.test(before) ? before : '',
    });
    items.forEach((item, index) => {
      this.bindName(item.local, ctx, { pos: node.startIndex, kind: 'import', fallback: ctx.fallback, stmt: stmtIndex, item: index }, item.range);
    });
  }

  // ---- definitions ------------------------------------------------------------------------------------

  private decorated(node: Node, ctx: Context): void {
    const decoratorRefs: { ref: PendingRef | null; message: string; name: string }[] = [];
    for (const child of node.children) {
      if (child.type === 'decorator') {
        const expr = child.namedChildren.find((c) => c.type !== 'comment');
        if (!expr) continue;
        const name = decoratorName(expr);
        if (expr.type === 'call') {
          const fn = expr.childForFieldName('function');
          const args = expr.childForFieldName('arguments');
          const ref = fn ? this.visitExpression(fn, ctx, 'decorator') : null;
          if (args) this.visit(args, ctx);
          decoratorRefs.push({ ref, message: decoratorMessage(args), name });
        } else {
          decoratorRefs.push({ ref: this.visitExpression(expr, ctx, 'decorator'), message: '', name });
        }
      } else if (child.type === 'comment') {
        this.comment(child);
      }
    }
    const definition = node.childForFieldName('definition');
    if (!definition) return;
    const index =
      definition.type === 'class_definition'
        ? this.classDef(definition, ctx, decoratorRefs)
        : definition.type === 'function_definition'
          ? this.functionDef(definition, ctx, decoratorRefs)
          : null;
    if (index === null) {
      this.visit(definition, ctx);
    }
  }

  private recordDefinition(
    name: string,
    kind: 'class' | 'function',
    nameNode: Node,
    ctx: Context,
    decorators: DecoratorInfo[],
    params: Parameter[] | null = null,
  ): number | null {
    if (ctx.qualPrefix === null) return null;
    const index = this.definitions.length;
    this.definitions.push({
      qualName: ctx.qualPrefix + name,
      kind,
      nameRange: rangeOf(nameNode),
      deprecation: null,
      decorators: decorators.map((d) => d.name).filter((n) => n !== ''),
      params,
      conditional: ctx.conditional || ctx.fallback,
    });
    for (const d of decorators) {
      if (d.ref && (d.ref.chain.length ? d.ref.chain[d.ref.chain.length - 1] : d.ref.name) === 'deprecated') {
        this.decorators.push({ ref: d.ref, message: d.message, definition: index });
      }
    }
    return index;
  }

  private functionDef(node: Node, ctx: Context, decorators: DecoratorInfo[]): number | null {
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text ?? '';
    if (nameNode) this.bindName(name, ctx, { pos: node.startIndex, kind: 'function', fallback: ctx.fallback }, rangeOf(nameNode));
    if (ctx.scope === this.module && name === '__getattr__') this.hasGetattr = true;
    const params = node.childForFieldName('parameters');
    const defIndex = nameNode ? this.recordDefinition(name, 'function', nameNode, ctx, decorators, params ? signatureOf(params) : []) : null;
    const scope = new Scope('function', ctx.scope);
    const inner: Context = { scope, guard: { ...ctx.guard, nested: true }, fallback: false, conditional: false, qualPrefix: null };
    if (params) this.parameters(params, ctx, inner);
    const returns = node.childForFieldName('return_type');
    if (returns) this.visit(returns, ctx);
    const typeParams = node.childForFieldName('type_parameters');
    if (typeParams) this.visit(typeParams, ctx);
    const body = node.childForFieldName('body');
    if (body) {
      if (defIndex !== null) this.markFirstStatement(body, defIndex);
      // The parent definition of a method named __init__ is its class: "class whose __init__ starts by warning".
      if (defIndex !== null && name === '__init__' && ctx.qualPrefix) {
        const classIndex = this.definitions.findIndex((d) => d.qualName === ctx.qualPrefix!.slice(0, -1));
        if (classIndex >= 0) this.markFirstStatement(body, classIndex);
      }
      this.visitChildren(body, inner);
    }
    return defIndex;
  }

  private markFirstStatement(body: Node, defIndex: number): void {
    let statements = body.namedChildren.filter((c) => c.type !== 'comment');
    const first = statements[0];
    if (first && first.type === 'expression_statement' && first.firstNamedChild?.type === 'string') {
      statements = statements.slice(1);
    }
    const stmt = statements[0];
    const callNode = stmt && stmt.type === 'expression_statement' ? stmt.firstNamedChild : null;
    if (callNode && callNode.type === 'call') this.firstStatementCalls.set(callNode.id, defIndex);
  }

  private parameters(params: Node, outer: Context, inner: Context): void {
    for (const p of params.namedChildren) {
      switch (p.type) {
        case 'identifier':
          this.bindName(p.text, inner, { pos: p.startIndex, kind: 'param', fallback: false }, rangeOf(p));
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
        case 'typed_parameter': {
          const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier' || c.type.endsWith('splat_pattern'));
          if (name) this.bindTarget(name, inner, 'param');
          const value = p.childForFieldName('value');
          if (value) this.visit(value, outer);
          const type = p.childForFieldName('type');
          if (type) this.visit(type, outer);
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          this.bindTarget(p, inner, 'param');
          break;
        case 'comment':
          this.comment(p);
          break;
        default:
          break;
      }
    }
  }

  private classDef(node: Node, ctx: Context, decorators: DecoratorInfo[]): number | null {
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const supers = node.childForFieldName('superclasses');
    if (supers) {
      for (const arg of supers.namedChildren) {
        if (arg.type === 'keyword_argument' || arg.type === 'comment') this.visit(arg, ctx);
        else this.visitExpression(arg, ctx, 'base');
      }
    }
    const typeParams = node.childForFieldName('type_parameters');
    if (typeParams) this.visit(typeParams, ctx);
    if (nameNode) this.bindName(name, ctx, { pos: node.startIndex, kind: 'class', fallback: ctx.fallback }, rangeOf(nameNode));
    const defIndex = nameNode ? this.recordDefinition(name, 'class', nameNode, ctx, decorators) : null;
    const scope = new Scope('class', ctx.scope);
    const inner: Context = {
      scope,
      guard: { ...ctx.guard, nested: true },
      fallback: false,
      conditional: false,
      qualPrefix: ctx.qualPrefix === null ? null : `${ctx.qualPrefix}${name}.`,
    };
    const body = node.childForFieldName('body');
    if (body) this.visitChildren(body, inner);
    return defIndex;
  }

  private lambda(node: Node, ctx: Context): void {
    const scope = new Scope('lambda', ctx.scope);
    const inner: Context = { scope, guard: { ...ctx.guard, nested: true }, fallback: false, conditional: false, qualPrefix: null };
    const params = node.childForFieldName('parameters');
    if (params) this.parameters(params, ctx, inner);
    const body = node.childForFieldName('body');
    if (body) this.visit(body, inner);
  }

  private comprehension(node: Node, ctx: Context): void {
    const clauses = node.namedChildren.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const scope = new Scope('comprehension', ctx.scope);
    const inner: Context = { ...ctx, scope, qualPrefix: null };
    let first = true;
    for (const clause of clauses) {
      if (clause.type === 'for_in_clause') {
        // The first iterable is evaluated in the enclosing scope; everything else in the comprehension's own.
        for (const right of clause.childrenForFieldName('right')) this.visit(right, first ? ctx : inner);
        for (const left of clause.childrenForFieldName('left')) this.bindTarget(left, inner, 'other');
        first = false;
      } else {
        this.visitChildren(clause, inner);
      }
    }
    const body = node.childForFieldName('body');
    if (body) this.visit(body, inner);
  }

  // ---- bindings ---------------------------------------------------------------------------------------

  private bindName(name: string, ctx: Context, bind: Bind, range: Range): void {
    const scope = ctx.scope.globals.has(name) ? this.module : ctx.scope;
    scope.bind(name, bind);
    this.boundNames.add(name);
    if (scope === this.module && bind.kind !== 'param') {
      this.bindings.push({
        name,
        kind: bind.kind,
        range,
        fallback: bind.fallback,
        conditional: ctx.conditional,
        ...(bind.stmt !== undefined ? { stmt: bind.stmt, item: bind.item } : {}),
      });
    }
  }

  /** Binds every name in an assignment target; attribute/subscript targets are reads of their objects. */
  private bindTarget(node: Node, ctx: Context, kind: BindingKind | 'param', aliasTarget?: string[]): void {
    switch (node.type) {
      case 'identifier': {
        const bind: Bind = { pos: node.startIndex, kind: aliasTarget ? 'alias' : kind, fallback: ctx.fallback };
        this.bindName(node.text, ctx, bind, rangeOf(node));
        if (aliasTarget && (ctx.scope === this.module || ctx.scope.globals.has(node.text))) {
          this.bindings[this.bindings.length - 1]!.aliasTarget = aliasTarget;
        }
        return;
      }
      case 'attribute':
      case 'subscript':
        this.visit(node, ctx);
        return;
      case 'comment':
        return this.comment(node);
      default:
        for (const child of node.namedChildren) this.bindTarget(child, ctx, kind);
    }
  }

  private assignment(node: Node, ctx: Context): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const type = node.childForFieldName('type');
    if (type) this.visit(type, ctx);
    if (right) this.visit(right, ctx);
    if (!left) return;
    const aliasTarget = left.type === 'identifier' && right ? dottedChain(right) : null;
    if (ctx.scope === this.module && left.type === 'identifier' && right) {
      const value = stringValue(right);
      if (value !== null) this.stringConstants.set(left.text, value);
    }
    this.bindTarget(left, ctx, right ? 'assign' : 'other', aliasTarget ?? undefined);
    if (ctx.scope === this.module && left.type === 'identifier' && left.text === '__all__') {
      const names = right ? stringList(right) : null;
      if (names) this.all = names;
      else if (right) this.allDynamic = true;
    }
  }

  private augmented(node: Node, ctx: Context): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (right) this.visit(right, ctx);
    if (!left) return;
    if (left.type === 'identifier') {
      this.reference(left, ctx, 'load', null, node);
      this.bindTarget(left, ctx, 'other');
      if (ctx.scope === this.module && left.text === '__all__') {
        const names = right ? stringList(right) : null;
        if (names && this.all) this.all.push(...names);
        else this.allDynamic = true;
      }
    } else {
      this.visit(left, ctx);
    }
  }

  /** `__all__.extend([...])` / `__all__.append('x')` at module level. */
  private allMutation(stmt: Node): void {
    const call = stmt.firstNamedChild;
    if (!call || call.type !== 'call') return;
    const fn = call.childForFieldName('function');
    if (!fn || fn.type !== 'attribute' || fn.childForFieldName('object')?.text !== '__all__') return;
    const method = fn.childForFieldName('attribute')?.text;
    const arg = call.childForFieldName('arguments')?.namedChildren[0] ?? null;
    const names = method === 'extend' && arg ? stringList(arg) : method === 'append' ? [stringValue(arg)].filter((s): s is string => s !== null) : null;
    if (names && names.length && this.all) this.all.push(...names);
    else if (method === 'extend' || method === 'append' || method === 'remove') this.allDynamic = true;
  }

  private forStatement(node: Node, outer: Context): void {
    const ctx: Context = { ...outer, conditional: true };
    const right = node.childForFieldName('right');
    if (right) this.visit(right, ctx);
    const left = node.childForFieldName('left');
    if (left) this.bindTarget(left, ctx, 'other');
    for (const field of ['body', 'alternative']) {
      for (const child of node.childrenForFieldName(field)) this.visit(child, ctx);
    }
    for (const child of node.children) if (child.type === 'comment') this.comment(child);
  }

  private withStatement(node: Node, outer: Context): void {
    const ctx: Context = { ...outer, conditional: true };
    for (const child of node.children) {
      if (child.type === 'with_clause') {
        for (const item of child.namedChildren) {
          if (item.type !== 'with_item') {
            this.visit(item, ctx);
            continue;
          }
          const value = item.childForFieldName('value');
          if (value && value.type === 'as_pattern') this.asPattern(value, ctx);
          else if (value) this.visit(value, ctx);
        }
      } else {
        this.visit(child, ctx);
      }
    }
  }

  private asPattern(node: Node, ctx: Context): void {
    for (const child of node.namedChildren) {
      if (child.type === 'as_pattern_target') {
        for (const target of child.namedChildren) this.bindTarget(target, ctx, 'other');
      } else {
        this.visit(child, ctx);
      }
    }
  }

  private tryStatement(node: Node, outer: Context): void {
    const ctx: Context = { ...outer, conditional: true };
    const catchesImportError = node.namedChildren.some((c) => c.type === 'except_clause' && exceptCatchesImportError(c));
    for (const child of node.children) {
      if (child.type === 'block' && child.id === node.childForFieldName('body')?.id) {
        this.visitChildren(child, catchesImportError ? { ...ctx, guard: { ...ctx.guard, tryImportError: true } } : ctx);
      } else {
        this.visit(child, ctx);
      }
    }
  }

  private exceptClause(node: Node, ctx: Context): void {
    const fallback = exceptCatchesImportError(node);
    const inner: Context = fallback ? { ...ctx, fallback: true } : ctx;
    for (const child of node.children) {
      if (child.type === 'as_pattern') this.asPattern(child, ctx);
      else if (child.type === 'block') this.visitChildren(child, inner);
      else this.visit(child, ctx);
    }
  }

  private ifStatement(node: Node, outer: Context): void {
    const ctx: Context = { ...outer, conditional: true };
    const condition = node.childForFieldName('condition');
    const typeChecking = isTypeCheckingCondition(condition);
    for (const child of node.children) {
      // Node wrappers are created per access: compare ids, never objects.
      if (typeChecking && child.id === node.childForFieldName('consequence')?.id) {
        this.visitChildren(child, { ...ctx, guard: { ...ctx.guard, typeChecking: true } });
      } else {
        this.visit(child, ctx);
      }
    }
  }

  private namedExpression(node: Node, ctx: Context): void {
    const value = node.childForFieldName('value');
    if (value) this.visit(value, ctx);
    const name = node.childForFieldName('name');
    if (!name) return;
    // PEP 572: a walrus inside a comprehension binds in the enclosing function or module.
    let scope = ctx.scope;
    while (scope.kind === 'comprehension' && scope.parent) scope = scope.parent;
    this.bindTarget(name, { ...ctx, scope }, 'assign');
  }

  private declaration(node: Node, ctx: Context): void {
    const global = node.type === 'global_statement';
    for (const id of node.namedChildren) {
      if (id.type !== 'identifier') continue;
      (global ? ctx.scope.globals : ctx.scope.nonlocals).add(id.text);
    }
  }

  private deleteStatement(node: Node, ctx: Context): void {
    for (const target of node.namedChildren) this.bindTarget(target, ctx, 'other');
  }

  private casePattern(node: Node, ctx: Context): void {
    for (const child of node.namedChildren) {
      switch (child.type) {
        case 'dotted_name':
          // A bare name captures; a dotted name is a value pattern (a read).
          if (child.namedChildCount === 1 && child.text !== '_') this.bindTarget(child.namedChildren[0]!, ctx, 'other');
          else if (child.namedChildCount > 1) this.visitDotted(child, ctx);
          break;
        case 'class_pattern': {
          for (const part of child.namedChildren) {
            if (part.type === 'dotted_name') this.visitDotted(part, ctx);
            else this.visit(part, ctx);
          }
          break;
        }
        case 'identifier':
          this.bindTarget(child, ctx, 'other');
          break;
        default:
          this.casePatternInner(child, ctx);
      }
    }
  }

  private casePatternInner(node: Node, ctx: Context): void {
    if (node.type === 'case_pattern') return this.casePattern(node, ctx);
    if (node.type === 'splat_pattern' || node.type === 'identifier') {
      for (const id of node.type === 'identifier' ? [node] : node.namedChildren) {
        if (id.type === 'identifier' && id.text !== '_') this.bindTarget(id, ctx, 'other');
      }
      return;
    }
    if (node.type === 'string' || node.type === 'integer' || node.type === 'float') return;
    for (const child of node.namedChildren) {
      if (child.type === 'identifier' && node.type !== 'keyword_pattern') this.bindTarget(child, ctx, 'other');
      else if (child.type === 'identifier') continue; // keyword_pattern's keyword name
      else this.casePatternInner(child, ctx);
    }
  }

  /** A `dotted_name` used as an expression (match value/class patterns): a read of its first name. */
  private visitDotted(node: Node, ctx: Context): void {
    const ids = node.namedChildren.filter((c) => c.type === 'identifier');
    if (!ids.length) return;
    const first = ids[0]!;
    this.pending.push({
      scope: ctx.scope,
      name: first.text,
      pos: first.startIndex,
      chain: ids.slice(1).map((i) => i.text),
      coords: packRefRanges(
        ids.map((_, k) => ({ start: rangeOf(first).start, end: rangeOf(ids[k]!).end })),
        ids.slice(1).map(rangeOf),
      ),
      context: 'load',
      call: null,
      lambdaSafe: false,
    });
  }

  // ---- resolution -------------------------------------------------------------------------------------

  private lookup(scope: Scope, name: string, pos: number): Bind | null {
    let s: Scope | null = scope;
    let deferred = false;
    let crossedFunction = false;
    if (s.globals.has(name)) {
      s = this.module;
      deferred = scope.kind !== 'module';
    }
    while (s) {
      // Class bodies are invisible to the functions nested in them.
      if (s.kind === 'class' && crossedFunction) {
        s = s.parent;
        continue;
      }
      if (!s.nonlocals.has(name)) {
        const binds = s.bindings.get(name);
        if (binds && binds.length) {
          const chosen = pick(binds, pos, deferred, s.kind === 'function' || s.kind === 'lambda' || s.kind === 'comprehension');
          if (chosen) return chosen;
        }
      }
      if (s.kind === 'function' || s.kind === 'lambda') {
        deferred = true;
        crossedFunction = true;
      }
      s = s.parent;
    }
    return null;
  }

  private finish(): FileFacts {
    const refs: Ref[] = [];
    const resolved = new Map<PendingRef, Bind | null>();
    const moduleNameLoads = new Set<string>();
    const unbound = new Set<string>();
    for (const p of this.pending) {
      const bind = this.lookup(p.scope, p.name, p.pos);
      resolved.set(p, bind);
      if (!bind) {
        if (!BUILTIN_NAMES.has(p.name) && !this.module.bindings.has(p.name)) unbound.add(p.name);
        continue;
      }
      if (bind.kind === 'import' && bind.stmt !== undefined && bind.item !== undefined) {
        const { scope: _scope, name: _name, pos: _pos, ...ref } = p;
        refs.push({ stmt: bind.stmt, item: bind.item, ...ref });
      } else if (this.module.bindings.get(p.name)?.includes(bind)) {
        moduleNameLoads.add(p.name);
      }
    }
    const qualify = (p: PendingRef): string | null => {
      const bind = resolved.get(p);
      if (!bind || bind.kind !== 'import' || bind.stmt === undefined || bind.item === undefined) return null;
      const stmt = this.imports[bind.stmt]!;
      const item = stmt.items[bind.item]!;
      let base: string | null;
      if (stmt.kind === 'from') base = stmt.absModule === null ? null : `${stmt.absModule}.${item.name}`;
      else base = item.asName ? item.name : item.local;
      return base === null ? null : [base, ...p.chain].join('.');
    };
    const legacyWarnings: LegacyWarning[] = [];
    for (const w of this.warns) {
      if (w.message.startsWith('\0')) w.message = this.stringConstants.get(w.message.slice(1)) ?? '';
      if (qualify(w.ref) !== 'warnings.warn') continue;
      const category = w.category && !resolved.get(w.category) && w.category.chain.length === 0 ? w.category.name : null;
      if (!category || !DEPRECATION_CATEGORIES.has(category)) continue;
      if (w.moduleLevel) legacyWarnings.push({ message: w.message, category, range: w.range });
      if (w.firstStatementOf !== null && category !== 'FutureWarning') {
        const def = this.definitions[w.firstStatementOf]!;
        def.deprecation ??= { message: w.message, via: 'warn' };
      }
    }
    for (const d of this.decorators) {
      const q = qualify(d.ref);
      const def = this.definitions[d.definition]!;
      if (q && DEPRECATED_DECORATORS.has(q)) def.deprecation = { message: d.message || `${def.qualName} is deprecated`, via: 'decorator' };
    }
    return {
      module: this.opts.module,
      isPackage: this.opts.isPackage,
      imports: this.imports,
      refs,
      bindings: this.bindings,
      definitions: this.definitions,
      legacyWarnings,
      all: this.all,
      allDynamic: this.allDynamic,
      hasGetattr: this.hasGetattr,
      dynamicGlobals: this.dynamicGlobals,
      moduleNameLoads: [...moduleNameLoads],
      boundNames: [...this.boundNames],
      unboundNames: [...unbound],
      suppressions: [...this.suppressions.entries()],
      syntaxError: this.syntaxError,
    };
  }
}

/** Which binding a read at `pos` sees. Primary bindings win over `except ImportError` fallbacks. */
function pick(binds: Bind[], pos: number, deferred: boolean, functionLike: boolean): Bind | null {
  const primary = binds.filter((b) => !b.fallback);
  const pool = primary.length ? primary : binds;
  if (deferred) return pool[pool.length - 1]!;
  let best: Bind | null = null;
  for (const b of pool) if (b.pos <= pos) best = b;
  if (best) return best;
  // A function-local name read before its binding is still local (UnboundLocalError), never the global.
  return functionLike ? pool[pool.length - 1]! : null;
}

function exceptCatchesImportError(clause: Node): boolean {
  const types: string[] = [];
  let hasType = false;
  for (const child of clause.namedChildren) {
    if (child.type === 'block' || child.type === 'comment') continue;
    hasType = true;
    const expr = child.type === 'as_pattern' ? child.namedChildren[0] : child;
    if (!expr) continue;
    const names = expr.type === 'tuple' || expr.type === 'parenthesized_expression' ? expr.namedChildren : [expr];
    for (const n of names) types.push(n.text.split('.').pop() ?? '');
  }
  return !hasType || types.some((t) => IMPORT_ERRORS.has(t));
}

function dottedChain(node: Node): string[] | null {
  if (node.type === 'identifier') return [node.text];
  if (node.type !== 'attribute') return null;
  const object = node.childForFieldName('object');
  const attr = node.childForFieldName('attribute');
  const base = object ? dottedChain(object) : null;
  return base && attr ? [...base, attr.text] : null;
}

function stringList(node: Node): string[] | null {
  if (node.type !== 'list' && node.type !== 'tuple') return null;
  const out: string[] = [];
  for (const el of node.namedChildren) {
    if (el.type === 'comment') continue;
    const s = stringValue(el);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

function callInfo(args: Node): CallInfo {
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  const last = args.children[args.childCount - 2];
  const keywords: string[] = [];
  let positional = 0;
  for (const item of items) {
    if (item.type === 'keyword_argument') {
      const name = item.childForFieldName('name');
      if (name) keywords.push(name.text);
    } else if (item.type !== 'list_splat' && item.type !== 'dictionary_splat') {
      positional++;
    }
  }
  return {
    argsRange: rangeOf(args),
    argCount: items.length,
    positional,
    keywords,
    hasStarArgs: items.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat'),
    hasKeywords: items.some((c) => c.type === 'keyword_argument'),
    trailingComma: last?.type === ',',
  };
}

interface DecoratorInfo {
  ref: PendingRef | null;
  message: string;
  /** Dotted text of the decorator without its arguments (`staticmethod`, `functools.wraps`); '' when not a name. */
  name: string;
}

function decoratorName(expr: Node): string {
  const target = expr.type === 'call' ? expr.childForFieldName('function') : expr;
  const chain = target ? dottedChain(target) : null;
  return chain ? chain.join('.') : '';
}

/** The parameter list as callers see it: names, kinds and defaults (as source text). */
function signatureOf(params: Node): Parameter[] {
  const out: Parameter[] = [];
  let kind: Parameter['kind'] = 'positional';
  for (const p of params.namedChildren) {
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, kind, default: null, range: rangeOf(p) });
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
      case 'typed_parameter': {
        const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier' || c.type.endsWith('splat_pattern'));
        if (!name) break;
        if (name.type === 'list_splat_pattern' || name.type === 'dictionary_splat_pattern') {
          const inner = name.namedChildren.find((c) => c.type === 'identifier');
          out.push({ name: inner?.text ?? '', kind: name.type === 'list_splat_pattern' ? 'var-positional' : 'var-keyword', default: null, range: rangeOf(p) });
          if (name.type === 'list_splat_pattern') kind = 'keyword-only';
          break;
        }
        const value = p.childForFieldName('value');
        out.push({ name: name.text, kind, default: value ? value.text : null, range: rangeOf(p) });
        break;
      }
      case 'list_splat_pattern': {
        const inner = p.namedChildren.find((c) => c.type === 'identifier');
        out.push({ name: inner?.text ?? '', kind: 'var-positional', default: null, range: rangeOf(p) });
        kind = 'keyword-only';
        break;
      }
      case 'dictionary_splat_pattern': {
        const inner = p.namedChildren.find((c) => c.type === 'identifier');
        out.push({ name: inner?.text ?? '', kind: 'var-keyword', default: null, range: rangeOf(p) });
        break;
      }
      case 'keyword_separator':
        kind = 'keyword-only';
        break;
      case 'positional_separator':
        // Everything before `/` is positional-only.
        for (const q of out) if (q.kind === 'positional') q.kind = 'positional-only';
        break;
      default:
        break;
    }
  }
  return out;
}

function decoratorMessage(args: Node | null): string {
  if (!args) return '';
  for (const child of args.namedChildren) {
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text;
      if (name === 'reason' || name === 'message' || name === 'msg') return stringValue(child.childForFieldName('value')) ?? '';
    } else if (child.type !== 'comment') {
      return stringValue(child) ?? '';
    }
  }
  return '';
}

/** Whether an expression can be replaced by a bare lambda without changing how its surroundings parse. */
function isLambdaSafe(node: Node, parent: Node | null): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case 'keyword_argument':
      return parent.childForFieldName('value')?.id === node.id;
    case 'argument_list':
    case 'expression_list':
    case 'list':
    case 'tuple':
    case 'return_statement':
      return true;
    case 'assignment':
      return parent.childForFieldName('right')?.id === node.id;
    case 'pair':
      return parent.childForFieldName('value')?.id === node.id;
    default:
      return false;
  }
}
