import { intern } from '../intern.js';

/**
 * Interned copies of names read from the text, found again by hash without slicing: the same few thousand names
 * (`self`, `path`, `os`, parameter names) come back in every file. A direct-mapped cache in front of intern.ts.
 */

const SETS = 1 << 16;
// Two ways per set; way 0 holds the most recently used.
const hashes = new Int32Array(SETS * 2);
const names: (string | undefined)[] = new Array<string | undefined>(SETS * 2);

/** The text of [start, end), interned; `hash` is nameHash of it (the lexer computes it for every NAME token). */
export function internAt(text: string, start: number, end: number, hash: number): string {
  const slot = ((hash ^ (hash >>> 16)) & (SETS - 1)) * 2;
  const first = names[slot];
  if (first !== undefined && hashes[slot] === hash && first.length === end - start && text.startsWith(first, start)) return first;
  const second = names[slot + 1];
  let name: string;
  if (second !== undefined && hashes[slot + 1] === hash && second.length === end - start && text.startsWith(second, start)) name = second;
  else name = intern(text.slice(start, end));
  names[slot + 1] = first;
  hashes[slot + 1] = hashes[slot]!;
  names[slot] = name;
  hashes[slot] = hash;
  return name;
}

/** nameHash of text[start, end). */
export function hashAt(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}
