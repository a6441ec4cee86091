import { extractFacts } from '../python/extract.js';
import { refCovers, refRange, refRangeIndex, type FileFacts, type Ref } from '../python/facts.js';
import { outlineFacts } from '../python/outline.js';
import { LineIndex } from '../python/outline/positions.js';
import { statementSpans, type StatementSpan } from '../python/outline/statementSpans.js';
import type { PythonParser } from '../python/parser.js';
import { focusHolds, focusItemOf, focusKey, focusRequest, type Focus, type FocusRequest, type ProjectFile } from '../project/project.js';
import { comparePositions, rangeContains } from '../text.js';
import type { Finding, Range } from '../types.js';

/**
 * A focused parse: exact refs for the few imports an outline file's findings are about, from a parse of the file
 * with every statement that does not spell them replaced by `pass`.
 *
 * Why: a file with a finding of a rule that reads refs must be parsed for its exact refs, call shapes and fixes, and
 * those files are where a whole-workspace check spent its parse time (the stdlib: 2.3 MB in 51 files, for a handful
 * of findings each, most of them in big test modules). Parse and extraction cost grows with the bytes; the findings
 * need only the refs they are about.
 *
 * What is asked for (FocusRequest): import items whose refs must all be exact (a finding on an import, or on a
 * name whose fix renames every use), items whose refs must be exact where their chain goes through some attribute
 * (a finding on `datetime.utcnow`), and module-level names whose loads must be exact (MIG007's own module).
 *
 * Why it is exact (statementSpans: every statement that starts a line, with its clauses, blocks and decorators):
 * - A statement whose text does not spell a word holds no use and no binding of it (both spell it), so blanking it
 *   changes neither what a kept use of that word refers to nor whether it is read. So the refs of the whole items
 *   (their local names are words), the refs through the focused attributes (those attributes are words) and the
 *   loads of the focused names come out of the focused text exactly as out of the whole file, at the same rows and
 *   columns: blanked lines stay, empty, the first one as `pass` at the statement's indentation.
 * - A chain-focused item's local name is not a word (it is spelled at every use), so one more rule keeps what
 *   decides its kept uses: a statement spelling it stays, and only a definition outside functions that spells
 *   neither the words nor `global` (which could rebind it module-wide) and is not named like it may be blanked while
 *   spelling it: a function body is its own scope, and a class body's names are not visible in its methods. Its
 *   refs in such definitions are the outline's over-approximation, which produce no finding: one that could would
 *   go through a finding's attribute, which is spelled, so its definition stays.
 * - Import statements stay unless a whole definition goes: the names they bind are what fixes ask about.
 * - The outline's other facts are exact already (python/outline.ts); the refs of other items stay the outline's
 *   over-approximation, and none of the file's findings is theirs.
 * - Bound names come from the focused parse, so a name bound only in a blanked statement is missed. Fixes are the
 *   only readers (fixes/imports.ts bindsName: a fix never introduces a name the file binds), and a "bound" answer is
 *   right anyway; so the analyzer drops the focus (a full parse follows) when a fix was told a name a blanked
 *   statement spells is free (blankedSpells).
 * Anything this cannot vouch for (a finding on nothing it can name, a syntax error in the focused text, a finding
 * the focus does not cover after other files changed) costs a full parse. The file stays an outline file for
 * everything else (ProjectFile.focus): its other refs and name loads are the outline's.
 */

/**
 * What the findings are about, or null when one is on nothing this can name. A finding in an import is about its
 * items. One on a ref is about that ref's item: only its chains through one attribute name when the finding covers
 * the ref up to that attribute (`datetime.utcnow`: rules put such findings there, and their fixes edit that use and
 * the imports only), the whole item otherwise (a finding on the name alone may come with a fix renaming every use).
 */
export function focusItems(facts: FileFacts, findings: readonly Finding[]): FocusRequest | null {
  const items = new Set<string>();
  const chains = new Map<string, Set<string>>();
  for (const finding of findings) {
    const at = finding.range.start;
    let found = false;
    for (const ref of facts.refs) {
      if (!refCovers(ref, at)) continue;
      const key = focusKey(ref.stmt, ref.item);
      const k = refRangeIndex(ref, finding.range);
      if (k >= 1) {
        const words = chains.get(key) ?? new Set<string>();
        chains.set(key, words.add(ref.chain[k - 1]!));
      } else items.add(key);
      found = true;
    }
    facts.imports.forEach((stmt, s) => {
      if (!rangeContains(stmt.range, { start: at, end: at })) return;
      const on = stmt.items.map((it, i) => (rangeContains(it.range, { start: at, end: at }) ? i : -1)).filter((i) => i >= 0);
      for (const i of on.length ? on : stmt.items.map((_, i) => i)) items.add(focusKey(s, i));
      found = true;
    });
    if (!found) return null;
  }
  return focusRequest(items, chains);
}

const isIdentifierCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/**
 * Where the text spells one of `words` (not as part of a longer ASCII identifier; a non-ASCII neighbour counts as a
 * match), in increasing order: one pass per word, so that asking about many spans stays linear in the text. With
 * `mayBind`, only the spellings that could bind the word: not those an attribute access follows (`word.x` reads it;
 * the one form that binds, `import word.x`, is never blanked).
 */
function spellings(text: string, words: Iterable<string>, mayBind = false): number[] {
  const at: number[] = [];
  for (const word of words) {
    if (!word) continue;
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      let after = i + word.length;
      if (isIdentifierCode(text.charCodeAt(i - 1)) || isIdentifierCode(text.charCodeAt(after))) continue;
      if (mayBind) {
        while (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9) after++;
        if (text.charCodeAt(after) === 46) continue;
      }
      at.push(i);
    }
  }
  return at.sort((a, b) => a - b);
}

/** How many entries of an ascending list are below `value` (the index of the first one at or above it). */
function countBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a sorted list of offsets holds one in [start, end). */
function anyWithin(sorted: readonly number[], start: number, end: number): boolean {
  const i = countBelow(sorted, start);
  return i < sorted.length && sorted[i]! < end;
}

/**
 * The statements to blank, outermost first:
 * - any statement that spells none of `words`, holds no import statement (the names imports bind are the ones fixes
 *   ask about, fixes/imports.ts bindsName) and spells `chainLocals` (the local names of items focused on some
 *   chains) only where an attribute follows: one that could bind such a name could decide what a kept use means;
 * - a definition outside functions that spells none of `words` and is not named one of `chainLocals` (a definition
 *   binds its name in its scope: blanking it would change what that name means around it).
 */
function spansToBlank(text: string, spans: readonly StatementSpan[], words: readonly string[], chainLocals: ReadonlySet<string>): [number, number][] {
  const spelled = spellings(text, words);
  const imports = spans.filter((s) => s.isImport).map((s) => s.start);
  const kept = [...spelled, ...spellings(text, [...chainLocals].filter((w) => !words.includes(w)), true), ...imports].sort((a, b) => a - b);
  const out: [number, number][] = [];
  let blankedUntil = -1;
  for (const { start, end, name, inFunction } of spans) {
    if (start < blankedUntil) continue;
    const blank = !anyWithin(kept, start, end) || (name !== null && !inFunction && !chainLocals.has(name) && !anyWithin(spelled, start, end));
    if (!blank) continue;
    out.push([start, end]);
    blankedUntil = end;
  }
  return out;
}

/** Each blanked statement becomes `pass` on its first line and empty lines after: rows and later columns stay. */
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
 * The outline's facts with the focused parse's refs of the focused items (for items focused on some chains, plus
 * their outline refs in blanked statements, from `blankedRefs`) and its verdict on the focused names' loads, or null
 * when they cannot be matched up.
 */
function focusedFacts(outline: FileFacts, focused: FileFacts, request: FocusRequest, blankedRefs: () => Ref[] | null): FileFacts | null {
  const { items, chains, names } = request;
  const byStart = new Map<string, number>();
  outline.imports.forEach((s, i) => byStart.set(`${s.range.start.line}:${s.range.start.column}`, i));
  const stmtOf = focused.imports.map((s) => byStart.get(`${s.range.start.line}:${s.range.start.column}`) ?? -1);
  const refs: Ref[] = [];
  for (const ref of focused.refs) {
    const stmt = stmtOf[ref.stmt]!;
    if (stmt < 0) return null;
    const key = focusKey(stmt, ref.item);
    if (items.has(key) || chains.has(key)) refs.push(stmt === ref.stmt ? ref : { ...ref, stmt });
  }
  if (chains.size) {
    const inBlanked = blankedRefs();
    if (!inBlanked) return null;
    for (const ref of inBlanked) if (chains.has(focusKey(ref.stmt, ref.item))) refs.push(ref);
  }
  for (const ref of outline.refs) {
    const key = focusKey(ref.stmt, ref.item);
    if (!items.has(key) && !chains.has(key)) refs.push(ref);
  }
  // The outline's name loads over-approximate the parse's: the focused names keep only those the parse confirms.
  const moduleNameLoads = outline.moduleNameLoads.filter((n) => !names.has(n) || focused.moduleNameLoads.includes(n));
  return { ...outline, refs, moduleNameLoads, boundNames: focused.boundNames, unboundNames: focused.unboundNames };
}

/**
 * The outline file with exact refs for the requested import items (and chains) and exact loads of the requested
 * names, or null when a full parse is needed: nothing to blank, or a focused text that does not parse.
 */
export function focusFile(file: ProjectFile, text: string, request: FocusRequest, parser: PythonParser): ProjectFile | null {
  const localOf = (key: string): string => {
    const [s, i] = focusItemOf(key);
    return file.facts.imports[s]!.items[i]!.local;
  };
  const chainWords = [...request.chains.values()].flatMap((w) => [...w]);
  // An item focused on some chains keeps the statements spelling those attributes; one that rebinds its name
  // module-wide (`global`) or spells it must stay too (see spansToBlank).
  const words = [...new Set([...[...request.items].map(localOf), ...request.names, ...chainWords, ...(request.chains.size ? ['global'] : [])])];
  const chainLocals = new Set([...request.chains.keys()].map(localOf));
  let spans: StatementSpan[];
  try {
    spans = statementSpans(text);
  } catch {
    return null; // the outline accepted this text, so the lexer should too: a full parse is the safe answer
  }
  const blanked = spansToBlank(text, spans, words, chainLocals);
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
  // Every outline ref in a blanked statement (the file's outline keeps one per item and chain only); null if the
  // outline no longer vouches for the text.
  const blankedRefs = (): Ref[] | null => {
    const all = outlineFacts(text, { module: file.module, isPackage: file.isPackage, params: false });
    if (!all.ok) return null;
    const lines = new LineIndex(text);
    const starts = blanked.map(([start]) => start);
    return all.facts.refs.filter((r) => {
      const at = lines.offset(refRange(r, 0).start);
      // The last blanked span starting at or before `at` (they are sorted and disjoint).
      const k = countBelow(starts, at + 1) - 1;
      return k >= 0 && at < blanked[k]![1];
    });
  };
  const facts = focusedFacts(file.facts, focused, request, blankedRefs);
  return facts ? { ...file, facts, focus: { ...request, blanked } } : null;
}

/**
 * Whether each of `approximate` (a focused file's findings of rules that read refs) is about what the focus covers,
 * and no fix of a finding about a chain edits another use of its item (rule.ts: such fixes edit that use and the
 * imports; one that did otherwise would read refs the focus does not vouch for).
 */
export function focusCovers(focus: Focus, facts: FileFacts, approximate: readonly Finding[]): boolean {
  const about = focusItems(facts, approximate);
  if (!about || !focusHolds(focus, about)) return false;
  for (const finding of approximate) {
    if (!finding.fix) continue;
    const on = facts.refs.find((r) => refRangeIndex(r, finding.range) >= 1);
    if (!on || focus.items.has(focusKey(on.stmt, on.item))) continue;
    const others = facts.refs.filter((r) => r !== on && r.stmt === on.stmt && r.item === on.item);
    const touches = (edit: Range, r: Ref): boolean => {
      const name = refRange(r, 0);
      return comparePositions(edit.start, name.end) < 0 && comparePositions(name.start, edit.end) < 0;
    };
    if (finding.fix.edits.some((e) => others.some((r) => touches(e.range, r)))) return false;
  }
  return true;
}

/**
 * Whether a blanked statement spells one of `names`: then it could bind it, and the focused parse's bound names
 * cannot answer for it (fixes ask, through fixes/imports.ts bindsName, before introducing a name).
 */
export function blankedSpells(focus: Focus, text: string, names: Iterable<string>): boolean {
  const spelled = spellings(text, names);
  return focus.blanked.some(([start, end]) => anyWithin(spelled, start, end));
}
