import type { FileFacts } from './facts.js';
import { Decline } from './outline/tokens.js';
import { Scanner } from './outline/scanner.js';

/**
 * Outline facts: what a full parse would extract that other files can observe (imports, module-level bindings,
 * definitions, `__all__`), read by a token scanner instead of tree-sitter, plus an over-approximation of the refs.
 * A whole-workspace check parses fully only the files whose outline could hold a finding (see workspace/load.ts).
 *
 * Contract, when the result is ok (test/python/outline.test.ts holds it on the CPython standard library and Django):
 * - tree-sitter parses the text without a syntax error;
 * - module, isPackage, imports, bindings, definitions (deprecation always null), all, allDynamic, hasGetattr and
 *   dynamicGlobals deep-equal extractFacts' on the same text, and legacyWarnings is [] as there;
 * - every Ref extractFacts finds has an outline Ref with the same stmt, item, chain, ranges and attrRanges (context
 *   is 'load', call null, lambdaSafe false): every name read that an import binds anywhere in the file gets one,
 *   shadowed or not;
 * - moduleNameLoads, boundNames, unboundNames and suppressions are empty, syntaxError is null: not computed.
 * Otherwise the scanner declines with a short stable reason: a syntax error or a construct it does not model
 * ('token-error'-like reasons such as 'syntax', 'unterminated-string', 'dedent-in-brackets'; 'unsupported:<what>'),
 * or a possible deprecation ('deprecation-marker': a `…deprecated` decorator, or a `warn(` where extract.ts looks
 * for one in a file importing `warnings` and naming a deprecation warning category).
 */

export interface OutlineOptions {
  module: string | null;
  isPackage: boolean;
}

export type OutlineResult = { ok: true; facts: FileFacts } | { ok: false; reason: string };

export function outlineFacts(text: string, opts: OutlineOptions): OutlineResult {
  try {
    return { ok: true, facts: new Scanner(text, opts).run() };
  } catch (error) {
    if (error instanceof Decline) return { ok: false, reason: error.reason };
    throw error;
  }
}
