import * as fs from 'node:fs';
import * as path from 'node:path';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Aggregates a V8 `.cpuprofile` (from `node --cpu-prof`) of the bundled CLI: self time by function and by source
 * file (bundle positions mapped back to `server/src/...` and `node_modules/...` through the bundle's source map),
 * and time by phase (read/decode, parse, extract, project/model, rules, output, ...).
 *
 * Phases are decided by the source file (and for a few functions, the name) of the frames on each sample's stack:
 * - `exclusive`: each sample goes to the innermost phase frame on its stack, so the phases sum to the total
 *   (name resolution that a rule asks for is `project/model`; the tree-sitter node accessors that extract.ts calls
 *   are `extract`, not `parse`; a file re-read by a rule is `read/decode`).
 * - `inclusive`: a phase's time is every sample with at least one frame of that phase on its stack (a phase
 *   entry's total time, callees included; phases overlap, so these do not sum to the total).
 * Run alone: node --import tsx scripts/bench/cpuprofile.ts FILE.cpuprofile
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export const PHASES = ['startup (load bundle)', 'config', 'discovery', 'read/decode', 'outline (pre-scan)', 'parser init (wasm)', 'parse', 'extract', 'project/model', 'rules', 'output', 'language server', 'GC', 'other'] as const;
export type Phase = (typeof PHASES)[number];

export interface ProfileReport {
  totalMs: number;
  topFunctions: { name: string; source: string; selfMs: number; pct: number }[];
  byFile: { source: string; selfMs: number; pct: number }[];
  phases: { phase: Phase; exclusiveMs: number; exclusivePct: number; inclusiveMs: number; inclusivePct: number; where: { group: string; pct: number }[] }[];
}

interface Frame {
  name: string;
  origin: Origin;
  phase: Phase | null;
}

function classify(source: string, name: string): Phase | null {
  if (source === '(garbage collector)') return 'GC';
  if (source.startsWith('node:internal/modules') || source.startsWith('node:internal/main') || source === '(compile)') return 'startup (load bundle)';
  if (/^node_modules\/vscode-(jsonrpc|languageserver)/.test(source)) return 'language server';
  if (!source.startsWith('server/src/')) return null;
  const s = source.slice('server/src/'.length);
  if (s.startsWith('core/config/')) return 'config';
  if (/^core\/workspace\/(discover|gitignore|globs|moduleNames)\.ts$/.test(s)) return 'discovery';
  if (s === 'core/workspace/read.ts') return 'read/decode';
  if (s === 'core/python/parser.ts') return /loadPython|create|locate/.test(name) ? 'parser init (wasm)' : 'parse';
  if (s === 'core/python/outline.ts' || s.startsWith('core/python/outline/') || s === 'core/python/relativeImport.ts') return 'outline (pre-scan)';
  if (s === 'core/workspace/analyzeJob.ts' && /^(outlineFile|distinctRefs)$/.test(name)) return 'outline (pre-scan)';
  if (/^core\/python\/(extract|facts|builtins|syntax|intern)\.ts$/.test(s)) return 'extract';
  if (/^core\/(project|migrations|catalog)\//.test(s)) return 'project/model';
  if (s === 'core/analyzer.ts' && name === 'model') return 'project/model';
  if (/^core\/(rules|fixes|status)\//.test(s) || s === 'core/analyzer.ts' || s === 'core/text.ts') return 'rules';
  if (s.startsWith('cli/format/')) return 'output';
  if (s.startsWith('lsp/')) return 'language server';
  return null;
}

const sourceMaps = new Map<string, SourceMap | null>();

/** Where a frame's code comes from: `file` (+ original `line`) for the function table, `group` for the per-module table. */
interface Origin {
  file: string;
  line: number | null;
  group: string;
}

function mapSource(url: string, line: number, column: number): Origin {
  if (url === '') return { file: '(native)', line: null, group: '(native)' };
  if (url.startsWith('node:')) return { file: url, line: line + 1, group: url.split('/').slice(0, 3).join('/') };
  let file = url;
  if (url.startsWith('file://')) file = fileURLToPath(url);
  if (!sourceMaps.has(file)) {
    let sm: SourceMap | null = null;
    try {
      sm = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      sm = null;
    }
    sourceMaps.set(file, sm);
  }
  const sm = sourceMaps.get(file);
  const entry = (sm?.findEntry(line, column) ?? {}) as { originalSource?: string; originalLine?: number };
  if (!entry.originalSource) {
    const rel = path.relative(process.cwd(), file);
    return { file: rel, line: line + 1, group: rel };
  }
  let rel = entry.originalSource.replace(/^webpack:\/\/([^/]+)\//, 'node_modules/$1/');
  if (!rel.startsWith('node_modules/')) rel = path.relative(process.cwd(), rel.startsWith('file://') ? fileURLToPath(rel) : path.resolve(path.dirname(file), rel));
  // A bundle copied elsewhere (the benchmark's snapshot) maps to paths beside the copy: keep the repository-relative part.
  const inRepo = /(?:^|\/)((?:server|client)\/src\/.*)$/.exec(rel);
  if (inRepo) rel = inRepo[1]!;
  const nm = rel.lastIndexOf('node_modules/');
  let group = rel;
  if (nm >= 0) {
    rel = rel.slice(nm);
    const parts = rel.split('/');
    group = parts.slice(0, parts[1]!.startsWith('@') ? 3 : 2).join('/');
  }
  return { file: rel, line: (entry.originalLine ?? 0) + 1, group };
}

/**
 * Three wasm modules run: web-tree-sitter's runtime (web-tree-sitter.wasm) and grammar (tree-sitter-python.wasm, a side
 * module), and the outline lexer (outline-lexer.wasm, server/assembly/).
 */
interface WasmInfo {
  functions: number;
  names: Map<number, string>;
}
function wasmInfo(file: string): WasmInfo | null {
  let b: Buffer;
  try {
    b = fs.readFileSync(file);
  } catch {
    return null;
  }
  const leb = (o: number): [number, number] => {
    let r = 0;
    let s = 0;
    let x: number;
    do {
      x = b[o++]!;
      r |= (x & 0x7f) << s;
      s += 7;
    } while (x & 0x80);
    return [r >>> 0, o];
  };
  let imported = 0;
  let defined = 0;
  const names = new Map<number, string>();
  for (let o = 8; o < b.length; ) {
    const id = b[o++]!;
    let size: number;
    [size, o] = leb(o);
    const end = o + size;
    let p = o;
    let n: number;
    let l: number;
    if (id === 2) {
      [n, p] = leb(p);
      for (let i = 0; i < n; i++) {
        [l, p] = leb(p);
        p += l;
        [l, p] = leb(p);
        p += l;
        const kind = b[p++]!;
        if (kind === 0) ([, p] = leb(p), imported++);
        else if (kind === 1 || kind === 2) {
          if (kind === 1) p++;
          let flags: number;
          [flags, p] = leb(p);
          [, p] = leb(p);
          if (flags & 1) [, p] = leb(p);
        } else if (kind === 3) p += 2;
      }
    } else if (id === 3) [defined] = leb(o);
    else if (id === 7) {
      [n, p] = leb(p);
      for (let i = 0; i < n; i++) {
        [l, p] = leb(p);
        const name = b.subarray(p, p + l).toString();
        p += l;
        const kind = b[p++]!;
        let index: number;
        [index, p] = leb(p);
        if (kind === 0) names.set(index, name);
      }
    }
    o = end;
  }
  return { functions: imported + defined, names };
}

/** `dist`: where the profiled bundle's .wasm files are (to name the wasm functions). */
export function analyzeProfile(file: string, top = 25, dist = path.resolve('dist')): ProfileReport {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Which wasm module is which: the grammar has a handful of functions, so a module with a higher function index is the runtime.
  const runtime = wasmInfo(path.join(dist, 'web-tree-sitter.wasm'));
  const grammar = wasmInfo(path.join(dist, 'tree-sitter-python.wasm'));
  const maxIndex = new Map<string, number>();
  for (const n of profile.nodes) {
    const m = /^wasm-function\[(\d+)\]$/.exec(n.callFrame.functionName);
    if (n.callFrame.url.startsWith('wasm://') && m) maxIndex.set(n.callFrame.url, Math.max(maxIndex.get(n.callFrame.url) ?? 0, Number(m[1])));
  }
  // The outline lexer's module is the one called from outline/lexer.ts (through V8's JS-to-wasm wrapper).
  const outlineLexer = wasmInfo(path.join(dist, 'outline-lexer.wasm'));
  const lexerUrls = new Set<string>();
  for (const n of profile.nodes) {
    if (!n.callFrame.url.startsWith('wasm://') || lexerUrls.has(n.callFrame.url)) continue;
    let up = parent.get(n.id);
    while (up !== undefined && (byId.get(up)!.callFrame.url.startsWith('wasm://') || !byId.get(up)!.callFrame.url)) up = parent.get(up);
    const caller = up === undefined ? null : byId.get(up)!.callFrame;
    if (caller && mapSource(caller.url, caller.lineNumber, caller.columnNumber).file.endsWith('outline/lexer.ts')) lexerUrls.add(n.callFrame.url);
  }
  const frames = new Map<number, Frame>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    const special = /^\((garbage collector|program|idle|root)\)$/.test(functionName) ? functionName : null;
    let origin: Origin;
    let name = special ?? (functionName || '(anonymous)');
    if (special) origin = { file: special, line: null, group: special };
    else if (url.startsWith('wasm://')) {
      const isLexer = lexerUrls.has(url);
      const isGrammar = !isLexer && grammar !== null && (maxIndex.get(url) ?? 0) < grammar.functions;
      const info = isLexer ? outlineLexer : isGrammar ? grammar : runtime;
      const index = /^wasm-function\[(\d+)\]$/.exec(functionName)?.[1];
      const exported = index !== undefined ? info?.names.get(Number(index)) : undefined;
      if (exported) name = `${exported} (${functionName})`;
      const label = isLexer ? 'wasm: outline-lexer.wasm' : isGrammar ? 'wasm: tree-sitter-python.wasm' : 'wasm: web-tree-sitter.wasm';
      origin = { file: label, line: null, group: label };
    } else origin = mapSource(url, lineNumber, columnNumber);
    frames.set(n.id, { name, origin, phase: classify(origin.file, name) });
  }
  // Duration of sample i: until the next sample (DevTools' convention); the last one until endTime.
  const n = profile.samples.length;
  let t = profile.startTime;
  const stamps: number[] = [];
  for (let i = 0; i < n; i++) stamps.push((t += profile.timeDeltas[i]!));
  const selfUs = new Map<number, number>();
  const exclusive = new Map<Phase, number>();
  const inclusive = new Map<Phase, number>();
  /** Per phase (exclusive), the self time of the leaf frames by module: what the phase's time is spent in. */
  const where = new Map<Phase, Map<string, number>>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const dur = Math.max(0, (i + 1 < n ? stamps[i + 1]! : profile.endTime) - stamps[i]!);
    const id = profile.samples[i]!;
    const leaf = frames.get(id)!;
    if (leaf.name === '(idle)') continue;
    total += dur;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dur);
    let innermost: Phase | null = null;
    const seen = new Set<Phase>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const p = frames.get(cur)!.phase;
      if (p === null) continue;
      innermost ??= p;
      seen.add(p);
    }
    const ex = innermost ?? 'other';
    exclusive.set(ex, (exclusive.get(ex) ?? 0) + dur);
    const leaves = where.get(ex) ?? new Map<string, number>();
    leaves.set(leaf.origin.group, (leaves.get(leaf.origin.group) ?? 0) + dur);
    where.set(ex, leaves);
    if (seen.size === 0) seen.add('other');
    for (const p of seen) inclusive.set(p, (inclusive.get(p) ?? 0) + dur);
  }
  const fnSelf = new Map<string, { name: string; source: string; us: number }>();
  const fileSelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = frames.get(id)!;
    const source = f.origin.line === null ? f.origin.file : `${f.origin.file}:${f.origin.line}`;
    const key = `${f.name}@${source}`;
    const entry = fnSelf.get(key) ?? { name: f.name, source, us: 0 };
    entry.us += us;
    fnSelf.set(key, entry);
    fileSelf.set(f.origin.group, (fileSelf.get(f.origin.group) ?? 0) + us);
  }
  const pct = (us: number): number => (100 * us) / total;
  return {
    totalMs: total / 1000,
    topFunctions: [...fnSelf.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, source: e.source, selfMs: e.us / 1000, pct: pct(e.us) })),
    byFile: [...fileSelf].sort((a, b) => b[1] - a[1]).slice(0, top).map(([source, us]) => ({ source, selfMs: us / 1000, pct: pct(us) })),
    phases: PHASES.map((phase) => ({ phase, exclusiveMs: (exclusive.get(phase) ?? 0) / 1000, exclusivePct: pct(exclusive.get(phase) ?? 0), inclusiveMs: (inclusive.get(phase) ?? 0) / 1000, inclusivePct: pct(inclusive.get(phase) ?? 0),
      where: [...(where.get(phase) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([group, us]) => ({ group, pct: (100 * us) / (exclusive.get(phase) ?? 1) })),
    })),
  };
}

export function reportMarkdown(title: string, r: ProfileReport): string[] {
  const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  return [
    `#### ${title} — ${ms(r.totalMs)} ms sampled`,
    '',
    '| phase | exclusive | | inclusive | | exclusive time spent in (self time of the leaf frame) |',
    '|---|---:|---:|---:|---:|---|',
    ...r.phases
      .filter((p) => p.inclusiveMs > 0)
      .map((p) => `| ${p.phase} | ${ms(p.exclusiveMs)} ms | ${p.exclusivePct.toFixed(1)} % | ${ms(p.inclusiveMs)} ms | ${p.inclusivePct.toFixed(1)} % | ${p.where.filter((w) => w.pct >= 3).map((w) => `${w.group} ${w.pct.toFixed(0)} %`).join(', ')} |`),
    '',
    '| # | function (self time) | source | self | % |',
    '|---:|---|---|---:|---:|',
    ...r.topFunctions.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.source} | ${ms(f.selfMs)} ms | ${f.pct.toFixed(1)} % |`),
    '',
    '| source file / module (self time) | self | % |',
    '|---|---:|---:|',
    ...r.byFile.slice(0, 15).map((f) => `| ${f.source} | ${ms(f.selfMs)} ms | ${f.pct.toFixed(1)} % |`),
    '',
  ];
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpuprofile.ts FILE.cpuprofile');
  process.stdout.write(`${reportMarkdown(path.basename(file), analyzeProfile(file)).join('\n')}\n`);
}
