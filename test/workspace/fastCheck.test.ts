import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openWorkspace } from '../../server/src/core/workspace/load.js';

// `check` parses only the files whose outline could hold a finding (workspace/load.ts). A finding of a rule that
// reads only exact outline facts (Rule.outlineExact: MIG004, MIG005, MIG006, MIG007) leaves its file outlined,
// suppression comments included; MIG007's own module is parsed only when it might read the alias. Each case
// checks both: which files stay outlined, and that the findings are those of parsing everything.

const WORKSPACE: Record<string, string> = {
  'pkg/__init__.py': '',
  // Import cycles, each reported once: in a.py, where a comment suppresses it; in d.py, where the comment on the
  // line above suppresses nothing.
  'pkg/a.py': 'from pkg import b  # migration-lens: ignore[MIG005]\n',
  'pkg/b.py': 'from pkg import a\n',
  'pkg/d.py': '# migration-lens: ignore[MIG005]\nfrom pkg import e\n',
  'pkg/e.py': 'from pkg import d\n',
  // MIG004 only.
  'pkg/c.py': 'from pkg.missing import thing\n',
  // MIG007: an alias nothing reads.
  'pkg/unused.py': 'class NewClient:\n    pass\n\n\nOldClient = NewClient\n',
  // No MIG007: the module reads its alias itself.
  'pkg/read.py': 'class NewServer:\n    pass\n\n\nOldServer = NewServer\n\n\ndef make():\n    return OldServer()\n',
  // MIG007: a parameter shadows the alias, so only a parse shows nothing reads it.
  'pkg/shadowed.py': 'class NewPool:\n    pass\n\n\nOldPool = NewPool\n\n\ndef pick(OldPool):\n    return OldPool\n',
  // MIG001: refs over-approximate, so this one is parsed.
  'pkg/uses.py': 'import datetime\n\nstamp = datetime.datetime.utcnow()\n',
};

async function analyze(dir: string, parse: 'all' | 'as-needed', focus = false) {
  const ws = await openWorkspace({ checkPath: dir, parse, focus });
  try {
    const outlined = [...ws.analyzer.project.allFiles()].filter((f) => f.outline && !f.focus).map((f) => f.relPath).sort();
    const focused = [...ws.analyzer.project.allFiles()].filter((f) => f.focus).map((f) => f.relPath).sort();
    const findings = ws.analyzer.checkAll((f) => f.inScope).map((f) => `${f.path}:${f.range.start.line + 1} ${f.code}`);
    return { outlined, focused, findings };
  } finally {
    ws.parser.delete();
  }
}

test('findings that rest on exact outline facts leave their files outlined, with the findings of a full parse', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-fastcheck-'));
  try {
    for (const [rel, text] of Object.entries(WORKSPACE)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const full = await analyze(dir, 'all');
    const fast = await analyze(dir, 'as-needed');
    assert.deepEqual(full.findings, [
      'pkg/c.py:1 MIG004',
      'pkg/d.py:2 MIG005',
      'pkg/shadowed.py:5 MIG007',
      'pkg/unused.py:5 MIG007',
      'pkg/uses.py:3 MIG001',
    ]);
    assert.deepEqual(fast.findings, full.findings);
    assert.deepEqual(full.outlined, []);
    assert.deepEqual(fast.outlined, ['pkg/__init__.py', 'pkg/a.py', 'pkg/b.py', 'pkg/c.py', 'pkg/d.py', 'pkg/e.py', 'pkg/unused.py']);
    // check's way (workspace/focus.ts): read.py and shadowed.py need exact loads of their alias, which a focused parse
    // gives (their class never spells it and is blanked); uses.py has no definition to blank, so it is parsed whole.
    const focused = await analyze(dir, 'as-needed', true);
    assert.deepEqual(focused.findings, full.findings);
    assert.deepEqual(focused.focused, ['pkg/read.py', 'pkg/shadowed.py']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
