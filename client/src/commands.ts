import * as vscode from 'vscode';
import { FixesRequest, ReportRequest, type ProjectStatus } from '../../server/src/lsp/protocol.js';
import { Commands, STARTER_CONFIG_FILE_NAME } from './config.js';
import { applyFixes, logRefused } from './fixes.js';
import { describeByCode, plural } from './format.js';
import type { Output } from './output.js';
import type { Session } from './session.js';
import { STARTER_CONFIG } from './starterConfig.js';
import type { StatusStore } from './status.js';
import type { StatusNode } from './statusTree.js';

interface Services {
  session: Session;
  store: StatusStore;
  output: Output;
}

export function registerCommands(services: Services): vscode.Disposable[] {
  const { output } = services;
  // Every command reports its own failure (the user is waiting for it) with the detail in the output.
  const register = <A extends unknown[], R>(id: string, failure: string, run: (...args: A) => Promise<R>) =>
    vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
      try {
        return await run(...args);
      } catch (error) {
        output.commandError(`${failure}: ${error instanceof Error ? error.message : String(error)}`, error);
        return undefined;
      }
    });

  return [
    register(Commands.generateReport, 'Could not generate the stability report', (options?: ReportOptions) => generateReport(services, options)),
    register(Commands.fixAllInWorkspace, 'Could not fix the workspace', () => fixAllInWorkspace(services)),
    register(Commands.fixAllInFile, 'Could not fix the file', (target?: StatusNode | vscode.Uri) => fixAllInFile(services, target)),
    vscode.commands.registerCommand(Commands.showOutput, () => output.channel.show(true)),
    register(Commands.restartServer, 'Could not restart the Migration Lens server', () => services.session.restart()),
    register(Commands.createConfig, 'Could not create the config', () => createConfig()),
    register(Commands.refreshStatus, 'Could not refresh the migration status', () => services.store.refresh()),
  ];
}

/** Arguments of the command when run programmatically (tests, keybindings); the palette asks instead. */
export interface ReportOptions {
  /** Git revision to compare with; '' for the current state only. */
  base?: string;
}

/** Writes the report next to the project's config and opens its preview. Returns the file (used by tests). */
async function generateReport({ session, store }: Services, options?: ReportOptions): Promise<vscode.Uri | undefined> {
  const client = session.runningClient();
  const project = await pickProject(store.current?.projects ?? []);
  if (project === null) return undefined;
  const base = options?.base ?? (await pickBase());
  if (base === undefined) return undefined;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Migration Lens: generating the stability report', cancellable: true },
    (_progress, token) => client.sendRequest(ReportRequest, { ...(project ? { root: project.root } : {}), ...(base ? { base } : {}) }, token),
  );
  const root = project ? vscode.Uri.parse(project.root) : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('there is no project to write it to');
  const target = vscode.Uri.joinPath(root, ...safeRelativePath(report.fileName));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(report.markdown));
  try {
    await vscode.commands.executeCommand('markdown.showPreview', target);
  } catch {
    // The built-in Markdown extension may be disabled: the source is the next best thing.
    await vscode.window.showTextDocument(target);
  }
  return target;
}

/** '' for the current state, a revision to compare with, undefined when the user cancelled. */
async function pickBase(): Promise<string | undefined> {
  const current = { label: '$(file) Current state', detail: 'Migrations, imports, cycles and shims as they are now', base: '' };
  const compare = { label: '$(git-compare) Compare with a git revision…', detail: 'Adds breaking API changes, new cycles and compliance since that revision', base: null };
  const picked = await vscode.window.showQuickPick([current, compare], { title: 'Generate Stability Report' });
  if (!picked) return undefined;
  if (picked.base !== null) return picked.base;
  return vscode.window.showInputBox({
    title: 'Compare with which git revision?',
    placeHolder: 'HEAD~10, main, v1.2.0, a commit hash',
    value: 'HEAD~10',
    validateInput: (value) => (/^[A-Za-z0-9_@{}~^./+=:-]+$/.test(value.trim()) && !value.trim().startsWith('-') ? null : 'A branch, tag, commit or expression like HEAD~10'),
  });
}

/** undefined: let the server pick (no status yet); null: the user cancelled. */
async function pickProject(projects: readonly ProjectStatus[]): Promise<ProjectStatus | undefined | null> {
  if (projects.length <= 1) return projects[0];
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.name, description: vscode.Uri.parse(project.root).fsPath, project })),
    { title: 'Stability report for which project?' },
  );
  return picked ? picked.project : null;
}

/** The server suggests the file name; it must still land inside the project. */
function safeRelativePath(fileName: string): string[] {
  const segments = fileName.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..') || /^([a-zA-Z]:|[\\/])/.test(fileName)) {
    throw new Error(`the server suggested an unusable file name "${fileName}"`);
  }
  return segments;
}

async function fixAllInWorkspace({ session, output }: Services): Promise<boolean> {
  const client = session.runningClient();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Migration Lens: computing safe fixes…', cancellable: true },
    (_progress, token) => client.sendRequest(FixesRequest, {}, token),
  );
  logRefused(result, output);
  if (result.fixes === 0) {
    const withheld = result.refused.length > 0 ? ` (${plural(result.refused.length, 'file')} withheld: see the output)` : '';
    void vscode.window.showInformationMessage(`Migration Lens: no safe fixes to apply${withheld}.`);
    return false;
  }
  const apply = 'Apply';
  const detail = [
    ...describeByCode(result.byCode),
    ...(result.refused.length > 0 ? [`${plural(result.refused.length, 'file')} withheld (the result would not be valid): see the output.`] : []),
  ].join('\n');
  const answer = await vscode.window.showWarningMessage(
    `Apply ${plural(result.fixes, 'safe fix', 'safe fixes')} in ${plural(result.files, 'file')}?`,
    { modal: true, detail },
    apply,
  );
  if (answer !== apply) return false;
  return applyFixes(client, result, output);
}

/** From the panel's context menu (a file node), or with a file URI. No confirmation: the scope is one file. */
async function fixAllInFile({ session, output }: Services, target: StatusNode | vscode.Uri | undefined): Promise<boolean> {
  const uri =
    target instanceof vscode.Uri
      ? target.toString()
      : target?.kind === 'file' || target?.kind === 'occurrence'
        ? target.file.uri
        : vscode.window.activeTextEditor?.document.uri.toString();
  if (!uri) return false;
  const client = session.runningClient();
  const result = await client.sendRequest(FixesRequest, { uris: [uri] });
  logRefused(result, output);
  if (result.fixes === 0) {
    const why = result.refused.length > 0 ? ': the result would not be valid (see the output)' : '';
    void vscode.window.showInformationMessage(`Migration Lens: no safe fixes for this file${why}.`);
    return false;
  }
  return applyFixes(client, result, output);
}

/** Writes the starter config at the root of the first workspace folder (or opens the one already there). */
async function createConfig(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder first: the config goes at its root.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, STARTER_CONFIG_FILE_NAME);
  if (await exists(target)) {
    void vscode.window.showInformationMessage(`${STARTER_CONFIG_FILE_NAME} already exists; opening it.`);
  } else {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(STARTER_CONFIG));
  }
  await vscode.window.showTextDocument(target);
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
