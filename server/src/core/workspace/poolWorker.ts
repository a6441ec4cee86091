import { parentPort, workerData } from 'node:worker_threads';
import { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import { analyzeJob, lazyParser } from './analyzeJob.js';
import { runShareWorker, type ShareStart } from './outlineShare.js';
import type { ChunkReply, ChunkRequest } from './pool.js';

/**
 * Entry of an analysis worker thread (bundled as dist/analysis-worker.js; pool.ts starts it). It reads the files
 * itself, so only paths cross the thread boundary on the way in and plain ProjectFiles on the way out. The parser
 * (web-tree-sitter's wasm compile) is created on the first job that needs a parse. Started with a ShareStart, it
 * outlines its share of a large workspace instead (outlineShare.ts), and the thread that started it ends it.
 */

const port = parentPort;
if (!port) throw new Error('poolWorker runs as a worker thread started by AnalysisPool (workspace/pool.ts)');

const share = (workerData as Partial<ShareStart> | null)?.share;
if (share) runShareWorker({ share });

const parser = lazyParser(() => PythonParser.create());

async function run(request: ChunkRequest): Promise<ChunkReply> {
  try {
    const files: ProjectFile[] = [];
    for (const job of request.jobs) files.push(await analyzeJob(job, parser));
    return { id: request.id, files };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: request.id, error: { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
  }
}

// One chunk at a time, in arrival order: a chunk waiting on the parser's creation must not be overtaken.
let previous: Promise<unknown> = Promise.resolve();
if (!share) port.on('message', (request: ChunkRequest) => {
  if (request.warmUp) {
    previous = previous.then(() => parser()).catch(() => undefined); // a failing parser fails the first real job
    return;
  }
  previous = previous.then(async () => {
    const reply = await run(request);
    try {
      port.postMessage(reply);
    } catch (err) {
      // A ProjectFile that is not plain data cannot be cloned: report it instead of crashing the worker.
      port.postMessage({ id: request.id, error: { message: `analysis result of chunk ${request.id} cannot be sent: ${(err as Error).message}` } } satisfies ChunkReply);
    }
  });
});
