import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { extractFacts } from '../../server/src/core/python/extract.js';
import { outlineFacts } from '../../server/src/core/python/outline.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { focusKey, type ProjectFile } from '../../server/src/core/project/project.js';
import { focusFile } from '../../server/src/core/workspace/focus.js';
import { DJANGO, moduleOptionsFor, pythonFiles, STDLIB } from '../support/corpora.js';

// The argument a focused parse rests on (workspace/focus.ts), checked on every file of the stdlib and Django the
// outline accepts: blanking the definitions outside functions that never spell the focused imports' local names
// (or the focused module-level names) leaves those imports' refs exactly as a parse of the whole file finds them
// (same order, chains, ranges, contexts, call shapes) and the verdict on whether those names are read, and the bound
// names differ only by names a blanked definition spells.

/** Which imports to focus on: a spread of single items and small groups, decided by the file's own shape. */
function pickItems(imports: { items: unknown[] }[], salt: number): Set<string> {
  const all: string[] = [];
  imports.forEach((s, i) => s.items.forEach((_, j) => all.push(focusKey(i, j))));
  const picked = new Set<string>();
  for (let k = 0; k < all.length; k++) if ((k * 7 + salt) % 5 === 0) picked.add(all[k]!);
  return picked;
}

for (const [name, root, prefix] of [
  ['CPython stdlib', STDLIB, ''],
  ['Django', DJANGO, 'django'],
] as const) {
  test(`${name}: focused refs and bound names match a parse of the whole file`, { timeout: 600_000, skip: !fs.existsSync(root) && `${root} is missing` }, async () => {
    const parser = await PythonParser.create();
    let focused = 0;
    let blankedBytes = 0;
    try {
      for (const [n, file] of pythonFiles(root).entries()) {
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        const opts = moduleOptionsFor(root, file, prefix);
        const outline = outlineFacts(text, { ...opts, params: false });
        if (!outline.ok) continue;
        const items = pickItems(outline.facts.imports, n);
        const names = new Set(outline.facts.bindings.filter((b, k) => b.kind !== 'import' && (k + n) % 3 === 0).map((b) => b.name));
        if (!items.size && !names.size) continue;
        const rel = path.relative(root, file);
        const asFile: ProjectFile = { relPath: rel, absPath: file, module: opts.module, isPackage: opts.isPackage, category: 'production', inScope: true, facts: outline.facts, problems: [], opaque: false, outline: true };
        const result = focusFile(asFile, text, { items, names }, parser);
        if (!result) continue;
        focused++;
        blankedBytes += result.focus!.blanked.reduce((sum, [a, b]) => sum + b - a, 0);
        const tree = parser.parse(text);
        const whole = extractFacts(tree, text, opts);
        tree.delete();
        const want = whole.refs.filter((r) => items.has(focusKey(r.stmt, r.item)));
        const got = result.facts.refs.filter((r) => items.has(focusKey(r.stmt, r.item)));
        if (!isDeepStrictEqual(got, want)) {
          const i = got.findIndex((r, k) => !isDeepStrictEqual(r, want[k]));
          assert.fail(`${rel}: focused refs differ at #${i}: ${JSON.stringify(got[i] ?? null)} vs ${JSON.stringify(want[i] ?? null)}`);
        }
        for (const name of names) {
          if (result.facts.moduleNameLoads.includes(name) !== whole.moduleNameLoads.includes(name)) assert.fail(`${rel}: focused and whole parses disagree on whether \`${name}\` is read`);
        }
        const spelled = (name: string): boolean => result.focus!.blanked.some(([a, b]) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'u').test(text.slice(a, b)));
        for (const bound of whole.boundNames) {
          if (!result.facts.boundNames.includes(bound) && !spelled(bound)) assert.fail(`${rel}: \`${bound}\` is bound, the focused parse misses it, and no blanked definition spells it`);
        }
        for (const bound of result.facts.boundNames) assert.ok(whole.boundNames.includes(bound), `${rel}: the focused parse binds \`${bound}\`, the whole file does not`);
      }
    } finally {
      parser.delete();
    }
    assert.ok(focused > (name === 'Django' ? 300 : 600), `only ${focused} files were focused`);
    assert.ok(blankedBytes > 1_000_000, `only ${blankedBytes} bytes were blanked`);
  });
}
