import * as path from 'node:path';
import { Analyzer } from '../analyzer.js';
import { loadConfig } from '../config/load.js';
import { yieldToEventLoop } from '../eventLoop.js';
import type { Config } from '../config/types.js';
import { PythonParser } from '../python/parser.js';
import { addRequest, type FocusRequest, type ProjectFile } from '../project/project.js';
import type { ConfigDiagnostic, FileProblem } from '../types.js';
import { analyzeJob, analyzeJobSync, analyzeText, lazyParser, withoutParse, type AnalysisJob } from './analyzeJob.js';
import { discoverFiles, type DiscoveryResult, type SourceFile } from './discover.js';
import { focusFile } from './focus.js';
import { OutlineShare, SHARE_ABOVE_BYTES } from './outlineShare.js';
import { soloWork } from './soloWork.js';
import { AnalysisPool, INLINE_BELOW_BYTES } from './pool.js';
import { fixableText, readPythonFile, type SourceText } from './read.js';

// Per-file analysis lives in analyzeJob.ts (the worker threads run it too); re-exported for the editor and git paths.
export { analyzeText, analyzeTree, unreadableFile } from './analyzeJob.js';

/**
 * Loads a whole workspace for a one-shot run (CLI, tests): config, discovery, read + parse + extract every
 * file (trees deleted at once), and an Analyzer over the result. Everything that goes wrong per file becomes
 * a FileProblem; the run goes on.
 */

export type LoadPhase = 'outlined' | 'parsed' | 'refined';

export interface WorkspaceOptions {
  /** File or directory the user asked to check (absolute or relative to cwd). */
  checkPath: string;
  configFile?: string;
  select?: string[] | null;
  ignore?: string[];
  /** Replaces disk contents for these absolute paths (unsaved edits, fix previews). */
  overlay?: Map<string, string>;
  /**
   * 'all' (default) parses every file. 'as-needed' pre-scans every file (python/outline.ts) and parses only those
   * whose outline could hold a finding: the findings and problems are the same, but the files left as outlines lack
   * refs and name loads, so only commands that report findings (check, fix, baseline) may ask for it, or one that
   * names the other outline files its result depends on (`refineAlso`).
   */
  parse?: 'all' | 'as-needed';
  /**
   * With 'as-needed': outline files a command's own result could differ on (status: the ones whose refs may be
   * migrated usages), each with what a focused parse must make exact (null: a full parse), refined with those that
   * could hold a finding until none is left.
   */
  refineAlso?: (analyzer: Analyzer) => { file: ProjectFile; request: FocusRequest | null }[];
  /**
   * Facts of files unchanged since they were last analyzed (cache/factsCache.ts): served files are neither read nor
   * analyzed. Only with 'as-needed' (the files it serves may be outlines); files in the overlay are never looked up.
   */
  cached?: { lookup(source: SourceFile): ProjectFile | null };
  /**
   * With 'as-needed': records each file's contents as they are read to outline it, so that a cache can stamp the file
   * by the contents its facts come from without reading it again (cache/stamps.ts): the bytes when this thread read
   * them, their SHA-1 when a worker did (outlineShare.ts).
   */
  stamper?: ReadStamper;
  /**
   * With 'as-needed': the outline is shared with a worker thread (outlineShare.ts) when the files to outline hold at
   * least this many bytes. Default SHARE_ABOVE_BYTES; MIGRATION_LENS_THREADS=0 turns it off.
   */
  shareOutlineAbove?: number;
  /** Tests: this thread outlines only once the worker has taken its first chunk, so that its path is exercised. */
  shareWaitsForWorker?: boolean;
  /**
   * With 'as-needed': called as each step of the load ends (scripts/bench/warmup.ts times them): 'outlined' when every
   * file has an outline or was declined, 'parsed' when the declined files are parsed, 'refined' when no outline file
   * needs a (focused) parse any more.
   */
  onPhase?: (phase: LoadPhase) => void;
  /**
   * With 'as-needed': a file that must be parsed only for the exact refs of its findings gets a focused parse
   * (focus.ts) when one can vouch for them. Its bound names and other refs stay incomplete, so only a command that
   * reports findings without applying fixes may ask for it (check, status, report; `fix` re-checks every name after
   * its edits).
   */
  focus?: boolean;
}

export interface ReadStamper {
  record(absPath: string, bytes: Uint8Array): void;
  recordDigest(absPath: string, sha1: string): void;
}

export interface Workspace {
  config: Config;
  analyzer: Analyzer;
  parser: PythonParser;
  files: SourceFile[];
  problems: FileProblem[];
  configDiagnostics: ConfigDiagnostic[];
  /** Current text of a project file (overlay first, then disk), or null if unreadable or not UTF-8 (never fixed). */
  textOf(file: ProjectFile): string | null;
  /** Re-reads and re-analyzes one file after its text changed. */
  update(file: SourceFile, text: string): ProjectFile;
}


/** Config and discovered files: what a run depends on besides file contents (the run cache checks it before parsing). */
export interface PreparedWorkspace {
  config: Config;
  diagnostics: ConfigDiagnostic[];
  discovered: DiscoveryResult;
}

export function prepareWorkspace(opts: Pick<WorkspaceOptions, 'checkPath' | 'configFile'>): PreparedWorkspace {
  const checkPath = path.resolve(opts.checkPath);
  const { config, diagnostics } = loadConfig({ checkPath, ...(opts.configFile ? { configFile: path.resolve(opts.configFile) } : {}) });
  return { config, diagnostics, discovered: discoverFiles(config, checkPath) };
}

export async function openWorkspace(opts: WorkspaceOptions, prepared: PreparedWorkspace = prepareWorkspace(opts)): Promise<Workspace> {
  const { config, diagnostics, discovered } = prepared;
  // The wasm compile runs in the background while files are read and outlined; most outlined runs barely need it.
  const parserReady = PythonParser.create();
  const parser = lazyParser(() => parserReady);
  const overlay = opts.overlay ?? new Map<string, string>();
  const read = (file: { absPath: string; relPath: string }): SourceText => {
    const text = overlay.get(file.absPath);
    return text !== undefined ? { ok: true, text, encoding: 'utf-8', bom: false } : readPythonFile(file.absPath, file.relPath);
  };
  const textOf = (file: ProjectFile): string | null => fixableText(read(file));
  const analyzer = new Analyzer({
    config,
    select: opts.select ?? null,
    ...(opts.ignore ? { ignore: opts.ignore } : {}),
    texts: textOf,
  });
  const sources = new Map(discovered.files.map((f) => [f.relPath, f]));
  const job = (source: SourceFile, depth: AnalysisJob['depth']): AnalysisJob => {
    const text = overlay.get(source.absPath);
    return text === undefined ? { source, depth } : { source, depth, text };
  };
  const depth = opts.parse === 'as-needed' ? 'outline' : 'full';
  // Parsing is what costs (~5 MB/s). In a large workspace, worker threads do the parses while this thread reads and
  // outlines: started (and their parsers compiled) up front, they are ready when the first declined file arrives.
  // When only what can hold a finding is parsed (a few % of the bytes), workers cost more memory (~130 MB for two
  // more bundles and parsers on the stdlib) than they save time on this 2-core machine: opt-in there.
  const bytes = discovered.files.reduce((sum, f) => sum + f.size, 0);
  const wantPool = depth === 'full' ? bytes >= INLINE_BELOW_BYTES : threadsSetting() !== undefined;
  const pool = wantPool ? createPool() : null;
  const parse = async (jobs: AnalysisJob[]): Promise<ProjectFile[]> => {
    if (pool && jobs.length) return pool.analyze(jobs);
    const out: ProjectFile[] = [];
    for (const j of jobs) out.push(await analyzeJob(j, parser));
    return out;
  };
  const focusOn = async (file: ProjectFile, request: FocusRequest): Promise<ProjectFile | null> => {
    const source = read(file);
    return source.ok ? focusFile(file, source.text, request, await parser()) : null;
  };
  try {
    if (depth === 'full') {
      soloWork();
      for (const file of await parse(discovered.files.map((f) => job(f, 'full')))) analyzer.project.upsert(file);
    } else {
      // Upserted in discovery order, as a full parse would: the first file claiming a module name keeps it.
      const files: ProjectFile[] = new Array(discovered.files.length);
      const parsing: Promise<void>[] = [];
      let declined: number[] = [];
      let declinedBytes = 0;
      const flush = (): void => {
        const batch = declined;
        // Already read here, so the text travels with the job instead of being read again.
        parsing.push(parse(batch.map((i) => declinedJobs.get(i)!)).then((parsed) => parsed.forEach((file, k) => (files[batch[k]!] = file))));
        declined = [];
        declinedBytes = 0;
      };
      const declinedJobs = new Map<number, AnalysisJob>();
      const { cached, stamper } = opts;
      const analyzeHere = (i: number): void => {
        const source = discovered.files[i]!;
        const r = withoutParse(job(source, 'outline'), stamper && ((bytes) => stamper.record(source.absPath, bytes)));
        if ('file' in r) return void (files[i] = r.file);
        declinedJobs.set(i, { ...job(source, 'full'), text: r.text });
        declined.push(i);
        declinedBytes += source.size;
        if (declinedBytes >= DECLINED_BATCH_BYTES) flush();
      };
      const toAnalyze: number[] = [];
      discovered.files.forEach((source, i) => {
        const served = cached && !overlay.has(source.absPath) ? cached.lookup(source) : null;
        if (served) files[i] = served;
        else toAnalyze.push(i);
      });
      // Files with editor text are this thread's: the worker reads from disk.
      const fromDisk: number[] = [];
      const fromEditor: number[] = [];
      for (const i of toAnalyze) (overlay.has(discovered.files[i]!.absPath) ? fromEditor : fromDisk).push(i);
      const fromDiskBytes = fromDisk.reduce((sum, i) => sum + discovered.files[i]!.size, 0);
      const share =
        fromDiskBytes >= (opts.shareOutlineAbove ?? SHARE_ABOVE_BYTES) && threadsSetting() !== 0
          ? OutlineShare.start(
              fromDisk.map((i) => discovered.files[i]!),
              stamper !== undefined,
              (k, file, sha1) => {
                files[fromDisk[k]!] = file;
                if (sha1) stamper?.recordDigest(file.absPath, sha1);
              },
            )
          : null;
      if (share) {
        for (const i of fromEditor) analyzeHere(i);
        if (opts.shareWaitsForWorker) share.waitForWorker();
        for (let claim = share.claim(); claim; claim = share.claim()) {
          for (let k = claim.from; k < claim.to; k++) analyzeHere(fromDisk[k]!);
          share.drain();
        }
        await share.finish();
        soloWork();
        // What the worker declined or could not read, or claimed and never sent (it died).
        for (const i of fromDisk) if (files[i] === undefined && !declinedJobs.has(i)) analyzeHere(i);
      } else {
        soloWork();
        for (let k = 0; k < toAnalyze.length; k++) {
          analyzeHere(toAnalyze[k]!);
          if (k % TURN_EVERY_FILES === TURN_EVERY_FILES - 1) await yieldToEventLoop();
        }
      }
      opts.onPhase?.('outlined');
      flush();
      await Promise.all(parsing);
      opts.onPhase?.('parsed');
      for (const file of files) analyzer.project.upsert(file);
    }
    const toRefine = (): { file: ProjectFile; request: FocusRequest | null }[] => {
      const needed = new Map(analyzer.outlineFilesToRefine().map((n) => [n.file, n.request]));
      for (const { file, request } of opts.refineAlso?.(analyzer) ?? []) addRequest(needed, file, request);
      return [...needed].map(([file, request]) => ({ file, request }));
    };
    for (let needed = toRefine(); needed.length; needed = toRefine()) {
      const full: ProjectFile[] = [];
      for (const { file, request } of needed) {
        const focused = opts.focus && request && !overlay.has(file.absPath) ? await focusOn(file, request) : null;
        if (focused) analyzer.project.upsert(focused);
        else full.push(file);
      }
      for (const file of await parse(full.map((f) => job(sources.get(f.relPath)!, 'full')))) analyzer.project.upsert(file);
    }
    if (depth === 'outline') opts.onPhase?.('refined');
  } finally {
    await pool?.close();
  }
  const problems: FileProblem[] = [...discovered.problems];
  for (const source of discovered.files) problems.push(...analyzer.project.file(source.relPath)!.problems);
  const mainParser = await parserReady;
  return {
    config,
    analyzer,
    parser: mainParser,
    files: discovered.files,
    problems,
    configDiagnostics: [...diagnostics, ...analyzer.configDiagnostics()],
    textOf,
    update(source, text) {
      overlay.set(source.absPath, text);
      const file = analyzeText(mainParser, source, text);
      analyzer.project.upsert(file);
      // Its new exports may give an outline file a finding: the invariant is that none holds one that needs a parse.
      for (let needed = analyzer.outlineFilesToParse(); needed.length; needed = analyzer.outlineFilesToParse()) {
        for (const f of needed) analyzer.project.upsert(analyzeJobSync(job(sources.get(f.relPath)!, 'full'), mainParser));
      }
      return file;
    },
  };
}

/** Declined files go to the workers in batches of about this size while this thread goes on outlining. */
const DECLINED_BATCH_BYTES = 256 * 1024;

/**
 * The outline turns the event loop after this many files. The parser's wasm compile (PythonParser.create, started
 * before the outline) advances in steps that each wait for a turn: compile the runtime, instantiate it, read the
 * grammar, compile it. Without turns they all waited for the end of the outline, and the first parse then waited
 * ~30 ms for the grammar's compile with this thread idle (stdlib CPU profile).
 */
const TURN_EVERY_FILES = 64;

/** MIGRATION_LENS_THREADS, when set: the number of worker threads. */
function threadsSetting(): number | undefined {
  const threads = process.env['MIGRATION_LENS_THREADS'];
  return threads === undefined || threads === '' ? undefined : Number(threads);
}

/**
 * A pool of worker threads started right away, or null when there should be none: MIGRATION_LENS_THREADS=0, or the
 * worker bundle is missing (then everything is parsed here).
 */
function createPool(): AnalysisPool | null {
  const workers = threadsSetting();
  if (workers !== undefined && !(workers >= 1)) return null;
  try {
    const pool = AnalysisPool.create({ inlineBelow: 0, ...(workers !== undefined ? { workers } : {}) });
    pool.warmUp();
    return pool;
  } catch {
    return null;
  }
}
