import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { openWorkspace, type ReadStamper } from '../../server/src/core/workspace/load.js';
import { copyPythonTree, DJANGO, STDLIB } from '../support/corpora.js';

// A large workspace's outline is shared with a worker thread (workspace/outlineShare.ts): the worker's files come back
// encoded and are decoded here. Which thread outlines which file depends on timing, so the promise is that it cannot
// matter: every file's facts, and so the findings and problems, equal those of outlining everything on one thread,
// and every file is stamped by the SHA-1 of its bytes on disk, whoever read it.

for (const [name, src] of [
  ['CPython stdlib', STDLIB],
  ['Django', DJANGO],
] as const) {
  test(`${name}: sharing the outline with a worker thread changes nothing`, { timeout: 600_000, skip: !fs.existsSync(src) && `${src} is missing` }, async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-share-')), path.basename(src));
    copyPythonTree(src, dir);
    try {
      const open = async (shared: boolean) => {
        const hashes = new Map<string, string>();
        const fromWorker = new Set<string>();
        const stamper: ReadStamper = {
          record: (absPath, bytes) => hashes.set(absPath, sha1(bytes)),
          recordDigest: (absPath, digest) => {
            hashes.set(absPath, digest);
            fromWorker.add(absPath);
          },
        };
        const ws = await openWorkspace({
          checkPath: dir,
          parse: 'as-needed',
          focus: true,
          stamper,
          ...(shared ? { shareOutlineAbove: 0, shareWaitsForWorker: true } : { shareOutlineAbove: Infinity }),
        });
        try {
          const files = [...ws.analyzer.project.allFiles()].sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
          return { files, findings: ws.analyzer.checkAll((f) => f.inScope), problems: ws.problems, hashes, fromWorker };
        } finally {
          ws.parser.delete();
        }
      };
      const alone = await open(false);
      const shared = await open(true);
      assert.ok(shared.fromWorker.size > 0, 'the worker outlined nothing');
      assert.equal(alone.fromWorker.size, 0);
      assert.equal(shared.files.length, alone.files.length);
      for (let i = 0; i < alone.files.length; i++) {
        if (!isDeepStrictEqual(shared.files[i], alone.files[i])) assert.fail(`${alone.files[i]!.relPath}: facts differ when ${shared.fromWorker.has(alone.files[i]!.absPath) ? 'the worker' : 'this thread'} outlined it`);
      }
      assert.ok(isDeepStrictEqual(shared.findings, alone.findings), 'findings differ');
      assert.ok(alone.findings.length > 0, 'expected real findings');
      assert.deepEqual(shared.problems, alone.problems);
      assert.deepEqual(new Map([...shared.hashes].sort()), new Map([...alone.hashes].sort()));
      for (const [abs, hash] of shared.hashes) if (shared.fromWorker.has(abs)) assert.equal(hash, sha1(fs.readFileSync(abs)), abs);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
