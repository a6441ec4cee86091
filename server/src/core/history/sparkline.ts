/**
 * A unicode sparkline (▁▂▃▄▅▆▇█) of values in [0, 1], one character per value; null (nothing measured) is a
 * space. A leaf module with no imports: the CLI's history table and the VS Code panel's trend node draw the
 * same line from the same function.
 */
const BARS = '▁▂▃▄▅▆▇█';

/** 0 → ▁, 1 → █, linear in between (values outside [0, 1] are clamped). */
export function sparkline(values: readonly (number | null)[]): string {
  return values
    .map((v) => {
      if (v === null || Number.isNaN(v)) return ' ';
      const clamped = Math.min(1, Math.max(0, v));
      return BARS.charAt(Math.min(BARS.length - 1, Math.floor(clamped * BARS.length)));
    })
    .join('');
}
