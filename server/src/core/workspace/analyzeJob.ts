import type { Tree } from 'web-tree-sitter';
import type { CachedFile } from '../cache/factsCodec.js';
import { extractFacts } from '../python/extract.js';
import type { FileFacts } from '../python/facts.js';
import { outlineFacts } from '../python/outline.js';
import type { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import type { FileProblem } from '../types.js';
import type { SourceFile } from './discover.js';
import { readPythonFile } from './read.js';

/**
 * One file's analysis, from a path (or an editor's text) to a ProjectFile. The single definition both the worker
 * threads (poolWorker.ts) and the calling thread (analyzeJobsInline) run, so the two can only differ in where
 * they run. A job is plain data: it crosses to a worker by structured clone.
 */

/** 'outline': the pre-scan's facts when it vouches for them (python/outline.ts), else a full parse. */
export type Depth = 'full' | 'outline';

export interface AnalysisJob {
  source: SourceFile;
  depth: Depth;
  /** Editor/overlay text instead of disk (taken as UTF-8, as the editor holds it). */
  text?: string;
}

/** The parser, created on first use: a run whose files all outline never pays for the wasm compile. */
export type ParserSource = () => PythonParser | Promise<PythonParser>;

/** Reads (unless the job carries its text), then outlines or parses. Throws only on a bug, with the file named. */
export async function analyzeJob(job: AnalysisJob, parser: ParserSource): Promise<ProjectFile> {
  return named(job, async () => {
    const r = withoutParse(job);
    return 'file' in r ? r.file : analyzeText(await parser(), job.source, r.text);
  });
}

/** The same on a parser at hand, synchronously (a fix round re-analyzes files between edits). */
export function analyzeJobSync(job: AnalysisJob, parser: PythonParser): ProjectFile {
  return named(job, () => {
    const r = withoutParse(job);
    return 'file' in r ? r.file : analyzeText(parser, job.source, r.text);
  });
}

/**
 * Everything short of a parse: the finished file when reading failed or the outline vouches, else its text.
 * `onBytes`: sees the bytes read from disk (not called for a job that carries its text).
 */
export function withoutParse(job: AnalysisJob, onBytes?: (bytes: Buffer) => void): { file: ProjectFile } | { text: string } {
  const { source } = job;
  let text = job.text;
  if (text === undefined) {
    const read = readPythonFile(source.absPath, source.relPath, onBytes);
    if (!read.ok) return { file: unreadableFile(source, read.problem) };
    text = read.text;
  }
  const outlined = job.depth === 'outline' ? outlineFile(source, text) : null;
  return outlined ? { file: outlined } : { text };
}

function named<T>(job: AnalysisJob, run: () => T): T {
  const fail = (err: unknown): never => {
    throw new Error(`analysis of ${job.source.relPath} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  };
  try {
    const result = run();
    return result instanceof Promise ? (result.catch(fail) as T) : result;
  } catch (err) {
    return fail(err);
  }
}

/** A ParserSource that creates its parser once, on the first call. */
export function lazyParser(create: () => Promise<PythonParser>): ParserSource & { created(): Promise<PythonParser> | null } {
  let parser: Promise<PythonParser> | null = null;
  return Object.assign(() => (parser ??= create()), { created: () => parser });
}

// ---- one file, from text, tree or read problem to ProjectFile ------------------------------------------------

const EMPTY_FACTS = (module: string | null, isPackage: boolean): FileFacts => ({
  module,
  isPackage,
  imports: [],
  refs: [],
  bindings: [],
  definitions: [],
  legacyWarnings: [],
  all: null,
  allDynamic: false,
  hasGetattr: false,
  dynamicGlobals: false,
  moduleNameLoads: [],
  boundNames: [],
  unboundNames: [],
  suppressions: [],
  syntaxError: null,
});

export function analyzeText(parser: PythonParser, source: SourceFile, text: string): ProjectFile {
  const tree = parser.parse(text);
  try {
    return analyzeTree(source, tree, text);
  } finally {
    tree.delete();
  }
}

/** Facts of a file from a tree the caller owns (an editor keeps the tree of an open document to re-parse incrementally). */
export function analyzeTree(source: SourceFile, tree: Tree, text: string): ProjectFile {
  const facts = extractFacts(tree, text, { module: source.module, isPackage: source.isPackageInit });
  const problems: FileProblem[] = [];
  if (facts.syntaxError) {
    const { line, column } = facts.syntaxError.start;
    problems.push({ path: source.relPath, kind: 'syntax', message: `syntax error at line ${line + 1}, column ${column + 1}: analyzed what parses; fixes are not applied to this file`, range: facts.syntaxError });
  }
  return projectFile(source, facts, problems, false);
}

/** A file whose contents are unknowable (unreadable, undecodable, too large): opaque, with its problem. */
export function unreadableFile(source: SourceFile, problem: FileProblem): ProjectFile {
  return projectFile(source, EMPTY_FACTS(source.module, source.isPackageInit), [problem], true);
}

/** The file's outline facts (no parse), or null when the pre-scan cannot vouch for them and a parse is needed. */
export function outlineFile(source: SourceFile, text: string): ProjectFile | null {
  // Parameters are left out: an outline file only serves rules, and no rule reads them.
  // One ref per import item and chain (outline.ts distinctRefs): the rules need no more of an outline.
  const outline = outlineFacts(text, { module: source.module, isPackage: source.isPackageInit, params: false, distinctRefs: true });
  if (!outline.ok) return null;
  return { ...projectFile(source, outline.facts, [], false), outline: true };
}

/** A file as the facts cache (cache/factsCache.ts) kept it, in the shape analyzing it again would give. */
export function cachedProjectFile(source: SourceFile, cached: CachedFile): ProjectFile {
  const file = projectFile(source, cached.facts, cached.problems, false);
  if (cached.focus) return { ...file, outline: true, focus: cached.focus };
  return cached.outline ? { ...file, outline: true } : file;
}

function projectFile(source: SourceFile, facts: FileFacts, problems: FileProblem[], opaque: boolean): ProjectFile {
  return {
    relPath: source.relPath,
    absPath: source.absPath,
    module: source.module,
    isPackage: source.isPackageInit,
    category: source.category,
    inScope: source.inScope,
    facts,
    problems,
    opaque,
  };
}
