import { RULES, ruleDocsUrl } from '../core/rules/index.js';

export function listRules(format: 'text' | 'json'): number {
  if (format === 'json') {
    const out = RULES.map((r) => ({ code: r.code, name: r.name, summary: r.summary, defaultSeverity: r.defaultSeverity, docs: ruleDocsUrl(r) }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const r of RULES) process.stdout.write(`${r.code}  ${r.name.padEnd(26)} ${r.defaultSeverity.padEnd(8)} ${r.summary}\n`);
  }
  return 0;
}
