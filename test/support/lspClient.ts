/**
 * A real LSP client for protocol tests: spawns the bundled server (`dist/cli.js server --stdio`, exactly what
 * Neovim and other editors run) and talks JSON-RPC to it with vscode-languageserver-protocol. No mocks: every
 * test sees the server's real messages. Waits poll with a deadline, never a fixed sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  SetTraceNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type CodeAction,
  type Command,
  type Diagnostic,
  type FileEvent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve('dist/cli.js');

export function uriOf(absPath: string): string {
  return pathToFileURL(absPath).toString();
}

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics in arrival order (to check that no stale version is ever published). */
  readonly history: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  stderr = '';

  constructor(readonly root: string) {
    // ML_SERVER_NODE_ARGS (e.g. `--cpu-prof`) profiles the server under a test or benchmark.
    const nodeArgs = (process.env['ML_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    this.process = spawn(process.execPath, [...nodeArgs, SERVER, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // A wait the dead server can no longer satisfy fails now, with why, instead of at its timeout.
    this.process.once('exit', (code, signal) => {
      this.exited = `exited with ${signal ?? `code ${code}`}`;
      this.changed();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.history.push(p);
      this.changed();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    // Every notification without a dedicated handler (the server's custom ones).
    this.connection.onUnhandledNotification((n) => {
      this.notifications.push({ method: n.method, params: n.params });
      this.changed();
    });
    // $/progress is routed by token, not to the catch-all handler: subscribe when the server creates one.
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      this.progressCreated++;
      this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
        this.notifications.push({ method: '$/progress', params: { token, value } });
        this.changed();
      });
      return this.progressReply ?? undefined;
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      // Counted a turn later, once the answer is queued for writing: a message sent after the count moves reaches
      // the server after the answer.
      setImmediate(() => {
        this.settingsPulls++;
        this.changed();
      });
      return p.items.map(() => this.settings);
    });
    this.connection.listen();
  }

  settings: Record<string, unknown> = {};
  /**
   * workspace/configuration requests answered so far. The server goes on with an answer before it reads its next
   * message, so a request sent once this count has moved is handled after whatever the pull was for.
   */
  settingsPulls = 0;
  /** window/workDoneProgress/create requests so far: one per background indexing run. */
  progressCreated = 0;
  /** When set, the answer to window/workDoneProgress/create waits for it (a slow client). */
  progressReply: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  /** Set once the server process is gone. */
  private exited: string | null = null;

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves as soon as `probe` returns a value, re-checked on every message from the server (no polling delay). */
  when<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        } else if (this.exited) {
          cleanup();
          reject(new Error(`the server ${this.exited} while waiting for ${describe()}; its stderr ends:\n${this.stderr.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  static async start(root: string, opts: { settings?: Record<string, unknown>; progressReply?: Promise<void> } = {}): Promise<TestClient> {
    const client = new TestClient(root);
    if (opts.settings) client.settings = opts.settings;
    if (opts.progressReply) client.progressReply = opts.progressReply;
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  uri(rel: string): string {
    return uriOf(path.join(this.root, rel));
  }

  text(rel: string): string {
    return this.texts.get(this.uri(rel)) ?? fs.readFileSync(path.join(this.root, rel), 'utf8');
  }

  version(rel: string): number {
    return this.versions.get(this.uri(rel)) ?? 0;
  }

  async open(rel: string, text = fs.readFileSync(path.join(this.root, rel), 'utf8')): Promise<void> {
    const uri = this.uri(rel);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  }

  /**
   * Runs `send` with the server process stopped (SIGSTOP), then lets it go on: what `send` wrote waits in the pipe
   * and reaches the server in one read, in order. For tests of message interleavings that must not depend on how
   * fast the server happens to be (a request and its cancellation, say).
   */
  async withServerStopped(send: () => void): Promise<void> {
    this.process.kill('SIGSTOP');
    try {
      send();
      // One writer sends messages in order: once this one is written, so is everything `send` wrote.
      await this.connection.sendNotification(SetTraceNotification.type, { value: 'off' });
    } finally {
      this.process.kill('SIGCONT');
    }
  }

  /** Sends one incremental change (or several in one message) and bumps the version. */
  async change(rel: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const uri = this.uri(rel);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    let text = this.texts.get(uri) ?? '';
    for (const c of changes) text = 'range' in c ? applyEdit(text, { range: c.range, newText: c.text }) : c.text;
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Applies a WorkspaceEdit to the open buffers, as an editor would; refuses edits for another version. */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) throw new Error('unexpected resource operation');
      const uri = change.textDocument.uri;
      const rel = path.relative(this.root, new URL(uri).pathname).split(path.sep).join('/');
      if (change.textDocument.version !== null && change.textDocument.version !== this.versions.get(uri)) {
        throw new Error(`stale edit: computed for version ${change.textDocument.version}, document is at ${this.versions.get(uri)}`);
      }
      const edits = (change.edits as TextEdit[]).slice().sort((a, b) => cmp(b.range.start, a.range.start));
      if (this.texts.has(uri)) await this.change(rel, edits.map((e) => ({ range: e.range, text: e.newText })));
      else fs.writeFileSync(path.join(this.root, rel), edits.reduce((t, e) => applyEdit(t, e), fs.readFileSync(path.join(this.root, rel), 'utf8')));
    }
  }

  async close(rel: string): Promise<void> {
    const uri = this.uri(rel);
    this.texts.delete(uri);
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async codeActions(rel: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(rel) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []).filter((a): a is CodeAction => !isCommand(a));
  }

  /** Waits until the diagnostics of `rel` for its current version satisfy `predicate`. */
  async waitForDiagnostics(rel: string, predicate: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 15000): Promise<Diagnostic[]> {
    const uri = this.uri(rel);
    return this.when(() => {
      const p = this.diagnostics.get(uri);
      if (!p) return undefined;
      if (this.versions.has(uri) && p.version !== this.versions.get(uri)) return undefined;
      return predicate(p.diagnostics) ? p.diagnostics : undefined;
    }, timeoutMs, () => `diagnostics of ${rel} (last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => d.code))}, version ${this.diagnostics.get(uri)?.version}); server stderr: ${this.stderr.slice(-2000)}`);
  }

  async waitForNotification<T>(method: string, predicate: (p: T) => boolean, timeoutMs = 15000): Promise<T> {
    return this.when(() => [...this.notifications].reverse().find((n) => n.method === method && predicate(n.params as T))?.params as T | undefined, timeoutMs, () => `notification ${method}`);
  }

  /** Waits until every project has been indexed (open documents are re-validated just before this is announced). */
  async waitForReady(timeoutMs = 60000): Promise<void> {
    await this.waitForNotification<{ projects: { scan: { state: string } }[] }>('migrationLens/statusChanged', (s) => s.projects.length > 0 && s.projects.every((p) => p.scan.state === 'ready'), timeoutMs);
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5000);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* the process is killed below anyway */
    }
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL');
        resolve();
      }, 3000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }

  get exitCode(): number | null {
    return this.process.exitCode;
  }

  get pid(): number {
    return this.process.pid!;
  }
}

function isCommand(a: CodeAction | Command): a is Command {
  return typeof (a as Command).command === 'string';
}

function cmp(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + pos.character, text.length);
}

export function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
}

/** Range of the first occurrence of `needle` on the line containing `lineNeedle`. */
export function rangeOf(text: string, needle: string, after = 0): Range {
  const offset = text.indexOf(needle, after);
  if (offset < 0) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
