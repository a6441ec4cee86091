import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pyCompileFailures, readTree, tempCopy, writeWorkspace } from '../support/files.js';
import { compileSarifValidator } from '../support/sarif.js';

// The real, bundled CLI (`npm test` builds it first), as a separate process.
const CLI = path.resolve('dist/cli.js');
const DEMO = path.resolve('examples/netra');

function run(args: string[], cwd = process.cwd()): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const workspace = (files: Record<string, string | Buffer>): string => writeWorkspace(files, 'ml-cli-');

interface JsonOut {
  version: number;
  root: string;
  findings: {
    code: string;
    rule: string;
    severity: string;
    message: string;
    path: string;
    range: { start: { line: number; column: number }; end: { line: number; column: number } };
    category: string;
    fix: null | { safety: string; title: string; edits: { range: unknown; newText: string }[] };
  }[];
  problems: { path: string; kind: string; message: string; range: { start: { line: number; column: number } } | null }[];
  configErrors: { path: string; range: { start: { line: number; column: number } }; message: string }[];
}

test('check (text): Ruff-style lines, a summary by code and category, exit 1', () => {
  const r = run(['check', DEMO]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^scripts\/reload_agents\.py:11:8: MIG001 `imp` is deprecated/m);
  assert.match(r.stdout, /^netra_backend\/app\/routes\/websocket\.py:27:30: MIG002 \[\*\] `WebSocketManager` is imported from/m);
  assert.match(r.stdout, /^\s+25\s+MIG001\s+deprecated-usage$/m);
  assert.match(r.stdout, /^production 27 · tests 10 · backup 7 · scripts 2$/m);
  assert.match(r.stdout, /^Found 46 findings \(\d+ fixable with `migration-lens fix`, \d+ more with `--unsafe`\)\.$/m);
});

test('check --format json: the documented shape, 1-based ranges, POSIX paths relative to the root', () => {
  const r = run(['check', DEMO, '--format', 'json']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as JsonOut;
  assert.equal(out.version, 1);
  assert.equal(out.root, DEMO);
  assert.equal(out.findings.length, 46);
  for (const f of out.findings) {
    assert.deepEqual(Object.keys(f).sort(), ['category', 'code', 'fix', 'message', 'migration', 'path', 'range', 'related', 'rule', 'severity']);
    assert.ok(!path.isAbsolute(f.path) && !f.path.includes('\\'), f.path);
    assert.ok(f.range.start.line >= 1 && f.range.start.column >= 1);
  }
  const imp = out.findings.find((f) => f.path === 'scripts/reload_agents.py' && f.code === 'MIG001')!;
  assert.deepEqual(imp.range, { start: { line: 11, column: 8 }, end: { line: 11, column: 11 } });
  assert.equal(imp.category, 'scripts');
  assert.equal(imp.severity, 'warning');
  const safe = out.findings.find((f) => f.fix?.safety === 'safe')!;
  assert.ok(safe.fix!.edits.length > 0 && typeof safe.fix!.title === 'string');
});

test('check --format sarif: valid SARIF 2.1.0 with every rule and result', () => {
  const r = run(['check', DEMO, '--format', 'sarif']);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: unknown[] } }; results: unknown[] }[] };
  const validate = compileSarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(log.runs[0]!.tool.driver.rules.length, 7);
  assert.equal(log.runs[0]!.results.length, 46);
});

test('check --format github: one workflow command per finding', () => {
  const r = run(['check', DEMO, '--format', 'github']);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 46);
  assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=MIG00\d [a-z-]+::/.test(l)), lines[0]);
});

test('--select / --ignore / --exit-zero', () => {
  const cycles = JSON.parse(run(['check', DEMO, '--format', 'json', '--select', 'MIG005']).stdout) as JsonOut;
  assert.deepEqual([...new Set(cycles.findings.map((f) => f.code))], ['MIG005']);
  const rest = JSON.parse(run(['check', DEMO, '--format', 'json', '--ignore', 'MIG001,MIG002']).stdout) as JsonOut;
  assert.ok(rest.findings.length > 0 && rest.findings.every((f) => f.code !== 'MIG001' && f.code !== 'MIG002'));
  assert.equal(run(['check', DEMO, '--exit-zero']).code, 0);
});

test('a path inside the project reports only that path, with cross-file resolution intact', () => {
  const r = run(['check', path.join(DEMO, 'netra_backend/app/agents/registry.py'), '--format', 'json']);
  const out = JSON.parse(r.stdout) as JsonOut;
  assert.equal(out.root, DEMO, 'the project root is where the config lives');
  assert.deepEqual(out.findings.map((f) => `${f.path}:${f.range.start.line} ${f.code}`), ['netra_backend/app/agents/registry.py:8 MIG002']);
});

test('no findings: exit 0 and "All checks passed!"', () => {
  const dir = workspace({ 'ok.py': 'from datetime import UTC, datetime\n\nnow = datetime.now(UTC)\n' });
  const r = run(['check', dir]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /All checks passed!/);
});

test('a broken config file: exit 2 with file:line:col, and the run still reports', () => {
  const dir = workspace({
    'migration-lens.toml': 'src = ["."]\nexlude = ["build/**"]\ntarget-version = "py2"\n',
    'a.py': 'import imp\n',
  });
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout) as JsonOut;
  const errors = out.configErrors.map((e) => `${e.path}:${e.range.start.line}:${e.range.start.column} ${e.message}`);
  assert.ok(errors.some((e) => /^migration-lens\.toml:2:1 .*exlude.*did you mean `exclude`/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /^migration-lens\.toml:3:18 .*target-version/.test(e)), errors.join('\n'));
  assert.deepEqual(out.findings.map((f) => f.code), ['MIG001'], 'analysis goes on with the valid parts');

  fs.writeFileSync(path.join(dir, 'migration-lens.toml'), 'src = [".",\n');
  const broken = run(['check', dir]);
  assert.equal(broken.code, 2);
  assert.match(broken.stdout, /migration-lens\.toml:\d+:\d+: error: /);
});

test('usage errors exit 2 with one line, never a stack trace', () => {
  for (const args of [['check', '--bogus'], ['check', DEMO, '--select', 'XYZ'], ['check', '/does/not/exist'], ['frobnicate'], ['check', DEMO, '--format', 'yaml']]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^migration-lens: error: .+\n$/);
  }
});

test('bad input: non-UTF-8, syntax errors, a huge file and an unreadable coding cookie are reported precisely, the rest is analyzed', () => {
  const dir = workspace({
    'migration-lens.toml': 'max-file-size = 2000\n',
    'good.py': 'import asyncore\n',
    'latin.py': Buffer.from('# no cookie\nname = "caf\xe9"\n', 'latin1'),
    'cookie.py': Buffer.from('# -*- coding: latin-1 -*-\nimport imp\nname = "caf\xe9"\n', 'latin1'),
    'bogus_cookie.py': '# coding: uft-8\nx = 1\n',
    'broken.py': 'import imp\ndef f(:\n    pass\n',
    'huge.py': `x = 1\n${'# padding\n'.repeat(400)}`,
  });
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as JsonOut;
  const problems = Object.fromEntries(out.problems.map((p) => [p.path, `${p.kind}: ${p.message}`]));
  assert.match(problems['latin.py']!, /^encoding: not valid UTF-8: byte 0xe9 at line 2, column 12/);
  assert.match(problems['bogus_cookie.py']!, /^encoding: cannot decode: unknown encoding "uft-8"/);
  assert.match(problems['broken.py']!, /^syntax: syntax error at line 2/);
  assert.match(problems['huge.py']!, /^too-large: skipped: .* exceeds max-file-size/);
  const found = out.findings.map((f) => `${f.path}:${f.range.start.line} ${f.code}`).sort();
  assert.deepEqual(found, ['broken.py:1 MIG001', 'cookie.py:2 MIG001', 'good.py:1 MIG001'], 'the parts that parse still yield findings');
});

test('fix never rewrites a file that is not UTF-8 (a latin-1 file keeps its bytes; its finding stays, without a fix)', () => {
  const original = Buffer.from('# -*- coding: latin-1 -*-\nfrom datetime import datetime\nname = "caf\xe9"\nx = datetime.utcnow()\n', 'latin1');
  const dir = workspace({ 'a.py': original });
  run(['fix', dir]);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'a.py')), original);
  const out = JSON.parse(run(['check', dir, '--format', 'json']).stdout) as JsonOut;
  assert.deepEqual(out.findings.map((f) => `${f.code} ${f.fix === null}`), ['MIG001 true']);
});

test('fix --diff prints a unified diff, writes nothing, exits 1', () => {
  const dir = tempCopy(DEMO);
  const before = readTree(dir);
  const r = run(['fix', dir, '--diff']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^--- a\/netra_backend\/app\/routes\/websocket\.py/m);
  assert.match(r.stdout, /^\+from \.\.websocket_core\.websocket_manager import WebSocketManager/m);
  assert.deepEqual(readTree(dir), before);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('fix on the demo workspace: safe, then unsafe; every touched file compiles; a second run changes nothing', () => {
  const dir = tempCopy(DEMO);
  const before = readTree(dir);
  const safe = run(['fix', dir]);
  assert.match(safe.stdout, /^Fixed \d+ findings in \d+ files/m, safe.stderr);
  const unsafe = run(['fix', dir, '--unsafe']);
  assert.equal(unsafe.stderr, '');
  const after = readTree(dir);
  const touched = [...after.keys()].filter((rel) => after.get(rel) !== before.get(rel));
  assert.ok(touched.length >= 10, `expected many touched files, got ${touched.length}`);
  assert.deepEqual(pyCompileFailures(touched.map((rel) => path.join(dir, rel))), []);
  const again = run(['fix', dir, '--unsafe']);
  assert.match(again.stdout, /^Fixed 0 findings in 0 files/m);
  assert.deepEqual(readTree(dir), after);
  const remaining = JSON.parse(run(['check', dir, '--format', 'json']).stdout) as JsonOut;
  assert.ok(remaining.findings.every((f) => f.fix === null), 'nothing fixable is left');
  assert.ok(!remaining.findings.some((f) => f.code === 'MIG002'), 'every non-canonical import was rewritten');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('output into a pipe whose reader is gone (`check | head`): a quiet exit 141, as SIGPIPE would give, no stack trace', async () => {
  for (const args of [['check', DEMO, '--format', 'json'], ['rules']]) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the CLI writes anything, so its first write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 141, `${args[0]}: ${stderr}`);
    assert.equal(stderr, '', args[0]);
  }
});
