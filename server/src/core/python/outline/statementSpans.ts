import { Lexer } from './lexer.js';
import { TokenBuffer } from './tokens.js';
import * as tokenKinds from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { KW_ASYNC, KW_CLASS, KW_DEF, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FINALLY, KW_FROM, KW_IMPORT, T_AT } = tokenKinds;

/**
 * A statement that starts a logical line, at any depth: a simple statement's line (all its `;`-separated
 * statements), or a compound statement with all its clauses and blocks, decorators included. `start` is its first
 * token; `end` is where the next line at its indentation or less begins (or the end of the text), so the span covers
 * whole lines after its first one, comments and blank lines before the next statement included.
 */
export interface StatementSpan {
  start: number;
  end: number;
  /** The name a `def` or `class` binds; null for other statements. */
  name: string | null;
  /** Whether it is inside a function's body (its own scope is then a function's). */
  inFunction: boolean;
  /** An `import` or `from … import` statement. */
  isImport: boolean;
}

const tokens = new TokenBuffer();

/**
 * Every statement, in the order they start (enclosing ones before those they hold), read with the outline's lexer.
 * Only for text the outline scanner accepted (the lexer throws Decline on what tree-sitter would reject): for such
 * text a line indented deeper than the one before belongs to that one's block, and `elif`/`else`/`except`/`finally`
 * at a compound statement's indentation continue it.
 */
export function statementSpans(text: string): StatementSpan[] {
  const lexer = new Lexer(text, tokens);
  const spans: StatementSpan[] = [];
  // The statements whose blocks may still go on, innermost last, with their indentation and whether a function.
  const open: { indent: number; isDef: boolean; span: StatementSpan }[] = [];
  let decoratorStart = -1;
  while (lexer.lexLine()) {
    const indent = lexer.lineIndent;
    const first = tokens.kind[0]!;
    const at = tokens.start[0]!;
    const clause = first === KW_ELIF || first === KW_ELSE || first === KW_EXCEPT || first === KW_FINALLY;
    while (open.length && open[open.length - 1]!.indent >= indent) {
      // A clause continues the compound statement at its own indentation.
      if (clause && open[open.length - 1]!.indent === indent) break;
      open.pop()!.span.end = text.lastIndexOf('\n', at - 1) + 1;
    }
    if (clause && open.length && open[open.length - 1]!.indent === indent) continue;
    if (first === T_AT) {
      if (decoratorStart < 0) decoratorStart = at;
      continue;
    }
    const isDef = first === KW_DEF || (first === KW_ASYNC && tokens.kind[1] === KW_DEF);
    const nameToken = first === KW_ASYNC ? 2 : 1;
    const name = isDef || first === KW_CLASS ? text.slice(tokens.start[nameToken]!, tokens.end[nameToken]!) : null;
    const span: StatementSpan = {
      start: decoratorStart < 0 ? at : decoratorStart,
      end: text.length,
      name,
      inFunction: open.some((o) => o.isDef),
      isImport: first === KW_IMPORT || first === KW_FROM,
    };
    spans.push(span);
    open.push({ indent, isDef, span });
    decoratorStart = -1;
  }
  return spans;
}
