/**
 * Wires LSP messages to the Session. The only module that registers handlers; every handler checks its
 * cancellation token first and never lets an exception escape (Session.guard logs it and tells the user once).
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { VERSION } from '../cli/common.js';
import { codeActions } from './codeActions.js';
import { pathOf, uriOf } from './convert.js';
import { FIX_ALL_KIND, DEFAULT_SETTINGS, FixesRequest, OccurrencesRequest, ReportRequest, StatusRequest, type ServerSettings } from './protocol.js';
import { computeFixes, occurrences, report } from './requests.js';
import { Session } from './session.js';
import { HistoryCancelled } from '../core/history/history.js';
import { HistoryRequest } from './protocol.js';
import { history } from './requests.js';

function cancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

export function startServer(connection: Connection): void {
  let session: Session | null = null;
  let folders: string[] = [];
  let canPullSettings = false;
  let folderEvents = false;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  const ready = (): Session => {
    if (!session) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'server not initialized');
    return session;
  };

  async function settingsFor(folder: string): Promise<ServerSettings> {
    if (!canPullSettings) return DEFAULT_SETTINGS;
    try {
      const value = (await connection.workspace.getConfiguration({ scopeUri: uriOf(folder), section: 'migrationLens' })) as Partial<ServerSettings> | null;
      return { ...DEFAULT_SETTINGS, ...(value ?? {}) };
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  async function reload(): Promise<void> {
    const s = ready();
    const withSettings = await Promise.all(folders.map(async (f) => ({ path: f, settings: await settingsFor(f) })));
    s.loadProjects(withSettings);
  }

  /** Config edits and settings changes come in bursts (save + file event): reload once. */
  function scheduleReload(): void {
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void reload().catch((e) => session?.reportError('reloading the configuration', e));
    }, 50);
  }

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const fromFolders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((p): p is string => p !== null);
    const fromRoot = params.rootUri ? pathOf(params.rootUri) : (params.rootPath ?? null);
    folders = fromFolders.length ? fromFolders : fromRoot ? [fromRoot] : [];
    canPullSettings = params.capabilities.workspace?.configuration === true;
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    session = await Session.create(connection, params.capabilities.window?.workDoneProgress === true);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'migration-lens', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (folders.length === 0) connection.console.info('Migration Lens: no workspace folder; open a folder to analyze a project.');
    void reload().catch((e) => session?.reportError('loading the workspace', e));
    if (!folderEvents) return;
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => pathOf(f.uri)).filter((p): p is string => p !== null)];
      scheduleReload();
    });
  });

  connection.onDidChangeConfiguration(() => scheduleReload());

  connection.onDidOpenTextDocument(({ textDocument: td }) => {
    const s = ready();
    const absPath = pathOf(td.uri);
    if (absPath === null) return;
    const doc = s.docs.open(td.uri, td.languageId, td.version, td.text, absPath);
    if (!doc.isPython) return;
    s.indexOpenDocument(doc);
    s.scheduleValidation(td.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument: td, contentChanges }) => {
    const s = ready();
    const doc = s.docs.get(td.uri);
    if (!doc) return;
    s.guard(`applying an edit to ${td.uri}`, () => doc.applyChanges(contentChanges, td.version));
    if (!doc.isPython) return;
    const project = s.projectOf(doc.absPath);
    if (project && s.settingsFor(project.folder).run === 'onSave') return;
    s.scheduleValidation(td.uri);
  });

  connection.onDidSaveTextDocument(({ textDocument: td }) => {
    const s = ready();
    const absPath = pathOf(td.uri);
    if (absPath === null) return;
    if (s.isConfigFile(absPath)) return scheduleReload();
    const doc = s.docs.get(td.uri);
    if (doc?.isPython) s.scheduleValidation(td.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument: td }) => ready().closeDocument(td.uri));

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const s = ready();
    let touched = false;
    for (const change of changes) {
      const absPath = pathOf(change.uri);
      if (absPath === null) continue;
      if (s.isConfigFile(absPath)) {
        scheduleReload();
        continue;
      }
      if (!absPath.endsWith('.py') || s.docs.byAbsPath(absPath)) continue; // an open buffer is the truth
      for (const project of s.projects.values()) {
        if (change.type === FileChangeType.Deleted) {
          if (project.removeFile(absPath)) touched = true;
          continue;
        }
        const source = project.addFile(path.resolve(absPath));
        if (!source) continue;
        project.enqueue([source.relPath], true);
        touched = true;
      }
    }
    if (!touched) return;
    s.startIndexing();
    s.revalidateAll();
    s.scheduleStatus();
  });

  connection.onCodeAction((params, token) => {
    cancelled(token);
    return ready().guard('computing code actions', () => codeActions(ready(), params)) ?? [];
  });

  connection.onRequest(StatusRequest, (token) => {
    cancelled(token);
    return ready().snapshot();
  });

  connection.onRequest(OccurrencesRequest, (params, token) => {
    cancelled(token);
    return ready().guard('listing occurrences', () => occurrences(ready(), params)) ?? [];
  });

  connection.onRequest(FixesRequest, (params, token) => {
    cancelled(token);
    const result = ready().guard('computing fixes', () => computeFixes(ready(), params));
    if (!result) throw new ResponseError(-32603, 'computing fixes failed; see the Migration Lens output');
    return result;
  });

  connection.onRequest(ReportRequest, async (params, token) => {
    cancelled(token);
    try {
      return await report(ready(), params);
    } catch (e) {
      throw new ResponseError(-32603, e instanceof Error ? e.message : String(e));
    }
  });

  connection.onRequest(HistoryRequest, async (params, token) => {
    cancelled(token);
    try {
      // Checked between commits: a panel that is closed or refreshed drops the walk it no longer needs.
      return await history(ready(), params, () => token.isCancellationRequested);
    } catch (e) {
      if (e instanceof HistoryCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
      session?.reportError('computing the history', e);
      throw new ResponseError(-32603, 'computing the history failed; see the Migration Lens output');
    }
  });

  connection.onShutdown(() => {
    session?.dispose();
    session = null;
  });

  connection.listen();
}
