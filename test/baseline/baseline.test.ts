import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BaselineError, compareWithBaseline, fingerprint, parseBaseline, serializeBaseline } from '../../server/src/core/baseline/baseline.js';
import type { Finding } from '../../server/src/core/types.js';
import { writeWorkspace } from '../support/files.js';

// The real, bundled CLI (`npm test` builds it first), as a separate process.
const CLI = path.resolve('dist/cli.js');

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface CheckJson {
  findings: { code: string; path: string; range: { start: { line: number } } }[];
  baseline: { file: string; known: number; new: number; fixed: { path: string; code: string; migration: string | null; span: string; source: string }[] };
}

const UTCNOW = 'datetime.datetime.utcnow()';
const SHIM = 'import warnings\nwarnings.warn("pkg.old is deprecated: use pkg.new", DeprecationWarning, stacklevel=2)\nfrom pkg.new import f\n';

/** Three legacy usages in app.py (two utcnow calls, an import through a legacy shim) and a shim nothing else uses. */
function project(): string {
  return writeWorkspace(
    {
      'pkg/__init__.py': '',
      'pkg/old.py': SHIM,
      'pkg/new.py': 'def f():\n    return 1\n',
      'app.py': `import datetime\nfrom pkg.old import f\n\n\ndef created():\n    return ${UTCNOW}\n\n\ndef updated():\n    return ${UTCNOW}\n`,
    },
    'ml-baseline-',
  );
}

const edit = (dir: string, rel: string, change: (text: string) => string): void => fs.writeFileSync(path.join(dir, rel), change(fs.readFileSync(path.join(dir, rel), 'utf8')));

function checkJson(dir: string, ...extra: string[]): { code: number; out: CheckJson; stderr: string } {
  const r = run(['check', '.', '--format', 'json', '--baseline', 'migration-lens-baseline.json', ...extra], dir);
  return { code: r.code, out: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

describe('baseline (ratchet) through the real CLI', () => {
  it('writes a sorted, line-per-entry baseline without line numbers; checking against it reports nothing', () => {
    const dir = project();
    const before = run(['check', '.', '--format', 'json'], dir);
    const total = (JSON.parse(before.stdout) as CheckJson).findings.length;
    assert.ok(total >= 3, before.stdout);

    const w = run(['baseline'], dir);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, new RegExp(`^Wrote ${total} known usages in \\d+ files? to .*migration-lens-baseline\\.json`));
    const text = fs.readFileSync(path.join(dir, 'migration-lens-baseline.json'), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], '{');
    assert.equal(lines[1], '  "command": "migration-lens baseline",');
    assert.ok(lines.includes('  "version": 1'), text);
    assert.ok(lines.includes(`  "total": ${total},`), text);
    // One entry per line, keys sorted, the flagged text and its line (whitespace collapsed), no positions.
    assert.ok(
      lines.includes('      {"code": "MIG001", "migration": "stdlib:datetime.datetime.utcnow", "occurrence": 0, "source": "return datetime.datetime.utcnow()", "span": "datetime.datetime.utcnow"},'),
      text,
    );
    assert.ok(lines.includes('      {"code": "MIG001", "migration": "stdlib:datetime.datetime.utcnow", "occurrence": 1, "source": "return datetime.datetime.utcnow()", "span": "datetime.datetime.utcnow"},'), text);
    assert.doesNotMatch(text, /"line"|"column"|"range"/);
    assert.equal(parseBaseline(text, 'x').entries.length, total);

    const r = run(['check', '.', '--baseline', 'migration-lens-baseline.json'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /All checks passed!/);
    assert.equal(r.stderr, `Baseline migration-lens-baseline.json: ${total} known usages not reported, 0 new.\n`);
  });

  it('an unrelated edit that shifts lines reports nothing new; a new usage is reported alone, exit 1', () => {
    const dir = project();
    assert.equal(run(['baseline'], dir).code, 0);
    edit(dir, 'app.py', (t) => `"""Module docstring."""\n\n# a comment\n${t.replace('def updated():', 'def helper():\n    return 42\n\n\ndef updated():')}`);
    const shifted = checkJson(dir);
    assert.equal(shifted.code, 0, JSON.stringify(shifted.out));
    assert.deepEqual(shifted.out.findings, []);
    assert.equal(shifted.out.baseline.new, 0);
    assert.deepEqual(shifted.out.baseline.fixed, []);

    edit(dir, 'app.py', (t) => `${t}\n\ndef deleted():\n    return ${UTCNOW}\n`);
    const added = checkJson(dir);
    assert.equal(added.code, 1);
    assert.deepEqual(added.out.findings.map((f) => [f.path, f.code, f.range.start.line]), [['app.py', 'MIG001', fs.readFileSync(path.join(dir, 'app.py'), 'utf8').split('\n').length - 1]]);
    assert.equal(added.out.baseline.new, 1);
    const text = run(['check', '.', '--baseline', 'migration-lens-baseline.json'], dir);
    assert.equal(text.code, 1);
    assert.equal(text.stdout.split('\n').filter((l) => /^app\.py:\d+:\d+: MIG001/.test(l)).length, 1, text.stdout);
    assert.match(text.stdout, /^Found 1 finding \(/m);
    assert.match(text.stderr, /, 1 new\.$/m);
  });

  it('a removed usage is reported fixed, with a hint to lock in the progress', () => {
    const dir = project();
    assert.equal(run(['baseline'], dir).code, 0);
    edit(dir, 'app.py', (t) => t.replace(`def updated():\n    return ${UTCNOW}\n`, 'def updated():\n    return None\n'));
    const r = checkJson(dir);
    assert.equal(r.code, 0);
    assert.deepEqual(r.out.findings, []);
    assert.deepEqual(r.out.baseline.fixed, [{ path: 'app.py', code: 'MIG001', migration: 'stdlib:datetime.datetime.utcnow', span: 'datetime.datetime.utcnow', source: `return ${UTCNOW}` }]);
    const text = run(['check', '.', '--baseline', 'migration-lens-baseline.json'], dir);
    assert.match(text.stderr, /, 0 new, 1 fixed since the baseline was written — run `migration-lens baseline` to lock in the progress\.\n {2}fixed: app\.py: MIG001 datetime\.datetime\.utcnow\n$/);
    // Locking in: the new baseline has one entry less, and the diff is exactly that line.
    const old = fs.readFileSync(path.join(dir, 'migration-lens-baseline.json'), 'utf8').split('\n');
    assert.equal(run(['baseline'], dir).code, 0);
    const now = fs.readFileSync(path.join(dir, 'migration-lens-baseline.json'), 'utf8').split('\n');
    const removed = old.filter((l) => !now.includes(l));
    assert.equal(removed.length, 2, removed.join('\n')); // the entry and the total
    assert.match(removed.find((l) => l.includes('"code"'))!, /"occurrence": 1, "source": "return datetime\.datetime\.utcnow\(\)"/);
  });

  it('identical lines in one file are counted by occurrence', () => {
    const same = `x = ${UTCNOW}\n`;
    const dir = writeWorkspace({ 'm.py': `import datetime\n${same}${same}${same}` }, 'ml-baseline-');
    assert.equal(run(['baseline'], dir).code, 0);
    const entries = parseBaseline(fs.readFileSync(path.join(dir, 'migration-lens-baseline.json'), 'utf8'), 'b').entries;
    assert.deepEqual(entries.map((e) => e.occurrence), [0, 1, 2]);

    edit(dir, 'm.py', (t) => `${t}${same}`);
    const more = checkJson(dir);
    assert.equal(more.code, 1);
    assert.equal(more.out.findings.length, 1);
    assert.equal(more.out.baseline.known, 3);

    fs.writeFileSync(path.join(dir, 'm.py'), `import datetime\n${same}`);
    const fewer = checkJson(dir);
    assert.equal(fewer.code, 0);
    assert.equal(fewer.out.baseline.known, 1);
    assert.equal(fewer.out.baseline.fixed.length, 2);
  });

  it('a usage whose line changed around it stays known (same file, rule, migration and flagged text)', () => {
    const dir = project();
    assert.equal(run(['baseline'], dir).code, 0);
    edit(dir, 'app.py', (t) => t.replace(`def created():\n    return ${UTCNOW}`, `def created():\n    stamp  =   ${UTCNOW}\n    return stamp`));
    const r = checkJson(dir);
    assert.equal(r.code, 0, JSON.stringify(r.out));
    assert.equal(r.out.baseline.new, 0);
    assert.deepEqual(r.out.baseline.fixed, []);
  });

  it('entries the run cannot reproduce (rules not selected, files outside PATH) are neither known nor fixed', () => {
    const dir = project();
    // A config file fixes the project root, so `check sub` measures paths from the same root as the baseline.
    fs.writeFileSync(path.join(dir, 'migration-lens.toml'), '');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub/tool.py'), `import datetime\nprint(${UTCNOW})\n`);
    assert.equal(run(['baseline'], dir).code, 0);
    const selected = checkJson(dir, '--select', 'MIG002');
    assert.equal(selected.code, 0);
    assert.deepEqual(selected.out.baseline.fixed, []);
    assert.equal(selected.out.baseline.known, 1);
    const sub = run(['check', 'sub', '--format', 'json', '--baseline', 'migration-lens-baseline.json'], dir);
    assert.equal(sub.code, 0, sub.stderr);
    const out = JSON.parse(sub.stdout) as CheckJson;
    assert.deepEqual([out.baseline.known, out.baseline.new, out.baseline.fixed.length], [1, 0, 0]);
  });

  it('a missing, unreadable or corrupt baseline is exit 2 with the file and what is wrong', () => {
    const dir = project();
    const check = (content: string | null, pattern: RegExp): void => {
      const file = path.join(dir, 'b.json');
      fs.rmSync(file, { force: true, recursive: true });
      if (content !== null) fs.writeFileSync(file, content);
      const r = run(['check', '.', '--baseline', 'b.json'], dir);
      assert.equal(r.code, 2, `${content}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
    };
    check(null, /^migration-lens: error: --baseline b\.json: no such file \(write one with `migration-lens baseline`\)\n$/);
    check('{"version": 1, "files": {', /^migration-lens: error: --baseline b\.json: not valid JSON \(.+\); regenerate it with `migration-lens baseline`\n$/);
    check('[]', /--baseline b\.json: the top level must be an object/);
    check('{"files": {}}', /--baseline b\.json: "version" is missing \(is this a Migration Lens baseline\?\)/);
    check('{"version": 2, "files": {}}', /--baseline b\.json: "version" is 2, this version of Migration Lens reads 1/);
    check('{"version": 1, "files": {"app.py": {}}}', /--baseline b\.json: files\["app\.py"\] must be an array of entries/);
    check('{"version": 1, "files": {"app.py": [{"code": "MIG999", "migration": null, "span": "", "source": "", "occurrence": 0}]}}', /files\["app\.py"\]\[0\]\.code must be one of MIG001, .*, got "MIG999"/);
    check('{"version": 1, "files": {"app.py": [{"code": "MIG001", "migration": null, "span": "", "source": "", "occurrence": -1}]}}', /files\["app\.py"\]\[0\]\.occurrence must be a non-negative integer/);
    fs.rmSync(path.join(dir, 'b.json'), { force: true });
    fs.mkdirSync(path.join(dir, 'b.json'));
    const r = run(['check', '.', '--baseline', 'b.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--baseline b\.json: is a directory, not a baseline file/);
  });

  it('baseline: --output elsewhere records the command that reproduces it; a broken config writes nothing', () => {
    const dir = project();
    const w = run(['baseline', '--output', 'ci/known.json'], dir);
    assert.equal(w.code, 0, w.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'ci/known.json'), 'utf8'), /^ {2}"command": "migration-lens baseline --output ci\/known\.json",$/m);
    fs.writeFileSync(path.join(dir, 'migration-lens.toml'), 'target-version = 12\n');
    const bad = run(['baseline', '--output', 'other.json'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /migration-lens\.toml:1:\d+: error: /);
    assert.ok(!fs.existsSync(path.join(dir, 'other.json')));
  });
});

describe('baseline core', () => {
  const finding = (p: string, line: number, column: number, end: number, code: Finding['code'] = 'MIG001'): Finding => ({
    code,
    rule: 'r',
    severity: 'warning',
    message: 'm',
    path: p,
    range: { start: { line, column }, end: { line, column: end } },
    category: 'production',
    fix: null,
    tags: [],
    related: [],
    migration: 'stdlib:x',
  });

  it('fingerprints collapse whitespace, ignore positions, and number identical ones in file order', () => {
    const texts: Record<string, string> = { 'a.py': 'x =   old( 1 )\n\ty = old(2)\nz=old(1)\n' };
    const prints = fingerprint([finding('a.py', 2, 2, 5), finding('a.py', 0, 6, 9), finding('a.py', 1, 5, 8)], (p) => texts[p] ?? null);
    assert.deepEqual(prints.map((e) => [e.span, e.source, e.occurrence]), [
      ['old', 'z=old(1)', 0],
      ['old', 'x = old( 1 )', 0],
      ['old', 'y = old(2)', 0],
    ]);
    const unreadable = fingerprint([finding('gone.py', 3, 0, 4), finding('gone.py', 9, 0, 4)], () => null);
    assert.deepEqual(unreadable.map((e) => [e.span, e.source, e.occurrence]), [['', '', 0], ['', '', 1]]);
  });

  it('serializes deterministically and parses back; comparison matches by count, then loosely by span', () => {
    const texts: Record<string, string> = { 'b.py': 'a = old()\n', 'a.py': 'q = old()\nq = old()\n' };
    const findings = [finding('b.py', 0, 4, 7), finding('a.py', 0, 4, 7), finding('a.py', 1, 4, 7)];
    const entries = fingerprint(findings, (p) => texts[p] ?? null);
    const text = serializeBaseline(entries, 'migration-lens baseline');
    assert.equal(serializeBaseline([...entries].reverse(), 'migration-lens baseline'), text, 'order of findings does not matter');
    assert.deepEqual(
      parseBaseline(text, 'f').entries.map((e) => `${e.path}:${e.occurrence}`),
      ['a.py:0', 'a.py:1', 'b.py:0'],
    );
    assert.throws(() => parseBaseline('nope', 'f.json'), (e: Error) => e instanceof BaselineError && /^f\.json: not valid JSON/.test(e.message));

    // Now: a.py lost one, b.py's line was edited around the same flagged text, c.py is new.
    const now = { 'a.py': 'q = old()\n', 'b.py': 'answer = old()\n', 'c.py': 'old()\n' } as Record<string, string>;
    const current = [finding('a.py', 0, 4, 7), finding('b.py', 0, 9, 12), finding('c.py', 0, 0, 3)];
    const prints = fingerprint(current, (p) => now[p] ?? null);
    const result = compareWithBaseline(current.map((f, i) => ({ finding: f, entry: prints[i]! })), parseBaseline(text, 'f').entries);
    assert.deepEqual(result.known.map((f) => f.path), ['a.py', 'b.py']);
    assert.deepEqual(result.new.map((f) => f.path), ['c.py']);
    assert.deepEqual(result.fixed.map((e) => `${e.path}:${e.occurrence}`), ['a.py:1']);
  });
});
