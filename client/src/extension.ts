/**
 * Entry point of the Migration Lens extension: starts the language server (dist/server.js over IPC) and wires
 * the Migration Status panel, the language status item and the commands to it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands.js';
import { ContextKeys } from './config.js';
import { createLanguageStatus } from './languageStatus.js';
import { Output } from './output.js';
import { Session } from './session.js';
import { StatusStore } from './status.js';
import { StatusTree, createStatusView } from './statusTree.js';

/** What activate() returns: used by the extension-host tests (test/vscode/) to read the panel's data. */
export interface MigrationLensApi {
  /** The current language client (a new one after "Restart Server"). */
  readonly client: LanguageClient | undefined;
  readonly statusTree: StatusTree;
  readonly statusStore: StatusStore;
  /** Resolves once the server runs and has sent its first status snapshot. */
  whenReady(): Promise<void>;
}

let session: Session | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<MigrationLensApi> {
  const output = new Output();
  session = new Session(context, output);
  const store = new StatusStore(session, output);
  const tree = new StatusTree(store, session, output);
  context.subscriptions.push(
    output,
    store,
    tree,
    createStatusView(tree, store),
    createLanguageStatus(store, session),
    store.onDidChange((snapshot) => {
      const noConfig = snapshot.projects.length > 0 && snapshot.projects.every((p) => p.configUri === null);
      void vscode.commands.executeCommand('setContext', ContextKeys.noConfig, noConfig);
      void vscode.commands.executeCommand('setContext', ContextKeys.hasStatus, true);
    }),
    ...registerCommands({ session, store, output }),
  );

  // Not awaited: activation must not wait for the server. Failures were already reported through Output.
  const started = session.start().catch((error: unknown) => {
    output.log('The Migration Lens server did not start.', error);
    throw error;
  });
  started.catch(() => undefined);

  const current = session;
  return {
    get client() {
      return current.client;
    },
    statusTree: tree,
    statusStore: store,
    async whenReady() {
      await started;
      await store.whenFirst();
    },
  };
}

export async function deactivate(): Promise<void> {
  await session?.dispose();
  session = undefined;
}
