import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The rules of one ignore file, which apply to paths relative to its own directory. */
export interface IgnoreLevel {
  /** POSIX directory relative to the root ('' = root). */
  base: string;
  rules: Ignore;
}

// Git matches case-insensitively where the file system does (core.ignorecase defaults to true there).
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** Reads an ignore file; null when absent. Other errors propagate so the caller can report them. */
function readRules(file: string): Ignore | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw e;
  }
  return ignore({ ignorecase: IGNORE_CASE }).add(text);
}

/** `.gitignore` of the directory `dirAbs`, whose path relative to the root is `base`; null if none. */
export function loadGitignore(dirAbs: string, base: string): IgnoreLevel | null {
  const rules = readRules(path.join(dirAbs, '.gitignore'));
  return rules && { base, rules };
}

/** `.git/info/exclude`: lowest precedence, relative to the root. */
export function loadInfoExclude(root: string): IgnoreLevel | null {
  const rules = readRules(path.join(root, '.git', 'info', 'exclude'));
  return rules && { base: '', rules };
}

/**
 * Git's verdict for `relPath` given the ignore files of its ancestors (shallowest first). The
 * deepest file with a matching rule decides, so a nested `!keep.py` overrides a root `*.py`.
 * Ancestor directories must have been checked already: git never re-includes below an ignored dir.
 */
export function isGitIgnored(levels: readonly IgnoreLevel[], relPath: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, rules } = levels[i]!;
    const local = (base === '' ? relPath : relPath.slice(base.length + 1)) + (isDir ? '/' : '');
    let verdict: ReturnType<Ignore['test']>;
    try {
      verdict = rules.test(local);
    } catch {
      continue; // names `ignore` cannot express (e.g. `...`) are never matched by git patterns we parse
    }
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
