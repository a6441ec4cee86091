/**
 * Protocol tests: the real server process (`dist/cli.js server --stdio`) driven by a real JSON-RPC client.
 * Workspaces are temp copies; every wait polls with a deadline.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CancellationTokenSource, CodeActionRequest, DiagnosticSeverity, DiagnosticTag, DidChangeConfigurationNotification, FileChangeType, type Diagnostic, type FileEvent } from 'vscode-languageserver-protocol/node';
import { FIX_ALL_KIND, type FixesResult, type ReportResult, type StatusSnapshot } from '../../server/src/lsp/protocol.js';
import { pyCompileFailures, tempCopy, writeWorkspace } from '../support/files.js';
import { TestClient, rangeOf } from '../support/lspClient.js';

const DEMO = path.resolve('examples/netra');
const WS_ROUTE = 'netra_backend/app/routes/websocket.py';
const AGENT_ROUTE = 'netra_backend/app/routes/agent_route.py';
const SESSION_SERVICE = 'netra_backend/app/services/session_service.py';

const workspace = (files: Record<string, string>): string => writeWorkspace(files, 'ml-lsp-');

const clients: TestClient[] = [];
async function start(root: string, settings?: Record<string, unknown>): Promise<TestClient> {
  const c = await TestClient.start(root, settings ? { settings } : {});
  clients.push(c);
  return c;
}
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();

describe('diagnostics', () => {
  test('an open file gets the same findings as the CLI, with code, source, docs link, tags and related information', async () => {
    const c = await start(tempCopy(DEMO));
    await c.open(SESSION_SERVICE);
    // MIG005 (cycle) needs the whole index: it arrives once the background scan is done.
    const ds = await c.waitForDiagnostics(SESSION_SERVICE, (d) => d.some((x) => x.code === 'MIG005'));
    assert.deepEqual(codes(ds), ['33:MIG001', '45:MIG001', '9:MIG005']);
    const utcnow = ds.find((d) => d.code === 'MIG001')!;
    assert.equal(utcnow.source, 'migration-lens');
    assert.match(utcnow.codeDescription!.href, /docs\/rules\/MIG001\.md$/);
    assert.deepEqual(utcnow.tags, [DiagnosticTag.Deprecated]);
    const cycle = ds.find((d) => d.code === 'MIG005')!;
    assert.ok(cycle.relatedInformation && cycle.relatedInformation.length >= 1, 'a cycle points at its other members');
    assert.ok(cycle.relatedInformation.every((r) => r.location.uri.startsWith('file://')));
  });

  test('MIG002 carries related information pointing at the canonical definition', async () => {
    const c = await start(tempCopy(DEMO));
    await c.open(WS_ROUTE);
    // Before the index is complete the chain may end early; the final answer follows the re-exports to the class.
    await c.waitForReady();
    const [d] = await c.waitForDiagnostics(WS_ROUTE, (ds) => ds.some((x) => x.code === 'MIG002'));
    assert.equal(d!.code, 'MIG002');
    assert.equal(d!.range.start.line, 26);
    assert.match(d!.relatedInformation![0]!.location.uri, /websocket_core\/unified_manager\.py$/);
  });

  test('edits re-analyze incrementally: typing a deprecated call adds a diagnostic, undoing removes it', async () => {
    const root = workspace({ 'app.py': 'import datetime\n\n\ndef stamp():\n    return 1\n' });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
    const text = c.text('app.py');
    const at = rangeOf(text, '1\n').start;
    const typed = 'datetime.datetime.utcnow()';
    // One character at a time, as a user types: each is a versioned incremental change.
    for (let i = 0; i < typed.length; i++) {
      const pos = { line: at.line, character: at.character + i };
      await c.change('app.py', [{ range: { start: pos, end: i === 0 ? { line: at.line, character: at.character + 1 } : pos }, text: typed[i]! }]);
    }
    const ds = await c.waitForDiagnostics('app.py', (d) => d.length === 1);
    assert.equal(ds[0]!.code, 'MIG001');
    assert.equal(ds[0]!.range.start.line, 4);
    await c.change('app.py', [{ range: { start: at, end: { line: at.line, character: at.character + typed.length } }, text: '1' }]);
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
  });

  test('a burst of edits never publishes diagnostics for an older version after a newer one', async () => {
    const root = workspace({ 'app.py': 'from datetime import datetime\n\nx = datetime.utcnow()\n' });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 1);
    for (let i = 0; i < 50; i++) await c.change('app.py', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: i % 2 ? '\n' : '#\n' }]);
    await c.waitForDiagnostics('app.py', (d) => d.length === 1);
    const versions = c.history.filter((p) => p.uri === c.uri('app.py')).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions go only forward: ${versions.join(',')}`);
    assert.equal(versions.at(-1), c.version('app.py'));
    assert.ok(versions.length < 51, `debounced: ${versions.length} publishes for 51 versions`);
    // The diagnostic moved with the text: 50 lines were inserted above it.
    assert.equal(c.diagnostics.get(c.uri('app.py'))!.diagnostics[0]!.range.start.line, 52);
  });

  test('syntax errors, a file that is not Python and a deleted file do not stop the server', async () => {
    const root = workspace({ 'app.py': 'from datetime import datetime\nx = datetime.utcnow()\n', 'gone.py': 'import os\n' });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 1);
    const broken = await c.change('app.py', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'def (:\n' }]);
    await c.when(() => (c.diagnostics.get(c.uri('app.py'))?.version === broken ? true : undefined), 15000, () => 'diagnostics for the broken version');
    fs.rmSync(path.join(root, 'gone.py'));
    await c.filesChanged([{ uri: c.uri('gone.py'), type: FileChangeType.Deleted }]);
    await c.open('notes.txt', 'hello');
    await c.change('app.py', [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    await c.waitForDiagnostics('app.py', (d) => d.length === 1 && d[0]!.range.start.line === 1);
    // A buffer over max-file-size (4 MiB by default) is skipped with one information diagnostic, not parsed.
    await c.change('app.py', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# filler line\n'.repeat(330000) }]);
    const [skipped] = await c.waitForDiagnostics('app.py', (d) => d.length === 1 && /exceeds max-file-size/.test(String(d[0]!.message)));
    assert.equal(skipped!.severity, 3);
    assert.equal(c.exitCode, null);
  });
});

test('a wait for the server fails at once, naming the exit, when the server dies', async () => {
  const c = await start(workspace({ 'app.py': 'import os\n' }));
  const started = Date.now();
  const waiting = c.waitForDiagnostics('never.py', () => true, 60000);
  process.kill(c.pid, 'SIGKILL');
  await assert.rejects(waiting, /the server exited with SIGKILL while waiting for/);
  assert.ok(Date.now() - started < 30000, 'rejected at the exit, not at the 60 s timeout');
});

describe('code actions', () => {
  test('the MIG002 quick-fix is preferred, versioned, and rewrites to the canonical import', async () => {
    const c = await start(tempCopy(DEMO));
    await c.open(WS_ROUTE);
    const ds = await c.waitForDiagnostics(WS_ROUTE, (d) => d.some((x) => x.code === 'MIG002'));
    const d = ds.find((x) => x.code === 'MIG002')!;
    const actions = await c.codeActions(WS_ROUTE, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics?.map((x) => x.code), ['MIG002']);
    const change = fix.edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, c.version(WS_ROUTE));
    await c.applyWorkspaceEdit(fix.edit!);
    assert.match(c.text(WS_ROUTE), /from \.\.websocket_core\.websocket_manager import WebSocketManager|from netra_backend\.app\.websocket_core\.websocket_manager import WebSocketManager/);
    await c.waitForDiagnostics(WS_ROUTE, (x) => !x.some((y) => y.code === 'MIG002'));
  });

  test('an edit computed for an old version carries that version (the client refuses it)', async () => {
    const root = workspace({ 'app.py': 'from datetime import datetime\nx = datetime.utcnow()\n' });
    const c = await start(root);
    await c.open('app.py');
    const [d] = await c.waitForDiagnostics('app.py', (x) => x.length === 1);
    const [fix] = (await c.codeActions('app.py', d!.range, [d!])).filter((a) => a.isPreferred);
    await c.change('app.py', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }]);
    await assert.rejects(c.applyWorkspaceEdit(fix!.edit!), /stale edit: computed for version 1, document is at 2/);
    // Asked again, the server answers for the new version.
    const [d2] = await c.waitForDiagnostics('app.py', (x) => x.length === 1);
    const [fix2] = (await c.codeActions('app.py', d2!.range, [d2!])).filter((a) => a.isPreferred);
    assert.equal((fix2!.edit!.documentChanges![0] as { textDocument: { version: number } }).textDocument.version, 2);
    await c.applyWorkspaceEdit(fix2!.edit!);
    assert.match(c.text('app.py'), /datetime\.now\(/);
  });

  test('source.fixAll applies every safe fix, the result compiles, and a second fix-all has nothing to do', async () => {
    const root = tempCopy(DEMO);
    const c = await start(root);
    await c.open(SESSION_SERVICE);
    await c.waitForDiagnostics(SESSION_SERVICE, (d) => d.some((x) => x.code === 'MIG005'));
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const [fixAll] = await c.codeActions(SESSION_SERVICE, whole, [], [FIX_ALL_KIND]);
    assert.equal(fixAll?.kind, FIX_ALL_KIND);
    await c.applyWorkspaceEdit(fixAll!.edit!);
    assert.equal((c.text(SESSION_SERVICE).match(/utcnow/g) ?? []).length, 0);
    fs.writeFileSync(path.join(root, SESSION_SERVICE), c.text(SESSION_SERVICE));
    assert.deepEqual(pyCompileFailures([path.join(root, SESSION_SERVICE)]), []);
    await c.waitForDiagnostics(SESSION_SERVICE, (d) => !d.some((x) => x.code === 'MIG001'));
    assert.deepEqual(await c.codeActions(SESSION_SERVICE, whole, [], [FIX_ALL_KIND]), []);
  });

  test('"fix all MIG001 in this file" and "ignore on this line"', async () => {
    const root = workspace({ 'app.py': 'from datetime import datetime\na = datetime.utcnow()\nb = datetime.utcnow()  # note\n' });
    const c = await start(root);
    await c.open('app.py');
    const ds = await c.waitForDiagnostics('app.py', (x) => x.length === 2);
    const actions = await c.codeActions('app.py', ds[1]!.range, [ds[1]!]);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Fix all MIG001 in this file (2)'), titles.join(' | '));
    const ignore = actions.find((a) => a.title === 'Ignore MIG001 on this line')!;
    await c.applyWorkspaceEdit(ignore.edit!);
    assert.equal(c.text('app.py').split('\n')[2], 'b = datetime.utcnow()  # note  # migration-lens: ignore[MIG001]');
    const left = await c.waitForDiagnostics('app.py', (x) => x.length === 1);
    assert.equal(left[0]!.range.start.line, 1);
  });

  test('a settings change that changes nothing keeps the index: diagnostics and quick fixes stay complete', async () => {
    // Editors announce configuration changes that do not touch this server's settings (an extension registering
    // its own, say). Rebuilding the projects then dropped every cross-file fact until re-indexing caught up: MIG002
    // and its quick fix vanished for a moment, which VS Code tests saw as an empty list of code actions.
    const c = await start(tempCopy(DEMO));
    await c.open(AGENT_ROUTE);
    await c.waitForReady();
    const d = (await c.waitForDiagnostics(AGENT_ROUTE, (x) => x.some((y) => y.code === 'MIG002'))).find((x) => x.code === 'MIG002');
    const published = c.history.length;
    const pulls = c.settingsPulls;
    const indexingRuns = c.progressCreated;
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await c.when(() => (c.settingsPulls > pulls ? true : undefined), 15000, () => 'the server to pull its settings again');
    // Handled after the reload, in order: a re-index would have asked for its progress token before this answer.
    const actions = await c.codeActions(AGENT_ROUTE, d!.range, [d!]);
    assert.equal(c.progressCreated, indexingRuns, 'nothing is indexed again');
    assert.ok(actions.some((a) => a.isPreferred), `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const since = c.history.slice(published).filter((p) => p.uri === c.uri(AGENT_ROUTE));
    assert.ok(since.every((p) => p.diagnostics.some((x) => x.code === 'MIG002')), `MIG002 never leaves: ${JSON.stringify(since.map((p) => p.diagnostics.map((x) => x.code)))}`);
  });

  test('a config change keeps the facts of files whose module name stays: nothing is indexed again, MIG002 never leaves', async () => {
    // Facts depend on a file's text and module name, never on the config: a changed severity, migration or category
    // used to throw the whole index away, and every cross-file finding with it, until the workspace was parsed again.
    const root = tempCopy(DEMO);
    const c = await start(root);
    await c.open(AGENT_ROUTE);
    await c.waitForReady();
    const before = (await c.waitForDiagnostics(AGENT_ROUTE, (x) => x.some((y) => y.code === 'MIG002'))).find((x) => x.code === 'MIG002')!;
    assert.notEqual(before.severity, DiagnosticSeverity.Error);
    const published = c.history.length;
    const indexingRuns = c.progressCreated;
    fs.appendFileSync(path.join(root, 'migration-lens.toml'), '\n[severity]\nMIG002 = "error"\n');
    await c.filesChanged([{ uri: c.uri('migration-lens.toml'), type: FileChangeType.Changed }]);
    // The new config is in use: its severity is on the finding.
    await c.waitForDiagnostics(AGENT_ROUTE, (x) => x.some((y) => y.code === 'MIG002' && y.severity === DiagnosticSeverity.Error));
    const since = c.history.slice(published).filter((p) => p.uri === c.uri(AGENT_ROUTE));
    assert.ok(since.every((p) => p.diagnostics.some((x) => x.code === 'MIG002')), `MIG002 never leaves: ${JSON.stringify(since.map((p) => p.diagnostics.map((x) => x.code)))}`);
    const status = (await c.connection.sendRequest('migrationLens/status')) as StatusSnapshot;
    assert.equal(c.progressCreated, indexingRuns, 'no file is indexed again');
    assert.ok(status.projects.every((p) => p.scan.state === 'ready' && p.scan.indexed === p.scan.total), JSON.stringify(status.projects.map((p) => p.scan)));
  });

  test('a config change that moves module names indexes those files again, under their new names', async () => {
    const root = workspace({
      'migration-lens.toml': 'src = ["."]\n',
      'lib/pkg/__init__.py': '',
      'lib/pkg/old.py': 'import warnings\n\nwarnings.warn("pkg.old is deprecated; use pkg.new", DeprecationWarning, stacklevel=2)\n\nVALUE = 1\n',
      'app.py': 'from pkg.old import VALUE\n\nprint(VALUE)\n',
    });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForReady();
    // Under src = ["."] the module is lib.pkg.old: `pkg.old` is nothing of the workspace's.
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
    const indexingRuns = c.progressCreated;
    fs.writeFileSync(path.join(root, 'migration-lens.toml'), 'src = ["lib", "."]\n');
    await c.filesChanged([{ uri: c.uri('migration-lens.toml'), type: FileChangeType.Changed }]);
    const ds = await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG001'));
    assert.match(String(ds.find((x) => x.code === 'MIG001')!.message), /pkg\.old is deprecated/);
    assert.ok(c.progressCreated > indexingRuns, 'the files whose module name changed were indexed again');
  });

  test('a request cancelled before the server reads it is answered with RequestCancelled', async () => {
    const c = await start(tempCopy(DEMO));
    await c.open(WS_ROUTE);
    const [d] = await c.waitForDiagnostics(WS_ROUTE, (x) => x.length > 0);
    const source = new CancellationTokenSource();
    let pending: Promise<unknown> = Promise.resolve();
    // With the server stopped, the request and its cancellation reach it together, so it learns of the cancellation
    // before it dispatches the request, however fast it is (a big edit meant to keep it busy raced here).
    await c.withServerStopped(() => {
      pending = c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: c.uri(WS_ROUTE) }, range: d!.range, context: { diagnostics: [] } }, source.token);
      source.cancel();
    });
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    // The server is still answering.
    await c.change(WS_ROUTE, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# padding\n'.repeat(20000) }]);
    await c.waitForDiagnostics(WS_ROUTE, (x) => x.some((y) => y.code === 'MIG002' && y.range.start.line === 20026));
  });
});

describe('workspace', () => {
  test('cross-file: a module that starts warning DeprecationWarning updates its importers without reopening them', async () => {
    const root = workspace({
      'pkg/__init__.py': '',
      'pkg/old.py': 'def helper():\n    return 1\n',
      'app.py': 'from pkg.old import helper\n\nhelper()\n',
    });
    const c = await start(root);
    await c.open('app.py');
    await c.open('pkg/old.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
    await c.change('pkg/old.py', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import warnings\n\nwarnings.warn("pkg.old is deprecated; use pkg.new", DeprecationWarning, stacklevel=2)\n\n' }]);
    const ds = await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG001'));
    assert.match(ds.find((x) => x.code === 'MIG001')!.message as string, /pkg\.old is deprecated/);
  });

  test('cross-file through the file system: a changed file on disk (didChangeWatchedFiles) updates open importers', async () => {
    const root = workspace({
      'pkg/__init__.py': '',
      'pkg/real.py': 'class Engine:\n    pass\n',
      'pkg/compat.py': 'from pkg.real import Engine\n',
      'app.py': 'from pkg.compat import Engine\n\nEngine()\n',
    });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
    fs.writeFileSync(path.join(root, 'pkg/compat.py'), 'import warnings\nwarnings.warn("use pkg.real", DeprecationWarning)\nfrom pkg.real import Engine\n');
    await c.filesChanged([{ uri: c.uri('pkg/compat.py'), type: FileChangeType.Changed }]);
    const ds = await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG002'));
    assert.match(ds.find((x) => x.code === 'MIG002')!.message as string, /pkg\.real/);
  });

  test('a branch switch: hundreds of files change at once and the open files follow', async () => {
    const files: Record<string, string> = { 'pkg/__init__.py': '', 'app.py': 'from pkg.m0 import f0\n\nf0()\n' };
    for (let i = 0; i < 300; i++) files[`pkg/m${i}.py`] = `def f${i}():\n    return ${i}\n`;
    const root = workspace(files);
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.length === 0);
    const events: FileEvent[] = [];
    for (let i = 0; i < 300; i++) {
      fs.writeFileSync(path.join(root, `pkg/m${i}.py`), `import warnings\nwarnings.warn("m${i} moved", DeprecationWarning)\n\ndef f${i}():\n    return ${i}\n`);
      events.push({ uri: c.uri(`pkg/m${i}.py`), type: FileChangeType.Changed });
    }
    await c.filesChanged(events);
    await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG001' && /m0 moved/.test(String(x.message))));
  });

  test('a broken config is a diagnostic on the config file at its line, and the server keeps the last good config', async () => {
    const root = workspace({
      'migration-lens.toml': '[[deprecated]]\nsymbol = "pkg.old.helper"\nmessage = "use pkg.new.helper"\n',
      'pkg/__init__.py': '',
      'pkg/old.py': 'def helper():\n    return 1\n',
      'app.py': 'from pkg.old import helper\n',
    });
    const c = await start(root);
    await c.open('app.py');
    await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG001'));
    fs.writeFileSync(path.join(root, 'migration-lens.toml'), '[[deprecated]]\nsymbol = "pkg.old.helper"\nmessage = "use pkg.new.helper"\ntarget-version = "py2"\n');
    await c.filesChanged([{ uri: c.uri('migration-lens.toml'), type: FileChangeType.Changed }]);
    const configUri = c.uri('migration-lens.toml');
    const configDiags = await c.when(() => {
      const p = c.diagnostics.get(configUri);
      return p && p.diagnostics.length ? p.diagnostics : undefined;
    }, 15000, () => 'config diagnostics');
    assert.equal(configDiags[0]!.range.start.line, 3);
    assert.equal(configDiags[0]!.source, 'migration-lens');
    await c.change('app.py', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
    await c.waitForDiagnostics('app.py', (d) => d.some((x) => x.code === 'MIG001'));
    // Fixed: the config diagnostics go away.
    fs.writeFileSync(path.join(root, 'migration-lens.toml'), '[[deprecated]]\nsymbol = "pkg.old.helper"\n');
    await c.filesChanged([{ uri: configUri, type: FileChangeType.Changed }]);
    await c.when(() => (c.diagnostics.get(configUri)?.diagnostics.length === 0 ? true : undefined), 15000, () => 'config diagnostics cleared');
  });

  test('background indexing reports $/progress and answers requests meanwhile', async () => {
    const files: Record<string, string> = { 'pkg/__init__.py': '' };
    for (let i = 0; i < 3000; i++) files[`pkg/m${i}.py`] = `from pkg.m${(i + 1) % 3000} import f${(i + 1) % 3000}\n\n\ndef f${i}():\n    return ${i}\n`;
    const c = await start(workspace(files));
    // Projects load after `initialized` (settings are pulled first): ask until one is there.
    let indexing: StatusSnapshot;
    do indexing = (await c.connection.sendRequest('migrationLens/status')) as StatusSnapshot;
    while (!indexing.projects.length);
    assert.equal(indexing.projects[0]!.scan.state, 'indexing', 'the status request is answered while indexing');
    assert.ok(indexing.projects[0]!.scan.indexed < 3001);
    await c.waitForNotification<StatusSnapshot>('migrationLens/statusChanged', (s) => s.projects[0]?.scan.state === 'ready', 60000);
    const progress = c.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string } }).value.kind);
    assert.equal(progress[0], 'begin');
    assert.equal(progress.at(-1), 'end');
  });

  test('$/progress begins before it ends when indexing is over before the client has created the token', async () => {
    let answer!: () => void;
    const c = await TestClient.start(workspace({ 'pkg/__init__.py': '', 'pkg/a.py': 'import os\nx = os.sep\n' }), {
      progressReply: new Promise<void>((resolve) => (answer = resolve)),
    });
    clients.push(c);
    await c.waitForNotification<StatusSnapshot>('migrationLens/statusChanged', (s) => s.projects[0]?.scan.state === 'ready', 60000);
    assert.equal(c.progressCreated, 1);
    answer();
    const kinds = (): string[] => c.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string } }).value.kind);
    await c.when(() => (kinds().includes('end') ? true : undefined), 15000, () => 'the progress to end');
    assert.deepEqual(kinds(), ['begin', 'end']);
  });

  test('status after an edit that gives a closed outline file findings: it is parsed first, and no ready status counts without it', async () => {
    // pkg/user.py stays closed. Its outline over-approximates: it counts the read a parameter shadows, a parse does not.
    const root = workspace({
      'pkg/__init__.py': '',
      'pkg/old.py': 'import warnings\n\n\ndef old_fn():\n    return 1\n',
      'pkg/user.py': 'from pkg.old import old_fn\n\n\ndef f(old_fn):\n    return old_fn.__name__\n\n\nprint(old_fn())\n',
    });
    const c = await start(root);
    await c.waitForReady();
    const before = c.notifications.length;
    await c.open('pkg/old.py');
    // old_fn starts warning: importing it and calling it are deprecated usages.
    await c.change('pkg/old.py', [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '    warnings.warn("old_fn is deprecated", DeprecationWarning, stacklevel=2)\n' }]);
    const mig001 = (s: StatusSnapshot): number | undefined => s.projects[0]!.rules.find((r) => r.code === 'MIG001')?.remaining;
    const settled = await c.waitForNotification<StatusSnapshot>('migrationLens/statusChanged', (s) => s.projects[0]!.scan.state === 'ready' && (mig001(s) ?? 0) > 0, 30000);
    // What parsing every file gives (`migration-lens check` on that text): the import and the real call, not the shadowed one.
    assert.equal(mig001(settled), 2, JSON.stringify(settled.projects[0]!.rules));
    const snapshots = c.notifications.slice(before).filter((n) => n.method === 'migrationLens/statusChanged').map((n) => n.params as StatusSnapshot);
    for (const s of snapshots.filter((x) => x.projects[0]!.scan.state === 'ready')) {
      assert.ok(s.projects[0]!.rules.length > 0, 'a ready status has its counts');
      assert.ok([0, 2].includes(mig001(s)!), `a ready status counted ${mig001(s)}`);
    }
  });

  test('status: counts per migration and category, progress, and a notification when it changes', async () => {
    const root = tempCopy(DEMO);
    const c = await start(root);
    const ready = await c.waitForNotification<StatusSnapshot>('migrationLens/statusChanged', (s) => s.projects[0]?.scan.state === 'ready');
    const p = ready.projects[0]!;
    assert.equal(p.configUri, c.uri('migration-lens.toml'));
    const ws = p.groups.find((g) => g.id === 'canonical:netra_backend.app.websocket_core.websocket_manager.WebSocketManager')!;
    assert.ok(ws, p.groups.map((g) => g.id).join(', '));
    assert.equal(ws.remaining, 8);
    assert.equal(ws.compliance, ws.migrated / (ws.migrated + ws.remaining));
    assert.deepEqual(ws.categories.map((x) => x.category).sort(), ['backup', 'production', 'tests']);
    assert.equal(p.remaining, p.groups.filter((g) => g.kind === 'migration').reduce((n, g) => n + g.remaining, 0));
    const occurrences = (await c.connection.sendRequest('migrationLens/occurrences', { root: p.root, group: ws.id, category: 'tests' })) as { path: string; category: string; occurrences: unknown[] }[];
    assert.ok(occurrences.length > 0 && occurrences.every((f) => f.category === 'tests' && f.path.startsWith('tests/')));
    assert.equal(occurrences.reduce((n, f) => n + f.occurrences.length, 0), ws.categories.find((x) => x.category === 'tests')!.remaining);
    // Fixing the workspace changes the status, and the server says so.
    const fixes = (await c.connection.sendRequest('migrationLens/fixes', {})) as FixesResult;
    assert.ok(fixes.fixes > 0 && fixes.files > 0);
    await c.applyWorkspaceEdit(fixes.edit);
    const changed = Object.keys(fixes.byCode);
    assert.ok(changed.includes('MIG002'), changed.join(','));
    await c.filesChanged(fixes.edit.documentChanges!.map((d) => ({ uri: (d as { textDocument: { uri: string } }).textDocument.uri, type: FileChangeType.Changed })));
    const after = await c.waitForNotification<StatusSnapshot>('migrationLens/statusChanged', (s) => s.projects[0]!.scan.state === 'ready' && s.projects[0]!.remaining < p.remaining);
    assert.ok(after.projects[0]!.compliance! > p.compliance!);
    const report = (await c.connection.sendRequest('migrationLens/report', {})) as ReportResult;
    assert.match(report.markdown, /^# Stability report: /);
    assert.match(report.markdown, /^## Verdict: /m);
    assert.ok(['STABLE', 'AT RISK', 'BREAKING'].includes(report.verdict), report.verdict);
    // The same numbers as the status the panel shows.
    assert.match(report.markdown, new RegExp(`^\\| now \\| ${after.projects[0]!.remaining} \\| ${after.projects[0]!.migrated} \\| `, 'm'));
  });
});
