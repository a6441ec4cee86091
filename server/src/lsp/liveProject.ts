/**
 * One project as the server keeps it alive: its config (the last good one when the file is broken), the core
 * Analyzer, the discovered files, and a queue of files still to (re-)index. Open documents win over disk: their
 * facts come from the editor buffer and their incremental tree. Pure of LSP: the server decides when to run what.
 */
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Analyzer } from '../core/analyzer.js';
import { FactsCache, factsCacheKey } from '../core/cache/factsCache.js';
import { buildIdentity } from '../core/cache/runCache.js';
import { Stamper } from '../core/cache/stamps.js';
import { findConfigFile, loadConfig } from '../core/config/load.js';
import type { Config } from '../core/config/types.js';
import { fixWorkspace, type FixableWorkspace, type FixOutcome } from '../core/fixes/fixAll.js';
import type { PythonParser } from '../core/python/parser.js';
import { addRequest, type FocusRequest, type ProjectFile } from '../core/project/project.js';
import type { ConfigDiagnostic, FileProblem } from '../core/types.js';
import { discoverFiles, sourceFileFor, tooLargeProblem, type SourceFile } from '../core/workspace/discover.js';
import { statusFilesToRefine } from '../core/status/status.js';
import { outlineFile } from '../core/workspace/analyzeJob.js';
import { focusFile } from '../core/workspace/focus.js';
import { analyzeText, analyzeTree, unreadableFile } from '../core/workspace/load.js';
import { fixableText, readPythonFile } from '../core/workspace/read.js';
import { VERSION } from '../core/version.js';
import type { DocumentStore } from './documents.js';

/** The server's facts cache (cache/factsCache.ts): its own file, as the server's bundle is another build than the CLI's. */
export const SERVER_FACTS_FILE = 'server-facts.bin';

export interface ConfigState {
  /** Config file in use, or null for defaults. */
  file: string | null;
  /** Problems of the config file as it is on disk now (even when an older good config is in use). */
  diagnostics: ConfigDiagnostic[];
  hasErrors: boolean;
}

export interface LoadedConfig {
  config: Config;
  state: ConfigState;
}

export class LiveProject implements FixableWorkspace {
  readonly analyzer: Analyzer;
  readonly config: Config;
  readonly configState: ConfigState;
  private readonly sources = new Map<string, SourceFile>();
  private readonly byAbs = new Map<string, SourceFile>();
  private readonly problems = new Map<string, FileProblem[]>();
  private readonly discoveryProblems: FileProblem[];
  /** relPaths still to index, in order; `priority` ones first. */
  private queue: string[] = [];
  private readonly priority = new Set<string>();
  private readonly queued = new Set<string>();
  private indexedOnce = new Set<string>();
  /**
   * Closed files are indexed as outlines (python/outline.ts) where the pre-scan vouches for them, as `check` does, at a
   * fifth of a parse's cost. Queued files named here are parsed instead, focused on what the request names
   * (workspace/focus.ts) or whole (null): outline files a finding or the status could differ on (`refine`).
   */
  private readonly parseWanted = new Map<string, FocusRequest | null>();
  /** Project.revision when `refine` last found no outline file to refine; -1 before the first time. */
  private refinedAt = -1;
  /**
   * Facts of files unchanged since the server last indexed this workspace, for each file's first index (null without
   * the cache, and once `saveFacts` has stored the index, when it was first ready: its ~10 MB for the stdlib are not
   * kept for the session). The stamper holds the hash of the bytes each file's facts come from.
   */
  private factsCache: FactsCache | null;
  private readonly stamper = new Stamper();
  /** Files whose first index came from the facts cache. */
  servedFromCache = 0;

  /**
   * Discovers the files of a loaded config (LiveProject.loadConfig) and queues them for indexing. `previous`: the
   * project this one replaces after a config change. Its indexed files keep their facts here when the new config gives
   * them the same module name (facts depend only on the text and the module name, never on the config): only files
   * whose module name changed, new files, files the old project had still to index and unreadable ones are indexed
   * again, so the cross-file answers do not vanish while a whole workspace is parsed once more.
   */
  constructor(
    readonly folder: string,
    loaded: LoadedConfig,
    readonly parser: PythonParser,
    private readonly docs: DocumentStore,
    previous?: LiveProject,
    options: { cache?: boolean } = {},
  ) {
    this.config = loaded.config;
    this.configState = loaded.state;
    // After a config change the old project's facts serve instead.
    this.factsCache = options.cache && !previous ? FactsCache.read(this.config.root, factsCacheKey(buildIdentity(VERSION)), this.stamper, SERVER_FACTS_FILE) : null;
    this.analyzer = new Analyzer({ config: this.config, texts: (file) => this.textOf(file) });
    const discovered = discoverFiles(this.config);
    this.discoveryProblems = discovered.problems;
    const toIndex: string[] = [];
    for (const f of discovered.files) {
      this.addSource(f);
      const kept = previous?.reusableFile(f, this.config.maxFileSize);
      if (!kept) {
        toIndex.push(f.relPath);
        continue;
      }
      // Where the file sits in this config (category, scope) is this config's; the facts are the same.
      const file: ProjectFile = { ...kept, category: f.category, inScope: f.inScope };
      this.analyzer.project.upsert(file);
      if (file.problems.length) this.problems.set(f.relPath, file.problems);
      this.indexedOnce.add(f.relPath);
    }
    this.enqueue(toIndex);
    // Everything taken over: what the new config's rules need parsed is known now, without an indexing run.
    if (!this.queue.length) this.refine();
  }

  /**
   * This project's facts of a file as another config discovers it, when they hold for it: indexed and not waiting to
   * be indexed again, readable, within that config's size limit (`maxFileSize`), and under the same module name.
   */
  private reusableFile(source: SourceFile, maxFileSize: number): ProjectFile | null {
    const file = this.analyzer.project.file(source.relPath);
    if (!file || file.opaque || this.queued.has(source.relPath) || !this.indexedOnce.has(source.relPath)) return null;
    const mine = this.sources.get(source.relPath);
    if (!mine || mine.absPath !== source.absPath || mine.module !== source.module || mine.isPackageInit !== source.isPackageInit) return null;
    return source.size > maxFileSize ? null : file;
  }

  /**
   * Loads the config for `folder` (or `configPath`, absolute or relative to the folder). A config with errors
   * is replaced by `lastGood` when there is one: the server keeps running on the last good config.
   */
  static loadConfig(folder: string, configPath: string, lastGood: Config | null): LoadedConfig {
    const explicit = configPath ? path.resolve(folder, configPath) : null;
    const result = loadConfig({ checkPath: folder, ...(explicit ? { configFile: explicit } : {}) });
    const hasErrors = result.diagnostics.some((d) => d.severity === 'error');
    const file = explicit ?? findConfigFile(folder);
    const config = hasErrors && lastGood ? lastGood : result.config;
    return { config, state: { file, diagnostics: result.diagnostics, hasErrors } };
  }

  /**
   * Whether this project was built from exactly `loaded` (same config, same config-file problems): then a reload
   * keeps it, and with it every indexed fact, instead of rebuilding the index from nothing.
   */
  builtFrom(loaded: LoadedConfig): boolean {
    return isDeepStrictEqual(this.config, loaded.config) && isDeepStrictEqual(this.configState, loaded.state);
  }

  get root(): string {
    return this.config.root;
  }

  get files(): SourceFile[] {
    return [...this.sources.values()];
  }

  get total(): number {
    return this.sources.size;
  }

  get indexed(): number {
    return this.indexedOnce.size;
  }

  /**
   * Every file has been indexed at least once, and the outline files the first results depended on were parsed:
   * cross-file answers are complete.
   */
  get ready(): boolean {
    return this.queue.length === 0 && this.refinedAt >= 0;
  }

  /**
   * Queues for a parse every outline file whose facts could change a finding (Analyzer.outlineFilesToRefine) or the
   * status (statusFilesToRefine): outline refs over-approximate. Focused on what those ask for, as `check` and
   * `status` do (stdlib: 15 files parsed whole and 174 focused, where 189 were parsed whole). Returns how many were
   * queued; 0 means every result stands on exact facts as of now. Costs a pass of the rules over the outline files,
   * so it runs when the queue is empty, not per file.
   */
  refine(): number {
    const { revision } = this.analyzer.project;
    if (this.refinedAt === revision) return 0;
    const wanted = new Set<string>();
    for (const { file, request } of [...this.analyzer.outlineFilesToRefine(), ...statusFilesToRefine(this.analyzer)]) {
      addRequest(this.parseWanted, file.relPath, request);
      wanted.add(file.relPath);
    }
    this.enqueue(wanted, true);
    if (!wanted.size) this.refinedAt = revision;
    return wanted.size;
  }

  /**
   * Before fixes are applied (fix all, and after each file a fix round changed): every file with a finding parsed
   * whole, now. Fixes are built from parsed files only, and a focused parse cannot vouch for the names a fix's edits
   * bind (fixAll.ts refuses a result that reads a name the file did not bind before, and a focused parse does not see
   * the names blanked statements read).
   */
  parseForFixes(): void {
    for (;;) {
      const needed = new Set(this.analyzer.outlineFilesToParse());
      for (const file of this.analyzer.project.allFiles()) if (file.focus && this.analyzer.checkFile(file.relPath).length) needed.add(file);
      const parsable = [...needed].filter((f) => this.sources.has(f.relPath));
      if (!parsable.length) return;
      for (const file of parsable) this.parseNow(file.relPath, null);
    }
  }

  /** `refine`, done now, before a request that counts every file's findings or usages (the panel's list, a report). */
  refineNow(): void {
    while (this.refine() > 0) for (const [rel, request] of [...this.parseWanted]) this.parseNow(rel, request);
  }

  /** Parses every file still outlined (a report against a base compares full facts); yields between files. */
  async parseOutlines(yieldTurn: () => Promise<void>): Promise<void> {
    for (const file of [...this.analyzer.project.allFiles()]) {
      if (!file.outline) continue;
      this.parseNow(file.relPath, null);
      await yieldTurn();
    }
  }

  private parseNow(rel: string, request: FocusRequest | null): void {
    const source = this.sources.get(rel);
    if (!source) return void this.parseWanted.delete(rel);
    if (this.queued.has(rel)) this.takeQueued(rel);
    addRequest(this.parseWanted, rel, request);
    this.indexFile(source);
  }

  source(absPath: string): SourceFile | undefined {
    return this.byAbs.get(path.resolve(absPath));
  }

  /** Whether `absPath` belongs to this project (discovered, or would be if it existed). */
  owns(absPath: string): boolean {
    return this.byAbs.has(path.resolve(absPath)) || sourceFileFor(this.config, absPath) !== null;
  }

  allProblems(): FileProblem[] {
    return [...this.discoveryProblems, ...[...this.problems.values()].flat()];
  }

  /** Adds files to the indexing queue (re-indexing those already indexed). */
  enqueue(relPaths: Iterable<string>, first = false): void {
    for (const rel of relPaths) {
      if (first) this.priority.add(rel);
      if (this.queued.has(rel)) continue;
      this.queued.add(rel);
      this.queue.push(rel);
    }
  }

  /**
   * Indexes queued files until `deadline` (ms timestamp) passes; priority files first. `othersAffected`: some other
   * file's findings may have changed (see `indexFile`).
   */
  indexUntil(deadline: number): { indexed: number; othersAffected: boolean } {
    let indexed = 0;
    let othersAffected = false;
    while (Date.now() < deadline) {
      if (!this.queue.length && this.refine() === 0) break;
      const rel = this.takeNext();
      const source = this.sources.get(rel);
      if (!source) continue;
      if (this.indexFile(source)) othersAffected = true;
      indexed++;
    }
    return { indexed, othersAffected };
  }

  private takeNext(): string {
    let i = 0;
    if (this.priority.size) {
      const p = this.queue.findIndex((r) => this.priority.has(r));
      if (p >= 0) i = p;
      else this.priority.clear();
    }
    const [rel] = this.queue.splice(i, 1) as [string];
    this.queued.delete(rel);
    this.priority.delete(rel);
    return rel;
  }

  private takeQueued(rel: string): void {
    this.queue = this.queue.filter((r) => r !== rel);
    this.queued.delete(rel);
    this.priority.delete(rel);
  }

  /**
   * (Re-)reads one file, from its open document when there is one. Returns true when other files' findings may have
   * changed: its exports did (Project.generation), or something the workspace-wide rules read, such as an import or a
   * `module.Alias` read in a function body (Project.workspaceRevision). Files an open document needs are moved to the
   * front of the queue (imports first), so the open files' diagnostics are complete early.
   */
  indexFile(source: SourceFile): boolean {
    const doc = this.docs.byAbsPath(source.absPath);
    let file: ProjectFile;
    const max = this.config.maxFileSize;
    // An open buffer is measured in UTF-16 units, a file on disk in bytes: close enough for a safety limit.
    const size = doc ? doc.text.length : source.size;
    if (size > max) {
      doc?.dropTree();
      file = unreadableFile(source, tooLargeProblem(source.relPath, size, max));
    } else if (doc) {
      file = analyzeTree(source, doc.parse(this.parser), doc.text);
    } else {
      file = this.closedFile(source);
    }
    this.parseWanted.delete(source.relPath);
    this.indexedOnce.add(source.relPath);
    if (file.problems.length) this.problems.set(source.relPath, file.problems);
    else this.problems.delete(source.relPath);
    const project = this.analyzer.project;
    const workspaceRevision = project.workspaceRevision;
    const changed = project.upsert(file) || project.workspaceRevision !== workspaceRevision;
    if (doc) this.prioritizeImportsOf(file);
    return changed;
  }

  /**
   * A closed file: on its first index, as the facts cache holds it when unchanged; else from disk, outlined unless
   * `parseWanted` asks for a parse, focused or whole.
   */
  private closedFile(source: SourceFile): ProjectFile {
    const wanted = this.parseWanted.get(source.relPath);
    if (this.factsCache && wanted === undefined && !this.indexedOnce.has(source.relPath)) {
      const served = this.factsCache.lookup(source);
      if (served) {
        this.servedFromCache++;
        return served;
      }
    }
    const read = readPythonFile(source.absPath, source.relPath, this.factsCache ? (bytes) => this.stamper.replace(source.absPath, bytes) : undefined);
    if (!read.ok) return unreadableFile(source, read.problem);
    const outlined = outlineFile(source, read.text);
    if (outlined && wanted === undefined) return outlined;
    const focused = outlined && wanted ? focusFile(outlined, read.text, wanted, this.parser) : null;
    return focused ?? analyzeText(this.parser, source, read.text);
  }

  /**
   * Stores the index's facts for the next session (.migration-lens-cache/server-facts.bin), once, when it is first
   * ready. Files open in the editor are left out: their facts are the buffer's, which the disk may not hold.
   */
  saveFacts(): void {
    if (!this.factsCache || !this.ready) return;
    const cache = this.factsCache;
    this.factsCache = null;
    cache.write(this.config.root, this.files, (rel) => {
      const source = this.sources.get(rel);
      return !source || this.docs.byAbsPath(source.absPath) ? undefined : this.analyzer.project.file(rel);
    });
  }

  /** The files that define the modules `file` imports (and their packages), to the front of the queue. */
  prioritizeImportsOf(file: ProjectFile): void {
    // Runs on every keystroke in an open document: nothing to reorder once the index is complete.
    if (!this.queued.size) return;
    const wanted = new Set<string>();
    for (const stmt of file.facts.imports) {
      const modules = stmt.kind === 'from' ? [stmt.absModule] : stmt.items.map((i) => i.name);
      for (const m of modules) {
        if (!m) continue;
        const parts = m.split('.');
        for (let i = 1; i <= parts.length; i++) wanted.add(parts.slice(0, i).join('.'));
        if (stmt.kind === 'from') for (const item of stmt.items) wanted.add(`${m}.${item.name}`);
      }
    }
    const rels: string[] = [];
    for (const s of this.sources.values()) if (s.module && wanted.has(s.module) && this.queued.has(s.relPath)) rels.push(s.relPath);
    this.enqueue(rels, true);
  }

  /** A file appeared (on disk or as a new buffer). Returns its source, or null when the project does not include it. */
  addFile(absPath: string): SourceFile | null {
    const existing = this.source(absPath);
    if (existing) return existing;
    const source = sourceFileFor(this.config, absPath);
    if (!source) return null;
    this.addSource(source);
    return source;
  }

  /** A file disappeared. Returns true when it was part of the project. */
  removeFile(absPath: string): boolean {
    const source = this.source(absPath);
    if (!source) return false;
    this.sources.delete(source.relPath);
    this.byAbs.delete(source.absPath);
    this.problems.delete(source.relPath);
    this.indexedOnce.delete(source.relPath);
    this.parseWanted.delete(source.relPath);
    if (this.queued.has(source.relPath)) this.takeQueued(source.relPath);
    this.analyzer.project.remove(source.relPath);
    return true;
  }

  /** Text to fix: the open buffer, else the file on disk when it is UTF-8 (fixes are written as UTF-8). */
  textOf(file: ProjectFile): string | null {
    const doc = this.docs.byAbsPath(file.absPath);
    if (doc) return doc.text;
    return fixableText(readPythonFile(file.absPath, file.relPath));
  }

  /** In-memory re-analysis for fix rounds (FixableWorkspace); only `computeFixes` calls it, and restores after. */
  update(source: SourceFile, text: string): ProjectFile {
    const file = analyzeText(this.parser, source, text);
    this.analyzer.project.upsert(file);
    // Its new exports may give an outline file a finding, whose fix only a parse can build.
    this.parseForFixes();
    return file;
  }

  /**
   * The core's fix rounds on this project, in memory: the changed files are re-indexed from their buffers or disk
   * afterwards, so the project is as before. Nothing is written; the editor applies the returned texts.
   */
  computeFixes(opts: { unsafe: boolean; filter?: (relPath: string) => boolean }): FixOutcome {
    this.parseForFixes();
    const outcome = fixWorkspace(this, opts);
    for (const { relPath } of outcome.changed.values()) {
      const source = this.sources.get(relPath);
      if (!source) continue;
      // Back as it was before the fix rounds: a file with findings is a parsed one.
      this.parseNow(relPath, null);
    }
    return outcome;
  }

  private addSource(source: SourceFile): void {
    this.sources.set(source.relPath, source);
    this.byAbs.set(path.resolve(source.absPath), source);
  }
}
