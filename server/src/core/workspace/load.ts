import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { Analyzer } from '../analyzer.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { FileFacts } from '../python/facts.js';
import { extractFacts } from '../python/extract.js';
import { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import type { ConfigDiagnostic, FileProblem } from '../types.js';
import { discoverFiles, type SourceFile } from './discover.js';
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

export async function openWorkspace(opts: WorkspaceOptions): Promise<Workspace> {
  const checkPath = path.resolve(opts.checkPath);
  const { config, diagnostics } = loadConfig({ checkPath, ...(opts.configFile ? { configFile: path.resolve(opts.configFile) } : {}) });
  const discovered = discoverFiles(config, checkPath);
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
  const problems: FileProblem[] = [...discovered.problems];
  for (const source of discovered.files) {
    const r = read(source);
    const file = r.ok ? analyzeText(parser, source, r.text) : unreadableFile(source, r.problem);
    problems.push(...file.problems);
    analyzer.project.upsert(file);
  }
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
      return file;
    },
  };
}
