'use strict';
// Ruff (wasm build) over a workspace, in a fresh process: loads @astral-sh/ruff-wasm-nodejs from the bench
// cache, reads every .py file (same list as the floors) and calls Workspace.check on each, with rules DTZ003
// (call-datetime-utcnow) + TID251 (banned-api) and a banned-api table equivalent to what Migration Lens flags.
// Usage: node ruff-run.cjs DIR BANNED_JSON [MODULE_DIR] [--natural-exit]
//   BANNED_JSON: a file holding {"dotted.name": "message", ...}
//   MODULE_DIR:  where node_modules/@astral-sh/ruff-wasm-nodejs lives (default: <repo>/.bench-cache)
// Prints {"files":N,"diagnostics":D,"byCode":{...},"errors":E,"version":"x.y.z","maxRssKb":K}, then ends the process
// with SIGKILL: a Node process that has compiled Ruff's 10 MB wasm module otherwise waits at exit (even in
// process.exit) for V8's background tier-up compile jobs to finish — 0.2–2 s here, with no work of Ruff's left. Cut
// short, Ruff looks faster, so the comparison stays conservative for Migration Lens. --natural-exit lets the process
// end by itself (the time a user of the wasm build would actually wait), for comparison.
// Equivalent to `ruff check --select DTZ003,TID251` with `[lint.flake8-tidy-imports.banned-api]` set, minus file
// discovery (the file list is walk.cjs's) and caching (none).
const fs = require('node:fs');
const path = require('node:path');
const { pyFiles } = require('./walk.cjs');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const naturalExit = process.argv.includes('--natural-exit');
const [dir, bannedPath, moduleDir = path.resolve(__dirname, '../../.bench-cache')] = args;
const ruff = require(require.resolve('@astral-sh/ruff-wasm-nodejs', { paths: [moduleDir] }));
const banned = JSON.parse(fs.readFileSync(bannedPath, 'utf8'));
const bannedApi = {};
for (const [name, msg] of Object.entries(banned)) bannedApi[name] = { msg };
const ws = new ruff.Workspace(
  // py311: the stdlib copy is 3.11 code; an older target makes Ruff report its newer syntax as errors.
  { 'target-version': 'py311', lint: { select: ['DTZ003', 'TID251'], 'flake8-tidy-imports': { 'banned-api': bannedApi } } },
  ruff.PositionEncoding.Utf16,
);
const byCode = {};
let diagnostics = 0;
let errors = 0;
const files = pyFiles(dir);
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  let result;
  try {
    result = ws.check(text);
  } catch {
    errors++;
    continue;
  }
  for (const d of result) {
    const code = d.code ?? 'syntax';
    byCode[code] = (byCode[code] ?? 0) + 1;
    diagnostics++;
  }
}
const summary = JSON.stringify({ files: files.length, diagnostics, byCode, errors, version: ruff.Workspace.version(), maxRssKb: process.resourceUsage().maxRSS });
if (naturalExit) process.stdout.write(`${summary}\n`);
else process.stdout.write(`${summary}\n`, () => process.kill(process.pid, 'SIGKILL'));
