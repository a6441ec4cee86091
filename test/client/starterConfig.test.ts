// The config written by "Create Config" must be valid as written and with every example uncommented, and
// must change nothing until edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { defaultConfig, parseConfigText } from '../../server/src/core/config/load.js';
import { STARTER_CONFIG, STARTER_CONFIG_ALL_EXAMPLES } from '../../client/src/starterConfig.js';
import { STARTER_CONFIG_FILE_NAME } from '../../client/src/config.js';

const root = path.resolve('starter-project');
const file = path.join(root, STARTER_CONFIG_FILE_NAME);

test('the starter config parses without diagnostics', () => {
  const { diagnostics } = parseConfigText(STARTER_CONFIG, file, root);
  assert.deepEqual(diagnostics, []);
});

test('as written, the starter config is the default configuration', () => {
  const { config } = parseConfigText(STARTER_CONFIG, file, root);
  assert.deepEqual({ ...config, configPath: null }, defaultConfig(root));
});

test('with every example uncommented it is still valid, and each example takes effect', () => {
  const { config, diagnostics } = parseConfigText(STARTER_CONFIG_ALL_EXAMPLES, file, root);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(config.targetVersion, { major: 3, minor: 11 });
  assert.deepEqual(config.categories.map((c) => c.name), ['tests', 'backup', 'scripts']);
  assert.equal(config.deprecated.length, 1);
  assert.equal(config.canonical.length, 1);
  assert.ok(config.ignore.length > 0);
  assert.equal(config.perFileIgnores.length, 1);
});

test('every example line is commented out in the written file', () => {
  const live = STARTER_CONFIG.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  assert.deepEqual(
    live.map((line) => line.split(' = ')[0]),
    ['src', 'extend-exclude', '[categories]', 'tests'],
  );
});
