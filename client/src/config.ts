/**
 * Every identifier the extension shares with package.json: settings section, commands, views, context keys,
 * the files that hold a config. No `vscode` import, so test/client/settings.test.ts can check package.json
 * against these without an extension host.
 */

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'migration-lens.migration-lens';

/** Settings section the server pulls with workspace/configuration (fields of ServerSettings). */
export const SETTINGS_SECTION = 'migrationLens';

export const OUTPUT_CHANNEL_NAME = 'Migration Lens';

export const Commands = {
  generateReport: 'migrationLens.generateReport',
  fixAllInWorkspace: 'migrationLens.fixAllInWorkspace',
  fixAllInFile: 'migrationLens.fixAllInFile',
  showOutput: 'migrationLens.showOutput',
  restartServer: 'migrationLens.restartServer',
  createConfig: 'migrationLens.createConfig',
  refreshStatus: 'migrationLens.refreshStatus',
} as const;

export const Views = {
  container: 'migrationLens',
  status: 'migrationLens.status',
} as const;

/** `when`-clause context keys set by the extension. */
export const ContextKeys = {
  /** Every project runs on defaults: the panel offers to create a config. */
  noConfig: 'migrationLens.noConfig',
  /** A status snapshot has arrived: until then the panel's welcome text says it is waiting. */
  hasStatus: 'migrationLens.hasStatus',
} as const;

/** `contextValue` of panel items, matched by `viewItem == …` in package.json menus. */
export const TreeItemContext = {
  file: 'migrationLens.file',
} as const;

/** Dedicated config files (shared with the server); a pyproject.toml counts only when it has a [tool.migration-lens] table. */
export { CONFIG_FILE_NAMES } from '../../server/src/core/config/fileNames.js';

/** The file "Create Config" writes at the root of the first workspace folder. */
export const STARTER_CONFIG_FILE_NAME = 'migration-lens.toml';

/**
 * Files whose changes the server must hear about through workspace/didChangeWatchedFiles, including changes
 * made outside the editor (branch switches, generated code): sources and every file that can hold a config.
 */
export const WATCHED_GLOBS = ['**/*.py', '**/migration-lens.toml', '**/.migration-lens.toml', '**/pyproject.toml'] as const;
