import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import { extractFacts, type ExtractOptions } from '../../server/src/core/python/extract.js';
import { loadPython, PythonParser } from '../../server/src/core/python/parser.js';
import { mirrorTree, releaseMirrorCache, walkMode, type SyntaxTree } from '../../server/src/core/python/syntax.js';
import { DJANGO, moduleOptionsFor, pythonFiles, STDLIB } from '../support/corpora.js';
import { extractFacts as referenceExtractFacts } from './referenceExtract.js';

// extract.ts walks a JavaScript mirror of the syntax tree (syntax.ts) instead of web-tree-sitter's node wrappers.
// These tests hold it to the facts of the extractor it replaced (referenceExtract.ts, a frozen copy), on every file
// of the largest bodies of real Python at hand: this machine's CPython standard library and Django, after full
// parses and after incremental re-parses of edited text (the language server's path).

function assertSameMirror(actual: SyntaxTree, expected: SyntaxTree, label: string): void {
  assert.equal(actual.nodeCount, expected.nodeCount, `${label}: node count`);
  assert.equal(actual.firstErrorId, expected.firstErrorId, `${label}: first error`);
  const arrays = (t: SyntaxTree) => ({ typeIds: t.typeIds, fieldIds: t.fieldIds, starts: t.starts, ends: t.ends, parents: t.parents, subtreeEnds: t.subtreeEnds, flags: t.flags, slots: t.slots });
  const e = arrays(expected);
  for (const [name, a] of Object.entries(arrays(actual))) {
    const b = e[name as keyof typeof e];
    for (let i = 0; i < actual.nodeCount; i++) if (a[i] !== b[i]) assert.fail(`${label}: ${name}[${i}] is ${a[i]}, the public cursor says ${b[i]}`);
  }
}

function assertSameFacts(tree: Tree, text: string, opts: ExtractOptions, label: string): void {
  const actual = extractFacts(tree, text, opts);
  const expected = referenceExtractFacts(tree, text, opts);
  if (!isDeepStrictEqual(actual, expected)) assert.deepStrictEqual(actual, expected, label);
}

function corpusTest(name: string, root: string, prefix: string): void {
  test(`extraction of every .py file of ${name} equals the reference extractor's`, { timeout: 120_000 }, async (t) => {
    if (!fs.existsSync(root)) {
      t.skip(`${name} is not installed at ${root}`);
      return;
    }
    const parser = await PythonParser.create();
    let compared = 0;
    let withErrors = 0;
    try {
      for (const file of pythonFiles(root)) {
        const text = fs.readFileSync(file, 'utf8');
        const tree = parser.parse(text);
        try {
          assertSameFacts(tree, text, moduleOptionsFor(root, file, prefix), file);
          if (tree.rootNode.hasError) withErrors++;
          compared++;
        } finally {
          tree.delete();
        }
      }
    } finally {
      releaseMirrorCache();
      parser.delete();
    }
    t.diagnostic(`${name}: ${compared} files compared (${withErrors} with syntax errors)`);
    assert.ok(compared > 100, `expected a real corpus under ${root}, found ${compared} files`);
  });
}

corpusTest('the CPython standard library', STDLIB, '');
corpusTest('Django', DJANGO, 'django');

/** Row and UTF-16 column of an offset, as tree-sitter counts them (rows end at '\n' only). */
function pointAt(text: string, index: number): Point {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: index - lineStart };
}

test('after incremental re-parses of edited files, the mirror (reusing subtrees) and the facts are unchanged', { timeout: 60_000 }, async (t) => {
  const parser = await PythonParser.create();
  const language = await loadPython();
  let walked = 0;
  let reused = 0;
  let rounds = 0;
  let withErrors = 0;
  const files = pythonFiles(STDLIB).filter((_, i) => i % 50 === 0);
  const snippets = ['x', '\n', ' ', '(', ')', ':', 'import os\n', 'from . import (a,\n', '"', '😀', 'def f(:\n', '\r\n', '\t'];
  let seed = 1;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  try {
    for (const file of files) {
      let text = fs.readFileSync(file, 'utf8');
      let tree = parser.parse(text);
      try {
        // First typing inside identifiers (the file stays valid), then arbitrary edits (it usually breaks).
        for (let k = 0; k < 12; k++) {
          let start = random(text.length + 1);
          let end = start;
          let insert: string;
          if (k < 4) {
            // A letter typed after the first letter of the next identifier.
            const word = /[A-Za-z_]\w/g;
            word.lastIndex = start;
            const hit = word.exec(text);
            start = end = hit ? hit.index + 1 : 0;
            insert = 'x';
          } else {
            // Never split a surrogate pair.
            if (start > 0 && start < text.length && /[\uDC00-\uDFFF]/.test(text[start]!)) start--;
            end = random(4) === 0 ? Math.min(text.length, start + random(40)) : start;
            if (end > start && end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
            insert = random(3) === 0 ? '' : snippets[random(snippets.length)]!;
          }
          const next = text.slice(0, start) + insert + text.slice(end);
          tree.edit(
            new Edit({
              startIndex: start,
              oldEndIndex: end,
              newEndIndex: start + insert.length,
              startPosition: pointAt(text, start),
              oldEndPosition: pointAt(text, end),
              newEndPosition: pointAt(next, start + insert.length),
            }),
          );
          text = next;
          const reparsed = parser.parse(text, tree);
          tree.delete();
          tree = reparsed;
          // Reuses what the previous round cached (the tree before this edit), like a keystroke in the server; the
          // facts below then come from a mirror that reuses this very tree (everything below the root).
          const mirror = mirrorTree(tree, text);
          assertSameMirror(mirror, mirrorTree(tree, text, { publicCursor: true }), `${file} after edit ${k + 1}`);
          walked += mirror.nodeCount;
          reused += mirror.reusedCount;
          rounds++;
          if (mirror.firstErrorId >= 0) withErrors++;
          assertSameFacts(tree, text, moduleOptionsFor(STDLIB, file, ''), `${file} after edit ${k + 1}`);
        }
      } finally {
        tree.delete();
      }
    }
  } finally {
    releaseMirrorCache();
    parser.delete();
  }
  t.diagnostic(`${rounds} edits (${withErrors} leaving a syntax error); walk mode ${walkMode(language)}: ${reused} of ${walked} nodes reused`);
  if (walkMode(language) === 'binding+reuse') assert.ok(reused > walked / 2, 'most of an edited tree is reused');
});

test('the binding walk and the public TreeCursor walk mirror the same trees', async (t) => {
  const parser = await PythonParser.create();
  const mode = walkMode(await loadPython());
  t.diagnostic(`walk mode: ${mode}`);
  const files = pythonFiles(STDLIB).filter((_, i) => i % 10 === 0);
  try {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = parser.parse(text);
      try {
        const viaPublic = mirrorTree(tree, text, { publicCursor: true });
        assert.equal(viaPublic.nodeCount, tree.rootNode.descendantCount, file);
        assertSameMirror(mirrorTree(tree, text, { reuse: false }), viaPublic, file);
      } finally {
        tree.delete();
      }
    }
  } finally {
    parser.delete();
  }
});
