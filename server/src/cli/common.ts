import type { RuleMeta } from './format/types.js';
import { RULES, ruleDocsUrl } from '../core/rules/index.js';

export { VERSION } from '../core/version.js';

/** Bad command-line input: exit code 2 with a one-line message, never a stack trace. */
export class UsageError extends Error {}

export function ruleMetas(): RuleMeta[] {
  return RULES.map((r) => ({ code: r.code, name: r.name, summary: r.summary, docsUrl: ruleDocsUrl(r), defaultSeverity: r.defaultSeverity }));
}
