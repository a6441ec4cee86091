/**
 * The VSIX contents, as `vsce` computes them from `.vscodeignore` (a whitelist): exactly the bundles, the wasm
 * files, the grammars, the icon, the manifest, the README and the license. Every file the manifest points at must be
 * among them, or the installed extension breaks.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const EXPECTED = [
  'LICENSE',
  'README.md',
  'client/resources/migration-lens.svg',
  'dist/analysis-worker.js',
  'dist/extension.js',
  'dist/outline-lexer.wasm',
  'dist/server.js',
  'dist/tree-sitter-python.wasm',
  'dist/web-tree-sitter.wasm',
  'package.json',
  'syntaxes/migration-lens-suppression.injection.tmLanguage.json',
  'syntaxes/migration-lens-toml.language-configuration.json',
  'syntaxes/migration-lens-toml.tmLanguage.json',
];

function vsceList(): string[] {
  const vsce = path.resolve('node_modules/@vscode/vsce/vsce');
  const out = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

/** Every relative file path in the manifest's `main` and `contributes` (grammars, icons, language configurations). */
function referencedFiles(manifest: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && /^\.\/|^client\/|^syntaxes\/|^dist\//.test(v) && /\.(json|svg|png|js)$/.test(v)) found.add(path.posix.normalize(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  const m = manifest as { main: string; contributes: unknown };
  visit(m.main);
  visit(m.contributes);
  return [...found].sort();
}

test('the VSIX contains exactly the whitelisted files', () => {
  assert.deepEqual(vsceList(), EXPECTED);
});

test('every file the manifest references ships in the VSIX and exists after the build', () => {
  const manifest: unknown = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const shipped = new Set(vsceList());
  const referenced = referencedFiles(manifest);
  assert.ok(referenced.includes('dist/extension.js'), `main is referenced: ${referenced.join(', ')}`);
  for (const file of referenced) {
    assert.ok(shipped.has(file), `${file} is referenced by package.json but not shipped`);
    assert.ok(fs.existsSync(file), `${file} is referenced by package.json but missing`);
  }
});
