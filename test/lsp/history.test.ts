/**
 * The panel's trend request (`migrationLens/history`) through the real server process (`dist/cli.js server
 * --stdio`) on real git repositories.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { HistoryRequest, type CommitPoint, type HistoryResponse } from '../../server/src/lsp/protocol.js';
import { writeWorkspace } from '../support/files.js';
import { commit, git, gitRepo } from '../support/git.js';
import { TestClient } from '../support/lspClient.js';

const clients: TestClient[] = [];
/** A server on `root`, once its project is loaded (the panel asks for a trend only for projects it shows). */
async function start(root: string): Promise<TestClient> {
  const c = await TestClient.start(root);
  clients.push(c);
  await c.waitForReady();
  return c;
}
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const UTCNOW = 'datetime.datetime.utcnow()';
const NOW = 'datetime.datetime.now(datetime.timezone.utc)';

function points(response: HistoryResponse): CommitPoint[] {
  if ('error' in response) throw new Error(`unexpected error: ${response.error}`);
  return response.points;
}

describe('history request', () => {
  test('points per commit, oldest first; a new commit shows up on the next request', async () => {
    const dir = gitRepo({ 'a.py': `import datetime\nx = ${UTCNOW}\ny = ${UTCNOW}\n` }, 'two legacy calls');
    const second = commit(dir, 'migrate one', { 'a.py': `import datetime\nx = ${NOW}\ny = ${UTCNOW}\n` });
    const c = await start(dir);
    const first = await c.connection.sendRequest(HistoryRequest, { count: 20 });
    assert.deepEqual(points(first).map((p) => [p.subject, p.remaining, p.migrated, p.compliance, p.changedFiles]), [
      ['two legacy calls', 2, 0, 0, 1],
      ['migrate one', 1, 1, 0.5, 1],
    ]);
    assert.equal(points(first)[1]!.commit, second);
    assert.equal((first as { truncated: string | null }).truncated, null);

    const third = commit(dir, 'migrate the other', { 'a.py': `import datetime\nx = ${NOW}\ny = ${NOW}\n` });
    const again = points(await c.connection.sendRequest(HistoryRequest, { count: 2 }));
    assert.deepEqual(again.map((p) => [p.commit, p.remaining, p.migrated]), [
      [second, 1, 1],
      [third, 0, 2],
    ]);
  });

  test('no repository, or a bad count: an error message, not a failure', async () => {
    const c = await start(writeWorkspace({ 'a.py': 'x = 1\n' }, 'ml-lsp-nogit-'));
    const response = await c.connection.sendRequest(HistoryRequest, { count: 20 });
    assert.ok('error' in response);
    assert.match(response.error, /is not inside a git repository/);
    const bad = await c.connection.sendRequest(HistoryRequest, { count: 0 });
    assert.deepEqual(bad, { error: 'The number of commits must be between 1 and 10000 (got 0).' });
  });

  test('a cancelled history request is answered with RequestCancelled, and the server goes on', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`pkg/m${i}.py`] = `import datetime\nx = ${UTCNOW}\n`;
    const dir = gitRepo(files);
    for (let i = 0; i < 30; i++) commit(dir, `step ${i}`, { [`pkg/m${i}.py`]: `import datetime\nx = ${NOW}\n` });
    const c = await start(dir);
    const source = new CancellationTokenSource();
    const pending = c.connection.sendRequest(HistoryRequest, { count: 31 }, source.token);
    source.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    const done = points(await c.connection.sendRequest(HistoryRequest, { count: 31 }));
    assert.equal(done.length, 31);
    assert.deepEqual([done[0]!.remaining, done.at(-1)!.remaining, done.at(-1)!.migrated], [40, 10, 30]);
    assert.equal(done.at(-1)!.commit, git(dir, 'rev-parse', 'HEAD').trim());
  });
});
