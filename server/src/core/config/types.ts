import type { PyVersion, Range, RuleCode, Severity } from '../types.js';

/** Where a value came from in the config file, so workspace-level validation can point at it. */
export interface ConfigSpan {
  path: string;
  range: Range;
}

export interface DeprecatedEntry {
  /** Fully qualified dotted name, e.g. `pkg.mod.Class` or `pkg.mod.Class.method` or a module `pkg.old`. */
  symbol: string;
  replacement: string | null;
  message: string | null;
  symbolSpan: ConfigSpan | null;
  replacementSpan: ConfigSpan | null;
}

export interface CanonicalEntry {
  /** Dotted module that is the single home of `symbols`. */
  module: string;
  symbols: string[];
  moduleSpan: ConfigSpan | null;
  /** Parallel to `symbols`. */
  symbolSpans: (ConfigSpan | null)[];
}

export interface CategoryRule {
  name: string;
  patterns: string[];
}

export interface Config {
  /** Absolute path of the config file, or null when running on defaults. */
  configPath: string | null;
  /** Absolute project root: the folder holding the config, else the checked path (its folder if a file). */
  root: string;
  /** Import roots, relative to root (POSIX). */
  src: string[];
  /** Globs (relative to root, POSIX) never analyzed. Defaults replaced when set. */
  exclude: string[];
  /** Globs added to `exclude`. */
  extendExclude: string[];
  respectGitignore: boolean;
  targetVersion: PyVersion;
  /** Rule codes or prefixes enabled; null = all. */
  select: string[] | null;
  /** Rule codes or prefixes disabled. */
  ignore: string[];
  /** glob → codes/prefixes ignored for matching files. */
  perFileIgnores: { pattern: string; codes: string[] }[];
  /** Severity overrides per rule. */
  severity: Partial<Record<RuleCode, Severity>>;
  /** Ordered; first match wins; everything else is `production`. */
  categories: CategoryRule[];
  deprecated: DeprecatedEntry[];
  canonical: CanonicalEntry[];
  /** Dotted modules or symbols that must stay importable (the report's "critical imports"), with their spans. */
  required: { name: string; span: ConfigSpan | null }[];
  /** Files larger than this (bytes) are skipped with a clear message. */
  maxFileSize: number;
}
