/**
 * Text helpers shared by everything that writes Markdown or percentages for people (the report, `status`).
 * Everything interpolated from a workspace (paths, messages, names) goes through escapeMarkdown: a file name must
 * not be able to inject Markdown or HTML.
 */

/** Escapes text for a Markdown table cell or paragraph: no HTML, no emphasis, no links, no cell breaks. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** `1 file`, `2 files` (or the given plural form). */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** One decimal, rounded down: 99.96% must not read as 100%. `n/a` when there is nothing to measure. */
export function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(Math.floor(value * 1000) / 10).toFixed(1)}%`;
}
