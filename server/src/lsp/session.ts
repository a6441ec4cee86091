/**
 * The server's state: open documents, one LiveProject per workspace folder, the background indexer, the
 * validation scheduler and the status notifier. Handlers (server.ts, codeActions.ts, requests.ts) call into it.
 * All analysis is done by the core; this class decides *when*, and makes sure nothing stale is published.
 */
import * as path from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { mayHoldConfig } from '../core/config/fileNames.js';
import { PythonParser } from '../core/python/parser.js';
import { isInside } from '../core/workspace/discover.js';
import { computeStatus, type WorkspaceStatus } from '../core/status/status.js';
import type { Finding } from '../core/types.js';
import { SOURCE, configDiagnostic, toDiagnostic, uriOf } from './convert.js';
import { DocumentStore, type OpenDocument } from './documents.js';
import { LiveProject } from './liveProject.js';
import { DEFAULT_SETTINGS, StatusChangedNotification, type ProjectStatus, type ServerSettings, type StatusSnapshot } from './protocol.js';

/** Rules whose verdict needs the whole workspace indexed ("nothing imports this", "cannot be resolved"). */
const NEEDS_FULL_INDEX = new Set(['MIG004', 'MIG005', 'MIG006', 'MIG007']);
/** Slice of work between yields to the message loop while indexing, so requests are answered in between. */
const INDEX_SLICE_MS = 25;
const STATUS_DEBOUNCE_MS = 300;

export interface Validated {
  version: number;
  findings: Finding[];
  project: LiveProject;
  relPath: string;
}

export class Session {
  readonly docs = new DocumentStore();
  readonly projects = new Map<string, LiveProject>();
  private readonly settings = new Map<string, ServerSettings>();
  private readonly validated = new Map<string, Validated>();
  private readonly pendingValidation = new Map<string, { cancel(): void }>();
  private readonly published = new Map<string, string>();
  private readonly configUris = new Set<string>();
  private indexing: { timer: ReturnType<typeof setImmediate>; progress: WorkDoneProgressServerReporter | null } | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private statusCache = new Map<LiveProject, { revision: number; generation: number; status: WorkspaceStatus }>();
  private statusVersion = 0;
  private errorShown = false;
  private disposed = false;

  private constructor(
    readonly connection: Connection,
    readonly parser: PythonParser,
    private readonly supportsProgress: boolean,
  ) {}

  static async create(connection: Connection, supportsProgress: boolean): Promise<Session> {
    return new Session(connection, await PythonParser.create(), supportsProgress);
  }

  // --- projects ---------------------------------------------------------------------------------

  settingsFor(folder: string): ServerSettings {
    return this.settings.get(folder) ?? DEFAULT_SETTINGS;
  }

  /**
   * (Re)loads the project of each folder: on start, on config-file changes and on settings changes. A project whose
   * config came back unchanged is kept with its index: editors announce configuration changes that are not ours,
   * and a rebuilt project lacks every cross-file fact until re-indexing catches up (findings and fixes flicker).
   */
  loadProjects(folders: { path: string; settings: ServerSettings }[]): void {
    const previous = new Map(this.projects);
    this.projects.clear();
    for (const { path: folder, settings } of folders) {
      this.settings.set(folder, settings);
      if (!settings.enable) continue;
      const old = previous.get(folder);
      try {
        const loaded = LiveProject.loadConfig(folder, settings.configPath, old?.config ?? null);
        this.projects.set(folder, old?.builtFrom(loaded) ? old : new LiveProject(folder, loaded, this.parser, this.docs, old, { cache: settings.cache !== false }));
      } catch (e) {
        this.reportError(`cannot load the project in ${folder}`, e);
      }
    }
    const unchanged = previous.size === this.projects.size && [...this.projects].every(([folder, p]) => previous.get(folder) === p);
    if (unchanged) return;
    this.statusCache.clear();
    this.validated.clear();
    for (const doc of this.docs.all()) this.indexOpenDocument(doc);
    this.publishConfigDiagnostics();
    this.revalidateAll();
    // A new config that gives every file the module name it had keeps every file's facts (LiveProject): nothing to index.
    if ([...this.projects.values()].some((p) => !p.ready)) this.startIndexing();
    this.scheduleStatus();
  }

  projectOf(absPath: string): LiveProject | null {
    let best: LiveProject | null = null;
    for (const p of this.projects.values()) {
      if (!isInside(absPath, p.root) || !p.owns(absPath)) continue;
      if (!best || p.root.length > best.root.length) best = p;
    }
    return best;
  }

  /** A config file (or a file next to which one may appear) changed: reload the projects it governs. */
  isConfigFile(absPath: string): boolean {
    return mayHoldConfig(path.basename(absPath));
  }

  // --- documents --------------------------------------------------------------------------------

  /** Puts an open document's buffer into its project right away (open files first), ahead of the indexer. */
  indexOpenDocument(doc: OpenDocument): void {
    if (!doc.isPython) return;
    const project = this.projectOf(doc.absPath);
    if (!project) return;
    const source = project.addFile(doc.absPath);
    if (!source) return;
    this.guard(`indexing ${doc.uri}`, () => {
      if (project.indexFile(source)) this.afterOthersAffected(doc.uri);
    });
  }

  /**
   * Schedules validation of one open document; a newer edit cancels the pending one. Without a delay it runs two
   * turns of the event loop later rather than on a timer (which waits at least 1 ms, a fifth of a keystroke's time):
   * vscode-jsonrpc handles one queued message per turn, so the edits of a burst are all applied before the second
   * turn, and validated once.
   */
  scheduleValidation(uri: string, delayMs = 0): void {
    this.cancelValidation(uri);
    const run = (): void => {
      this.pendingValidation.delete(uri);
      this.validate(uri);
    };
    if (delayMs > 0) {
      const timer = setTimeout(run, delayMs);
      this.pendingValidation.set(uri, { cancel: () => clearTimeout(timer) });
      return;
    }
    let turn = setImmediate(() => {
      turn = setImmediate(run);
    });
    this.pendingValidation.set(uri, { cancel: () => clearImmediate(turn) });
  }

  cancelValidation(uri: string): void {
    this.pendingValidation.get(uri)?.cancel();
    this.pendingValidation.delete(uri);
  }

  /**
   * Re-analyzes an open document from its buffer and publishes its diagnostics, tagged with the version they
   * were computed for. When another file's findings may have changed (its exports, an import, a `module.Alias` read),
   * every other open document is re-validated too (cross-file).
   */
  validate(uri: string): Validated | null {
    const doc = this.docs.get(uri);
    if (!doc || !doc.isPython || this.disposed) return null;
    const project = this.projectOf(doc.absPath);
    if (!project) {
      this.publish(uri, [], doc.version);
      return null;
    }
    return this.guard(`validating ${uri}`, () => {
      const source = project.addFile(doc.absPath);
      if (!source) return null;
      const current = this.validated.get(uri);
      const file = project.analyzer.project.file(source.relPath);
      if (!file || current?.version !== doc.version || current.project !== project) {
        if (project.indexFile(source)) this.afterOthersAffected(uri);
      }
      const findings = project.analyzer.checkFile(source.relPath);
      const result: Validated = { version: doc.version, findings, project, relPath: source.relPath };
      this.validated.set(uri, result);
      this.publishFindings(doc, result);
      return result;
    }) ?? null;
  }

  /** The findings of an open document for its current version (validating now if needed), or null. */
  findingsFor(doc: OpenDocument): Validated | null {
    const v = this.validated.get(doc.uri);
    if (v && v.version === doc.version && this.projects.get(v.project.folder) === v.project) return v;
    this.cancelValidation(doc.uri);
    return this.validate(doc.uri);
  }

  closeDocument(uri: string): void {
    this.cancelValidation(uri);
    const doc = this.docs.close(uri);
    this.validated.delete(uri);
    this.publish(uri, [], null);
    if (!doc) return;
    // The buffer may have differed from the disk: the project goes back to the file on disk.
    const project = this.projectOf(doc.absPath);
    const source = project?.source(doc.absPath);
    if (project && source) {
      project.enqueue([source.relPath], true);
      this.startIndexing();
    }
  }

  /** Another file's findings may have changed: re-validate the other open documents (cheap when theirs did not). */
  private afterOthersAffected(exceptUri: string): void {
    for (const other of this.docs.all()) if (other.uri !== exceptUri) this.scheduleValidation(other.uri);
    this.scheduleStatus();
  }

  revalidateAll(): void {
    for (const doc of this.docs.all()) this.scheduleValidation(doc.uri);
  }

  private publishFindings(doc: OpenDocument, v: Validated): void {
    const ready = v.project.ready;
    const diagnostics: Diagnostic[] = [];
    // A skipped file says why it has no findings (syntax errors are the Python language server's job).
    for (const problem of v.project.analyzer.project.file(v.relPath)?.problems ?? []) {
      if (problem.kind === 'syntax') continue;
      diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: SOURCE, message: `Migration Lens: ${problem.message}` });
    }
    v.findings.forEach((f, index) => {
      // Until the index is complete, "unresolved" / "unused" verdicts would be guesses: hold them back.
      if (!ready && NEEDS_FULL_INDEX.has(f.code)) return;
      diagnostics.push(toDiagnostic(f, v.project.root, { version: v.version, index }));
    });
    this.publish(doc.uri, diagnostics, v.version);
  }

  private publish(uri: string, diagnostics: Diagnostic[], version: number | null): void {
    // Unversioned publishes (config files, closed documents) are skipped when nothing changed.
    if (version === null) {
      const key = JSON.stringify(diagnostics);
      if (this.published.get(uri) === key) return;
      this.published.set(uri, key);
    } else {
      this.published.delete(uri);
    }
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== null ? { version } : {}) });
  }

  /** Config-file problems go on the config file itself; the model's (unresolvable paths) too. */
  publishConfigDiagnostics(): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const project of this.projects.values()) {
      const file = project.configState.file;
      if (!file) continue;
      const uri = uriOf(file);
      const list = byUri.get(uri) ?? [];
      list.push(...project.configState.diagnostics.map(configDiagnostic));
      if (!project.configState.hasErrors) {
        this.guard('checking config paths', () => list.push(...project.analyzer.configDiagnostics().filter((d) => d.path === file).map(configDiagnostic)));
      }
      byUri.set(uri, list);
    }
    for (const uri of this.configUris) if (!byUri.has(uri)) this.publish(uri, [], null);
    this.configUris.clear();
    for (const [uri, list] of byUri) {
      this.configUris.add(uri);
      this.publish(uri, list, null);
    }
  }

  // --- background indexing -----------------------------------------------------------------------

  /** Indexes queued files in slices, yielding to the message loop between them, with $/progress. */
  startIndexing(): void {
    if (this.indexing || this.disposed) return;
    const state: { timer: ReturnType<typeof setImmediate>; progress: WorkDoneProgressServerReporter | null } = { timer: setImmediate(() => step()), progress: null };
    this.indexing = state;
    let lastReport = 0;
    if (this.supportsProgress) {
      void this.connection.window.createWorkDoneProgress().then(
        (progress) => {
          // Begun even when indexing ended before the client created the token: a progress ends only after it begins.
          progress.begin('Migration Lens', 0, 'indexing Python files', false);
          if (this.indexing !== state) return progress.done();
          state.progress = progress;
        },
        () => undefined,
      );
    }
    const step = (): void => {
      if (this.disposed) return;
      let othersAffected = false;
      const deadline = Date.now() + INDEX_SLICE_MS;
      for (const project of this.projects.values()) {
        if (project.ready) continue;
        const r = this.guard('indexing', () => project.indexUntil(deadline));
        // Finishing a project changes what its verdicts may say, like an export change does.
        if (r?.othersAffected || project.ready) othersAffected = true;
        break;
      }
      const total = [...this.projects.values()].reduce((n, p) => n + p.total, 0);
      const indexed = [...this.projects.values()].reduce((n, p) => n + p.indexed, 0);
      const busy = [...this.projects.values()].some((p) => !p.ready);
      if (state.progress && Date.now() - lastReport > 200) {
        lastReport = Date.now();
        state.progress.report(total ? Math.floor((indexed / total) * 100) : 100, `${indexed}/${total} files`);
      }
      if (busy) {
        state.timer = setImmediate(step);
        if (othersAffected) this.scheduleStatus(1000);
        return;
      }
      state.progress?.done();
      this.indexing = null;
      for (const project of this.projects.values()) this.guard('saving the index', () => project.saveFacts());
      this.publishConfigDiagnostics();
      this.revalidateAll();
      this.scheduleStatus(0);
    };
  }

  // --- status -------------------------------------------------------------------------------------

  scheduleStatus(delayMs = STATUS_DEBOUNCE_MS): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      const snapshot = this.guard('computing status', () => this.snapshot());
      if (snapshot) void this.connection.sendNotification(StatusChangedNotification, snapshot);
    }, delayMs);
  }

  /** The core's status of a project, recomputed only when something changed since the last time. */
  statusOf(project: LiveProject): WorkspaceStatus {
    const { revision, generation } = project.analyzer.project;
    const cached = this.statusCache.get(project);
    if (cached && cached.revision === revision && cached.generation === generation) return cached.status;
    const status = computeStatus(project.analyzer);
    this.statusCache.set(project, { revision, generation, status });
    return status;
  }

  snapshot(): StatusSnapshot {
    const projects: ProjectStatus[] = [];
    for (const project of this.projects.values()) {
      // An edit may have given outline files findings (or migrated usages): they are parsed before anything is counted.
      if (project.ready && project.refine() > 0) this.startIndexing();
      const scan = { state: project.ready ? ('ready' as const) : ('indexing' as const), indexed: project.indexed, total: project.total };
      const base = {
        root: uriOf(project.root),
        name: path.basename(project.root),
        configUri: project.configState.file ? uriOf(project.configState.file) : null,
        configHasErrors: project.configState.hasErrors,
        scan,
        files: project.total,
        problems: project.allProblems().length,
      };
      // Counts over a half-indexed workspace would be wrong, not just incomplete: report progress only.
      if (!project.ready) {
        projects.push({ ...base, remaining: 0, migrated: 0, compliance: null, groups: [], rules: [] });
        continue;
      }
      const s = this.statusOf(project);
      projects.push({
        ...base,
        remaining: s.remaining,
        migrated: s.migrated,
        compliance: s.compliance,
        groups: s.groups.map((g) => ({ ...g, codes: [...g.codes], categories: g.categories.map((c) => ({ ...c })) })),
        rules: s.rules.map((r) => ({ ...r })),
      });
    }
    return { version: ++this.statusVersion, projects };
  }

  // --- errors -------------------------------------------------------------------------------------

  /** Runs `fn`; an exception is logged with its stack and shown to the user once per session. */
  guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.reportError(what, e);
      return undefined;
    }
  }

  reportError(what: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.connection.console.error(`Migration Lens: error while ${what}: ${detail}`);
    if (!this.errorShown) {
      this.errorShown = true;
      void this.connection.window.showErrorMessage(`Migration Lens hit an internal error while ${what}; details are in the "Migration Lens" output. It keeps working on everything else.`);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.pendingValidation.values()) pending.cancel();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.indexing) clearImmediate(this.indexing.timer);
    this.docs.dispose();
    this.parser.delete();
  }
}
