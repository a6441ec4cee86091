/** Default values and the documentation table of every configuration key. */
import type { PyVersion } from '../types.js';
import type { CategoryRule, Config } from './types.js';

/** Ruff's default exclusions, so a project configured for Ruff behaves the same here. */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '.bzr',
  '.direnv',
  '.eggs',
  '.git',
  '.git-rewrite',
  '.hg',
  '.ipynb_checkpoints',
  '.mypy_cache',
  '.nox',
  '.pants.d',
  '.pyenv',
  '.pytest_cache',
  '.pytype',
  '.ruff_cache',
  '.svn',
  '.tox',
  '.venv',
  '.vscode',
  '__pypackages__',
  '_build',
  'buck-out',
  'build',
  'dist',
  'node_modules',
  'site-packages',
  'venv',
];

/** Used only when the config has no `categories` table; everything unmatched is `production`. */
export const DEFAULT_CATEGORIES: readonly CategoryRule[] = [
  {
    name: 'tests',
    patterns: ['tests/**', 'test/**', '**/tests/**', '**/test/**', '**/test_*.py', '**/*_test.py', '**/conftest.py'],
  },
];

/** The category every file falls into when no category pattern matches; not usable as a name. */
export const FALLBACK_CATEGORY = 'production';

export const DEFAULT_SRC: readonly string[] = ['.', 'src'];
export const DEFAULT_TARGET_VERSION: PyVersion = { major: 3, minor: 9 };
export const MIN_TARGET_VERSION: PyVersion = { major: 3, minor: 8 };
export const MAX_TARGET_VERSION: PyVersion = { major: 3, minor: 14 };
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

/** Configuration as if no file existed. `exclude` and `categories` hold their effective defaults. */
export function defaultConfig(root: string): Config {
  return {
    configPath: null,
    root,
    src: [...DEFAULT_SRC],
    exclude: [...DEFAULT_EXCLUDE],
    extendExclude: [],
    respectGitignore: true,
    targetVersion: { ...DEFAULT_TARGET_VERSION },
    select: null,
    ignore: [],
    perFileIgnores: [],
    severity: {},
    categories: DEFAULT_CATEGORIES.map((c) => ({ name: c.name, patterns: [...c.patterns] })),
    deprecated: [],
    canonical: [],
    required: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
  };
}

export interface ConfigKeyDoc {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** Every supported key under `[tool.migration-lens]` (or at the top of `migration-lens.toml`). */
export const CONFIG_KEYS = [
  {
    key: 'src',
    type: 'array of strings',
    default: '[".", "src"]',
    description: 'Import roots, relative to the project root, used to turn file paths into module names.',
  },
  {
    key: 'exclude',
    type: 'array of globs',
    default: 'Ruff\'s default exclusions (".git", ".venv", "build", "dist", "node_modules", ...)',
    description: 'Paths never analyzed, relative to the project root. Setting it replaces the defaults.',
  },
  {
    key: 'extend-exclude',
    type: 'array of globs',
    default: '[]',
    description: 'Paths never analyzed, added to `exclude` (keeps the defaults).',
  },
  {
    key: 'respect-gitignore',
    type: 'boolean',
    default: 'true',
    description: 'Skip files ignored by .gitignore.',
  },
  {
    key: 'target-version',
    type: 'string ("py38" to "py314")',
    default: '[project] requires-python lower bound, else "py39"',
    description: 'Oldest Python version the code must run on; fixes never use newer syntax or APIs.',
  },
  {
    key: 'select',
    type: 'array of rule codes or prefixes',
    default: 'all rules',
    description: 'Rules to enable, e.g. ["MIG001", "MIG00"]; "MIG" selects every rule.',
  },
  {
    key: 'ignore',
    type: 'array of rule codes or prefixes',
    default: '[]',
    description: 'Rules to disable, applied after `select`.',
  },
  {
    key: 'per-file-ignores',
    type: 'table of glob -> array of rule codes or prefixes',
    default: '{}',
    description: 'Rules to disable in files matching each glob.',
  },
  {
    key: 'severity',
    type: 'table of rule code -> "error" | "warning" | "info" | "hint"',
    default: '{}',
    description: 'Override the severity reported for a rule.',
  },
  {
    key: 'max-file-size',
    type: 'positive integer (bytes)',
    default: String(DEFAULT_MAX_FILE_SIZE),
    description: 'Files larger than this are skipped and reported.',
  },
  {
    key: 'categories',
    type: 'table of name -> array of globs',
    default: '{ tests = ["tests/**", "test/**", "**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"] }',
    description:
      'Named groups of files used in reports. The first matching category wins (in file order); unmatched files are "production", which cannot be used as a name.',
  },
  {
    key: 'deprecated',
    type: 'array of tables { symbol, replacement?, message? }',
    default: '[]',
    description:
      'Deprecated symbols or modules: `symbol` is the dotted name (required), `replacement` the dotted name to use instead, `message` extra text for the finding.',
  },
  {
    key: 'canonical',
    type: 'array of tables { module, symbols }',
    default: '[]',
    description: 'Single home of symbols: `module` is the dotted module (required), `symbols` the names that must be imported from it (required, non-empty).',
  },
  {
    key: 'required',
    type: 'array of dotted names',
    default: '[]',
    description:
      'Modules and symbols that must stay importable, e.g. ["app.main", "app.core.UserService"]: the stability report checks each one resolves in the workspace and says where it resolves to.',
  },
] as const satisfies readonly ConfigKeyDoc[];

export type ConfigKey = (typeof CONFIG_KEYS)[number]['key'];

export const DEPRECATED_ENTRY_KEYS = ['symbol', 'replacement', 'message'] as const;
export const CANONICAL_ENTRY_KEYS = ['module', 'symbols'] as const;
