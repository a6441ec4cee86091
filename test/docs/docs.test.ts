import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { ruleDocFiles } from '../../scripts/rule-docs.js';
import { CONFIG_KEYS } from '../../server/src/core/config/load.js';
import { RULES } from '../../server/src/core/rules/index.js';

// Docs drift silently; these tests make it loud.
test('docs/rules/*.md are generated from the rule files (run `npm run docs`)', () => {
  for (const [file, text] of ruleDocFiles()) assert.equal(fs.readFileSync(file, 'utf8'), text, `${file} is stale`);
});

const README = fs.readFileSync('README.md', 'utf8');

test('README documents every configuration key', () => {
  for (const { key } of CONFIG_KEYS) assert.match(README, new RegExp(`^\\| \`${key}\` \\|`, 'm'), `README lacks config key ${key}`);
});

test('README lists every rule with its stable code and name', () => {
  for (const r of RULES) assert.match(README, new RegExp(`^\\| \\[${r.code}\\]\\(docs/rules/${r.code}\\.md\\) \\| ${r.name} \\|`, 'm'));
});

test('package.json: bin, and the two README commands exist as scripts', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(pkg.bin['migration-lens'], './dist/cli.js');
  assert.ok(pkg.scripts['demo'] && pkg.scripts['test']);
  assert.match(README, /npm ci && npm run demo/);
  assert.match(fs.readFileSync('.ci/run', 'utf8'), /^npm test$/m);
});

test('README documents every extension setting with its default, and every command', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> }; commands: { title: string }[] };
  };
  for (const [key, { default: value }] of Object.entries(pkg.contributes.configuration.properties)) {
    assert.match(README, new RegExp(`^\\| \`${key.replace(/\./g, '\\.')}\` \\| \`${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\|`, 'm'), `README lacks setting ${key}`);
  }
  for (const { title } of pkg.contributes.commands) {
    if (title === 'Fix All in File') continue; // a panel context-menu action, described with the panel
    assert.ok(README.includes(`**${title}**`), `README lacks command "${title}"`);
  }
});
