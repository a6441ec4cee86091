import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { Analyzer } from '../analyzer.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { FileFacts } from '../python/facts.js';
import { extractFacts } from '../python/extract.js';
import { outlineFacts } from '../python/outline.js';
import { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import type { ConfigDiagnostic, FileProblem } from '../types.js';
import { discoverFiles, type DiscoveryResult, type SourceFile } from './discover.js';
import { fixableText, readPythonFile, type SourceText } from './read.js';

/**
 * Loads a whole workspace for a one-shot run (CLI, tests): config, discovery, read + parse + extract every
 * file (trees deleted at once), and an Analyzer over the result. Everything that goes wrong per file becomes
 * a FileProblem; the run goes on.
 */

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
   * refs and name loads, so only commands that report findings (check, fix, baseline) may ask for it.
   */
  parse?: 'all' | 'as-needed';
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
  const outline = outlineFacts(text, { module: source.module, isPackage: source.isPackageInit });
  if (!outline.ok) return null;
  return { ...projectFile(source, outline.facts, [], false), outline: true };
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
  const parser = await PythonParser.create();
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
  const analyze = (source: SourceFile, depth: 'full' | 'outline'): ProjectFile => {
    const r = read(source);
    if (!r.ok) return unreadableFile(source, r.problem);
    return (depth === 'outline' && outlineFile(source, r.text)) || analyzeText(parser, source, r.text);
  };
  const depth = opts.parse === 'as-needed' ? 'outline' : 'full';
  for (const source of discovered.files) analyzer.project.upsert(analyze(source, depth));
  let needsParsing: ((file: ProjectFile) => ProjectFile) | null = null;
  if (depth === 'outline') {
    const sources = new Map(discovered.files.map((f) => [f.relPath, f]));
    needsParsing = (file) => analyze(sources.get(file.relPath)!, 'full');
    parseWhereNeeded(analyzer, needsParsing);
  }
  const problems: FileProblem[] = [...discovered.problems];
  for (const source of discovered.files) problems.push(...analyzer.project.file(source.relPath)!.problems);
  return {
    config,
    analyzer,
    parser,
    files: discovered.files,
    problems,
    configDiagnostics: [...diagnostics, ...analyzer.configDiagnostics()],
    textOf,
    update(source, text) {
      overlay.set(source.absPath, text);
      const file = analyzeText(parser, source, text);
      analyzer.project.upsert(file);
      // Its new exports may give an outline file a finding: the invariant is that none holds one.
      if (needsParsing) parseWhereNeeded(analyzer, needsParsing);
      return file;
    },
  };
}

/**
 * Replaces outline facts by parsed ones wherever that could change a result, until nothing could: files in scope
 * with a finding (outline refs over-approximate, so a file whose real refs hold a finding always has one in its
 * outline; outline imports, bindings and definitions are exact, so other files' results do not move), and files a
 * rule names as sensitive to approximate refs (Rule.outlineSensitive). Each round parses at least one file.
 */
function parseWhereNeeded(analyzer: Analyzer, parse: (file: ProjectFile) => ProjectFile): void {
  for (;;) {
    const needed = new Set(analyzer.outlineSensitiveFiles());
    for (const f of analyzer.checkAll((file) => file.outline === true && file.inScope)) needed.add(analyzer.project.file(f.path)!);
    if (!needed.size) return;
    for (const file of needed) analyzer.project.upsert(parse(file));
  }
}
