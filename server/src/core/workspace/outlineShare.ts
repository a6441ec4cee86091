import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { FactsReader, FactsWriter } from '../cache/factsCodec.js';
import { sha1Of } from '../cache/stamps.js';
import { internOwn } from '../python/intern.js';
import type { ProjectFile } from '../project/project.js';
import { cachedProjectFile, withoutParse } from './analyzeJob.js';
import type { SourceFile } from './discover.js';
import { workerScript } from './pool.js';

/**
 * The outline of a large workspace on two threads: this one and one worker claim chunks of files from one shared
 * counter (Atomics), so whichever is faster takes more and both finish together. The worker reads and outlines its
 * chunks and sends their facts encoded (cache/factsCodec.ts: a structured clone of the same objects cost ~20× the
 * encoding and decoding); this thread decodes them between its own chunks, with `receiveMessageOnPort`, since it
 * never yields to the event loop while it outlines. A file the worker does not vouch for (declined by the scanner,
 * unreadable), like one it claimed and never sent because it died, is not delivered: the caller analyzes every file
 * not delivered once `finish` returns, as it would have anyway.
 *
 * Only above SHARE_ABOVE_BYTES: each thread tiers its own JIT up and both share V8's background compiler and the
 * two cores, so on a small workspace the second thread costs what it saves (BENCHMARKS.md).
 */

/**
 * Measured on the 2-core machine, read and outline alone, medians: the stdlib (31.5 MB) took 1.08 s on one thread and
 * 1.16 s shared; a 10,000-file generated monorepo (54 MB) 1.85 s and 1.52 s; 20,000 files (108 MB) 4.2 s and 3.0 s.
 */
export const SHARE_ABOVE_BYTES = 48_000_000;

/** Files per claim: enough that claiming and messaging are noise, few enough to balance the tail. */
const CHUNK_FILES = 16;

/** The files [from, to) of chunk `chunk` of `count`; null past the last chunk. Both threads claim through this. */
function chunkFiles(chunk: number, count: number): { from: number; to: number } | null {
  const from = chunk * CHUNK_FILES;
  return from < count ? { from, to: Math.min(count, from + CHUNK_FILES) } : null;
}

/** What the worker is started with (its workerData). */
export interface ShareStart {
  share: {
    sources: SourceFile[];
    counter: SharedArrayBuffer;
    port: MessagePort;
    /** Whether to send each file's SHA-1 (a cache stamps the files by the bytes their facts come from). */
    digest: boolean;
  };
}

/** Worker → this thread: one chunk's facts (files it left out are the caller's), or the end. */
type ShareReply =
  | { chunk: number; ints: Int32Array; strings: string[]; files: number[]; offsets: number[]; digests: string[] }
  | { done: true; error?: string };

/** A file the worker outlined, and the SHA-1 of the bytes it read ('' when not asked for). */
export type SharedFile = (index: number, file: ProjectFile, digest: string) => void;

export class OutlineShare {
  private readonly counter: Int32Array;
  private done = false;

  private constructor(
    private readonly sources: readonly SourceFile[],
    private readonly worker: Worker,
    private readonly port: MessagePort,
    counter: SharedArrayBuffer,
    private readonly accept: SharedFile,
  ) {
    this.counter = new Int32Array(counter);
  }

  /** Starts the worker, or returns null when it cannot start (the caller outlines everything itself). */
  static start(sources: readonly SourceFile[], digest: boolean, accept: SharedFile, script?: string): OutlineShare | null {
    // [next chunk, whether the worker has claimed its first]
    const counter = new SharedArrayBuffer(8);
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      const entry = workerScript(script);
      const start: ShareStart = { share: { sources: [...sources], counter, port: port2, digest } };
      worker = new Worker(entry.file, { execArgv: entry.execArgv, workerData: start, transferList: [port2] });
    } catch {
      port1.close();
      return null;
    }
    // Not what keeps the process alive (until `finish` waits for it): a run that fails half-way exits at once.
    worker.unref();
    const share = new OutlineShare(sources, worker, port1, counter, accept);
    // A worker that dies stops claiming; what it claimed and did not send is the caller's after `finish`.
    worker.on('error', () => share.stop());
    worker.on('exit', () => share.stop());
    return share;
  }

  /**
   * Blocks until the worker has claimed its first chunk (or 10 s passed): tests use it so that the worker's path is
   * taken whatever the timing; a run never waits.
   */
  waitForWorker(): void {
    Atomics.wait(this.counter, 1, 0, 10_000);
  }

  /** The next chunk's files for this thread, or null when every chunk is claimed. */
  claim(): { from: number; to: number } | null {
    return chunkFiles(Atomics.add(this.counter, 0, 1), this.sources.length);
  }

  /** Takes in whatever the worker has sent so far, synchronously. */
  drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.receive(m.message as ShareReply);
  }

  /** Takes in the worker's last chunks and stops it. A file not delivered by then is the caller's to analyze. */
  async finish(): Promise<void> {
    this.drain();
    if (!this.done) {
      // Referenced while awaited: an unreferenced worker's exit would not keep the loop alive to report it.
      this.worker.ref();
      await new Promise<void>((resolve) => {
        this.port.on('message', (m: ShareReply) => {
          this.receive(m);
          if (this.done) resolve();
        });
        this.worker.once('exit', () => resolve());
      });
    }
    this.drain();
    this.port.close();
    await this.worker.terminate();
  }

  private stop(): void {
    this.done = true;
  }

  private receive(reply: ShareReply): void {
    if ('done' in reply) {
      // An error stops the worker's claims; the files of the chunk it was on are redone by the caller.
      this.done = true;
      return;
    }
    const reader = new FactsReader(reply.ints, reply.strings.map(internOwn));
    reply.files.forEach((i, k) => {
      const source = this.sources[i]!;
      this.accept(i, cachedProjectFile(source, reader.file(reply.offsets[k]!, source.relPath)), reply.digests[k]!);
    });
  }
}

/** The worker's side (poolWorker.ts runs it when started with a ShareStart): claims chunks until none is left. */
export function runShareWorker({ share }: ShareStart): void {
  const { sources, port, digest } = share;
  const counter = new Int32Array(share.counter);
  try {
    for (;;) {
      const chunk = Atomics.add(counter, 0, 1);
      const range = chunkFiles(chunk, sources.length);
      if (!range) break;
      if (Atomics.load(counter, 1) === 0) {
        Atomics.store(counter, 1, 1);
        Atomics.notify(counter, 1);
      }
      const parts: Int32Array[] = [];
      let length = 0;
      const writer = new FactsWriter((ints) => {
        parts.push(ints.slice());
        length += ints.length;
      });
      const files: number[] = [];
      const offsets: number[] = [];
      const digests: string[] = [];
      for (let i = range.from; i < range.to; i++) {
        let sha1 = '';
        const r = withoutParse({ source: sources[i]!, depth: 'outline' }, digest ? (bytes) => (sha1 = sha1Of(bytes)) : undefined);
        // Declined (it needs a parse) or unreadable: not sent, so the caller's, which parses and reports as usual.
        if (!('file' in r) || !r.file.outline) continue;
        files.push(i);
        offsets.push(writer.file({ facts: r.file.facts, problems: [], outline: true }));
        digests.push(sha1);
      }
      writer.finish();
      const ints = new Int32Array(length);
      let at = 0;
      for (const part of parts) {
        ints.set(part, at);
        at += part.length;
      }
      port.postMessage({ chunk, ints, strings: writer.strings, files, offsets, digests } satisfies ShareReply, [ints.buffer]);
    }
    port.postMessage({ done: true } satisfies ShareReply);
  } catch (err) {
    port.postMessage({ done: true, error: err instanceof Error ? err.message : String(err) } satisfies ShareReply);
  }
}
