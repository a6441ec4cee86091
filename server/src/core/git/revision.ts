import { Analyzer } from '../analyzer.js';
import type { Config } from '../config/types.js';
import type { PythonParser } from '../python/parser.js';
import type { ProjectFile } from '../project/project.js';
import type { FileProblem } from '../types.js';
import { sourceFileAt, tooLargeProblem, type SourceFile } from '../workspace/discover.js';
import { analyzeText, unreadableFile } from '../workspace/load.js';
import { decodePython, fixableText } from '../workspace/read.js';
import { listTree, readBlobs, repoRelative, type Repository, type TreeEntry } from './git.js';

/**
 * The project as it was at one commit, read straight from git's object store (the work tree is never touched):
 * the same config (so "then" and "now" are measured alike), the same discovery rules, the same analyzer.
 * Files are keyed by blob hash, so a file whose content did not change between two commits is never
 * analyzed twice (see RevisionFiles).
 */

export interface RevisionSnapshot {
  commit: string;
  analyzer: Analyzer;
  /** Problems of files at this revision (syntax, encoding, too large). */
  problems: FileProblem[];
  /** Blob hash of every analyzed file, by path relative to the config root. */
  blobs: Map<string, string>;
}

/**
 * Analyzed files by blob hash, shared across the revisions of one run: walking 50 commits re-analyzes only the
 * blobs each commit introduced.
 */
export class RevisionFiles {
  /** Analyzed files by blob, path and category. */
  private readonly cache = new Map<string, ProjectFile>();
  private readonly texts = new WeakMap<ProjectFile, string | null>();

  constructor(
    readonly repo: Repository,
    readonly config: Config,
    private readonly parser: PythonParser,
  ) {}

  /** Path prefix of the config root inside the repository ('' when they coincide). */
  get prefix(): string {
    return repoRelative(this.repo, this.config.root);
  }

  /** Root-relative path for a repository path, or null when it lies outside the config root. */
  rootRelative(repoPath: string): string | null {
    const prefix = this.prefix;
    if (prefix === '') return repoPath;
    return repoPath.startsWith(`${prefix}/`) ? repoPath.slice(prefix.length + 1) : null;
  }

  /** The analyzable files of a tree listing, as SourceFiles (too-large ones flagged). */
  sourcesOf(entries: readonly TreeEntry[]): { source: SourceFile; entry: TreeEntry }[] {
    const out: { source: SourceFile; entry: TreeEntry }[] = [];
    for (const entry of entries) {
      const rel = this.rootRelative(entry.path);
      if (rel === null) continue;
      const source = sourceFileAt(this.config, rel, entry.size);
      if (source) out.push({ source, entry });
    }
    return out;
  }

  /** Analyzes the given files (reading each distinct blob once), returning them in order. */
  async load(items: readonly { source: SourceFile; entry: TreeEntry }[]): Promise<ProjectFile[]> {
    // Facts depend on the content and on where the file sits (module name, category): a renamed file is new.
    const key = (i: { source: SourceFile; entry: TreeEntry }): string => `${i.entry.blob}\0${i.source.relPath}\0${i.source.category}`;
    const missing = items.filter((i) => !this.cache.has(key(i)) && i.entry.size <= this.config.maxFileSize).map((i) => i.entry.blob);
    const contents = await readBlobs(this.repo, missing);
    const files: ProjectFile[] = [];
    for (const item of items) {
      const { source, entry } = item;
      if (entry.size > this.config.maxFileSize) {
        files.push(unreadableFile(source, tooLargeProblem(source.relPath, entry.size, this.config.maxFileSize)));
        continue;
      }
      let file = this.cache.get(key(item));
      if (!file) {
        const bytes = contents.get(entry.blob);
        const decoded = bytes ? decodePython(bytes, source.relPath) : null;
        file = !decoded
          ? unreadableFile(source, { path: source.relPath, kind: 'read', message: `blob ${entry.blob} is missing from the repository` })
          : decoded.ok
            ? analyzeText(this.parser, source, decoded.text)
            : unreadableFile(source, decoded.problem);
        this.cache.set(key(item), file);
        this.texts.set(file, decoded ? fixableText(decoded) : null);
      }
      files.push(file);
    }
    return files;
  }

  /** Text of a loaded file (rules build fixes from it); null when unreadable or not UTF-8. */
  textOf(file: ProjectFile): string | null {
    return this.texts.get(file) ?? null;
  }

  /** The whole project at `commit` (a resolved hash). */
  async snapshot(commit: string): Promise<RevisionSnapshot> {
    const items = this.sourcesOf(await listTree(this.repo, commit, this.prefix));
    const files = await this.load(items);
    const analyzer = new Analyzer({ config: this.config, texts: (f) => this.textOf(f) });
    const problems: FileProblem[] = [];
    for (const file of files) {
      analyzer.project.upsert(file);
      problems.push(...file.problems);
    }
    const blobs = new Map(items.map((i) => [i.source.relPath, i.entry.blob]));
    return { commit, analyzer, problems, blobs };
  }
}
