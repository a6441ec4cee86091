import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixWorkspace } from '../../server/src/core/fixes/fixAll.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { pyCompileFailures, readTree, tempCopy } from '../support/files.js';

const CASES = path.resolve('test/fixtures/fixes');

async function fixAndWrite(dir: string, unsafe: boolean): Promise<string[]> {
  const ws = await openWorkspace({ checkPath: dir });
  const outcome = fixWorkspace(ws, { unsafe });
  assert.deepEqual(outcome.refused, []);
  for (const [abs, c] of outcome.changed) fs.writeFileSync(abs, c.after);
  return [...outcome.changed.keys()];
}

for (const name of fs.readdirSync(CASES).sort()) {
  const caseDir = path.join(CASES, name);
  const { unsafe = false } = fs.existsSync(path.join(caseDir, 'case.json')) ? (JSON.parse(fs.readFileSync(path.join(caseDir, 'case.json'), 'utf8')) as { unsafe?: boolean }) : {};
  test(`fix ${name}: before → after, compiles, idempotent`, async () => {
    const dir = tempCopy(path.join(caseDir, 'before'));
    try {
      const changed = await fixAndWrite(dir, unsafe);
      assert.ok(changed.length > 0, 'the case must change something');
      assert.deepEqual(Object.fromEntries(readTree(dir)), Object.fromEntries(readTree(path.join(caseDir, 'after'))));
      assert.deepEqual(pyCompileFailures(changed), []);
      assert.deepEqual(await fixAndWrite(dir, unsafe), [], 'a second run must change nothing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  if (unsafe) {
    test(`fix ${name}: nothing changes without --unsafe`, async () => {
      const dir = tempCopy(path.join(caseDir, 'before'));
      try {
        assert.deepEqual(await fixAndWrite(dir, false), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}
