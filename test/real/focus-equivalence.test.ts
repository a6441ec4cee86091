import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { extractFacts } from '../../server/src/core/python/extract.js';
import { outlineFacts } from '../../server/src/core/python/outline.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { focusKey, type ProjectFile } from '../../server/src/core/project/project.js';
import { refRange, type Ref } from '../../server/src/core/python/facts.js';
import { LineIndex } from '../../server/src/core/python/outline/positions.js';
import { comparePositions } from '../../server/src/core/text.js';
import { focusFile } from '../../server/src/core/workspace/focus.js';
import { DJANGO, moduleOptionsFor, pythonFiles, STDLIB } from '../support/corpora.js';

// The argument a focused parse rests on (workspace/focus.ts), checked on every file of the stdlib and Django the
// outline accepts: blanking the statements that never spell the focused imports' local names (or the focused
// module-level names or attributes) leaves those imports' refs exactly as a parse of the whole file finds them
// (same order, chains, ranges, contexts, call shapes) and the verdict on whether those names are read, and the bound
// names differ only by names a blanked statement spells.

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
    let chainFocused = 0;
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
        const picked = pickItems(outline.facts.imports, n);
        // Some items only for the chains through some attribute names (every other one each item's refs spell).
        const chains = new Map<string, Set<string>>();
        for (const ref of outline.facts.refs) {
          const key = focusKey(ref.stmt, ref.item);
          if (!picked.has(key) || !ref.chain.length || (ref.stmt + n) % 2 === 0) continue;
          const words = chains.get(key) ?? new Set<string>();
          if ((words.size + ref.item) % 2 === 0) words.add(ref.chain[0]!);
          chains.set(key, words);
        }
        const items = new Set([...picked].filter((k) => !chains.has(k)));
        const names = new Set(outline.facts.bindings.filter((b, k) => b.kind !== 'import' && (k + n) % 3 === 0).map((b) => b.name));
        if (!items.size && !names.size && !chains.size) continue;
        const rel = path.relative(root, file);
        const asFile: ProjectFile = { relPath: rel, absPath: file, module: opts.module, isPackage: opts.isPackage, category: 'production', inScope: true, facts: outline.facts, problems: [], opaque: false, outline: true };
        const result = focusFile(asFile, text, { items, chains, names }, parser);
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
        // Chain-focused items: exact outside blanked statements, an over-approximation inside, and every ref through a
        // focused attribute outside.
        const lines = new LineIndex(text);
        const blanked = result.focus!.blanked.map(([a, b]) => [lines.position(a), lines.position(b)] as const);
        const inBlanked = (r: Ref): boolean => blanked.some(([a, b]) => comparePositions(a, refRange(r, 0).start) <= 0 && comparePositions(refRange(r, 0).start, b) < 0);
        const same = (r: Ref, s: Ref): boolean => r.stmt === s.stmt && r.item === s.item && isDeepStrictEqual([r.chain, r.coords], [s.chain, s.coords]);
        for (const [key, words] of chains) {
          chainFocused++;
          const exact: Ref[] = whole.refs.filter((r) => focusKey(r.stmt, r.item) === key);
          const merged: Ref[] = result.facts.refs.filter((r) => focusKey(r.stmt, r.item) === key);
          if (!isDeepStrictEqual(merged.filter((r) => !inBlanked(r)), exact.filter((r) => !inBlanked(r)))) assert.fail(`${rel}: refs of ${key} outside blanked statements differ`);
          const missing: Ref | undefined = exact.find((r) => inBlanked(r) && !merged.some((m) => same(m, r)));
          if (missing) assert.fail(`${rel}: a ref of ${key} in a blanked statement is missing: ${JSON.stringify(missing)}`);
          const lost = exact.find((r) => r.chain.length && words.has(r.chain[0]!) && inBlanked(r));
          if (lost) assert.fail(`${rel}: a ref through a focused attribute was blanked: ${JSON.stringify(lost)}`);
        }
        for (const name of names) {
          if (result.facts.moduleNameLoads.includes(name) !== whole.moduleNameLoads.includes(name)) assert.fail(`${rel}: focused and whole parses disagree on whether \`${name}\` is read`);
        }
        const spelled = (name: string): boolean => result.focus!.blanked.some(([a, b]) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'u').test(text.slice(a, b)));
        for (const bound of whole.boundNames) {
          if (!result.facts.boundNames.includes(bound) && !spelled(bound)) assert.fail(`${rel}: \`${bound}\` is bound, the focused parse misses it, and no blanked statement spells it`);
        }
        for (const bound of result.facts.boundNames) assert.ok(whole.boundNames.includes(bound), `${rel}: the focused parse binds \`${bound}\`, the whole file does not`);
      }
    } finally {
      parser.delete();
    }
    assert.ok(focused > (name === 'Django' ? 300 : 600), `only ${focused} files were focused`);
    assert.ok(blankedBytes > 1_000_000, `only ${blankedBytes} bytes were blanked`);
    assert.ok(chainFocused > (name === 'Django' ? 100 : 300), `only ${chainFocused} items were focused on chains`);
  });
}
