import { Lexer } from './lexer.js';
import { TokenBuffer } from './tokens.js';
import * as tokenKinds from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { KW_ASYNC, KW_CLASS, KW_DEF, T_AT } = tokenKinds;

/**
 * A `def` or `class` statement, decorators included, that is not inside a function: at module level or in a class
 * body (under `if`/`try`/… too). `start` is its first token; `end` is where the next line at its indentation or
 * less begins (or the end of the text), so the span covers whole lines after its first one.
 */
export interface DefinitionSpan {
  start: number;
  end: number;
  /** The name it binds. */
  name: string;
}

const tokens = new TokenBuffer();

/**
 * The definitions outside functions, in the order they start (enclosing ones before those they hold), read with the
 * outline's lexer. Replacing one by `pass` removes its name's binding in its own scope and its body, and nothing
 * else: a function's body is a scope of its own, and a class body's names are not visible inside its methods.
 * Only for text the outline scanner accepted (the lexer throws Decline on what tree-sitter would reject).
 */
export function definitionSpans(text: string): DefinitionSpan[] {
  const lexer = new Lexer(text, tokens);
  const spans: DefinitionSpan[] = [];
  // The definitions whose body may still go on: indentation, whether a function, its span (null inside a function).
  const open: { indent: number; isDef: boolean; span: DefinitionSpan | null }[] = [];
  let decoratorStart = -1;
  while (lexer.lexLine()) {
    const indent = lexer.lineIndent;
    const first = tokens.kind[0]!;
    const at = tokens.start[0]!;
    while (open.length && open[open.length - 1]!.indent >= indent) {
      const closed = open.pop()!;
      if (closed.span) closed.span.end = text.lastIndexOf('\n', at - 1) + 1;
    }
    if (first === T_AT) {
      if (decoratorStart < 0) decoratorStart = at;
      continue;
    }
    const isDef = first === KW_DEF || (first === KW_ASYNC && tokens.kind[1] === KW_DEF);
    if (isDef || first === KW_CLASS) {
      const inFunction = open.some((o) => o.isDef);
      const nameToken = first === KW_ASYNC ? 2 : 1;
      const name = text.slice(tokens.start[nameToken]!, tokens.end[nameToken]!);
      const span = inFunction ? null : { start: decoratorStart < 0 ? at : decoratorStart, end: text.length, name };
      if (span) spans.push(span);
      open.push({ indent, isDef, span });
    }
    decoratorStart = -1;
  }
  return spans;
}
