/**
 * Workspace-wide findings (MIG005 cycles, MIG007 removable shims) through the real server: they are cached between
 * keystrokes and recomputed only when something they read changed, and that change may be an edit inside a function
 * body of another open file that no export reflects. The open file they are reported in must follow.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { writeWorkspace } from '../support/files.js';
import { TestClient, rangeOf } from '../support/lspClient.js';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const has = (code: string) => (ds: Diagnostic[]) => ds.some((d) => d.code === code);
const lacks = (code: string) => (ds: Diagnostic[]) => !ds.some((d) => d.code === code);

test('an alias read in another open file\'s function body clears its MIG007, and stops reading it brings it back', async () => {
  const root = writeWorkspace({
    'pkg/__init__.py': '',
    'pkg/new.py': 'class Fresh:\n    pass\n\n\nOldFresh = Fresh\n',
    'app.py': 'from pkg import new\n\n\ndef main():\n    return 1\n',
  }, 'ml-lsp-wsf-');
  const c = await TestClient.start(root);
  clients.push(c);
  await c.open('pkg/new.py');
  await c.open('app.py');
  await c.waitForReady();
  const [mig007] = (await c.waitForDiagnostics('pkg/new.py', has('MIG007'))).filter((d) => d.code === 'MIG007');
  assert.equal(mig007!.range.start.line, 4);
  // Typed into the body: `1` becomes `new.OldFresh()`, one character at a time.
  const at = rangeOf(c.text('app.py'), '1\n').start;
  const typed = 'new.OldFresh()';
  for (let i = 0; i < typed.length; i++) {
    const pos = { line: at.line, character: at.character + i };
    await c.change('app.py', [{ range: { start: pos, end: i === 0 ? { line: at.line, character: at.character + 1 } : pos }, text: typed[i]! }]);
  }
  await c.waitForDiagnostics('pkg/new.py', lacks('MIG007'));
  await c.change('app.py', [{ range: { start: at, end: { line: at.line, character: at.character + typed.length } }, text: '1' }]);
  await c.waitForDiagnostics('pkg/new.py', has('MIG007'));
});

test('an import added inside another open file closes a cycle; moving it into a function opens it again', async () => {
  const root = writeWorkspace({
    'pkg/__init__.py': '',
    'pkg/a.py': 'from pkg import b\n\n\ndef run():\n    return b.VALUE\n',
    'pkg/b.py': 'VALUE = 1\n',
  }, 'ml-lsp-wsf-');
  const c = await TestClient.start(root);
  clients.push(c);
  await c.open('pkg/a.py');
  await c.open('pkg/b.py');
  await c.waitForReady();
  await c.waitForDiagnostics('pkg/a.py', lacks('MIG005'));
  await c.change('pkg/b.py', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'from pkg import a\n' }]);
  await c.waitForDiagnostics('pkg/a.py', has('MIG005'));
  await c.change('pkg/b.py', [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
  await c.change('pkg/b.py', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n\ndef late():\n    from pkg import a\n    return a\n' }]);
  await c.waitForDiagnostics('pkg/a.py', lacks('MIG005'));
});
