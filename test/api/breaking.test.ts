import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brief, compareCommits } from './support.js';

// Each case is a real git repository: the base commit read from git objects, the change checked out in the
// work tree. The expected changes and broken sites are listed exactly: an extra one fails like a missing one.

const PKG = { 'pkg/__init__.py': '' };

describe('breaking-change analysis between two revisions (real git)', () => {
  it('a renamed method is reported as renamed (identical parameters) and breaks uses through the class', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/service.py': 'class Service:\n    def begin(self, job, *, retries=3):\n        pass\n\n    def stop(self):\n        pass\n',
        'app.py': [
          'from pkg.service import Service',
          '',
          'def run(svc: Service, job):',
          '    Service.begin(svc, job)',
          '    svc.begin(job)  # through an instance: needs types, not reported',
          '    Service.stop(svc)',
          '',
        ].join('\n'),
      },
      { 'pkg/service.py': 'class Service:\n    def start(self, job, *, retries=3):\n        pass\n\n    def stop(self):\n        pass\n' },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'method-renamed',
        breaking: true,
        at: 'pkg.service:Service.begin',
        before: 'begin(self, job, *, retries=3) @ pkg/service.py:2',
        after: 'start(self, job, *, retries=3) @ pkg/service.py:2',
        sites: ['app.py:4'],
      },
    ]);
    assert.equal(report.changes[0]!.heuristic, 'same-parameters');
    assert.deepEqual(report.changes[0]!.sites[0], { path: 'app.py', line: 4, column: 13, text: 'Service.begin(svc, job)' });
  });

  it('a removed method with no identical replacement is removed, not renamed', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/service.py': 'class Service:\n    def begin(self, job):\n        pass\n', 'app.py': 'import pkg.service\n\npkg.service.Service.begin(None, 1)\n' },
      { 'pkg/service.py': 'class Service:\n    def start(self, job, now):\n        pass\n' },
    );
    assert.deepEqual(brief(report), [
      { kind: 'method-removed', breaking: true, at: 'pkg.service:Service.begin', before: 'begin(self, job) @ pkg/service.py:2', after: null, sites: ['app.py:3'] },
    ]);
  });

  it('a dropped parameter breaks keyword callers and positional callers that reach its slot', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/net.py': 'def fetch(url, timeout=10, verbose=False):\n    pass\n',
        'app.py': ['from pkg.net import fetch', '', 'fetch("u")', 'fetch("u", 5)', 'fetch("u", timeout=5)', 'fetch("u", verbose=True)', ''].join('\n'),
      },
      { 'pkg/net.py': 'def fetch(url, verbose=False):\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'parameter-removed',
        breaking: true,
        at: 'pkg.net:fetch',
        before: 'fetch(url, timeout=10, verbose=False) @ pkg/net.py:1',
        after: 'fetch(url, verbose=False) @ pkg/net.py:1',
        sites: ['app.py:4', 'app.py:5'],
      },
    ]);
    assert.match(report.changes[0]!.message, /parameter `timeout` was removed/);
  });

  it('a renamed parameter breaks the call that passes it by keyword, not the positional one', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/mail.py': 'def send(message, recipient):\n    pass\n',
        'app.py': 'from pkg.mail import send\n\nsend("hi", recipient="bob")\nsend("hi", "bob")\n',
      },
      { 'pkg/mail.py': 'def send(message, to):\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'parameter-renamed',
        breaking: true,
        at: 'pkg.mail:send',
        before: 'send(message, recipient) @ pkg/mail.py:1',
        after: 'send(message, to) @ pkg/mail.py:1',
        sites: ['app.py:3'],
      },
    ]);
    assert.equal(report.changes[0]!.message, '`send`: parameter `recipient` was renamed to `to`: callers passing `recipient=` break');
  });

  it('a parameter made required (default removed, or new without default) breaks the calls that do not pass it', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/db.py': 'def connect(host, port=5432):\n    pass\n',
        'app.py': [
          'from pkg.db import connect',
          '',
          'connect("db")',
          'connect("db", 1)',
          'connect(*ARGS)  # splats: unknowable, not reported',
          'connect("db", port=1, ssl=True)',
          '',
        ].join('\n'),
      },
      { 'pkg/db.py': 'def connect(host, port, *, ssl):\n    pass\n' },
    );
    const before = 'connect(host, port=5432) @ pkg/db.py:1';
    const after = 'connect(host, port, *, ssl) @ pkg/db.py:1';
    assert.deepEqual(brief(report), [
      { kind: 'parameter-made-required', breaking: true, at: 'pkg.db:connect', before, after, sites: ['app.py:3', 'app.py:4'] },
      { kind: 'parameter-made-required', breaking: true, at: 'pkg.db:connect', before, after, sites: ['app.py:3'] },
    ]);
    assert.deepEqual(
      report.changes.map((c) => c.message),
      ['`connect`: new required parameter `ssl`', '`connect`: parameter `port` lost its default `5432` and is now required'],
    );
  });

  it('a new required constructor parameter breaks calls of the class', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/svc.py': 'class Service:\n    def __init__(self, name):\n        pass\n', 'app.py': 'from pkg.svc import Service\n\nService("a")\nService("a", 2)\n' },
      { 'pkg/svc.py': 'class Service:\n    def __init__(self, name, level):\n        pass\n' },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'parameter-made-required',
        breaking: true,
        at: 'pkg.svc:Service.__init__',
        before: '__init__(self, name) @ pkg/svc.py:2',
        after: '__init__(self, name, level) @ pkg/svc.py:2',
        sites: ['app.py:3'],
      },
    ]);
  });

  it('reordered positional parameters break every call that passes them by position', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/geo.py': 'def move(x, y, speed=1):\n    pass\n',
        'app.py': 'from pkg.geo import move\n\nmove(1, 2)\nmove(x=1, y=2)\nmove(1, y=2)\n',
      },
      { 'pkg/geo.py': 'def move(y, x, speed=1):\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'positional-order-changed',
        breaking: true,
        at: 'pkg.geo:move',
        before: 'move(x, y, speed=1) @ pkg/geo.py:1',
        after: 'move(y, x, speed=1) @ pkg/geo.py:1',
        sites: ['app.py:3', 'app.py:5'],
      },
    ]);
    assert.equal(report.changes[0]!.message, '`move`: positional parameters were reordered: (x, y, speed) → (y, x, speed)');
  });

  it('a positional parameter made keyword-only is a breaking kind change', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/io.py': 'def dump(obj, indent=None):\n    pass\n', 'app.py': 'from pkg.io import dump\n\ndump({}, 2)\ndump({}, indent=2)\n' },
      { 'pkg/io.py': 'def dump(obj, *, indent=None):\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      { kind: 'kind-changed', breaking: true, at: 'pkg.io:dump', before: 'dump(obj, indent=None) @ pkg/io.py:1', after: 'dump(obj, *, indent=None) @ pkg/io.py:1', sites: ['app.py:3'] },
    ]);
  });

  it('a changed default is reported but not breaking; an added optional parameter is not reported', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/jobs.py': 'def retry(fn, times=3):\n    pass\n', 'app.py': 'from pkg.jobs import retry\n\nretry(print)\n' },
      { 'pkg/jobs.py': 'def retry(fn, times=5, backoff=0.5):\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      { kind: 'default-changed', breaking: false, at: 'pkg.jobs:retry', before: 'retry(fn, times=3) @ pkg/jobs.py:1', after: 'retry(fn, times=5, backoff=0.5) @ pkg/jobs.py:1', sites: [] },
    ]);
    assert.equal(report.summary.breaking, 0);
    assert.equal(report.summary.byKind['default-changed'], 1);
  });

  it('a module moved behind a shim (re-exports with a DeprecationWarning) is a non-breaking move; old imports still resolve', async () => {
    const legacy = 'def parse(text):\n    return text\n\n\nclass Parser:\n    def feed(self, data):\n        pass\n';
    const { report, ws } = await compareCommits(
      { ...PKG, 'pkg/legacy.py': legacy, 'app.py': 'from pkg.legacy import Parser, parse\nimport pkg.legacy\n\nparse("x")\npkg.legacy.Parser.feed(None, b"")\n' },
      {
        'pkg/modern.py': legacy,
        'pkg/legacy.py': 'import warnings\n\nwarnings.warn("pkg.legacy moved to pkg.modern", DeprecationWarning, stacklevel=2)\n\nfrom pkg.modern import Parser, parse\n',
      },
    );
    assert.deepEqual(brief(report), [
      { kind: 'module-moved-behind-shim', breaking: false, at: 'pkg.legacy', before: 'module pkg.legacy @ pkg/legacy.py:1', after: 'module pkg.modern @ pkg/modern.py:1', sites: [] },
    ]);
    assert.equal(report.changes[0]!.movedTo, 'pkg.modern');
    assert.match(report.changes[0]!.message, /re-exports `Parser`, `parse` with a DeprecationWarning/);
    // The workspace's imports of the old path still resolve, to the new home.
    const project = ws.analyzer.project;
    const app = project.file('app.py')!;
    const t = project.resolveImportItem(app, 0, 1);
    assert.equal(t.kind === 'symbol' ? `${t.module}.${t.name}` : t.kind, 'pkg.modern.parse');
  });

  it('a module moved without a shim is breaking; its importers are the broken sites', async () => {
    const helpers = 'def slugify(text):\n    return text\n\n\nCOLORS = ["red"]\n';
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/helpers.py': helpers,
        'app.py': 'import os\nfrom pkg.helpers import slugify\n\nslugify(os.name)\n',
        'tools/cli.py': '"""Command line."""\nimport pkg.helpers as h\nfrom pkg import helpers\n\nh.slugify("x")\n',
      },
      { 'pkg/text/__init__.py': '', 'pkg/text/helpers.py': { from: 'pkg/helpers.py' } },
    );
    assert.deepEqual(brief(report), [
      {
        kind: 'module-moved',
        breaking: true,
        at: 'pkg.helpers',
        before: 'module pkg.helpers @ pkg/helpers.py:1',
        after: 'module pkg.text.helpers @ pkg/text/helpers.py:1',
        sites: ['app.py:2', 'tools/cli.py:2', 'tools/cli.py:3'],
      },
    ]);
    assert.equal(report.changes[0]!.heuristic, 'same-public-names');
    assert.deepEqual(report.summary.sites, 3);
  });

  it('a module merged into an existing one is a move (same definitions), and signatures are still compared across the move', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/core.py': 'def run():\n    pass\n',
        'pkg/old.py': 'def load(path):\n    pass\n\n\nclass Reader:\n    pass\n',
        'app.py': 'from pkg.old import load\n',
        'new_user.py': 'from pkg.core import load\n\nload("x")\nload("x", "r")\n',
      },
      {
        'pkg/core.py': 'def run():\n    pass\n\n\ndef load(path, mode):\n    pass\n\n\nclass Reader:\n    pass\n',
        'pkg/old.py': null,
        'new_user.py': 'from pkg.core import load\n\nload("x")\nload("x", "r")\n',
      },
    );
    assert.deepEqual(brief(report), [
      { kind: 'module-moved', breaking: true, at: 'pkg.old', before: 'module pkg.old @ pkg/old.py:1', after: 'module pkg.core @ pkg/core.py:1', sites: ['app.py:1'] },
      { kind: 'parameter-made-required', breaking: true, at: 'pkg.old:load', before: 'load(path) @ pkg/old.py:1', after: 'load(path, mode) @ pkg/core.py:5', sites: ['new_user.py:3'] },
    ]);
    assert.equal(report.changes[0]!.heuristic, 'same-definitions');
  });

  it('a removed public class is reported at every public path it was importable from, with the sites of each', async () => {
    const { report } = await compareCommits(
      {
        'pkg/__init__.py': 'from pkg.models import LegacyUser, User\n',
        'pkg/models.py': 'class User:\n    pass\n\n\nclass LegacyUser(User):\n    pass\n',
        'app.py': 'from pkg import LegacyUser\nimport pkg.models\n\nu = pkg.models.LegacyUser()\n',
        'other.py': 'from pkg.models import User, LegacyUser\n',
      },
      { 'pkg/__init__.py': 'from pkg.models import User\n', 'pkg/models.py': 'class User:\n    pass\n' },
    );
    assert.deepEqual(brief(report), [
      { kind: 'symbol-removed', breaking: true, at: 'pkg:LegacyUser', before: 'class LegacyUser @ pkg/__init__.py:1', after: null, sites: ['app.py:1'] },
      { kind: 'symbol-removed', breaking: true, at: 'pkg.models:LegacyUser', before: 'class LegacyUser @ pkg/models.py:5', after: null, sites: ['app.py:4', 'other.py:1'] },
    ]);
    assert.deepEqual(report.summary, {
      byKind: { ...zeroKinds(), 'symbol-removed': 2 },
      changes: 2,
      breaking: 2,
      sites: 3,
      notCompared: 0,
    });
  });

  it('a definition moved to another module: a move if the old module re-exports it, breaking if only importable elsewhere', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/a.py': 'def kept(x):\n    pass\n\n\ndef f(x):\n    pass\n\n\ndef g(y):\n    pass\n',
        'app.py': 'from pkg.a import f, g\n',
      },
      {
        'pkg/a.py': 'from pkg.b import f\n\n\ndef kept(x):\n    pass\n',
        'pkg/b.py': 'def f(x):\n    pass\n',
        'pkg/c.py': 'def g(y, z=0):\n    pass\n',
      },
    );
    assert.deepEqual(brief(report), [
      { kind: 'symbol-moved', breaking: false, at: 'pkg.a:f', before: 'f(x) @ pkg/a.py:5', after: 'f(x) @ pkg/b.py:1', sites: [] },
      { kind: 'symbol-moved', breaking: true, at: 'pkg.a:g', before: 'g(y) @ pkg/a.py:9', after: 'g(y, z=0) @ pkg/c.py:1', sites: ['app.py:1'] },
    ]);
    assert.deepEqual(report.changes.map((c) => c.movedTo), ['pkg.b', 'pkg.c']);
  });

  it('no API change gives an empty report', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/a.py': 'def f(x, y=1):\n    return x\n\n\nclass C:\n    def m(self):\n        pass\n', 'app.py': 'from pkg.a import f\n\nf(1)\n' },
      { 'pkg/a.py': '# a comment\ndef f(x, y=1):\n    return x + y  # a new body\n\n\nclass C:\n    def m(self):\n        return 2\n\n    def _private(self):\n        pass\n', 'app.py': 'from pkg.a import f\n\nf(1, 2)\n' },
    );
    assert.deepEqual(report, { summary: { byKind: zeroKinds(), changes: 0, breaking: 0, sites: 0, notCompared: 0 }, changes: [], notCompared: [] });
  });

  it('private names and private modules never produce breaking changes; __all__ makes a private name public', async () => {
    const { report } = await compareCommits(
      {
        ...PKG,
        'pkg/core.py': 'def public(x):\n    pass\n\n\ndef _helper(x):\n    pass\n\n\nclass Box:\n    def _peek(self, a):\n        pass\n',
        'pkg/_impl.py': 'def work(a, b):\n    pass\n',
        'pkg/_vendor.py': 'def thing():\n    pass\n',
        'pkg/exported.py': '__all__ = ["_exported"]\n\n\ndef _exported():\n    pass\n',
        'app.py': 'from pkg._impl import work\n\nwork(1, 2)\n',
      },
      {
        'pkg/core.py': 'def public(x):\n    pass\n\n\nclass Box:\n    def _peek(self):\n        pass\n',
        'pkg/_impl.py': 'def work(a):\n    pass\n',
        'pkg/_vendor.py': null,
        'pkg/exported.py': '__all__ = []\n',
      },
    );
    assert.deepEqual(brief(report), [
      // Not part of the published API, but the workspace's own call breaks all the same: listed.
      { kind: 'parameter-removed', breaking: false, at: 'pkg._impl:work', before: 'work(a, b) @ pkg/_impl.py:1', after: 'work(a) @ pkg/_impl.py:1', sites: ['app.py:3'] },
      { kind: 'module-removed', breaking: false, at: 'pkg._vendor', before: 'module pkg._vendor @ pkg/_vendor.py:1', after: null, sites: [] },
      { kind: 'symbol-removed', breaking: true, at: 'pkg.exported:_exported', before: '_exported() @ pkg/exported.py:4', after: null, sites: [] },
    ]);
    assert.deepEqual(report.changes.map((c) => c.public), [false, false, true]);
  });

  it('a file with a syntax error at the base is reported as not compared, and the rest is still compared', async () => {
    const { report } = await compareCommits(
      { ...PKG, 'pkg/broken.py': 'def f(:\n    pass\n\n\ndef g(x):\n    pass\n', 'pkg/ok.py': 'def h(a, b):\n    pass\n' },
      { 'pkg/broken.py': 'def renamed(x):\n    pass\n', 'pkg/ok.py': 'def h(a):\n    pass\n' },
    );
    assert.deepEqual(report.notCompared, [{ module: 'pkg.broken', path: 'pkg/broken.py', revision: 'base', reason: 'syntax error at line 1, column 7' }]);
    assert.deepEqual(brief(report), [
      { kind: 'parameter-removed', breaking: true, at: 'pkg.ok:h', before: 'h(a, b) @ pkg/ok.py:1', after: 'h(a) @ pkg/ok.py:1', sites: [] },
    ]);
    assert.equal(report.summary.notCompared, 1);
  });

  it('the report is plain JSON in a deterministic order', async () => {
    const files = {
      ...PKG,
      'pkg/b.py': 'def two(a, b):\n    pass\n',
      'pkg/a.py': 'def one(a, b):\n    pass\n\n\ndef gone():\n    pass\n',
      'z.py': 'from pkg.a import one, gone\nfrom pkg.b import two\n\none(1, b=2)\ntwo(1, b=2)\n',
    };
    const change = { 'pkg/a.py': 'def one(a, c):\n    pass\n', 'pkg/b.py': 'def two(a, c):\n    pass\n' };
    const first = await compareCommits(files, change);
    const second = await compareCommits(files, change);
    assert.deepEqual(JSON.parse(JSON.stringify(first.report)), first.report);
    assert.deepEqual(first.report, second.report);
    assert.deepEqual(
      first.report.changes.map((c) => `${c.module}:${c.symbol}:${c.kind}`),
      ['pkg.a:gone:symbol-removed', 'pkg.a:one:parameter-renamed', 'pkg.b:two:parameter-renamed'],
    );
    assert.deepEqual(first.report.changes.map((c) => c.sites.map((s) => `${s.path}:${s.line}:${s.column}`)), [['z.py:1:24'], ['z.py:4:1'], ['z.py:5:1']]);
  });
});

function zeroKinds(): Record<string, number> {
  return {
    'module-removed': 0,
    'module-moved-behind-shim': 0,
    'module-moved': 0,
    'symbol-removed': 0,
    'symbol-moved': 0,
    'method-removed': 0,
    'method-renamed': 0,
    'parameter-removed': 0,
    'parameter-renamed': 0,
    'parameter-made-required': 0,
    'positional-order-changed': 0,
    'default-changed': 0,
    'kind-changed': 0,
  };
}
