/** Mapping file paths to Python module names (pure functions, POSIX paths relative to the root). */

// Hard keywords are valid per str.isidentifier() but can never appear in an import statement.
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

// Python identifiers are Unicode (PEP 3131): XID_Start or `_`, then XID_Continue.
const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

export function isImportableName(segment: string): boolean {
  return IDENTIFIER.test(segment) && !KEYWORDS.has(segment);
}

/** `./src/` → `src`, `.` → `` (the root). */
export function normalizeSrcRoot(root: string): string {
  return root
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

/** The longest src root that contains `relPath`, as the remaining path under it; null if none. */
function pathUnderSrcRoot(relPath: string, srcRoots: readonly string[]): string | null {
  let best: string | null = null;
  for (const raw of srcRoots) {
    const root = normalizeSrcRoot(raw);
    if (root !== '' && !relPath.startsWith(`${root}/`)) continue;
    if (best === null || root.length > best.length) best = root;
  }
  if (best === null) return null;
  return best === '' ? relPath : relPath.slice(best.length + 1);
}

/**
 * Dotted module name of a `.py` file: `a/b/c.py` → `a.b.c`, `a/b/__init__.py` → package `a.b`.
 * Null when the file is not importable: outside every src root, an `__init__.py` directly in a src
 * root, or a segment that is not an identifier (`my-pkg/`, `1abc.py`, `foo.bar.py`).
 */
export function moduleNameFor(
  relPath: string,
  srcRoots: readonly string[],
): { module: string; isPackageInit: boolean } | null {
  const under = pathUnderSrcRoot(relPath.replace(/\\/g, '/'), srcRoots);
  if (under === null || !under.endsWith('.py')) return null;
  const parts = under.slice(0, -'.py'.length).split('/');
  const isPackageInit = parts[parts.length - 1] === '__init__';
  if (isPackageInit) parts.pop();
  if (parts.length === 0 || !parts.every(isImportableName)) return null;
  return { module: parts.join('.'), isPackageInit };
}

/**
 * PEP 420 namespace packages: dotted names that are parents of importable modules but have no
 * `__init__.py` anywhere. A name that is also a plain module (`a.py` next to `a/`) is not one:
 * the import system finds the module first and never makes the namespace package.
 */
export function namespacePackages(
  files: readonly { module: string | null; isPackageInit: boolean }[],
): Set<string> {
  const defined = new Set<string>();
  const parents = new Set<string>();
  for (const f of files) {
    if (f.module === null) continue;
    defined.add(f.module);
    for (let dot = f.module.lastIndexOf('.'); dot !== -1; dot = f.module.lastIndexOf('.', dot - 1)) {
      parents.add(f.module.slice(0, dot));
    }
  }
  const result = new Set<string>();
  for (const p of parents) if (!defined.has(p)) result.add(p);
  return result;
}
