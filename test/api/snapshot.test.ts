import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSignature, snapshotApi } from '../../server/src/core/api/index.js';
import { openWorkspace } from '../../server/src/core/workspace/load.js';
import { writeWorkspace } from '../support/files.js';

describe('public API snapshot', () => {
  it('lists public names by PEP 8 rules, what each is, and where it resolves', async () => {
    const dir = writeWorkspace({
      'pkg/__init__.py': [
        'import os',
        'from typing import Any',
        'from pkg import models',
        'from pkg.models import User',
        '',
        'VERSION = "1.0"',
        'Account = User',
        '_internal = 1',
        '',
      ].join('\n'),
      'pkg/models.py': [
        'from pkg.util import helper',
        'from pkg.util import stamp as stamp',
        '',
        'for i in range(3):',
        '    pass',
        '',
        '',
        'class User:',
        '    def __init__(self, name):',
        '        pass',
        '',
        '    def save(self, *, force=False):',
        '        pass',
        '',
        '    @staticmethod',
        '    def make(a, /, b, *rest, **kw):',
        '        pass',
        '',
        '    @classmethod',
        '    def load(cls, key):',
        '        pass',
        '',
        '    @property',
        '    def label(self):',
        '        pass',
        '',
        '    @label.setter',
        '    def label(self, value):',
        '        pass',
        '',
        '    def _hidden(self):',
        '        pass',
        '',
        '    class Meta:',
        '        def describe(self):',
        '            pass',
        '',
      ].join('\n'),
      'pkg/util.py': '__all__ = ["helper", "_stamp"]\n\n\ndef helper():\n    pass\n\n\ndef _stamp():\n    pass\n\n\ndef stamp():\n    pass\n',
      'pkg/star.py': 'from pkg.util import *\n',
      'pkg/_private.py': 'def x():\n    pass\n',
    });
    const ws = await openWorkspace({ checkPath: dir });
    ws.parser.delete();
    const snap = snapshotApi(ws.analyzer.project);
    const names = Object.fromEntries(snap.modules.map((m) => [m.module, m.names.map((n) => `${n.name}:${n.kind}:${n.origin}`)]));
    assert.deepEqual(names, {
      pkg: ['Account:alias:pkg.models.User', 'User:re-export:pkg.models.User', 'VERSION:variable:pkg.VERSION', 'models:submodule:pkg.models'],
      'pkg._private': ['x:function:pkg._private.x'],
      'pkg.models': ['User:class:pkg.models.User', 'stamp:re-export:pkg.util.stamp'],
      // `import *` brings `_stamp` (util's __all__ lists it), but without an __all__ of its own an underscore name is private here.
      'pkg.star': ['helper:re-export:pkg.util.helper'],
      'pkg.util': ['_stamp:function:pkg.util._stamp', 'helper:function:pkg.util.helper'],
    });
    assert.deepEqual(snap.modules.filter((m) => m.private).map((m) => m.module), ['pkg._private']);
    assert.deepEqual(snap.modules.filter((m) => m.explicitAll).map((m) => m.module), ['pkg.util']);

    const user = snap.definitions.find((d) => d.key === 'pkg.models.User')!;
    assert.equal(user.kind, 'class');
    assert.deepEqual(
      user.methods!.map((m) => `${m.binding} ${formatSignature(m.name, m.params)} @${m.range.start.line + 1}`),
      [
        'method Meta.describe(self) @35',
        'method __init__(self, name) @9',
        'property label(self) @24',
        'classmethod load(cls, key) @20',
        'staticmethod make(a, /, b, *rest, **kw) @16',
        'method save(self, *, force=False) @12',
      ],
    );
    assert.deepEqual(snap.definitions.map((d) => d.key), ['pkg._private.x', 'pkg.models.User', 'pkg.util._stamp', 'pkg.util.helper', 'pkg.util.stamp']);
  });

  it('conditional variants that disagree make a signature unknown rather than wrong', async () => {
    const dir = writeWorkspace({
      'm.py': 'import sys\n\nif sys.platform == "win32":\n    def run(cmd):\n        pass\nelse:\n    def run(cmd, shell=False):\n        pass\n\n\ndef same(a):\n    pass\n',
    });
    const ws = await openWorkspace({ checkPath: dir });
    ws.parser.delete();
    const snap = snapshotApi(ws.analyzer.project);
    assert.deepEqual(
      snap.definitions.map((d) => [d.key, d.function && formatSignature(d.qualName, d.function.params)]),
      [
        ['m.run', 'run(...)'],
        ['m.same', 'same(a)'],
      ],
    );
  });
});
