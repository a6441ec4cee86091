import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/core/rules/index.js';
import type { Rule } from '../server/src/core/rules/rule.js';

/** docs/rules/<CODE>.md, generated from each rule's own documentation (the rule file is the source of truth). */
export function renderRuleDoc(rule: Rule): string {
  const [bad, good] = rule.docs.example.split(/\n\n# Use instead:\n/);
  let out = `# ${rule.code} ${rule.name}\n\n${rule.summary}. Default severity: **${rule.defaultSeverity}**.\n\n`;
  out += `## What it does\n\n${rule.docs.what}\n\n## Why is this bad?\n\n${rule.docs.why}\n\n## Example\n\n\`\`\`python\n${bad}\n\`\`\`\n`;
  if (good) out += `\nUse instead:\n\n\`\`\`python\n${good}\n\`\`\`\n`;
  out += `\n## Fix safety\n\n${rule.docs.fixSafety}\n\n## Suppression\n\n\`# migration-lens: ignore[${rule.code}]\` on the line, or \`ignore = ["${rule.code}"]\` / \`per-file-ignores\` in the config.\n`;
  return out;
}

export function ruleDocFiles(): Map<string, string> {
  return new Map(RULES.map((r) => [`docs/rules/${r.code}.md`, renderRuleDoc(r)]));
}

if (require.main === module) {
  for (const [file, text] of ruleDocFiles()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
