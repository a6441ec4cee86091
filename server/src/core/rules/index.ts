import type { RuleCode } from '../types.js';
import { deprecatedUsage } from './mig001DeprecatedUsage.js';
import { nonCanonicalImport } from './mig002NonCanonicalImport.js';
import { aliasUsage } from './mig003AliasUsage.js';
import { unresolvedImport } from './mig004UnresolvedImport.js';
import { importCycle } from './mig005ImportCycle.js';
import { duplicateImplementation } from './mig006DuplicateImplementation.js';
import { removableShim } from './mig007RemovableShim.js';
import type { Rule } from './rule.js';

/** Every rule, in code order. Codes are user-facing and stable: never renumber. */
export const RULES: readonly Rule[] = [
  deprecatedUsage,
  nonCanonicalImport,
  aliasUsage,
  unresolvedImport,
  importCycle,
  duplicateImplementation,
  removableShim,
];

export const RULES_BY_CODE: ReadonlyMap<RuleCode, Rule> = new Map(RULES.map((r) => [r.code, r]));

export const DOCS_BASE_URL = 'https://github.com/migration-lens/migration-lens/blob/main/docs/rules/';

export function ruleDocsUrl(rule: Rule): string {
  return `${DOCS_BASE_URL}${rule.code}.md`;
}
