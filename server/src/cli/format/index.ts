/** Output formats of `migration-lens check --format ...`. */
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { CheckResult } from './types.js';

export type { CheckResult, RuleMeta } from './types.js';
export { formatText, type TextFormatOptions } from './text.js';
export { formatJson, toJsonOutput, JSON_FORMAT_VERSION, type JsonOutput } from './json.js';
export { formatSarif, toSarifLog } from './sarif.js';
export { formatGithub } from './github.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export interface FormatOptions {
  /** ANSI colors; only the text format uses it. Default false. */
  color?: boolean;
}

/** Renders a check result; the returned string ends with a newline unless it is empty. */
export function formatResult(result: CheckResult, format: OutputFormat, opts: FormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(result, { color: opts.color ?? false });
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result);
    case 'github':
      return formatGithub(result);
  }
}
