/**
 * Which files hold a Migration Lens config. A leaf module (no I/O, no parser) so the VS Code client can share
 * the list with the config loader and the server.
 */

/** Dedicated config files, in priority order; pyproject.toml comes after them in each folder. */
export const CONFIG_FILE_NAMES: readonly string[] = ['migration-lens.toml', '.migration-lens.toml'];

/** A file name that can hold a config (a pyproject.toml only when it has a [tool.migration-lens] table). */
export function mayHoldConfig(fileName: string): boolean {
  return CONFIG_FILE_NAMES.includes(fileName) || fileName === 'pyproject.toml';
}
