import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyPythonTree, DJANGO, STDLIB } from '../../test/support/corpora.js';
import { generateMonorepo, type MonorepoSummary, type SizeProfile } from './monorepo.js';

/** The workspaces `npm run bench` measures and the tools it compares against (installed on demand). */

export const REPO = path.resolve(__dirname, '../..');
export const CACHE = path.join(REPO, '.bench-cache');
/** Pinned, so runs on different days compare the same Ruff. */
export const RUFF_VERSION = process.env['BENCH_RUFF_VERSION'] ?? '0.17.3';
export const RUFF_PACKAGE = '@astral-sh/ruff-wasm-nodejs';

/**
 * The build every measured process runs. Other people rebuild dist/ while a long benchmark runs, so `npm run bench`
 * copies the bundle it just built (and the demo the language-server benchmark opens) into .bench-cache/build/ and
 * measures that copy: every number of one run comes from one build.
 */
export const build = { root: REPO, cli: path.join(REPO, 'dist/cli.js'), dist: path.join(REPO, 'dist'), id: 'dist/ (not snapshotted)' };

export function snapshotBuild(): typeof build {
  ensureCacheDir();
  const root = path.join(CACHE, 'build');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  // Everything in dist/: the measured processes load files beside the bundles that they do without when missing, only
  // slower (outline-lexer.wasm: every file would be parsed instead of outlined; cli-main.js.v8cache: compiled again).
  for (const f of fs.readdirSync(path.join(REPO, 'dist'))) fs.copyFileSync(path.join(REPO, 'dist', f), path.join(root, 'dist', f));
  fs.cpSync(path.join(REPO, 'examples/netra'), path.join(root, 'examples/netra'), { recursive: true });
  const git = (args: string[]): string => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout?.trim() ?? '';
  const hash = createHash('sha256').update(fs.readFileSync(path.join(root, 'dist/cli-main.js'))).digest('hex').slice(0, 12);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  Object.assign(build, {
    root,
    cli: path.join(root, 'dist/cli.js'),
    dist: path.join(root, 'dist'),
    id: `commit ${git(['rev-parse', '--short', 'HEAD']) || '?'}${dirty ? ' + uncommitted changes' : ''}, dist/cli-main.js sha256 ${hash}, built ${fs.statSync(path.join(REPO, 'dist/cli-main.js')).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  });
  return build;
}

export interface Target {
  key: 'demo' | 'stdlib' | 'django' | 'monorepo';
  name: string;
  dir: string;
  /** Ruff banned-api entries equivalent to what Migration Lens flags in this workspace. */
  banned: Record<string, string>;
  monorepo?: MonorepoSummary;
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** npm's lifecycle variables (npm_config_*, npm_package_*) must not leak into the npm we start. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/** Creates .bench-cache/ with a `.gitignore` of `*`, so git never sees it even without a root .gitignore entry. */
function ensureCacheDir(): void {
  fs.mkdirSync(CACHE, { recursive: true });
  const ignore = path.join(CACHE, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# created by scripts/bench: the benchmark cache is never committed\n*\n');
}

/** Installs Ruff's wasm build into .bench-cache/ (never into the project); returns the prefix, or null if that failed. */
export function ensureRuff(): string | null {
  ensureCacheDir();
  const pkg = path.join(CACHE, 'node_modules', RUFF_PACKAGE, 'package.json');
  const installed = fs.existsSync(pkg) ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version : null;
  if (installed === RUFF_VERSION) return CACHE;
  log(`installing ${RUFF_PACKAGE}@${RUFF_VERSION} into ${path.relative(REPO, CACHE)}/`);
  const r = spawnSync('npm', ['install', '--prefix', CACHE, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${RUFF_PACKAGE}@${RUFF_VERSION}`], {
    cwd: CACHE,
    env: cleanEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !fs.existsSync(pkg)) {
    log(`could not install ${RUFF_PACKAGE}: the Ruff columns are skipped`);
    return null;
  }
  return CACHE;
}

/** Debian's python3-django, installed with apt-get when running as root; otherwise how to install it. */
export function ensureDjango(): boolean {
  if (fs.existsSync(DJANGO)) return true;
  if (process.getuid?.() !== 0) {
    log(`python3-django is not installed (${DJANGO}): run \`sudo apt-get install -y python3-django\` to include Django; skipping it`);
    return false;
  }
  const apt = (args: string[]): boolean => spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...cleanEnv(), DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  log('installing python3-django with apt-get');
  if (!apt(['install', '-y', '--no-install-recommends', 'python3-django'])) {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'python3-django']);
  }
  if (!fs.existsSync(DJANGO)) log('apt-get could not install python3-django: skipping Django');
  return fs.existsSync(DJANGO);
}

/** Ruff banned-api entries for the standard-library catalog Migration Lens ships (modules and symbols). */
export function catalogBanned(): Record<string, string> {
  const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'server/src/core/catalog/stdlib.json'), 'utf8')) as {
    modules: { module: string; message?: string }[];
    symbols: { symbol: string; message?: string }[];
  };
  const out: Record<string, string> = {};
  for (const m of catalog.modules) out[m.module] = m.message ?? 'deprecated module';
  for (const s of catalog.symbols) out[s.symbol] = s.message ?? 'deprecated';
  return out;
}

export function pythonVersion(): string {
  return execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
}

export interface TargetOptions {
  only: Set<string> | null;
  monorepo: { files: number; seed: number; sizes: SizeProfile };
}

/** Copies (or generates) every workspace into `tmp`; copies, so no tool ever sees __pycache__ or site-packages. */
export function prepareTargets(tmp: string, opts: TargetOptions): Target[] {
  const want = (k: string): boolean => opts.only === null || opts.only.has(k);
  const banned = catalogBanned();
  const out: Target[] = [];
  if (want('demo')) {
    const demoBanned = { ...banned, 'netra_backend.app.agents.base.executor.BaseExecutionEngine': 'BaseExecutionEngine is replaced by UserExecutionEngine' };
    out.push({ key: 'demo', name: 'demo (examples/netra)', dir: path.join(REPO, 'examples/netra'), banned: demoBanned });
  }
  if (want('stdlib')) {
    copyPythonTree(STDLIB, path.join(tmp, 'stdlib'));
    out.push({ key: 'stdlib', name: `CPython ${pythonVersion()} stdlib`, dir: path.join(tmp, 'stdlib'), banned });
  }
  if (want('django') && ensureDjango()) {
    copyPythonTree(DJANGO, path.join(tmp, 'django-checkout', 'django'));
    out.push({ key: 'django', name: 'Django (python3-django)', dir: path.join(tmp, 'django-checkout'), banned });
  }
  if (want('monorepo')) {
    const { files, seed, sizes } = opts.monorepo;
    const summary = generateMonorepo(path.join(tmp, 'monorepo'), { files, seed, sizes });
    out.push({ key: 'monorepo', name: `generated monorepo (${files.toLocaleString('en-US')} files, seed ${seed})`, dir: summary.dir, banned: { ...banned, ...summary.banned }, monorepo: summary });
  }
  return out;
}

/** Every `.py` file below `dir`, sorted: the list the read floor, regex floor and Ruff runner use (walk.cjs). */
export const pyFiles: (dir: string) => string[] = (require('./walk.cjs') as { pyFiles: (dir: string) => string[] }).pyFiles;

export function countPy(dir: string): { files: number; bytes: number } {
  const files = pyFiles(dir);
  return { files: files.length, bytes: files.reduce((sum, f) => sum + fs.statSync(f).size, 0) };
}
