/**
 * Finding and reading the configuration file. All file-system access of the config module lives
 * here; the parsing itself is pure (parse.ts). Nothing in this module throws on bad input.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigDiagnostic, PyVersion } from '../types.js';
import { defaultConfig } from './defaults.js';
import { CONFIG_FILE_NAMES } from './fileNames.js';
import { hasConfigTable, parseConfigText, requiresPythonFromText, type ConfigResult } from './parse.js';

export {
  CONFIG_KEYS,
  DEFAULT_CATEGORIES,
  DEFAULT_EXCLUDE,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_TARGET_VERSION,
  FALLBACK_CATEGORY,
  MAX_TARGET_VERSION,
  MIN_TARGET_VERSION,
  defaultConfig,
  type ConfigKey,
  type ConfigKeyDoc,
} from './defaults.js';
export { hasConfigTable, parseConfigText, parseRequiresPython, type ConfigResult, type ParseConfigOptions } from './parse.js';

export { CONFIG_FILE_NAMES, mayHoldConfig } from './fileNames.js';

function isFile(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isFile();
  } catch {
    return false;
  }
}

function readText(filePath: string): string | null {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch {
    return null;
  }
}

/** The folder a check starts from: the path itself, or its folder when it is a file. */
function folderOf(checkPath: string): string {
  return isFile(checkPath) ? path.dirname(checkPath) : checkPath;
}

function configFileIn(dir: string): string | null {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  const pyproject = path.join(dir, 'pyproject.toml');
  const text = isFile(pyproject) ? readText(pyproject) : null;
  return text !== null && hasConfigTable(text) ? pyproject : null;
}

/**
 * Walk up from `startPath` (a file or folder) to the file-system root and return the first config
 * file: `migration-lens.toml`, then `.migration-lens.toml`, then a `pyproject.toml` that has a
 * `[tool.migration-lens]` table.
 */
export function findConfigFile(startPath: string): string | null {
  let dir = folderOf(path.resolve(startPath));
  for (;;) {
    const found = configFileIn(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function diagnosticAtStart(filePath: string, message: string, severity: ConfigDiagnostic['severity']): ConfigDiagnostic {
  const start = { line: 0, column: 0 };
  return { path: filePath, range: { start, end: start }, message, severity };
}

function readError(filePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return `Config file not found: ${filePath}`;
  if (code === 'EISDIR') return `Config path is a folder, not a file: ${filePath}`;
  return `Cannot read config file ${filePath}: ${error instanceof Error ? error.message : String(error)}`;
}

/** A dedicated config file takes its default target-version from the pyproject.toml next to it. */
function siblingRequiresPython(dir: string): PyVersion | null {
  const text = readText(path.join(dir, 'pyproject.toml'));
  return text === null ? null : requiresPythonFromText(text);
}

/**
 * Load the configuration for a check of `checkPath` (absolute file or folder), from `configFile`
 * when given (e.g. `--config`), else from the nearest config file found by walking up.
 */
export function loadConfig(opts: { checkPath: string; configFile?: string }): ConfigResult {
  const checkPath = path.resolve(opts.checkPath);
  const explicit = opts.configFile !== undefined;
  const file = explicit && opts.configFile !== undefined ? path.resolve(opts.configFile) : findConfigFile(checkPath);
  if (file === null) return { config: defaultConfig(folderOf(checkPath)), diagnostics: [] };

  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { config: defaultConfig(folderOf(checkPath)), diagnostics: [diagnosticAtStart(file, readError(file, error), 'error')] };
  }

  const root = path.dirname(file);
  const isPyproject = path.basename(file) === 'pyproject.toml';
  const result = parseConfigText(text, file, root, { defaultTargetVersion: isPyproject ? null : siblingRequiresPython(root) });
  if (explicit && isPyproject && !hasConfigTable(text)) {
    result.diagnostics.push(diagnosticAtStart(file, 'This pyproject.toml has no [tool.migration-lens] table; using default settings', 'warning'));
  }
  return result;
}
