/** Where a file sits in the module tree: enough to resolve its relative imports. */
export interface ModuleOptions {
  module: string | null;
  isPackage: boolean;
}

/**
 * The absolute module of `from <level dots><module> import …` in the file `opts` describes; null when it climbs above
 * the top-level package or the file is not importable. The parser's and the outline scanner's facts both use it.
 */
export function resolveRelative(opts: ModuleOptions, level: number, module: string): string | null {
  if (level === 0) return module;
  if (opts.module === null) return null;
  const parts = opts.module.split('.');
  // A package's own module is its package; a plain module's package is its parent.
  const pkg = opts.isPackage ? parts : parts.slice(0, -1);
  const up = level - 1;
  if (up > pkg.length || (up === pkg.length && !module)) return null;
  const base = pkg.slice(0, pkg.length - up);
  if (module) base.push(module);
  return base.length ? base.join('.') : null;
}
