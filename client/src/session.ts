import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client.js';
import { WATCHED_GLOBS } from './config.js';
import type { Output } from './output.js';

/**
 * Owns the language client. "Restart Server" disposes it and creates a new one (a client whose start failed
 * cannot be started again), so everything that talks to the server asks the session for the current client
 * and re-attaches its handlers on `onDidCreateClient`.
 */
export class Session implements vscode.Disposable {
  private current: LanguageClient | undefined;
  private readonly created = new vscode.EventEmitter<LanguageClient>();
  /** Fired before the new client starts, so notification handlers are in place for its first message. */
  readonly onDidCreateClient = this.created.event;
  // Created once: the watchers outlive restarts (a client does not dispose the watchers it was given).
  private readonly watchers = WATCHED_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: Output,
  ) {}

  get client(): LanguageClient | undefined {
    return this.current;
  }

  /** The client, if it can answer requests now; otherwise an error worded for the user. */
  runningClient(): LanguageClient {
    if (this.current?.isRunning()) return this.current;
    throw new Error('The Migration Lens server is not running. Run "Migration Lens: Restart Server" (details in the output).');
  }

  async start(): Promise<void> {
    if (!this.current) {
      this.current = createClient(this.context, this.output, this.watchers);
      this.created.fire(this.current);
    }
    await this.current.start();
  }

  async restart(): Promise<void> {
    this.output.resetNotifications();
    await this.stopClient();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stopClient();
    this.created.dispose();
    for (const watcher of this.watchers) watcher.dispose();
  }

  private async stopClient(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    if (!client) return;
    try {
      await client.dispose();
    } catch (error) {
      // A client that never got running cannot be stopped; it is dropped all the same.
      this.output.channel.debug(`Disposing the previous client: ${String(error)}`);
    }
  }
}
