import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import { analyzeJob, lazyParser, type AnalysisJob, type ParserSource } from './analyzeJob.js';

export type { AnalysisJob, Depth } from './analyzeJob.js';

/**
 * Analyzes files on worker threads: each worker reads, parses (its own web-tree-sitter instance) and extracts
 * facts, and sends back plain ProjectFiles. Jobs are cut into chunks of about equal bytes, largest files first,
 * and every worker pulls the next chunk from one queue as it finishes one, so a huge file never leaves a core idle.
 * Small batches run on the calling thread: starting a worker (bundle load + wasm compile) costs more than it saves.
 */

/**
 * Below this many source bytes a batch runs inline. A worker answers its first job ~60 ms after it is started
 * (thread + bundle ~20 ms, wasm compile ~40 ms), but each warms its own JIT, and on the 2-core machine the two
 * workers together analyze only ~1.3x as fast as one thread (the main thread also pays ~0.7 ms per 20 KB of source to
 * receive the results). Measured from dist/ in fresh processes on stdlib prefixes: inline wins at 1 MB (0.29 s vs
 * 0.33 s), ties at 2-3 MB, and the pool wins from 4 MB (0.85 s vs 0.93 s), 8 MB (1.5 vs 1.6) and 16 MB (2.8 vs 3.3).
 */
export const INLINE_BELOW_BYTES = 4_000_000;

/** Chunk size bounds: small enough to balance the tail, large enough that messaging is noise. */
const MIN_CHUNK_BYTES = 32 * 1024;
const MAX_CHUNK_BYTES = 512 * 1024;
/** Chunks sent to a worker before it answers: the next one is already there while the main thread reads a reply. */
const IN_FLIGHT = 2;

/** Main thread → worker. */
export interface ChunkRequest {
  id: number;
  jobs: AnalysisJob[];
  /** No jobs, no reply: create the parser now, while the main thread does something else. */
  warmUp?: true;
}

/** Worker → main thread: the chunk's files in job order, or the first job that threw. */
export type ChunkReply = { id: number; files: ProjectFile[] } | { id: number; error: { message: string; stack?: string } };

export interface PoolOptions {
  /** Worker threads; default os.availableParallelism(), at least 1. */
  workers?: number;
  /** Batches of fewer bytes run inline; default INLINE_BELOW_BYTES (0 forces workers, as tests do). */
  inlineBelow?: number;
  /** The worker entry, instead of the bundled or source one next to this module (tests of crash handling). */
  script?: string;
}

interface Batch {
  jobs: AnalysisJob[];
  results: ProjectFile[];
  pending: number;
  settled: boolean;
  resolve(files: ProjectFile[]): void;
  reject(err: Error): void;
}

interface Chunk {
  id: number;
  batch: Batch;
  /** Indices into batch.jobs. */
  indices: number[];
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Chunk>;
  /** The uncaught error that is killing the worker, reported when it exits. */
  crash: Error | null;
}

interface WorkerScript {
  file: string;
  execArgv: string[];
}

/**
 * The worker entry: `analysis-worker.js` beside the running bundle (esbuild puts it in dist/ next to cli.js and
 * server.js), or, when running from source under tsx, poolWorker.ts beside this file, loaded through tsx as well.
 */
export function workerScript(override?: string): WorkerScript {
  // `--require tsx/cjs`, not `--import tsx`: on Node 20 the loader hooks `--import tsx` registers do not apply to a
  // worker's entry (ERR_UNKNOWN_FILE_EXTENSION ".ts"); the sources compile to CommonJS, which tsx/cjs hooks in-thread.
  // Resolved from here, so it does not depend on the process's cwd.
  const tsx = (file: string): WorkerScript => ({ file, execArgv: file.endsWith('.ts') ? ['--require', resolveTsx()] : [] });
  if (override) return tsx(override);
  const bundled = path.join(__dirname, 'analysis-worker.js');
  if (fs.existsSync(bundled)) return tsx(bundled);
  const source = path.join(__dirname, 'poolWorker.ts');
  if (fs.existsSync(source)) return tsx(source);
  throw new Error(`analysis worker not found: neither ${bundled} nor ${source} exists (is dist/analysis-worker.js built and shipped?)`);
}

function resolveTsx(): string {
  try {
    return require.resolve('tsx/cjs');
  } catch {
    return 'tsx/cjs';
  }
}

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Chunk[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly size: number,
    private readonly inlineBelow: number,
    private readonly script: WorkerScript,
  ) {}

  /**
   * Workers start on the first batch that needs them, not here. Throws when the worker entry is missing (a build or
   * packaging error: dist/analysis-worker.js must ship beside the bundle that uses the pool).
   */
  static create(opts: PoolOptions = {}): AnalysisPool {
    const size = Math.max(1, Math.floor(opts.workers ?? os.availableParallelism()));
    return new AnalysisPool(size, opts.inlineBelow ?? INLINE_BELOW_BYTES, workerScript(opts.script));
  }

  /**
   * The ProjectFile of every job, in job order. Rejects when a job throws (the message names the file) or a
   * worker dies with jobs of this batch on it; other batches go on.
   */
  analyze(jobs: AnalysisJob[]): Promise<ProjectFile[]> {
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    const bytes = jobs.reduce((sum, job) => sum + jobBytes(job), 0);
    if (bytes < this.inlineBelow || jobs.length === 0) return analyzeJobsInline(jobs);
    return new Promise<ProjectFile[]>((resolve, reject) => {
      const batch: Batch = { jobs, results: new Array<ProjectFile>(jobs.length), pending: 0, settled: false, resolve, reject };
      for (const indices of chunkBySize(jobs, chunkTarget(bytes, this.size))) {
        this.queue.push({ id: this.nextId++, batch, indices });
        batch.pending++;
      }
      this.pump();
    });
  }

  /**
   * Starts every worker and has it compile the parser now, so that a batch sent later finds them ready: a caller
   * that knows parses will come (a whole-workspace check) hides the start-up behind its own work.
   */
  warmUp(): void {
    if (this.closed) return;
    while (this.slots.length < this.size) this.spawn().worker.postMessage({ id: -1, jobs: [], warmUp: true } satisfies ChunkRequest);
  }

  /** Terminates the workers; batches still running reject. The process can exit once this resolves. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new Error('analysis pool closed');
    for (const chunk of this.queue.splice(0)) this.fail(chunk.batch, closing);
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const chunk of slot.inFlight.values()) this.fail(chunk.batch, closing);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Hands queued chunks to workers with room, starting workers up to the pool size. */
  private pump(): void {
    while (this.queue.length && !this.closed) {
      const chunk = this.queue[0]!;
      if (chunk.batch.settled) {
        this.queue.shift();
        continue;
      }
      let slot = this.slots.reduce<Slot | null>((best, s) => (s.inFlight.size < IN_FLIGHT && (!best || s.inFlight.size < best.inFlight.size) ? s : best), null);
      if ((!slot || slot.inFlight.size > 0) && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.queue.shift();
      const request: ChunkRequest = { id: chunk.id, jobs: chunk.indices.map((i) => chunk.batch.jobs[i]!) };
      try {
        slot.worker.postMessage(request);
      } catch (err) {
        // Not cloneable (a job that is not plain data): that batch's fault, not the worker's.
        this.fail(chunk.batch, new Error(`cannot send ${request.jobs[0]?.source.relPath ?? 'jobs'} to an analysis worker: ${(err as Error).message}`));
        continue;
      }
      slot.inFlight.set(chunk.id, chunk);
      slot.worker.ref();
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script.file, { execArgv: this.script.execArgv });
    // Referenced only while it has work (pump / receive), so an idle pool never keeps the process alive.
    worker.unref();
    const slot: Slot = { worker, inFlight: new Map(), crash: null };
    worker.on('message', (reply: ChunkReply) => this.receive(slot, reply));
    worker.on('error', (err) => (slot.crash ??= err));
    worker.on('messageerror', (err) => {
      slot.crash ??= err;
      void worker.terminate();
    });
    worker.on('exit', (code) => this.exited(slot, code));
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, reply: ChunkReply): void {
    const chunk = slot.inFlight.get(reply.id);
    if (!chunk) return;
    slot.inFlight.delete(reply.id);
    if (slot.inFlight.size === 0) slot.worker.unref();
    const { batch } = chunk;
    if ('error' in reply) {
      const err = new Error(reply.error.message);
      // The worker's frames are the ones that say where it failed.
      if (reply.error.stack) err.stack = reply.error.stack;
      this.fail(batch, err);
    } else if (!batch.settled) {
      chunk.indices.forEach((jobIndex, k) => (batch.results[jobIndex] = reply.files[k]!));
      if (--batch.pending === 0) {
        batch.settled = true;
        batch.resolve(batch.results);
      }
    }
    this.pump();
  }

  private exited(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // close() already took it
    this.slots.splice(i, 1);
    const reason = slot.crash?.message ?? `exit code ${code}`;
    for (const chunk of slot.inFlight.values()) {
      const first = chunk.batch.jobs[chunk.indices[0]!]!.source.relPath;
      this.fail(chunk.batch, new Error(`analysis worker died (${reason}) while analyzing ${first} and ${chunk.indices.length - 1} more file(s)`, { cause: slot.crash ?? undefined }));
    }
    // A replacement starts for the chunks of other batches still queued.
    this.pump();
  }

  private fail(batch: Batch, err: Error): void {
    if (batch.settled) return;
    batch.settled = true;
    batch.reject(err);
  }
}

/** The same analysis on the calling thread: for small batches, and the reference the pool is tested against. */
export async function analyzeJobsInline(jobs: AnalysisJob[], parser?: PythonParser): Promise<ProjectFile[]> {
  const own = lazyParser(() => PythonParser.create());
  const source: ParserSource = parser ? () => parser : own;
  try {
    const files: ProjectFile[] = [];
    for (const job of jobs) files.push(await analyzeJob(job, source));
    return files;
  } finally {
    (await own.created()?.catch(() => null))?.delete();
  }
}

function jobBytes(job: AnalysisJob): number {
  // typeof, not `!== undefined`: a job with a text that is not a string must fail in analyzeJob, naming its file.
  return typeof job.text === 'string' ? Buffer.byteLength(job.text) : job.source.size;
}

function chunkTarget(totalBytes: number, workers: number): number {
  return Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.ceil(totalBytes / (workers * 16))));
}

/** Job indices, largest file first, cut into runs of about `target` bytes (a larger file is a chunk of its own). */
export function chunkBySize(jobs: readonly AnalysisJob[], target: number): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => jobBytes(jobs[b]!) - jobBytes(jobs[a]!) || a - b);
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of order) {
    current.push(i);
    bytes += jobBytes(jobs[i]!);
    if (bytes >= target) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}
