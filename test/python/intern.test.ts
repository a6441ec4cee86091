import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFacts } from '../../server/src/core/python/extract.js';
import type { FileFacts } from '../../server/src/core/python/facts.js';
import { internFacts } from '../../server/src/core/python/intern.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { RICH } from '../support/richPython.js';

// internFacts visits the string fields of FileFacts by name (a generic walk over every range was too slow per
// keystroke). A string field it does not know would keep its file's text alive: every string of a file that fills
// every field must pass through it.

const LITERAL_FIELDS = new Set(['kind', 'context', 'via']);

/** Replaces every string under `value` by a unique marker; returns the markers by path. */
function mark(value: unknown, path: string, markers: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const marker = `\u0001${markers.size}`;
    markers.set(marker, path);
    return marker;
  }
  if (Array.isArray(value)) return value.map((v, i) => mark(v, `${path}[${i}]`, markers));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v, `${path}.${k}`, markers)]));
  }
  return value;
}

test('internFacts visits every string of the facts except the extractor\'s fixed literals', async () => {
  const parser = await PythonParser.create();
  const tree = parser.parse(RICH);
  let facts: FileFacts;
  try {
    facts = extractFacts(tree, RICH, { module: 'pkg.sub.rich', isPackage: false });
  } finally {
    tree.delete();
    parser.delete();
  }
  // The sample must fill every string-bearing field, or the check below proves nothing about it.
  assert.ok(facts.imports.some((s) => s.items.some((i) => i.asName)) && facts.imports.some((s) => s.indent), 'imports with aliases and indents');
  assert.ok(facts.refs.some((r) => r.chain.length && r.call?.keywords.length), 'refs with chains and keyword calls');
  assert.ok(facts.bindings.some((b) => b.aliasTarget), 'alias bindings');
  assert.ok(facts.definitions.some((d) => d.deprecation && d.decorators.length && d.params?.some((p) => p.default)), 'deprecated decorated definitions with defaults');
  assert.ok(facts.legacyWarnings.length && facts.all?.length && facts.moduleNameLoads.length && facts.unboundNames.length, 'warnings, __all__, name loads, unbound names');
  assert.ok(facts.suppressions.some(([, codes]) => codes.length), 'suppressions with codes');

  const markers = new Map<string, string>();
  const marked = mark(facts, 'facts', markers) as FileFacts;
  const seen = new Set<string>();
  internFacts(marked, (s) => {
    seen.add(s);
    return s;
  });
  const missed = [...markers].filter(([marker, path]) => !seen.has(marker) && !LITERAL_FIELDS.has(path.slice(path.lastIndexOf('.') + 1)));
  assert.deepEqual(missed.map(([, path]) => path), []);
});

test('internFacts returns equal facts', async () => {
  const parser = await PythonParser.create();
  const tree = parser.parse(RICH);
  try {
    const facts = extractFacts(tree, RICH, { module: 'pkg.sub.rich', isPackage: false });
    const copy = structuredClone(facts);
    assert.deepStrictEqual(internFacts(copy), facts);
  } finally {
    tree.delete();
    parser.delete();
  }
});
