// package.json must agree with the code it describes: settings with DEFAULT_SETTINGS and ServerSettings,
// menus and views with the commands they name, and both with client/src/config.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../server/src/lsp/protocol.js';
import { Commands, ContextKeys, EXTENSION_ID, SETTINGS_SECTION, TreeItemContext, Views, WATCHED_GLOBS } from '../../client/src/config.js';

interface Property {
  type: string;
  default: unknown;
  enum?: unknown[];
  description?: string;
  markdownDescription?: string;
}
interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}
interface MenuItem {
  command: string;
  when?: string;
}

// Tests run from the repository root.
const manifest = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8'));
const properties: Record<string, Property> = manifest.contributes.configuration.properties;
const commands: CommandContribution[] = manifest.contributes.commands;

// Settings the client reads itself rather than the server (vscode-languageclient's `<id>.trace.server`).
const CLIENT_ONLY_SETTINGS = ['trace.server'];

test('every ServerSettings key is a contributed setting whose default is DEFAULT_SETTINGS', () => {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS) as [keyof ServerSettings, unknown][]) {
    const property = properties[`${SETTINGS_SECTION}.${key}`];
    assert.ok(property, `package.json lacks ${SETTINGS_SECTION}.${key}`);
    assert.deepEqual(property.default, value, `default of ${SETTINGS_SECTION}.${key}`);
    assert.equal(property.type, typeof value, `type of ${SETTINGS_SECTION}.${key}`);
    assert.ok(property.description || property.markdownDescription, `${SETTINGS_SECTION}.${key} is documented`);
  }
});

test('every contributed setting is a ServerSettings key or a client-only setting', () => {
  const known = new Set([...Object.keys(DEFAULT_SETTINGS), ...CLIENT_ONLY_SETTINGS].map((k) => `${SETTINGS_SECTION}.${k}`));
  assert.deepEqual(Object.keys(properties).filter((k) => !known.has(k)), []);
});

test('migrationLens.run offers exactly the values of ServerSettings.run', () => {
  const values: ServerSettings['run'][] = ['onType', 'onSave'];
  assert.deepEqual(properties[`${SETTINGS_SECTION}.run`]?.enum, values);
  assert.deepEqual(properties[`${SETTINGS_SECTION}.trace.server`]?.enum, ['off', 'messages', 'verbose']);
  assert.equal(properties[`${SETTINGS_SECTION}.trace.server`]?.default, 'off');
});

test('contributed commands are exactly the ids in config.ts, all in the Migration Lens category', () => {
  assert.deepEqual(commands.map((c) => c.command).sort(), Object.values(Commands).sort());
  for (const command of commands) assert.equal(command.category, 'Migration Lens', command.command);
});

test('every command referenced by a menu, a view welcome or a keybinding is contributed', () => {
  const contributed = new Set(commands.map((c) => c.command));
  const referenced: string[] = [];
  for (const items of Object.values(manifest.contributes.menus as Record<string, MenuItem[]>)) {
    referenced.push(...items.map((item) => item.command));
  }
  for (const welcome of manifest.contributes.viewsWelcome as { contents: string }[]) {
    for (const match of welcome.contents.matchAll(/\(command:([\w.]+)/g)) referenced.push(match[1]!);
  }
  for (const binding of (manifest.contributes.keybindings ?? []) as { command: string }[]) referenced.push(binding.command);
  assert.ok(referenced.length > 0);
  assert.deepEqual(referenced.filter((id) => !contributed.has(id)), []);
});

test('Fix All in File is hidden from the palette and offered on file nodes of the panel', () => {
  const palette: MenuItem[] = manifest.contributes.menus.commandPalette;
  assert.ok(palette.some((item) => item.command === Commands.fixAllInFile && item.when === 'false'));
  const context: MenuItem[] = manifest.contributes.menus['view/item/context'];
  assert.ok(context.some((item) => item.command === Commands.fixAllInFile && item.when?.includes(`viewItem == ${TreeItemContext.file}`)));
});

test('the panel lives in its own activity-bar container with a shipped icon', () => {
  const [container] = manifest.contributes.viewsContainers.activitybar as { id: string; icon: string }[];
  assert.equal(container?.id, Views.container);
  assert.ok(fs.existsSync(path.resolve(container!.icon)), `${container!.icon} exists`);
  const views = manifest.contributes.views[Views.container] as { id: string }[];
  assert.deepEqual(views.map((v) => v.id), [Views.status]);
  const welcome = manifest.contributes.viewsWelcome as { view: string; when: string; contents: string }[];
  assert.ok(welcome.some((w) => w.view === Views.status && w.when === ContextKeys.noConfig && w.contents.includes(`command:${Commands.createConfig}`)));
});

test('activation, identity and engine', () => {
  assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.activationEvents, [
    'onLanguage:python',
    'workspaceContains:**/migration-lens.toml',
    'workspaceContains:**/.migration-lens.toml',
  ]);
  // Watching pyproject.toml is right, activating on it is not: most Python projects have one.
  assert.ok(WATCHED_GLOBS.includes('**/pyproject.toml'));
  assert.equal(manifest.engines.vscode, '^1.138.0');
});
