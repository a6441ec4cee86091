import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { StabilityReport } from '../../server/src/core/report/types.js';
import { writeWorkspace } from '../support/files.js';
import { commit, git, gitRepo } from '../support/git.js';

// The bundled CLI as a process, on real git repositories built commit by commit.
const CLI = path.resolve('dist/cli.js');
const DEMO = path.resolve('examples/netra');

function run(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function reportJson(dir: string, ...extra: string[]): StabilityReport {
  const r = run(['report', dir, '--format', 'json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StabilityReport;
}

const CONFIG = `src = ["."]
required = ["pkg.service.Service", "pkg.util.helper"]
[categories]
tests = ["tests/**"]
`;

/** A small service package, then one commit per kind of change the report must see. */
function history(): { dir: string; base: string } {
  const dir = gitRepo({
    'migration-lens.toml': CONFIG,
    'pkg/__init__.py': '',
    'pkg/service.py': 'class Service:\n    def begin(self, job, retries=3):\n        return job\n\n    def stop(self, job, force):\n        return force\n',
    'pkg/util.py': 'def helper(a, b):\n    return a + b\n',
    'pkg/a.py': 'from pkg import util\n',
    'pkg/b.py': 'import pkg.util\n',
    'app.py': 'from pkg.service import Service\nfrom pkg.util import helper\n\nService.begin(None, "job", retries=1)\nService.stop(None, "job", force=True)\nhelper(1, 2)\n',
    'tests/test_app.py': 'from pkg.util import helper\n\nassert helper(a=1, b=2) == 3\n',
  });
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  commit(dir, 'rename Service.begin to start', {
    'pkg/service.py': 'class Service:\n    def start(self, job, retries=3):\n        return job\n\n    def stop(self, job, force):\n        return force\n',
  });
  commit(dir, 'drop the force parameter of stop', {
    'pkg/service.py': 'class Service:\n    def start(self, job, retries=3):\n        return job\n\n    def stop(self, job):\n        return job\n',
  });
  commit(dir, 'move util to pkg.tools behind a shim', {
    'pkg/tools.py': 'def helper(a, b):\n    return a + b\n',
    'pkg/util.py': 'import warnings\n\nfrom pkg.tools import helper\n\nwarnings.warn("pkg.util moved to pkg.tools", DeprecationWarning, stacklevel=2)\n',
  });
  commit(dir, 'add a cycle', {
    'pkg/a.py': 'from pkg import util\nfrom pkg import b\n',
    'pkg/b.py': 'import pkg.util\nfrom pkg import a\n',
  });
  return { dir, base };
}

describe('report --base on a real git history', () => {
  const { dir, base } = history();

  it('JSON: breaking changes with before/after and broken sites, the shim move, the new cycle, compliance, changed files', () => {
    const r = reportJson(dir, '--base', base.slice(0, 10));
    assert.equal(r.version, 1);
    assert.equal(r.base?.commit, base);
    assert.equal(r.base?.subject, 'initial');
    assert.equal(r.now.subject, 'add a cycle');
    assert.ok(r.breakingChanges.checked);
    const changes = r.breakingChanges.changes.map((c) => ({
      kind: c.kind,
      breaking: c.breaking,
      symbol: `${c.module}:${c.symbol}`,
      before: c.before && `${c.before.signature} @ ${c.before.path}:${c.before.line}`,
      after: c.after && `${c.after.signature} @ ${c.after.path}:${c.after.line}`,
      sites: c.sites.map((s) => `${s.path}:${s.line}`),
    }));
    assert.deepEqual(changes, [
      {
        kind: 'method-renamed',
        breaking: true,
        symbol: 'pkg.service:Service.begin',
        before: 'begin(self, job, retries=3) @ pkg/service.py:2',
        after: 'start(self, job, retries=3) @ pkg/service.py:2',
        sites: ['app.py:4'],
      },
      {
        kind: 'parameter-removed',
        breaking: true,
        symbol: 'pkg.service:Service.stop',
        before: 'stop(self, job, force) @ pkg/service.py:5',
        after: 'stop(self, job) @ pkg/service.py:5',
        sites: ['app.py:5'],
      },
      {
        kind: 'module-moved-behind-shim',
        breaking: false,
        symbol: 'pkg.util:',
        before: 'module pkg.util @ pkg/util.py:1',
        after: 'module pkg.tools @ pkg/tools.py:1',
        sites: [],
      },
    ]);
    assert.deepEqual(
      r.cycles.now.map((c) => [c.modules, c.new]),
      [[['pkg.a', 'pkg.b'], true]],
    );
    assert.deepEqual(r.changedFiles.checked && r.changedFiles.files, [
      { status: 'modified', path: 'pkg/a.py' },
      { status: 'modified', path: 'pkg/b.py' },
      { status: 'modified', path: 'pkg/service.py' },
      { status: 'added', path: 'pkg/tools.py' },
      { status: 'modified', path: 'pkg/util.py' },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)));
    // Four importers of pkg.util now go through the shim: legacy usages, none at the base.
    assert.deepEqual('remaining' in r.compliance.base && r.compliance.base, { remaining: 0, migrated: 0, compliance: null });
    assert.equal(r.compliance.now.remaining, 4);
    assert.deepEqual(
      r.compatibility.shims.map((s) => [s.module, s.importers, s.reexports.map((x) => [x.name, x.resolvesTo, x.sameAsBase])]),
      [['pkg.util', 4, [['helper', 'pkg.tools.helper', false]]]],
    );
    assert.deepEqual(
      r.imports.required?.map((q) => [q.name, q.status, q.resolvesTo, q.baseStatus]),
      [
        ['pkg.service.Service', 'ok', 'pkg.service.Service', 'ok'],
        ['pkg.util.helper', 'ok', 'pkg.tools.helper', 'ok'],
      ],
    );
    assert.equal(r.verdict.verdict, 'BREAKING');
    assert.deepEqual(
      r.verdict.reasons.map((x) => `${x.level} ${x.rule}`),
      ['BREAKING breaking-api-used', 'AT RISK new-cycles', 'AT RISK retargeted', 'AT RISK regression'],
    );
    assert.ok(r.nextSteps.length > 0 && r.nextSteps[0]!.remaining === 4, JSON.stringify(r.nextSteps));
  });

  it('Markdown: the verdict, the before/after table with file:line, and reproduce commands', () => {
    const r = run(['report', dir, '--base', base]);
    assert.equal(r.code, 0, r.stderr);
    const md = r.stdout;
    assert.match(md, /^## Verdict: 🔴 BREAKING$/m);
    assert.match(md, /^\| method `Service\.begin` was renamed to `Service\.start` .*\| `begin\(self, job, retries=3\)`<br>`pkg\/service\.py:2` \| `start\(self, job, retries=3\)`<br>`pkg\/service\.py:2` \| \*\*yes\*\* \| `app\.py:4` \|$/m);
    assert.match(md, /^\| `pkg\.a` ↔ `pkg\.b` \| `pkg\/a\.py:2` \| new \|$/m);
    assert.match(md, /^\| base \(`[0-9a-f]{40}`\) \| 0 \| 0 \| n\/a \|$/m);
    assert.match(md, /^\| now \| 4 \| 1 \| 20\.0% \|$/m, "the shim itself imports from the new home: one migrated usage");
    assert.match(md, /Reproduce: `migration-lens report .* --base [0-9a-f]{40} --format json`/);
    // Every section of the seeds' reports is present, in order.
    const sections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/:.*/, ''));
    assert.deepEqual(sections, [
      'Verdict',
      'How this was measured',
      'Migration summary',
      'Remaining legacy usages by category',
      'Import integrity',
      'Import cycles',
      'Backward-compatibility shims and aliases',
      'Breaking changes since base',
      'SSOT compliance',
      'Files changed since base',
      'Next steps',
      'What this report does not claim',
    ]);
  });

  it('--fail-on breaking exits 1 on a BREAKING verdict; the default is informational', () => {
    assert.equal(run(['report', dir, '--base', base, '--fail-on', 'breaking', '--output', path.join(dir, 'r.md')]).code, 1);
    // Against HEAD nothing changed: the cycle already exists there, so the verdict is STABLE.
    assert.equal(run(['report', dir, '--base', 'HEAD', '--fail-on', 'at-risk']).code, 0);
    assert.equal(run(['report', dir, '--base', base]).code, 0);
  });

  it('bad revisions and folders without git: exit 2 with one clear line, nothing written', () => {
    const unknown = run(['report', dir, '--base', 'HEAD~40']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^migration-lens: error: unknown revision "HEAD~40": not a commit in /);
    const injected = run(['report', dir, '--base', '--upload-pack=touch /tmp/x']);
    assert.equal(injected.code, 2);
    const invalid = run(['report', dir, '--base=-x']);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /invalid revision "-x"/);
    const plain = writeWorkspace({ 'a.py': 'import os\n' }, 'ml-nogit-');
    const nogit = run(['report', plain, '--base', 'HEAD']);
    assert.equal(nogit.code, 2);
    assert.match(nogit.stderr, /is not inside a git repository/);
    // Without --base a folder outside git is fine: the revision rows say so.
    const r = reportJson(plain);
    assert.equal(r.now.commit, null);
    assert.deepEqual(r.breakingChanges, { checked: false, reason: 'no base revision given (`--base REV`): the public API was not compared' });
  });
});

describe('report on workspaces without history', () => {
  it('a missing required import is BREAKING; an unresolved one is listed with its source line', () => {
    const dir = writeWorkspace({
      'migration-lens.toml': 'required = ["pkg.core.Engine", "pkg.gone"]\n',
      'pkg/__init__.py': '',
      'pkg/core.py': 'class Engine:\n    pass\n',
      'main.py': 'from pkg.core import Engine, Motor\n',
    });
    const r = reportJson(dir);
    assert.deepEqual(r.imports.required?.map((q) => [q.name, q.status]), [['pkg.core.Engine', 'ok'], ['pkg.gone', 'missing']]);
    assert.deepEqual(r.imports.unresolved.map((u) => [`${u.path}:${u.line}:${u.column}`, u.text, u.new]), [['main.py:1:30', 'from pkg.core import Engine, Motor', null]]);
    assert.equal(r.verdict.verdict, 'BREAKING');
    assert.deepEqual(r.verdict.reasons.map((x) => x.rule), ['required-missing', 'unresolved-imports']);
  });

  it('a clean workspace is STABLE and every unchecked section says why', () => {
    const dir = writeWorkspace({ 'pkg/__init__.py': '', 'pkg/core.py': 'def f():\n    return 1\n', 'main.py': 'from pkg.core import f\n\nf()\n' });
    const r = reportJson(dir);
    assert.equal(r.verdict.verdict, 'STABLE');
    assert.equal(r.imports.required, null);
    assert.equal(r.changedFiles.checked, false);
    const md = run(['report', dir]).stdout;
    assert.match(md, /^## Verdict: 🟢 STABLE$/m);
    assert.match(md, /^Not checked: the config has no `required` list/m);
    assert.match(md, /^Not checked: no base revision given \\\(`--base REV`\\\)/m);
  });

  it('names taken from the workspace cannot inject Markdown or HTML', () => {
    const dir = writeWorkspace({
      'migration-lens.toml': '[categories]\n"<img src=x onerror=alert(1)>" = ["evil/**"]\n',
      'evil/__init__.py': '',
      'evil/m.py': 'import datetime\n\ndatetime.datetime.utcnow()\n',
    });
    const md = run(['report', dir]).stdout;
    assert.doesNotMatch(md, /(^|[^\\])<img/m, 'every < is escaped');
    assert.match(md, /^### \\<img src=x onerror=alert\\\(1\\\)\\> \(1\)$/m);
  });
});

describe('the committed sample report', () => {
  // Regenerated by `npm run demo`; only the generation time and the commit it was made on may differ.
  const volatile = (text: string): string =>
    text
      .replace(/^\| generated \|.*$/m, '| generated |')
      .replace(/^\| now \| work tree.*$/m, '| now |')
      .replace(/"generatedAt": ".*"/, '"generatedAt": ""')
      .replace(/"now": \{[^}]*\}/, '"now": {}');

  for (const [format, file] of [['markdown', 'netra-stability-report.md'], ['json', 'netra-stability-report.json']] as const) {
    it(`examples/${file} is what \`report examples/netra --format ${format}\` prints`, () => {
      const committed = fs.readFileSync(path.resolve('examples', file), 'utf8');
      const r = spawnSync(process.execPath, [CLI, 'report', 'examples/netra', '--format', format], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(volatile(r.stdout), volatile(committed), `examples/${file} is stale: run \`npm run demo\``);
    });
  }

  it('the demo verdict and its numbers', () => {
    const r = reportJson(DEMO);
    assert.equal(r.verdict.verdict, 'BREAKING');
    assert.deepEqual(r.verdict.reasons.map((x) => x.rule), ['unresolved-imports', 'new-cycles']);
    assert.deepEqual([r.compliance.now.remaining, r.compliance.now.migrated], [40, 44]);
    assert.equal(r.imports.unresolved.length, 2);
    assert.deepEqual(r.imports.required?.map((q) => q.status), ['ok', 'ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(r.compatibility.shims.filter((s) => s.removable).map((s) => s.module), ['netra_backend.app.agents.supervisor.agent_registry_legacy']);
  });
});
