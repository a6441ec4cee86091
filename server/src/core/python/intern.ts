import type { FileFacts } from './facts.js';

/**
 * Strings kept in facts are interned as standalone copies. Names sliced from a file's text are, in V8, views into
 * that text (sliced strings), so one short name kept for the life of a workspace pins the whole source file: on the
 * stdlib that was 33 MB of source text kept alive by names. The table also shares the many repeats (`self`,
 * module names, `__init__`) across files.
 */

const table = new Map<string, string>();
/** Bounds the table in a long editor session; clearing only loses sharing, never correctness. */
const MAX_ENTRIES = 500_000;

/** Strings shorter than this are copied by V8 on slicing anyway (its SlicedString minimum is 13). */
const MIN_SLICED = 13;

export function intern(s: string): string {
  return table.get(s) ?? add(s.length < MIN_SLICED ? s : Buffer.from(s, 'utf8').toString('utf8'));
}

/** The same for a string known to be standalone already (decoded, or received from another thread): no copy. */
export function internOwn(s: string): string {
  return table.get(s) ?? add(s);
}

function add(own: string): string {
  if (table.size >= MAX_ENTRIES) table.clear();
  table.set(own, own);
  return own;
}

/** Replaces every string reachable from `value` (plain objects and arrays) by its interned copy, in place. */
export function internDeep<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') value[i] = intern(v);
      else if (v !== null && typeof v === 'object') internDeep(v);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      if (typeof v === 'string') record[key] = intern(v);
      else if (v !== null && typeof v === 'object') internDeep(v);
    }
  }
  return value;
}

/**
 * `internDeep` for one file's facts, visiting only the fields that can hold strings: ranges are most of the objects
 * and hold none, and a generic walk over them was a tenth of the language server's time per keystroke. Fields whose
 * values are fixed literals of the extractor (`kind`, `context`, `via`) are not sliced from the text and are skipped.
 * test/python/intern.test.ts checks that every other string of a rich file is visited.
 */
export function internFacts(facts: FileFacts, fn: (s: string) => string = intern): FileFacts {
  const strings = (list: string[]): void => {
    for (let i = 0; i < list.length; i++) list[i] = fn(list[i]!);
  };
  if (facts.module !== null) facts.module = fn(facts.module);
  for (const s of facts.imports) {
    if (s.module !== null) s.module = fn(s.module);
    if (s.absModule !== null) s.absModule = fn(s.absModule);
    s.indent = fn(s.indent);
    for (const item of s.items) {
      item.name = fn(item.name);
      if (item.asName !== null) item.asName = fn(item.asName);
      item.local = fn(item.local);
    }
  }
  for (const r of facts.refs) {
    strings(r.chain);
    if (r.call) strings(r.call.keywords);
  }
  for (const b of facts.bindings) {
    b.name = fn(b.name);
    if (b.aliasTarget) strings(b.aliasTarget);
  }
  for (const d of facts.definitions) {
    d.qualName = fn(d.qualName);
    if (d.deprecation) d.deprecation.message = fn(d.deprecation.message);
    strings(d.decorators);
    if (d.params) {
      for (const p of d.params) {
        p.name = fn(p.name);
        if (p.default !== null) p.default = fn(p.default);
      }
    }
  }
  for (const w of facts.legacyWarnings) {
    w.message = fn(w.message);
    w.category = fn(w.category);
  }
  if (facts.all) strings(facts.all);
  strings(facts.moduleNameLoads);
  strings(facts.boundNames);
  strings(facts.unboundNames);
  for (const s of facts.suppressions) strings(s[1]);
  return facts;
}
