import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Stamper } from '../../server/src/core/cache/stamps.js';
import type { SourceFile } from '../../server/src/core/workspace/discover.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { writeWorkspace } from '../support/files.js';

// A cache stamps each file with the SHA-1 of its contents. `check` records the bytes it analyzed as it reads them,
// so the stamp is of what the stored facts and findings were computed from, and the file is not read a second time.

const sha1 = (bytes: Uint8Array | string): string => createHash('sha1').update(bytes).digest('hex');
const sourceFile = (absPath: string, relPath: string, size: number, mtimeMs: number): SourceFile =>
  ({ absPath, relPath, module: null, isPackageInit: false, category: 'source', size, mtimeMs, inScope: true });

test('a file edited after it was read is stamped with the contents that were analyzed, so the next run misses', () => {
  const dir = writeWorkspace({ 'app/clock.py': 'now = 1\n' }, 'ml-stamps-');
  const abs = path.join(dir, 'app/clock.py');
  const source = sourceFile(abs, 'app/clock.py', 8, Date.now() - 3_600_000);
  const stamper = new Stamper();
  stamper.record(abs, fs.readFileSync(abs));
  // Same size, other bytes: only the hash can tell.
  fs.writeFileSync(abs, 'now = 2\n');
  const [stamp] = stamper.stamps([source])!;
  assert.equal(stamp![3], sha1('now = 1\n'), 'the stamp is of the bytes that were recorded, not of the file as it is now');
  assert.equal(new Stamper().compare(stamp!, { ...source, mtimeMs: Date.now() }), false);
  // What was not recorded is read when stamped, as before.
  const other = new Stamper();
  assert.equal(other.stamps([source])![0]![3], sha1('now = 2\n'));
});

test('the first recording of a file wins, and a recorded file is not read to be stamped', () => {
  const dir = writeWorkspace({ 'a.py': 'x = 1\n' }, 'ml-stamps-');
  const abs = path.join(dir, 'a.py');
  const stamper = new Stamper();
  stamper.record(abs, Buffer.from('x = 1\n'));
  stamper.record(abs, Buffer.from('x = 2\n'));
  fs.rmSync(abs);
  const stamps = stamper.stamps([sourceFile(abs, 'a.py', 6, 0)]);
  assert.ok(stamps, 'a deleted file that was recorded can still be stamped: its contents are known');
  assert.equal(stamps[0]![3], sha1('x = 1\n'));
});

for (const shared of [false, true]) {
  test(`openWorkspace records every file it reads, once, with the bytes on disk${shared ? ', the worker sharing the outline sending their SHA-1' : ''}`, async () => {
    const dir = writeWorkspace(
      {
        'pkg/__init__.py': '',
        'pkg/clock.py': 'from datetime import datetime\n\nnow = datetime.utcnow()\n',
        'pkg/latin.py': Buffer.from('# -*- coding: latin-1 -*-\nname = "caf\u00e9"\n', 'latin1'),
        // Declined by the outline (a walrus at module level): the worker leaves it to the main thread, which parses it.
        'pkg/walrus.py': 'if (n := 10) > 5:\n    pass\n',
      },
      'ml-stamps-',
    );
    const seen = new Map<string, string[]>();
    const note = (absPath: string, hash: string): void => {
      const rel = path.relative(dir, absPath).split(path.sep).join('/');
      seen.set(rel, [...(seen.get(rel) ?? []), hash]);
    };
    const ws = await openWorkspace({
      checkPath: dir,
      parse: 'as-needed',
      stamper: { record: (absPath, bytes) => note(absPath, sha1(bytes)), recordDigest: (absPath, hash) => note(absPath, `digest:${hash}`) },
      ...(shared ? { shareOutlineAbove: 0, shareWaitsForWorker: true } : {}),
    });
    assert.deepEqual([...seen.keys()].sort(), ws.files.map((f) => f.relPath).sort());
    for (const [rel, hashes] of seen) {
      const own = sha1(fs.readFileSync(path.join(dir, rel)));
      // All four are one chunk, the worker's: it digests what it outlines; what it declines this thread reads and records.
      assert.deepEqual(hashes, [shared && rel !== 'pkg/walrus.py' ? `digest:${own}` : own], rel);
    }
  });
}
