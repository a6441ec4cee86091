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
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) table.clear();
  const own = s.length < MIN_SLICED ? s : Buffer.from(s, 'utf8').toString('utf8');
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
