import picomatch from 'picomatch';
import type { CategoryRule } from '../config/types.js';

/**
 * Path globs with Ruff/gitignore-style anchoring, shared by `exclude` and `categories`:
 * - a pattern without `/` matches the basename of a file or directory at any depth;
 * - a pattern with `/` matches the POSIX path relative to the root (a leading `/` or `./` only anchors);
 * - a trailing `/` restricts the pattern to directories.
 * A directory that matches covers everything below it.
 */
export interface GlobSet {
  /** Whether the entry itself matches (its ancestors are not looked at). */
  matchesEntry(relPath: string, isDir: boolean): boolean;
  /** Whether the file `relPath` or any directory above it matches. */
  matchesPathOrAncestor(relPath: string): boolean;
}

type Matcher = (input: string) => boolean;

// `windows: false`: inputs are always POSIX. `nonegate`: a leading `!` would otherwise match
// everything else, silently excluding the whole project.
const PICO_OPTIONS = { dot: true, windows: false, nonegate: true } as const;

const NEVER: Matcher = () => false;

/**
 * One regular expression for a whole list. picomatch's list matcher tests one per pattern and builds a result
 * object per test: the 26 default excludes alone, against every entry of a walk, were half of the discovery time on
 * the standard library. Same verdicts as `picomatch(patterns)` (test/workspace/globs.test.ts): the empty string never
 * matches, the pattern itself always does (a glob such as `a[1].py` does not match its own text as a regex).
 */
export function compileList(patterns: readonly string[]): Matcher {
  if (patterns.length === 0) return NEVER;
  // Flags follow from the options alone, so every pattern's regex has the same ones.
  const regexes = patterns.map((p) => picomatch.makeRe(p, PICO_OPTIONS));
  const any = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), regexes[0]!.flags);
  const literal = new Set(patterns);
  return (input) => input !== '' && (literal.has(input) || any.test(input));
}

interface Buckets {
  base: string[];
  baseDir: string[];
  path: string[];
  pathDir: string[];
}

function bucketPatterns(patterns: readonly string[]): Buckets {
  const buckets: Buckets = { base: [], baseDir: [], path: [], pathDir: [] };
  for (const raw of patterns) {
    let p = raw.trim().replace(/\\/g, '/');
    const dirOnly = p.endsWith('/');
    p = p.replace(/\/+$/, '');
    const anchored = p.includes('/');
    p = p.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    if (p === '' || p === '.') continue;
    if (anchored) (dirOnly ? buckets.pathDir : buckets.path).push(p);
    else (dirOnly ? buckets.baseDir : buckets.base).push(p);
  }
  return buckets;
}

function buildGlobSet(patterns: readonly string[]): GlobSet {
  const b = bucketPatterns(patterns);
  const base = compileList(b.base);
  const baseDir = compileList(b.baseDir);
  const full = compileList(b.path);
  const fullDir = compileList(b.pathDir);

  const matchesEntry = (relPath: string, isDir: boolean): boolean => {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    if (base(name) || full(relPath)) return true;
    return isDir && (baseDir(name) || fullDir(relPath));
  };

  const matchesPathOrAncestor = (relPath: string): boolean => {
    let slash = relPath.indexOf('/');
    while (slash !== -1) {
      if (matchesEntry(relPath.slice(0, slash), true)) return true;
      slash = relPath.indexOf('/', slash + 1);
    }
    return matchesEntry(relPath, false);
  };

  return { matchesEntry, matchesPathOrAncestor };
}

// Pattern lists come from config and are few; compiling once per distinct list keeps per-file cost
// to a few regex tests on 20,000-file repositories.
const globCache = new Map<string, GlobSet>();

export function compileGlobs(patterns: readonly string[]): GlobSet {
  const key = patterns.join('\n');
  let set = globCache.get(key);
  if (!set) {
    set = buildGlobSet(patterns);
    globCache.set(key, set);
  }
  return set;
}

interface CompiledCategory {
  name: string;
  globs: GlobSet;
}

const categoryCache = new WeakMap<readonly CategoryRule[], CompiledCategory[]>();

function compileCategories(categories: readonly CategoryRule[]): CompiledCategory[] {
  let compiled = categoryCache.get(categories);
  if (!compiled) {
    compiled = categories.map((c) => ({ name: c.name, globs: compileGlobs(c.patterns) }));
    categoryCache.set(categories, compiled);
  }
  return compiled;
}

/** First category with a matching glob (order matters: first match wins), else `production`. */
export function categoryFor(relPath: string, categories: readonly CategoryRule[]): string {
  for (const c of compileCategories(categories)) {
    if (c.globs.matchesPathOrAncestor(relPath)) return c.name;
  }
  return 'production';
}
