import { LineIndex } from '../text.js';
import type { Fix, FixSafety, TextEdit } from '../types.js';

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function toOffsets(index: LineIndex, edits: TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }));
}

function sameEdit(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** Overlap that would make the result depend on application order. Two inserts at one point do not overlap. */
function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) return false;
  return a.start < b.end && b.start < a.end;
}

/**
 * Chooses which fixes can be applied together: in order, each fix is taken whole or not at all, and is
 * skipped when one of its edits overlaps an edit already taken (identical edits are shared, so several
 * fixes may add the same import). Skipped fixes are picked up by the next round after re-analysis.
 */
export function selectFixes(text: string, fixes: Fix[], allowed: (safety: FixSafety) => boolean): { edits: TextEdit[]; applied: Fix[] } {
  const index = new LineIndex(text);
  const taken: OffsetEdit[] = [];
  const takenEdits: TextEdit[] = [];
  const applied: Fix[] = [];
  for (const fix of fixes) {
    if (!allowed(fix.safety)) continue;
    const offsets = toOffsets(index, fix.edits);
    const fresh: number[] = [];
    let conflict = false;
    offsets.forEach((e, i) => {
      if (conflict) return;
      if (taken.some((t) => sameEdit(t, e))) return;
      if (taken.some((t) => overlaps(t, e)) || offsets.some((o, j) => j < i && overlaps(o, e))) conflict = true;
      else fresh.push(i);
    });
    if (conflict) continue;
    for (const i of fresh) {
      taken.push(offsets[i]!);
      takenEdits.push(fix.edits[i]!);
    }
    applied.push(fix);
  }
  return { edits: takenEdits, applied };
}

/** Applies non-overlapping edits (ranges refer to the original text). Inserts at one point keep their order. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const offsets = toOffsets(index, edits)
    .map((e, order) => ({ ...e, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const e of offsets) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
