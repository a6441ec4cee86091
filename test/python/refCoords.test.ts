import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFacts } from '../../server/src/core/python/extract.js';
import { attrRange, packRefRanges, refCovers, refRange, refRangeIndex, type Ref } from '../../server/src/core/python/facts.js';
import { outlineFacts } from '../../server/src/core/python/outline.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import type { Range } from '../../server/src/core/types.js';

// Ref.coords holds a ref's ranges as flat numbers; refRange/attrRange/refRangeIndex/refCovers are the only readers.

const range = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: { line: l1, column: c1 }, end: { line: l2, column: c2 } });

// `dt.datetime.utcnow` at line 3, column 4, with its attribute `utcnow` continued on the next line.
const RANGES = [range(3, 4, 3, 6), range(3, 4, 3, 15), range(3, 4, 4, 10)];
const ATTRS = [range(3, 7, 3, 15), range(4, 4, 4, 10)];
const REF: Ref = { stmt: 0, item: 0, chain: ['datetime', 'utcnow'], coords: packRefRanges(RANGES, ATTRS), context: 'load', call: null, lambdaSafe: false };

test('refRange and attrRange give back the ranges packRefRanges packed, and nothing past them', () => {
  assert.deepEqual([0, 1, 2].map((k) => refRange(REF, k)), RANGES);
  assert.deepEqual([0, 1].map((k) => attrRange(REF, k)), ATTRS);
  assert.throws(() => attrRange(REF, 2), RangeError);
});

test('refRangeIndex finds the k of a range, and -1 for a range that is not one of refRange', () => {
  assert.equal(refRangeIndex(REF, range(3, 4, 3, 15)), 1);
  assert.equal(refRangeIndex(REF, range(3, 4, 4, 10)), 2);
  assert.equal(refRangeIndex(REF, ATTRS[0]!), -1, 'an attribute range is not a chain range');
  assert.equal(refRangeIndex(REF, range(3, 4, 3, 14)), -1);
});

test('refCovers: from the start of the base name to the end of the whole chain, ends included', () => {
  for (const [line, column, inside] of [
    [3, 3, false],
    [3, 4, true],
    [3, 40, true],
    [4, 10, true],
    [4, 11, false],
    [2, 50, false],
  ] as const) {
    assert.equal(refCovers(REF, { line, column }), inside, `${line}:${column}`);
  }
});

test('the outline and a parse put the same coordinates in a ref, across lines and brackets', async () => {
  const text = 'import datetime as dt\n\ndef f():\n    return (dt.\n            datetime . utcnow)\n';
  const parser = await PythonParser.create();
  const tree = parser.parse(text);
  const parsed = extractFacts(tree, text, { module: 'm', isPackage: false });
  tree.delete();
  const outline = outlineFacts(text, { module: 'm', isPackage: false });
  assert.ok(outline.ok);
  const [a] = parsed.refs;
  const [b] = outline.facts.refs;
  assert.ok(a && b);
  assert.deepEqual(a.chain, ['datetime', 'utcnow']);
  assert.deepEqual(refRange(a, 2), range(3, 12, 4, 29));
  assert.deepEqual(attrRange(a, 1), range(4, 23, 4, 29));
  assert.deepEqual(b.coords, a.coords);
});
