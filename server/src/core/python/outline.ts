import type { FileFacts } from './facts.js';
import { Decline } from './outline/tokens.js';
import { fastOutline } from './outline/fastScan.js';
import { Scanner } from './outline/scanner.js';

/**
 * Outline facts: what a full parse would extract that other files can observe (imports, module-level bindings,
 * definitions, `__all__`) and the suppression comments, read by a token scanner instead of tree-sitter, plus
 * over-approximations of the refs and the module-level name loads.
 * A whole-workspace check parses fully only the files whose outline could hold a finding (see workspace/load.ts).
 *
 * Contract, when the result is ok (test/python/outline.test.ts holds it on the CPython standard library, Django
 * and mutated copies of standard library files):
 * - tree-sitter parses the text without a syntax error;
 * - module, isPackage, imports, bindings, definitions (params null for functions too with `params: false`),
 *   legacyWarnings, all, allDynamic, hasGetattr, dynamicGlobals and suppressions deep-equal extractFacts' on the
 *   same text: deprecations included, read from `warnings.warn(…)` calls by outline/warnings.ts;
 * - every Ref extractFacts finds has an outline Ref with the same stmt, item, chain and coords (context
 *   is 'load', call null, lambdaSafe false): every name read that an import binds anywhere in the file gets one,
 *   shadowed or not;
 * - moduleNameLoads holds every name of extractFacts' (it is every name a module-level statement other than an
 *   import binds that is read anywhere, shadowed or not);
 * - boundNames and unboundNames are empty, syntaxError is null: not computed.
 *
 * Otherwise the scanner declines with a short stable reason: what tree-sitter (or Python) would reject ('syntax',
 * 'unterminated-string', 'invalid-character', 'number', 'bracket-mismatch', 'dedent-in-brackets', 'expected-indent',
 * 'future-star', …), a construct it does not model ('unsupported:walrus', 'unsupported:match', …), a possible
 * deprecation it cannot vouch for ('deprecation-marker': a `…deprecated` decorator on a definition, or, in a file
 * importing `warnings` and naming a deprecation warning category, a `warn(` call where extract.ts looks for one that
 * outline/warnings.ts does not read exactly), or 'internal-error' (a bug).
 *
 * Code map (outline/): lexer.ts reads characters into a logical line of tokens (tokens.ts, kinds.ts) and checks
 * each token may follow the previous one, in wasm (server/assembly/outlineLexer.ts); fastScan.ts is the fast path for
 * `params: false`, the statement scanner in wasm (server/assembly/outlineScanner.ts), which hands a file it does not
 * model back to the JavaScript scanner below (the reference, held equal to it by the tests);
 * scanner.ts turns lines into blocks, compound statements and definitions,
 * statements.ts reads simple statements and the names each statement uses, context.ts is the scope and guard state
 * extract.ts keeps; imports.ts, signature.ts, literals.ts, refs.ts read imports, parameters, literals and refs;
 * warnings.ts reads and resolves the warn() calls that make deprecations.
 */

export interface OutlineOptions {
  module: string | null;
  isPackage: boolean;
  /**
   * false: functions' `params` are null instead of the parameter list. No rule reads parameters (only the API
   * snapshot does, from parsed files), and on the stdlib they are a tenth of the outline's memory. Default true.
   */
  params?: boolean;
  /**
   * true: one ref per import item and attribute chain, the first (`distinctRefs`). What a workspace check keeps
   * (analyzeJob.ts), made in wasm without building the repeats. Default false.
   */
  distinctRefs?: boolean;
}

export type OutlineResult = { ok: true; facts: FileFacts } | { ok: false; reason: string };

export function outlineFacts(text: string, opts: OutlineOptions): OutlineResult {
  return outline(text, opts, true);
}

/** The JavaScript scanner alone: the reference the wasm statement scanner is held to (outline.test.ts `checked`). */
export function scannerOutlineFacts(text: string, opts: OutlineOptions): OutlineResult {
  return outline(text, opts, false);
}

function outline(text: string, opts: OutlineOptions, fast: boolean): OutlineResult {
  try {
    const facts = (fast ? fastOutline(text, opts) : null) ?? scan(text, opts);
    return { ok: true, facts };
  } catch (error) {
    // A bug must cost a full parse, not the run (test/python/outline.test.ts asserts there are none).
    return { ok: false, reason: error instanceof Decline ? error.reason : 'internal-error' };
  }
}

/** The JavaScript scanner's facts, with only distinct refs when asked. */
function scan(text: string, opts: OutlineOptions): FileFacts {
  const facts = new Scanner(text, opts).run();
  if (opts.distinctRefs) facts.refs = distinctRefs(facts.refs);
  return facts;
}

/**
 * One ref per import item and attribute chain. Outline refs only decide whether a file could hold a finding and
 * which names are read (rules resolve a ref by its item and chain, never by its position), so repeats add nothing
 * but memory and rule time: a module that calls `os.path.join` fifty times keeps one.
 */
export function distinctRefs(refs: FileFacts['refs']): FileFacts['refs'] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.stmt} ${r.item} ${r.chain.join('.')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
