import type { Position, Range } from '../../types.js';

let scratch = new Int32Array(1 << 14);

/** Offsets to tree-sitter points: rows end at '\n' only, columns are UTF-16 code units (JavaScript string offsets). */
export class LineIndex {
  private readonly starts: Int32Array;
  private readonly rows: number;
  private last = 0;

  constructor(text: string) {
    // One pass into a scratch buffer shared by every file (a LineIndex is used only while its file is scanned).
    let starts = scratch;
    let row = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      if (row === starts.length) {
        const bigger = new Int32Array(starts.length * 2);
        bigger.set(starts);
        starts = scratch = bigger;
      }
      starts[row++] = i + 1;
    }
    this.starts = starts;
    this.rows = row;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line]! };
  }

  /** Sets out[i] and out[i + 1] to the line and column of `offset` (Ref.coords), without a Position object. */
  setPosition(out: number[], i: number, offset: number): void {
    const line = this.lineOf(offset);
    out[i] = line;
    out[i + 1] = offset - this.starts[line]!;
  }

  private lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = this.rows - 1;
    // Lookups mostly move forward through the file: try the last row first.
    const guess = this.last;
    if (starts[guess]! <= offset && (guess === hi || starts[guess + 1]! > offset)) lo = hi = guess;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo;
  }

  /** The offset of a position this index handed out. */
  offset(p: Position): number {
    return this.starts[p.line]! + p.column;
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}
