/**
 * The shared outline's protocol when the worker misbehaves (workspace/outlineShare.ts): a worker that cannot start,
 * that dies at once, or that claims a chunk and dies before sending it never hangs the run, and every file ends up
 * either delivered or left to the caller (not delivered when `finish` returns), none twice.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ProjectFile } from '../../server/src/core/project/project.js';
import type { SourceFile } from '../../server/src/core/workspace/discover.js';
import { OutlineShare } from '../../server/src/core/workspace/outlineShare.js';
import { writeWorkspace } from '../support/files.js';

function sources(count: number): SourceFile[] {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`m${String(i).padStart(3, '0')}.py`] = `import os\nx${i} = os.sep\n`;
  const dir = writeWorkspace(files, 'ml-share-');
  return Object.keys(files).map((rel) => ({
    absPath: path.join(dir, rel),
    relPath: rel,
    module: rel.slice(0, -3),
    isPackageInit: false,
    category: 'src',
    size: fs.statSync(path.join(dir, rel)).size,
    inScope: true,
  }));
}

/** Runs the caller's side as load.ts does; returns who delivered each file. */
async function run(files: SourceFile[], script?: string, waitForWorker = true): Promise<{ share: boolean; byIndex: string[] }> {
  const byIndex: string[] = new Array(files.length).fill('');
  const mark = (i: number, by: string): void => {
    assert.equal(byIndex[i], '', `${files[i]!.relPath} delivered twice (${byIndex[i]}, ${by})`);
    byIndex[i] = by;
  };
  const share = OutlineShare.start(files, false, (i: number, file: ProjectFile) => {
    assert.equal(file.relPath, files[i]!.relPath);
    mark(i, 'worker');
  }, script);
  if (!share) return { share: false, byIndex };
  if (waitForWorker) share.waitForWorker();
  for (let claim = share.claim(); claim; claim = share.claim()) {
    for (let i = claim.from; i < claim.to; i++) mark(i, 'here');
    share.drain();
  }
  await share.finish();
  return { share: true, byIndex };
}

test('a working worker delivers what it claims, this thread the rest, each file once', async () => {
  const files = sources(100);
  const { share, byIndex } = await run(files);
  assert.ok(share);
  assert.ok(byIndex.every((by) => by === 'here' || by === 'worker'), byIndex.join());
  assert.ok(byIndex.includes('worker'));
});

test('a worker that dies at once, or that claims a chunk and dies, never hangs the run', async () => {
  const files = sources(100);
  const dir = fs.mkdtempSync(path.join(path.dirname(files[0]!.absPath), 'scripts-'));
  const throws = path.join(dir, 'throws.js');
  fs.writeFileSync(throws, "throw new Error('broken worker');\n");
  // Takes the first chunk, says so, and exits without sending it.
  const dies = path.join(dir, 'dies.js');
  fs.writeFileSync(
    dies,
    "const { workerData } = require('node:worker_threads');\nconst c = new Int32Array(workerData.share.counter);\nAtomics.add(c, 0, 1);\nAtomics.store(c, 1, 1);\nAtomics.notify(c, 1);\nprocess.exit(1);\n",
  );
  const broken = await run(files, throws, false);
  // Dead before it claimed anything: this thread takes every chunk.
  assert.ok(broken.byIndex.every((by) => by === 'here'), broken.byIndex.join());
  const died = await run(files, dies);
  // The first chunk (16 files) was claimed and never delivered: the caller's to redo, as load.ts does.
  assert.deepEqual(died.byIndex.slice(0, 16), new Array(16).fill(''));
  assert.ok(died.byIndex.slice(16).every((by) => by === 'here'));
});
