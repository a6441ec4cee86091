import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './config.js';

const SHOW_OUTPUT = 'Show Output';

/**
 * The "Migration Lens" output channel (shared with the language client's own logging) and the one place that
 * decides what reaches the user: full detail always goes to the log, the user gets one short message.
 */
export class Output implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  private backgroundErrorShown = false;

  /**
   * A failure nobody asked for (server crash, failed start, a status refresh): logged every time, shown at
   * most once until the user restarts the server, so a server that keeps failing cannot flood the window.
   */
  backgroundError(message: string, detail?: unknown): void {
    this.log(message, detail);
    if (this.backgroundErrorShown) return;
    this.backgroundErrorShown = true;
    this.offerOutput(message);
  }

  /** A command the user ran failed: they are waiting for an answer, so it is always shown. */
  commandError(message: string, detail?: unknown): void {
    this.log(message, detail);
    this.offerOutput(message);
  }

  /** After an explicit restart, the next background failure is news again. */
  resetNotifications(): void {
    this.backgroundErrorShown = false;
  }

  log(message: string, detail?: unknown): void {
    if (detail === undefined) this.channel.error(message);
    else this.channel.error(message, detail instanceof Error ? detail : String(detail));
  }

  dispose(): void {
    this.channel.dispose();
  }

  private offerOutput(message: string): void {
    // Never awaited: the promise settles only when the notification is dismissed.
    void vscode.window.showErrorMessage(message, SHOW_OUTPUT).then((choice) => {
      if (choice === SHOW_OUTPUT) void vscode.commands.executeCommand(Commands.showOutput);
    });
  }
}
