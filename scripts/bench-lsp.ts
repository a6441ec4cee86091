import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import type { StatusSnapshot } from '../server/src/lsp/protocol.js';
import { FLAT_MB, growthText, memoryTrend, type MemoryTrend } from './bench/memoryTrend.js';
import { tempCopy } from '../test/support/files.js';
import { TestClient } from '../test/support/lspClient.js';

/**
 * Latency through the real protocol: the bundled server over stdio, driven by a JSON-RPC client, on a copy of
 * the demo workspace plus a generated 100 KB module. Measures keystroke → publishDiagnostics for that version,
 * and a cross-file update (a module starts warning DeprecationWarning → its importer's open document).
 * `lspMemoryBench` follows the server process's memory (VmRSS/VmHWM from /proc/<pid>/status) over 10,000 edits
 * of one open document (BENCH_EDITS), each waiting for the diagnostics of its version.
 * `lspConfigBench` changes the config of a large workspace (a rule's severity) and times how long until the whole
 * index is complete again, the moment workspace-wide verdicts come back.
 * Run alone with `node --import tsx scripts/bench-lsp.ts [latency|memory|config DIR FILE]`; `npm run bench` includes all
 * three (config on the stdlib).
 */

const KEYSTROKES = Number(process.env['BENCH_KEYSTROKES'] ?? 300);
const CROSS_FILE = Number(process.env['BENCH_CROSS_FILE'] ?? 20);
const EDITS = Number(process.env['BENCH_EDITS'] ?? 10000);
const CONFIG_CHANGES = Number(process.env['BENCH_CONFIG_CHANGES'] ?? 4);

/** A realistic module of about `bytes`: imports from the demo packages, classes, functions, a few legacy calls. */
function bigModule(bytes: number): string {
  const head = [
    'import logging',
    'from datetime import datetime, timezone',
    'from netra_backend.app.websocket_core.websocket_manager import WebSocketManager',
    'from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine',
    '',
    'logger = logging.getLogger(__name__)',
    '',
  ];
  const parts = [head.join('\n')];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const block = [
      '',
      `class Handler${i}:`,
      `    """Routes event family ${i} to the websocket layer."""`,
      '',
      `    def __init__(self, manager: WebSocketManager, engine: UserExecutionEngine) -> None:`,
      '        self.manager = manager',
      '        self.engine = engine',
      `        self.count_${i} = 0`,
      '',
      `    async def handle_${i}(self, user_id: str, payload: dict) -> dict:`,
      `        self.count_${i} += 1`,
      i % 10 === 0 ? '        stamp = datetime.utcnow()' : '        stamp = datetime.now(timezone.utc)',
      `        logger.debug("event %s for %s at %s", ${i}, user_id, stamp)`,
      '        result = await self.engine.execute(user_id, payload)',
      `        await self.manager.send_to_user(user_id, {"type": "event_${i}", "result": result})`,
      '        return result',
      '',
    ].join('\n');
    parts.push(block);
    size += block.length;
  }
  return `${parts.join('\n')}\n`;
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function lspBench(): Promise<{ rows: string[]; keystrokes: number[]; crossFile: number[]; fileBytes: number }> {
  const root = tempCopy(path.resolve('examples/netra'), 'ml-bench-lsp-');
  const rel = 'netra_backend/app/services/big_module.py';
  const text = bigModule(100 * 1024);
  fs.writeFileSync(path.join(root, rel), text);
  const c = await TestClient.start(root);
  try {
    await c.waitForNotification<{ projects: { scan: { state: string } }[] }>('migrationLens/statusChanged', (s) => s.projects[0]?.scan.state === 'ready', 60000);
    await c.open(rel);
    await c.waitForDiagnostics(rel, (d) => d.length > 0);
    // Type in the middle of the file: alternately insert and delete one character in an identifier.
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('self.count_'));
    const column = lines[line]!.indexOf('self.count_') + 'self.count'.length;
    const keystrokes: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      const pos = { line, character: column };
      const change = i % 2 === 0 ? { range: { start: pos, end: pos }, text: 'x' } : { range: { start: pos, end: { line, character: column + 1 } }, text: '' };
      const start = process.hrtime.bigint();
      await c.change(rel, [change]);
      await c.waitForDiagnostics(rel, () => true, 10000);
      keystrokes.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // Cross-file: a module the big file imports starts (and stops) warning on import.
    const legacy = 'netra_backend/app/agents/supervisor/user_execution_engine.py';
    await c.open(legacy);
    const warn = 'import warnings\nwarnings.warn("moved to netra_backend.app.engines", DeprecationWarning, stacklevel=2)\n';
    const crossFile: number[] = [];
    for (let i = 0; i < CROSS_FILE; i++) {
      const adding = i % 2 === 0;
      const start = process.hrtime.bigint();
      await c.change(legacy, [adding ? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: warn } : { range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
      await c.waitForDiagnostics(rel, (d) => d.some((x) => /moved to netra_backend\.app\.engines/.test(String(x.message))) === adding, 10000);
      crossFile.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const fmt = (xs: number[]): string => `p50 ${percentile(xs, 50).toFixed(1)} ms · p95 ${percentile(xs, 95).toFixed(1)} ms · max ${Math.max(...xs).toFixed(1)} ms`;
    const rows = [
      `| keystroke → diagnostics, ${(text.length / 1024).toFixed(0)} KB file (${KEYSTROKES} edits) | ${fmt(keystrokes)} |`,
      `| cross-file: module starts warning → importer's diagnostics (${CROSS_FILE} changes) | ${fmt(crossFile)} |`,
    ];
    return { rows, keystrokes, crossFile, fileBytes: text.length };
  } finally {
    await c.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** VmRSS and VmHWM (peak) of a process, in KB, from /proc (Linux). */
export function procMemory(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

export interface MemorySample {
  edits: number;
  rssKb: number;
  hwmKb: number;
}

/**
 * The server's memory over many edits of one document: the 100 KB module open in the demo workspace, edited in a
 * cycle of four changes at a position that moves through the file (type a character into an identifier, delete
 * it, insert a `datetime.utcnow()` line — a new finding —, delete that line), each waiting for the diagnostics of
 * its version. Samples VmRSS before the first edit, every 1/20 of the run, and after 2 s of idle at the end.
 */
export async function lspMemoryBench(edits = EDITS): Promise<{ rows: string[]; samples: MemorySample[]; edits: number; start: MemorySample; end: MemorySample; max: MemorySample; trend: MemoryTrend; ms: number }> {
  const root = tempCopy(path.resolve('examples/netra'), 'ml-bench-lsp-mem-');
  const rel = 'netra_backend/app/services/big_module.py';
  const text = bigModule(100 * 1024);
  fs.writeFileSync(path.join(root, rel), text);
  const c = await TestClient.start(root);
  const pid = c.pid;
  const sample = (n: number): MemorySample => {
    const m = procMemory(pid);
    if (!m) throw new Error(`cannot read /proc/${pid}/status (the memory benchmark needs Linux)`);
    return { edits: n, ...m };
  };
  try {
    await c.waitForReady(60000);
    await c.open(rel);
    await c.waitForDiagnostics(rel, (d) => d.length > 0);
    const lines = text.split('\n');
    const sites = lines.flatMap((l, i) => (l.includes('self.count_') && l.includes('+=') ? [i] : []));
    const samples: MemorySample[] = [sample(0)];
    const every = Math.max(1, Math.floor(edits / 20));
    const started = process.hrtime.bigint();
    for (let i = 0; i < edits; i++) {
      const line = sites[Math.floor(i / 4) % sites.length]!;
      const column = lines[line]!.indexOf('self.count_') + 'self.count'.length;
      const at = { line, character: column };
      const step = i % 4;
      const change =
        step === 0
          ? { range: { start: at, end: at }, text: 'x' }
          : step === 1
            ? { range: { start: at, end: { line, character: column + 1 } }, text: '' }
            : step === 2
              ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '        late = datetime.utcnow()\n' }
              : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
      await c.change(rel, [change]);
      await c.waitForDiagnostics(rel, () => true, 30000);
      // The client keeps every message; the server's memory is what is measured, so keep the client's small.
      if (c.history.length > 100) c.history.splice(0, c.history.length);
      if (c.notifications.length > 100) c.notifications.splice(0, c.notifications.length);
      if ((i + 1) % every === 0) samples.push(sample(i + 1));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (edits % 4 === 0 && c.text(rel) !== text) throw new Error('the edit cycle did not restore the document');
    await new Promise((r) => setTimeout(r, 2000));
    const end = sample(edits);
    samples.push(end);
    const start = samples[0]!;
    const max = samples.reduce((a, b) => (b.rssKb > a.rssKb ? b : a));
    const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;
    const trend = memoryTrend(samples, edits);
    const rows = [
      `| server RSS over ${edits.toLocaleString('en-US')} edits of the ${(text.length / 1024).toFixed(0)} KB file (${(ms / 1000).toFixed(0)} s, ${(ms / edits).toFixed(1)} ms per edit) | start ${mb(start.rssKb)} · end ${mb(end.rssKb)} · max ${mb(max.rssKb)} (after ${max.edits.toLocaleString('en-US')} edits) · peak (VmHWM) ${mb(end.hwmKb)} |`,
      `| trend after warm-up (least squares from edit ${trend.from.toLocaleString('en-US')}, ${trend.samples} samples), over the run | ${growthText(trend)} → ${trend.flat === null ? 'too few samples to tell' : trend.flat ? 'flat' : '**growing**'} (flat: at most +${FLAT_MB} MB) |`,
    ];
    return { rows, samples, edits, start, end, max, trend, ms };
  } finally {
    await c.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Config changes on a copy of `dir` (a large workspace): the server indexes it, one file stays open, then the config
 * file flips a rule's severity (a change that moves no module name) CONFIG_CHANGES times. Each sample is the time
 * from `didChangeWatchedFiles` to the first status answer with every file indexed again (polled every 10 ms), with the
 * lowest indexed count seen on the way: how much of the index a config change threw away.
 */
export async function lspConfigBench(dir: string, open: string): Promise<{ rows: string[]; ms: number[]; lowest: number[]; total: number; initialMs: number; nextSessionMs: number }> {
  const root = tempCopy(dir, 'ml-bench-lsp-config-');
  const config = path.join(root, 'migration-lens.toml');
  fs.writeFileSync(config, 'src = ["."]\n');
  const c = await TestClient.start(root);
  let stopped = false;
  try {
    const started = process.hrtime.bigint();
    await c.waitForReady(600000);
    const initialMs = Number(process.hrtime.bigint() - started) / 1e6;
    const afterIndex = procMemory(c.pid);
    await c.open(open);
    await c.waitForDiagnostics(open, (d) => d.length > 0, 60000);
    const ms: number[] = [];
    const lowest: number[] = [];
    let total = 0;
    for (let i = 0; i < CONFIG_CHANGES; i++) {
      const severity = i % 2 === 0 ? 'error' : 'info';
      fs.writeFileSync(config, `src = ["."]\n\n[severity]\nMIG001 = "${severity}"\n`);
      const start = process.hrtime.bigint();
      await c.filesChanged([{ uri: c.uri('migration-lens.toml'), type: FileChangeType.Changed }]);
      // The new config is in use once the open file shows the new severity; then wait for the whole index.
      const code = severity === 'error' ? 1 : 3;
      await c.waitForDiagnostics(open, (d) => d.some((x) => x.code === 'MIG001' && x.severity === code), 600000);
      let low = Infinity;
      for (;;) {
        const scan = ((await c.connection.sendRequest('migrationLens/status')) as StatusSnapshot).projects[0]!.scan;
        low = Math.min(low, scan.indexed);
        total = scan.total;
        if (scan.state === 'ready' && scan.indexed === scan.total) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      lowest.push(low);
    }
    // The next session on the same workspace: the facts the first one stored when its index was ready serve.
    await c.stop();
    stopped = true;
    const again = await TestClient.start(root);
    let nextSessionMs: number;
    try {
      const restarted = process.hrtime.bigint();
      await again.waitForReady(600000);
      nextSessionMs = Number(process.hrtime.bigint() - restarted) / 1e6;
    } finally {
      await again.stop();
    }
    const rows = [
      `| first index of ${path.basename(dir)} (${total.toLocaleString('en-US')} files), server start → status ready | ${(initialMs / 1000).toFixed(1)} s${afterIndex ? ` · server RSS then ${(afterIndex.rssKb / 1024).toFixed(0)} MB, peak ${(afterIndex.hwmKb / 1024).toFixed(0)} MB` : ''} · next session on the same workspace (facts cache): ${(nextSessionMs / 1000).toFixed(1)} s |`,
      `| config change (a rule's severity) → whole index complete again, ${path.basename(dir)} (${CONFIG_CHANGES} changes) | p50 ${percentile(ms, 50).toFixed(0)} ms · max ${Math.max(...ms).toFixed(0)} ms · fewest files indexed during a change ${Math.min(...lowest).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} |`,
    ];
    return { rows, ms, lowest, total, initialMs, nextSessionMs };
  } finally {
    if (!stopped) await c.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const which = process.argv[2];
  void (async () => {
    if (which === 'config') {
      const dir = process.argv[3];
      const open = process.argv[4];
      if (!dir || !open) throw new Error('usage: bench-lsp.ts config DIR FILE_TO_OPEN (relative to DIR, one with a MIG001 finding)');
      process.stdout.write(`${(await lspConfigBench(path.resolve(dir), open)).rows.join('\n')}\n`);
      return;
    }
    if (which !== 'memory') process.stdout.write(`${(await lspBench()).rows.join('\n')}\n`);
    if (which !== 'latency') {
      const m = await lspMemoryBench();
      process.stdout.write(`${m.rows.join('\n')}\n${m.samples.map((s) => `${s.edits}\t${s.rssKb}\t${s.hwmKb}`).join('\n')}\n`);
    }
  })();
}
