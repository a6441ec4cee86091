/**
 * Neovim (Debian's 0.7.2) as a second, independent LSP client: it starts `node dist/cli.js server --stdio` on a
 * temp copy of the demo, opens demo files and must receive the same findings the CLI reports for them — same
 * codes at the same lines and columns, source "migration-lens".
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempCopy } from '../support/files';
import { CLI, DEMO, runDir, skipReason, xdgEnv } from './support/paths';
import { killGroup, poll, spawnGroup, tail } from './support/process';

/** Demo files that between them carry MIG001, MIG002, MIG004, MIG005 and MIG007 findings. */
const FILES = [
  'netra_backend/app/agents/supervisor_agent_modern.py',
  'netra_backend/app/routes/agent_route.py',
  'netra_backend/app/services/session_service.py',
];
const TIMEOUT_MS = 60_000;

interface CliFinding {
  code: string;
  message: string;
  path: string;
  range: { start: { line: number; column: number } };
}

interface NvimDiagnostic {
  lnum: number;
  col: number;
  code: string | number | null;
  source: string | null;
  message: string;
}

interface NvimResult {
  ok: boolean;
  error?: string;
  files: { path: string; diagnostics: NvimDiagnostic[] }[];
}

function cliFindings(root: string): CliFinding[] {
  const stdout = execFileSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--exit-zero'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { findings: CliFinding[] }).findings;
}

/** Neovim columns are byte offsets in the line; the CLI counts UTF-16 code units. */
function utf16Column(lineText: string, byteCol: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteCol).toString('utf8').length;
}

test('Neovim receives the CLI\'s findings from `migration-lens server --stdio`', { skip: skipReason(['nvim', 'cli']), timeout: TIMEOUT_MS + 30_000 }, async () => {
  const root = tempCopy(DEMO, 'ml-e2e-nvim-');
  const dir = runDir('neovim');
  const findings = cliFindings(root);
  const expected = new Map(FILES.map((file) => [file, findings.filter((f) => f.path === file)]));
  for (const [file, list] of expected) assert.ok(list.length > 0, `the CLI reports nothing for ${file}: pick another demo file`);

  const out = path.join(dir, 'diagnostics.json');
  const casePath = path.join(dir, 'case.json');
  fs.writeFileSync(casePath, JSON.stringify({
    cmd: [process.execPath, CLI, 'server', '--stdio'],
    root,
    files: FILES.map((file) => ({ path: path.join(root, file), expected: expected.get(file)!.length })),
    out,
    timeout_ms: TIMEOUT_MS,
    log_level: 'info',
  }, null, 2));

  const xdg = xdgEnv(path.join(dir, 'xdg'));
  const log = path.join(dir, 'nvim.log');
  const lua = path.join(__dirname, 'neovim', 'diagnostics.lua');
  const started = Date.now();
  const nvim = spawnGroup('nvim', ['--headless', '--clean', '-n', '-u', lua], log, {
    cwd: root,
    env: { ...process.env, ...xdg, ML_CONFIG: casePath },
  });
  let exitCode: number | null | undefined;
  nvim.on('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : null)));
  try {
    await poll('nvim to exit', () => exitCode !== undefined, { timeoutMs: TIMEOUT_MS + 15_000 });
  } finally {
    await killGroup(nvim);
  }
  const evidence = (): string =>
    `nvim exit ${exitCode} after ${Date.now() - started} ms; run dir ${dir}\n--- nvim.log\n${tail(log, 40)}\n` +
    `--- lsp.log\n${tail(path.join(xdg.XDG_CACHE_HOME, 'nvim', 'lsp.log'), 40)}\n` +
    `--- ${out}\n${fs.existsSync(out) ? fs.readFileSync(out, 'utf8').slice(0, 4000) : '(missing)'}`;

  assert.ok(fs.existsSync(out), `diagnostics.lua wrote no result\n${evidence()}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
  assert.equal(exitCode, 0, `diagnostics.lua failed: ${result.error}\n${evidence()}`);
  assert.ok(result.ok, evidence());

  for (const file of FILES) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    const got = result.files.find((f) => f.path === path.join(root, file))?.diagnostics ?? [];
    for (const d of got) assert.equal(d.source, 'migration-lens', `${file}: diagnostic source\n${JSON.stringify(d)}`);
    const key = (code: unknown, line: number, column: number): string => `${String(code)} ${line}:${column}`;
    const actual = got.map((d) => key(d.code, d.lnum + 1, utf16Column(lines[d.lnum] ?? '', d.col) + 1)).sort();
    const wanted = expected.get(file)!.map((f) => key(f.code, f.range.start.line, f.range.start.column)).sort();
    assert.deepEqual(actual, wanted, `${file}: Neovim's diagnostics (left) differ from the CLI's findings (right)`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  console.log(`neovim: ${FILES.length} files, ${[...expected.values()].flat().length} diagnostics matched in ${Date.now() - started} ms`);
});
