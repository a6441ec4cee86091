import type { WatchedDef } from './warnings.js';

/**
 * The context of a statement as extract.ts tracks it while walking the tree (its Scope and Context), and the
 * block structure the outline scanner keeps instead of a tree.
 */

export interface Scope {
  kind: 'module' | 'class' | 'function';
  /** Names declared `global` in this scope (bindings of them are module bindings). */
  globals: Set<string> | null;
}

/**
 * extract.ts's Context, minus tryImportError (patched onto imports once the handlers are known). Immutable; the
 * variants a block derives (conditional, fallback, type checking) are made once and kept.
 */
export class Ctx {
  private conditionalVariant: Ctx | null = null;
  private fallbackVariant: Ctx | null = null;
  private typeCheckingVariant: Ctx | null = null;

  constructor(
    readonly scope: Scope,
    readonly typeChecking: boolean,
    readonly nested: boolean,
    readonly fallback: boolean,
    readonly conditional: boolean,
    readonly qualPrefix: string | null,
  ) {}

  /** Inside an if/for/while/try/with/match. */
  inBlock(): Ctx {
    if (this.conditional) return this;
    return (this.conditionalVariant ??= new Ctx(this.scope, this.typeChecking, this.nested, this.fallback, true, this.qualPrefix));
  }

  /** Inside an `except ImportError:` handler. */
  inFallback(): Ctx {
    if (this.fallback) return this;
    return (this.fallbackVariant ??= new Ctx(this.scope, this.typeChecking, this.nested, true, this.conditional, this.qualPrefix));
  }

  /** Under `if TYPE_CHECKING:`. */
  inTypeChecking(): Ctx {
    if (this.typeChecking) return this;
    return (this.typeCheckingVariant ??= new Ctx(this.scope, true, this.nested, this.fallback, this.conditional, this.qualPrefix));
  }
}

/** The last compound statement of a block, which `elif`/`else`/`except`/`finally` continue. */
export interface Compound {
  kind: number;
  /** if/for/while: 1 after `else`. try: 1 after an except, 2 after else, 3 after finally. */
  stage: number;
  /** Context of the statement itself. */
  ctx: Ctx;
  /** try: imports from this index on are in its body, up to bodyEnd (set at the first handler). */
  importStart: number;
  bodyEnd: number;
}

export interface Frame {
  indent: number;
  ctx: Ctx;
  last: Compound | null;
  /** A match statement's block: case clauses only. */
  match: boolean;
  /** Statements of a recorded function's body still to check for a leading warn() (2: a docstring may come first). */
  watch: number;
  /** The recorded function whose body this is. */
  def: WatchedDef | null;
  /** Set for the body of a definition extract.ts visits twice (see `twice`). */
  twice: Marks | null;
}

export interface Body {
  ctx: Ctx;
  match: boolean;
  watch: number;
  def?: WatchedDef | null;
  twice?: Marks | null;
}

/** Where a definition's facts start. */
export interface Marks {
  imports: number;
  bindings: number;
}
