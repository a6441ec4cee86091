import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tree } from 'web-tree-sitter';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { DocumentStore, lineBreakShift } from '../../server/src/lsp/documents.js';

// An open document keeps its tree between edits and re-parses incrementally; some insertions are described to
// tree-sitter one line break earlier (lineBreakShift). Whatever the description, the tree must be the one a fresh
// parse of the new text gives: node for node, with the same offsets and positions.

function nodes(tree: Tree): string[] {
  const out: string[] = [];
  const cursor = tree.walk();
  try {
    for (;;) {
      const n = cursor.currentNode;
      out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}${n.isMissing ? ' missing' : ''}`);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
    }
  } finally {
    cursor.delete();
  }
}

const SOURCE = ['import os', '', 'class A:', '    def f(self):', '        x = 1', '        return x', '', '', 'def g():', '    return os.sep', ''].join('\n');

test('lineBreakShift: only insertions ending with the line break that precedes them', () => {
  assert.equal(lineBreakShift('a\nb', 2, 'x\n'), 1);
  assert.equal(lineBreakShift('a\nb', 2, '\n'), 1);
  assert.equal(lineBreakShift('a\r\nb', 3, 'x\r\n'), 2);
  assert.equal(lineBreakShift('a\r\nb', 3, 'x\n'), 0, 'never between \\r and \\n');
  assert.equal(lineBreakShift('a\nb', 2, 'x\r\n'), 0);
  assert.equal(lineBreakShift('a\nb', 1, 'x\n'), 0, 'not at the start of a line');
  assert.equal(lineBreakShift('ab', 0, 'x\n'), 0, 'start of the file');
  assert.equal(lineBreakShift('a\nb', 2, 'x'), 0);
});

test('incremental re-parses of an open document equal fresh parses, line-start insertions included', async () => {
  const parser = await PythonParser.create();
  const store = new DocumentStore();
  try {
    for (const eol of ['\n', '\r\n']) {
      const text = SOURCE.replace(/\n/g, eol);
      const doc = store.open('file:///w/m.py', 'python', 1, text, '/w/m.py');
      doc.parse(parser);
      const at = (line: number, character: number) => ({ line, character });
      const edits = [
        // Lines inserted at the start of a line (shifted), in a body, before a class, at the end, at the top.
        { range: { start: at(5, 0), end: at(5, 0) }, text: `        y = os.path${eol}` },
        { range: { start: at(6, 0), end: at(6, 0) }, text: eol },
        { range: { start: at(2, 0), end: at(2, 0) }, text: `from a import b${eol}${eol}` },
        { range: { start: at(0, 0), end: at(0, 0) }, text: `import sys${eol}` },
        { range: { start: at(12, 0), end: at(12, 0) }, text: `x = 2${eol}` },
        // Not shifted: mid-line, deletions, replacements, a line break that differs from the file's.
        { range: { start: at(5, 9), end: at(5, 9) }, text: 'z' },
        { range: { start: at(5, 0), end: at(6, 0) }, text: '' },
        { range: { start: at(3, 0), end: at(3, 0) }, text: eol === '\n' ? 'q = 1\r\n' : 'q = 1\n' },
        { range: { start: at(1, 0), end: at(2, 3) }, text: `import json${eol}` },
        { range: { start: at(4, 0), end: at(4, 0) }, text: `    def h(self):${eol}        pass${eol}` },
      ];
      let version = 1;
      for (const edit of edits) {
        doc.applyChanges([edit], ++version);
        const fresh = parser.parse(doc.text);
        try {
          assert.deepEqual(nodes(doc.parse(parser)), nodes(fresh), `after ${JSON.stringify(edit)} (${JSON.stringify(eol)})`);
        } finally {
          fresh.delete();
        }
      }
    }
  } finally {
    store.dispose();
    parser.delete();
  }
});
