import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CONFIG_FILE_NAMES, OUTPUT_CHANNEL_NAME, SETTINGS_SECTION } from './config.js';
import type { Output } from './output.js';

/** A crashing server is restarted this many times within RESTART_WINDOW_MS, then left stopped. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * Routes the library's own error notifications through Output, so that a failing server produces one
 * message instead of one per failed start, crash and request.
 */
class MigrationLensClient extends LanguageClient {
  constructor(
    serverOptions: ServerOptions,
    clientOptions: LanguageClientOptions,
    private readonly output: Output,
  ) {
    // The id doubles as the settings prefix the library reads: `migrationLens.trace.server`.
    super(SETTINGS_SECTION, OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
  }

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, false);
    if (showNotification) this.output.backgroundError(`Migration Lens: ${message}`);
  }
}

/** Python sources (on disk: the server reads the rest of the project from the file system) and config files. */
export function documentSelector(): DocumentSelector {
  return [
    { scheme: 'file', language: 'python' },
    ...CONFIG_FILE_NAMES.map((name) => ({ scheme: 'file', pattern: `**/${name}` })),
    // Only its [tool.migration-lens] table matters to the server, but the file must be synced to see it.
    { scheme: 'file', pattern: '**/pyproject.toml' },
  ];
}

export function createClient(
  context: vscode.ExtensionContext,
  output: Output,
  watchers: readonly vscode.FileSystemWatcher[],
): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: {
      // The server keeps its index current from these events (branch switches, generated files, deletions).
      fileEvents: [...watchers],
      // Sends workspace/didChangeConfiguration when a migrationLens.* setting changes; the server re-pulls.
      configurationSection: SETTINGS_SECTION,
    },
    outputChannel: output.channel,
    diagnosticCollectionName: 'migration-lens',
    errorHandler: restartingErrorHandler(output),
    initializationFailedHandler: (error) => {
      output.log('The Migration Lens server failed to initialize.', error);
      return false;
    },
    // Messages and file names in hovers and code action titles come from the workspace: never trusted.
    markdown: { isTrusted: false, supportHtml: false },
  };
  return new MigrationLensClient(serverOptions, clientOptions, output);
}

/** Restarts a crashed server a few times, then stops and says so once. */
function restartingErrorHandler(output: Output): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: (_error, _message, count) => ({
      action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: true,
    }),
    closed: () => {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length <= MAX_RESTARTS) {
        output.channel.warn('The Migration Lens server stopped; restarting it.');
        return { action: CloseAction.Restart, handled: true };
      }
      output.backgroundError(
        `The Migration Lens server stopped ${MAX_RESTARTS + 1} times in the last 3 minutes and will not be restarted. ` +
          'Run "Migration Lens: Restart Server" once the cause (see the output) is fixed.',
      );
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
