/**
 * `# migration-lens: ignore[CODE, …]` comments, read the same way by the parser's extraction (extract.ts) and by the
 * outline scanner (outline/lexer.ts): one definition, so an outlined file suppresses exactly what a parsed one does.
 */

/** `# migration-lens: ignore` or `# migration-lens: ignore[MIG001, MIG002]`; group 1 is the code list. */
export const SUPPRESSION = /#\s*migration-lens:\s*ignore(?:\[([A-Za-z0-9,\s]*)\])?/;

/** What a file can contain at all for a comment to suppress something (a cheap pre-check for the scanner). */
export const SUPPRESSION_MARKER = 'migration-lens';

/** line → codes suppressed on it, in the order the comments are read; an empty list means every code. */
export class Suppressions {
  private readonly byLine = new Map<number, string[]>();

  /** One comment's text (from its `#`) on 0-based `line`. */
  add(line: number, comment: string): void {
    const m = SUPPRESSION.exec(comment);
    if (!m) return;
    const codes = m[1] === undefined ? [] : m[1].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    const existing = this.byLine.get(line);
    // A bare ignore (empty list) wins over specific codes on the same line.
    if (existing && existing.length === 0) return;
    this.byLine.set(line, codes.length === 0 ? [] : [...(existing ?? []), ...codes]);
  }

  entries(): [number, string[]][] {
    return [...this.byLine.entries()];
  }
}
