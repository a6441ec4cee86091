import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/core/rules/index.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { compareToExpectations, expectationsUnder } from '../support/annotations.js';

const FIXTURES = path.resolve('test/fixtures/rules');

// Every rule has a fixture workspace whose annotations list exactly the findings it must produce.
for (const rule of RULES) {
  test(`${rule.code} ${rule.name}: findings match the annotations in test/fixtures/rules/${rule.code}`, async () => {
    const dir = path.join(FIXTURES, rule.code);
    assert.ok(fs.existsSync(dir), `missing fixture workspace for ${rule.code}`);
    const ws = await openWorkspace({ checkPath: dir });
    assert.deepEqual(ws.configDiagnostics, []);
    assert.deepEqual(ws.problems, []);
    const findings = ws.analyzer.checkAll();
    const expected = expectationsUnder(dir);
    assert.ok(expected.some((e) => e.code === rule.code), `fixture must expect at least one ${rule.code}`);
    assert.deepEqual(compareToExpectations(findings, expected), []);
    for (const f of findings) assert.equal(f.rule, RULES.find((r) => r.code === f.code)!.name);
  });
}

test('the demo workspace produces exactly its annotated findings, every rule represented', async () => {
  const dir = path.resolve('examples/netra');
  const ws = await openWorkspace({ checkPath: dir });
  assert.deepEqual(ws.configDiagnostics, []);
  const findings = ws.analyzer.checkAll();
  const expected = expectationsUnder(dir, (rel) => rel.startsWith('build'));
  assert.deepEqual(compareToExpectations(findings, expected), []);
  assert.deepEqual([...new Set(findings.map((f) => f.code))].sort(), RULES.map((r) => r.code));
  assert.ok(!findings.some((f) => f.path.startsWith('build/')), 'build/** is excluded by the config');
  const categories = new Set(findings.map((f) => f.category));
  assert.deepEqual([...categories].sort(), ['backup', 'production', 'scripts', 'tests']);
});

test('config paths that do not resolve in the workspace are reported at the value, others still apply', async () => {
  const dir = path.resolve('test/fixtures/workspaces/bad-config-paths');
  const ws = await openWorkspace({ checkPath: dir });
  const got = ws.configDiagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.column + 1} ${d.message}`).sort();
  assert.deepEqual(got, [
    '13:10 canonical module `pkg.nowhere` does not exist in the workspace',
    '18:20 `Missing` is not defined in canonical module `pkg.mod`',
    '2:10 deprecated symbol `pkg.mod.DoesNotExist` does not resolve in the workspace',
    '7:15 replacement `pkg.gone.Thing` does not resolve in the workspace',
  ]);
  // The valid entries are still in force: `pkg.mod.Real` is deprecated, `requests.get` (outside the workspace) too.
  assert.ok(ws.analyzer.model().symbols.has('pkg.mod.Real'));
  assert.ok(ws.analyzer.model().symbols.has('requests.get'));
  assert.equal(ws.analyzer.model().canonical.get('pkg.mod.Real')?.module, 'pkg.mod');
});
