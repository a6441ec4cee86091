/**
 * code-server (the real VS Code workbench and Node extension host, from npm) driven by headless Chromium through
 * playwright-core. The recipe is shared/e2e/NOTES.md's: its own process group on a free port, /healthz polled,
 * a quiet settings.json, the smoke-test driver on (it honours the `payload` URL parameter and hides toasts).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CODE_SERVER, DEMO, NODE24_BIN, runDir, xdgEnv } from './paths';
import { tempCopy } from '../../support/files';
import { commit, initRepo } from '../../support/git';
import { freePort, killGroup, poll, spawnGroup, tail } from './process';

export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The run's directory: user-data/, code-server.log, browser.log, screenshots. */
  dir: string;
  /** code-server's own stdout/stderr. */
  log: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Extensions dir: the one with the installed VSIX, or an empty one for extension development runs. */
  extensionsDir?: string;
  /** Prefix of the run directory under the cache's runs/. */
  name: string;
  settings?: Record<string, unknown>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const dir = runDir(options.name);
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  const port = await freePort();
  const log = path.join(dir, 'code-server.log');
  const child: ChildProcess = spawnGroup(
    CODE_SERVER,
    [
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--reconnection-grace-time', '5',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    log,
    // EXTENSIONS_GALLERY={}: no marketplace, so the workbench makes no requests off this machine.
    { env: { ...process.env, ...xdgEnv(), EXTENSIONS_GALLERY: '{}', PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` } },
  );
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `code-server exited early (${signal ?? code}); see ${log}`));
  const url = `http://127.0.0.1:${port}`;
  try {
    await poll(`${url}/healthz`, async () => {
      if (exited) throw new Error(exited);
      const response = await fetch(`${url}/healthz`);
      return response.ok;
    }, { timeoutMs: 60_000, intervalMs: 200 });
  } catch (error) {
    await killGroup(child);
    throw new Error(`${(error as Error).message}\n${exited ?? ''}`);
  }
  return { port, url, dir, log, stop: () => killGroup(child) };
}

export interface Workbench {
  browser: Browser;
  page: Page;
  /** Every console message, page error and VS Code automation log line of the page. */
  log: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Absolute path of the folder to open. */
  folder: string;
  /** Extra `payload` entries (extensionDevelopmentPath, extensionTestsPath). */
  payload?: [string, string][];
  /** Called with the exit code when VS Code reports one through codeAutomationExit. */
  onExit?: (code: number) => void;
}

/** Headless Chromium on the workbench of `server` with `folder` open; console captured to <run dir>/browser.log. */
export async function openWorkbench(server: CodeServer, options: OpenOptions): Promise<Workbench> {
  const log = path.join(server.dir, 'browser.log');
  const write = (line: string): void => fs.appendFileSync(log, `${new Date().toISOString()} ${line}\n`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, ...xdgEnv() },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Once codeAutomationLog is in use (extension tests), log-service lines ("%c INFO …") arrive through it
    // too: keep one copy.
    let automationLogging = false;
    page.on('console', (message) => {
      if (!(automationLogging && message.text().startsWith('%c'))) write(`[console.${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', (error) => write(`[pageerror] ${error.stack ?? error.message}`));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      automationLogging = true;
      // Mocha's reporter logs printf-style ("%s (%dms)", title, ms): format as Node's console would.
      write(`[automation.${type}] ${Array.isArray(args) ? format(...args) : String(args)}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
      write(`[codeAutomationExit] ${code}`);
      // VS Code hands over its log files (window, extension host, ...) with the exit code: keep them.
      for (const entry of logs ?? []) {
        const target = path.join(server.dir, 'vscode-logs', entry.relativePath);
        if (!target.startsWith(path.join(server.dir, 'vscode-logs'))) continue;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, entry.contents);
      }
      options.onExit?.(code);
    });
    const query = new URLSearchParams({ folder: options.folder });
    if (options.payload) query.set('payload', JSON.stringify(options.payload));
    await page.goto(`${server.url}/?${query.toString()}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return { browser, page, log, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export interface ExtensionTestRun {
  exitCode: number;
  /** browser.log: the extension host's console (Mocha's output) is forwarded there. */
  log: string;
  dir: string;
  /** The workspace copy the suite ran on. */
  folder: string;
}

/**
 * Runs an extension-host test suite the way VS Code's own browser integration tests do: the workbench opens
 * `folder` with extensionDevelopmentPath/extensionTestsPath in the payload and reports the suite's exit code
 * through codeAutomationExit. Resolves with that code; rejects on timeout.
 */
export async function runExtensionTests(options: {
  /** The workspace to open; a fresh temp copy of it is made, the original is never touched. Default: the demo. */
  workspace?: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  timeoutMs?: number;
  /** Extra user settings (e.g. "migrationLens.trace.server": "verbose" while debugging). */
  settings?: Record<string, unknown>;
}): Promise<ExtensionTestRun> {
  const folder = tempCopy(options.workspace ?? DEMO, 'ml-e2e-exthost-');
  // A real history for the panel's trend: the demo as committed, then one commit that migrates a usage.
  initRepo(folder, 'demo as shipped');
  const models = path.join(folder, 'netra_backend', 'app', 'db', 'models.py');
  if (fs.existsSync(models)) {
    fs.writeFileSync(models, fs.readFileSync(models, 'utf8').replace('default=datetime.utcnow)  # expect: MIG001', 'default=utc_now)'));
    commit(folder, 'migrate models.py off utcnow', {});
  }
  const server = await startCodeServer({ name: 'exthost-tests', settings: options.settings });
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
  let workbench: Workbench | undefined;
  try {
    let exitCode: number | undefined;
    workbench = await openWorkbench(server, {
      folder,
      payload: [
        ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
        ['extensionTestsPath', remote(options.extensionTestsPath)],
      ],
      onExit: (code) => (exitCode = code),
    });
    const code = await poll('the extension tests to report an exit code', () => exitCode, {
      timeoutMs: options.timeoutMs ?? 300_000,
      intervalMs: 250,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${workbench!.log} (tail)\n${tail(workbench!.log, 120)}`);
    });
    return { exitCode: code, log: workbench.log, dir: server.dir, folder };
  } finally {
    await workbench?.close().catch(() => undefined);
    await server.stop();
  }
}
