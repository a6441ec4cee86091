import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { copyPythonTree, DJANGO } from '../support/corpora.js';

// A check served partly from the facts cache (core/cache/factsCache.ts) must report exactly what a check without
// any cache reports, after the kinds of edits that move results across files: a file gains a finding, a module
// loses a name others import, a file is deleted and one is added. On a copy of Django, through the bundled CLI.

const CLI = path.resolve('dist/cli.js');

function check(dir: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r.stdout;
}

test('Django: after edits, a check served from the facts cache reports exactly what an uncached check does', { timeout: 300_000, skip: !fs.existsSync(DJANGO) && `${DJANGO} is missing` }, () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-facts-')), 'django');
  copyPythonTree(DJANGO, dir);
  try {
    const cold = check(dir);
    assert.equal(check(dir, '--no-cache'), cold);
    const edit = (rel: string, change: (text: string) => string): void => {
      const file = path.join(dir, rel);
      fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
    };
    edit('utils/text.py', (t) => `${t}\nfrom datetime import datetime\n\nSTAMP = datetime.utcnow()\n`);
    // Everything importing get_valid_filename now imports a name that no longer exists (MIG004 in other files).
    edit('utils/text.py', (t) => t.replace('def get_valid_filename(', 'def get_valid_filename_renamed('));
    fs.rmSync(path.join(dir, 'utils/baseconv.py'), { force: true });
    fs.writeFileSync(path.join(dir, 'utils/added.py'), 'from django.utils.text import get_valid_filename\nfrom datetime import datetime\n\nNOW = datetime.utcnow()\n');
    const served = check(dir);
    const fresh = check(dir, '--no-cache');
    assert.notEqual(fresh, cold, 'the edits change the result');
    assert.equal(served, fresh);
    assert.ok(JSON.parse(served).findings.some((f: { path: string; code: string }) => f.code === 'MIG004' && f.path !== 'utils/added.py' && f.path !== 'utils/text.py'), 'an unchanged file has a new finding');
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
