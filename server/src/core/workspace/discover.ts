import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import type { FileProblem } from '../types.js';
import { categoryFor, compileGlobs, type GlobSet } from './globs.js';
import { isGitIgnored, loadGitignore, loadInfoExclude, type IgnoreLevel } from './gitignore.js';
import { moduleNameFor } from './moduleNames.js';
import { compareStrings } from '../text.js';

export { categoryFor } from './globs.js';
export { moduleNameFor, namespacePackages } from './moduleNames.js';

export interface SourceFile {
  absPath: string;
  /** POSIX, relative to config.root. */
  relPath: string;
  /** Dotted module name; null when the file is not importable. */
  module: string | null;
  isPackageInit: boolean;
  category: string;
  /** Bytes. */
  size: number;
  /** Modification time from the discovery walk (the run cache compares it); absent for editor buffers. */
  mtimeMs?: number;
  /** Inside the `scope` passed to discoverFiles (always true without one). */
  inScope: boolean;
}

export interface DiscoveryResult {
  files: SourceFile[];
  problems: FileProblem[];
}

interface WalkContext {
  config: Config;
  /** Real path of the root: symlink targets must stay inside it. */
  realRoot: string;
  excludes: GlobSet;
  scope: string | null;
  files: SourceFile[];
  problems: FileProblem[];
}

/**
 * All `.py` files of the project, sorted by relPath. The whole root is always walked (it is the
 * module universe); `scope` (absolute file or directory) only sets `inScope`.
 */
export function discoverFiles(config: Config, scope?: string): DiscoveryResult {
  const root = path.resolve(config.root);
  const ctx: WalkContext = {
    config,
    realRoot: realpathOr(root, root),
    excludes: excludeGlobs(config),
    scope: scope === undefined ? null : path.resolve(scope),
    files: [],
    problems: [],
  };
  const levels = config.respectGitignore ? rootInfoExclude(ctx, root) : [];
  walkDir(ctx, root, '', levels);
  ctx.files.sort((a, b) => compareStrings(a.relPath, b.relPath));
  ctx.problems.sort((a, b) => compareStrings(a.path, b.path));
  return { files: ctx.files, problems: ctx.problems };
}

/**
 * Whether one file (POSIX path relative to the root, or absolute) is excluded: by a glob on it or a
 * directory above it, by gitignore (when respected), for lying inside `.git`, or for escaping the root.
 */
export function isExcluded(relPath: string, config: Config): boolean {
  const rel = toRootRelative(relPath, config.root);
  if (rel === null) return true;
  if (rel === '') return false;
  const parts = rel.split('/');
  if (parts.includes('.git')) return true;
  if (excludeGlobs(config).matchesPathOrAncestor(rel)) return true;
  return config.respectGitignore && gitignoredWithAncestors(config.root, parts);
}

// --- walk ---------------------------------------------------------------------------------------

function walkDir(ctx: WalkContext, dirAbs: string, dirRel: string, parentLevels: readonly IgnoreLevel[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dirAbs, { withFileTypes: true });
  } catch (e) {
    ctx.problems.push({ path: dirRel || '.', kind: 'read', message: `cannot read directory: ${errorText(e)}` });
    return;
  }
  const levels = ctx.config.respectGitignore
    ? withGitignore(ctx, dirAbs, dirRel, entries, parentLevels)
    : parentLevels;
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const abs = path.join(dirAbs, entry.name);
    const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
    const kind = entryKind(ctx, entry, abs);
    if (kind === null) continue;
    if (isSkipped(ctx, levels, rel, kind === 'dir')) continue;
    if (kind === 'dir') walkDir(ctx, abs, rel, levels);
    else addFile(ctx, abs, rel);
  }
}

/**
 * 'dir' for real directories, 'file' for `.py` files (a symlink only when it resolves to a file
 * inside the root), null for everything else. Symlinked directories are never followed: those
 * inside the root are walked anyway, those outside would leak foreign files and risk cycles.
 */
function entryKind(ctx: WalkContext, entry: fs.Dirent, abs: string): 'dir' | 'file' | null {
  if (entry.isDirectory()) return 'dir';
  if (!entry.name.endsWith('.py')) return null;
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return null;
  try {
    const target = fs.realpathSync(abs);
    return isInside(target, ctx.realRoot) && fs.statSync(target).isFile() ? 'file' : null;
  } catch {
    return null; // dangling link
  }
}

function isSkipped(ctx: WalkContext, levels: readonly IgnoreLevel[], rel: string, isDir: boolean): boolean {
  return ctx.excludes.matchesEntry(rel, isDir) || isGitIgnored(levels, rel, isDir);
}

function addFile(ctx: WalkContext, abs: string, rel: string): void {
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = fs.statSync(abs));
  } catch (e) {
    ctx.problems.push({ path: rel, kind: 'read', message: `cannot stat file: ${errorText(e)}` });
    return;
  }
  if (size > ctx.config.maxFileSize) {
    ctx.problems.push(tooLargeProblem(rel, size, ctx.config.maxFileSize));
    return;
  }
  const mod = moduleNameFor(rel, ctx.config.src);
  ctx.files.push({
    absPath: abs,
    relPath: rel,
    module: mod?.module ?? null,
    isPackageInit: mod?.isPackageInit ?? false,
    category: categoryFor(rel, ctx.config.categories),
    size,
    mtimeMs,
    inScope: ctx.scope === null || isInside(abs, ctx.scope),
  });
}

// --- gitignore ----------------------------------------------------------------------------------

function rootInfoExclude(ctx: WalkContext, root: string): IgnoreLevel[] {
  try {
    const info = loadInfoExclude(root);
    return info ? [info] : [];
  } catch (e) {
    ctx.problems.push({ path: '.git/info/exclude', kind: 'read', message: `cannot read: ${errorText(e)}` });
    return [];
  }
}

function withGitignore(
  ctx: WalkContext,
  dirAbs: string,
  dirRel: string,
  entries: readonly fs.Dirent[],
  levels: readonly IgnoreLevel[],
): readonly IgnoreLevel[] {
  if (!entries.some((e) => e.name === '.gitignore')) return levels;
  try {
    const own = loadGitignore(dirAbs, dirRel);
    return own ? [...levels, own] : levels;
  } catch (e) {
    const where = dirRel === '' ? '.gitignore' : `${dirRel}/.gitignore`;
    ctx.problems.push({ path: where, kind: 'read', message: `cannot read: ${errorText(e)}` });
    return levels;
  }
}

/** Gitignore verdict for a single file, loading the ignore files from the root down to its dir. */
function gitignoredWithAncestors(root: string, parts: readonly string[]): boolean {
  const absRoot = path.resolve(root);
  const levels: IgnoreLevel[] = [];
  // An unreadable ignore file is passed over, as the walk does (it reports it there).
  const push = (load: () => IgnoreLevel | null): void => {
    try {
      const level = load();
      if (level) levels.push(level);
    } catch {
      /* see above */
    }
  };
  push(() => loadInfoExclude(absRoot));
  push(() => loadGitignore(absRoot, ''));
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (isGitIgnored(levels, dir, true)) return true;
    push(() => loadGitignore(path.join(absRoot, ...parts.slice(0, i)), dir));
  }
  return isGitIgnored(levels, parts.join('/'), false);
}

// --- helpers ------------------------------------------------------------------------------------

function excludeGlobs(config: Config): GlobSet {
  return compileGlobs([...config.exclude, ...config.extendExclude]);
}

/** POSIX path relative to root, '' for the root itself, null when outside it. */
function toRootRelative(p: string, root: string): string | null {
  const absRoot = path.resolve(root);
  const abs = path.isAbsolute(p) ? path.resolve(p) : path.resolve(absRoot, p.replace(/\\/g, '/'));
  if (!isInside(abs, absRoot)) return null;
  return path.relative(absRoot, abs).split(path.sep).join('/');
}

/** `p` is `dir` or below it (`..foo` is a legal name, hence the separator check). */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return !path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`);
}

function realpathOr(p: string, fallback: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return fallback;
  }
}

/** The problem reported for a file over `max-file-size` (skipped, never parsed). */
export function tooLargeProblem(relPath: string, size: number, max: number): FileProblem {
  return { path: relPath, kind: 'too-large', message: `skipped: ${formatSize(size)} exceeds max-file-size (${formatSize(max)})` };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/**
 * The SourceFile for one path, as discovery would have produced it, or null when discovery would skip it
 * (outside the root, excluded, gitignored, not `.py`). Used to pick up files created after discovery.
 * Size is not checked here: callers decide (an editor buffer is analyzed whatever its size on disk).
 */
export function sourceFileFor(config: Config, absPath: string): SourceFile | null {
  const rel = toRootRelative(absPath, config.root);
  if (rel === null || rel === '' || !rel.endsWith('.py') || isExcluded(rel, config)) return null;
  let size = 0;
  try {
    size = fs.statSync(absPath).size;
  } catch {
    /* not on disk (yet): an unsaved buffer */
  }
  return describeFile(config, rel, size);
}

/**
 * The SourceFile for a path of a git revision (POSIX, relative to the root), or null when not analyzed: not
 * `.py` or excluded by a glob. Gitignore does not apply: a committed file is tracked whatever ignores it.
 */
export function sourceFileAt(config: Config, relPath: string, size: number): SourceFile | null {
  if (!relPath.endsWith('.py') || relPath.split('/').includes('.git')) return null;
  if (excludeGlobs(config).matchesPathOrAncestor(relPath)) return null;
  return describeFile(config, relPath, size);
}

function describeFile(config: Config, rel: string, size: number): SourceFile {
  const mod = moduleNameFor(rel, config.src);
  return {
    absPath: path.resolve(config.root, rel),
    relPath: rel,
    module: mod?.module ?? null,
    isPackageInit: mod?.isPackageInit ?? false,
    category: categoryFor(rel, config.categories),
    size,
    inScope: true,
  };
}
