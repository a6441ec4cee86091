import { extractFacts } from '../python/extract.js';
import type { FileFacts, Ref } from '../python/facts.js';
import { definitionSpans, type DefinitionSpan } from '../python/outline/definitionSpans.js';
import type { PythonParser } from '../python/parser.js';
import { focusKey, type Focus, type FocusRequest, type ProjectFile } from '../project/project.js';
import { comparePositions } from '../text.js';
import type { Finding, Position, Range } from '../types.js';

/**
 * A focused parse: exact refs for the few imports an outline file's findings are about, from a parse of the file
 * with every definition that never names them replaced by `pass`.
 *
 * Why: a file with a finding of a rule that reads refs must be parsed for its exact refs, call shapes and fixes, and
 * those files are where a whole-workspace check spends its parse time (the stdlib: 2.3 MB in 51 files, for a handful
 * of findings each, most of them in big test modules). Parse and extraction cost grows with the bytes; the findings
 * need only the refs of the import items they are about.
 *
 * Why it is exact for those items (the "focus"), and for the loads of module-level names a rule asks about:
 * - A definition outside functions (definitionSpans) whose text never spells the local name of a focused item (or a
 *   focused name) holds no ref of one, no read or binding of that name (both spell it), and nothing another scope reads for it: a
 *   function body is its own scope, and a class body's names are not visible in its methods. Blanking it leaves the
 *   refs of focused items, with their chains, contexts and call shapes, exactly as a parse of the whole file has
 *   them, at the same rows and columns: blanked lines stay, empty, and what follows a blanked definition starts a
 *   line of its own.
 * - The outline's other facts are exact already (python/outline.ts); the refs of other items stay the outline's
 *   over-approximation, which by that contract produce no finding, since none of the file's findings is theirs.
 * - Bound names come from the focused parse, so a name bound only in a blanked definition is missed. Fixes are the
 *   only readers (fixes/imports.ts bindsName: a fix never introduces a name the file binds), and a "bound" answer is
 *   right anyway; so the analyzer drops the focus (a full parse follows) when a fix was told a name a blanked
 *   definition spells is free (blankedSpells).
 * Anything this cannot vouch for (a finding on no import item, a syntax error in the focused text, a finding that
 * the focus does not cover after other files changed) costs a full parse. The file stays an outline file for
 * everything else (ProjectFile.focus): its other refs and its name loads are the outline's.
 */

function contains(range: Range, at: Position): boolean {
  return comparePositions(range.start, at) <= 0 && comparePositions(at, range.end) <= 0;
}

/** The import items the findings are about (their start lies in a ref's chain or in the import), or null when one is on none. */
export function focusItems(facts: FileFacts, findings: readonly Finding[]): Set<string> | null {
  const items = new Set<string>();
  for (const finding of findings) {
    const at = finding.range.start;
    let found = false;
    for (const ref of facts.refs) {
      if (comparePositions(ref.ranges[0]!.start, at) <= 0 && comparePositions(at, ref.ranges[ref.ranges.length - 1]!.end) <= 0) {
        items.add(focusKey(ref.stmt, ref.item));
        found = true;
      }
    }
    facts.imports.forEach((stmt, s) => {
      if (!contains(stmt.range, at)) return;
      const on = stmt.items.map((it, i) => (contains(it.range, at) ? i : -1)).filter((i) => i >= 0);
      for (const i of on.length ? on : stmt.items.map((_, i) => i)) items.add(focusKey(s, i));
      found = true;
    });
    if (!found) return null;
  }
  return items;
}

const isIdentifierCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/**
 * Where the text spells one of `words` (not as part of a longer ASCII identifier; a non-ASCII neighbour counts as a
 * match), in increasing order: one pass per word, so that asking about many spans stays linear in the text.
 */
function spellings(text: string, words: Iterable<string>): number[] {
  const at: number[] = [];
  for (const word of words) {
    if (!word) continue;
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      if (!isIdentifierCode(text.charCodeAt(i - 1)) && !isIdentifierCode(text.charCodeAt(i + word.length))) at.push(i);
    }
  }
  return at.sort((a, b) => a - b);
}

/** Whether a sorted list of offsets holds one in [start, end). */
function anyWithin(sorted: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! < end;
}

/** The definitions to blank: outermost first, those spelling none of `words`. */
function spansToBlank(text: string, spans: readonly DefinitionSpan[], words: readonly string[]): [number, number][] {
  const spelled = spellings(text, words);
  const out: [number, number][] = [];
  let blankedUntil = -1;
  for (const { start, end } of spans) {
    if (start < blankedUntil || anyWithin(spelled, start, end)) continue;
    out.push([start, end]);
    blankedUntil = end;
  }
  return out;
}

/** Each blanked definition becomes `pass` on its first line and empty lines after: rows and later columns stay. */
function blankText(text: string, blanked: readonly (readonly [number, number])[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of blanked) {
    parts.push(text.slice(from, start), 'pass');
    for (let nl = text.indexOf('\n', start); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) parts.push('\n');
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * The outline's facts with the focused parse's refs of the focused items and its verdict on the focused names' loads,
 * or null when they cannot be matched up.
 */
function focusedFacts(outline: FileFacts, focused: FileFacts, { items, names }: FocusRequest): FileFacts | null {
  const byStart = new Map<string, number>();
  outline.imports.forEach((s, i) => byStart.set(`${s.range.start.line}:${s.range.start.column}`, i));
  const stmtOf = focused.imports.map((s) => byStart.get(`${s.range.start.line}:${s.range.start.column}`) ?? -1);
  const refs: Ref[] = [];
  for (const ref of focused.refs) {
    const stmt = stmtOf[ref.stmt]!;
    if (stmt < 0) return null;
    if (items.has(focusKey(stmt, ref.item))) refs.push(stmt === ref.stmt ? ref : { ...ref, stmt });
  }
  for (const ref of outline.refs) if (!items.has(focusKey(ref.stmt, ref.item))) refs.push(ref);
  // The outline's name loads over-approximate the parse's: the focused names keep only those the parse confirms.
  const moduleNameLoads = outline.moduleNameLoads.filter((n) => !names.has(n) || focused.moduleNameLoads.includes(n));
  return { ...outline, refs, moduleNameLoads, boundNames: focused.boundNames, unboundNames: focused.unboundNames };
}

/**
 * The outline file with exact refs for the requested import items and exact loads of the requested names, or null
 * when a full parse is needed: nothing to blank, or a focused text that does not parse.
 */
export function focusFile(file: ProjectFile, text: string, request: FocusRequest, parser: PythonParser): ProjectFile | null {
  const locals = [...request.items].map((k) => {
    const [s, i] = k.split(':').map(Number);
    return file.facts.imports[s!]!.items[i!]!.local;
  });
  const words = [...new Set([...locals, ...request.names])];
  let spans: DefinitionSpan[];
  try {
    spans = definitionSpans(text);
  } catch {
    return null; // the outline accepted this text, so the lexer should too: a full parse is the safe answer
  }
  const blanked = spansToBlank(text, spans, words);
  if (!blanked.length) return null;
  const focusedText = blankText(text, blanked);
  const tree = parser.parse(focusedText);
  let focused: FileFacts;
  try {
    focused = extractFacts(tree, focusedText, { module: file.module, isPackage: file.isPackage });
  } finally {
    tree.delete();
  }
  if (focused.syntaxError) return null;
  const facts = focusedFacts(file.facts, focused, request);
  return facts ? { ...file, facts, focus: { items: request.items, names: request.names, blanked } } : null;
}

/** Whether each of `approximate` (a focused file's findings of rules that read refs) is about a focused item. */
export function focusCovers(focus: Focus, facts: FileFacts, approximate: readonly Finding[]): boolean {
  const items = focusItems(facts, approximate);
  return items !== null && [...items].every((k) => focus.items.has(k));
}

/**
 * Whether a blanked definition spells one of `names`: then it could bind it, and the focused parse's bound names
 * cannot answer for it (fixes ask, through fixes/imports.ts bindsName, before introducing a name).
 */
export function blankedSpells(focus: Focus, text: string, names: Iterable<string>): boolean {
  const spelled = spellings(text, names);
  return focus.blanked.some(([start, end]) => anyWithin(spelled, start, end));
}
