import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusChangedNotification, StatusRequest, type StatusSnapshot } from '../../server/src/lsp/protocol.js';
import type { Output } from './output.js';
import type { Session } from './session.js';

/**
 * The latest repo-wide status from the server, shared by the panel, the language status item and the view
 * badge. Pulled when a server starts, then pushed by StatusChangedNotification.
 */
export class StatusStore implements vscode.Disposable {
  private snapshot: StatusSnapshot | undefined;
  /** Highest version accepted from the current server; snapshots that arrive late with a lower one are dropped. */
  private version = -1;
  private readonly changed = new vscode.EventEmitter<StatusSnapshot>();
  readonly onDidChange = this.changed.event;
  private clientSubscriptions: vscode.Disposable[] = [];
  private readonly subscription: vscode.Disposable;
  private resolveFirst!: (snapshot: StatusSnapshot) => void;
  private readonly first = new Promise<StatusSnapshot>((resolve) => (this.resolveFirst = resolve));

  constructor(
    private readonly session: Session,
    private readonly output: Output,
  ) {
    this.subscription = session.onDidCreateClient((client) => this.attach(client));
  }

  get current(): StatusSnapshot | undefined {
    return this.snapshot;
  }

  /** Resolves with the first snapshot any server sends. */
  whenFirst(): Promise<StatusSnapshot> {
    return this.first;
  }

  /** Asks the server for a fresh snapshot. */
  async refresh(): Promise<void> {
    const client = this.session.client;
    if (!client?.isRunning()) return;
    try {
      this.accept(await client.sendRequest(StatusRequest));
    } catch (error) {
      this.output.backgroundError('Migration Lens could not read the migration status.', error);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const d of this.clientSubscriptions) d.dispose();
    this.changed.dispose();
  }

  private attach(client: LanguageClient): void {
    for (const d of this.clientSubscriptions) d.dispose();
    // A new server process numbers its snapshots from scratch.
    this.version = -1;
    this.clientSubscriptions = [
      client.onNotification(StatusChangedNotification, (snapshot) => this.accept(snapshot)),
      // Also after the library restarts a crashed server by itself, which numbers snapshots from scratch too.
      client.onDidChangeState((event) => {
        if (event.newState !== State.Running) return;
        this.version = -1;
        void this.refresh();
      }),
    ];
  }

  private accept(snapshot: StatusSnapshot): void {
    if (snapshot.version < this.version) return;
    this.version = snapshot.version;
    this.snapshot = snapshot;
    this.resolveFirst(snapshot);
    this.changed.fire(snapshot);
  }
}
