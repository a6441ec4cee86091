import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { CorruptCacheError, FactsReader, FactsWriter, type CachedFile } from '../../server/src/core/cache/factsCodec.js';
import { extractFacts } from '../../server/src/core/python/extract.js';
import { outlineFacts } from '../../server/src/core/python/outline.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import type { FileProblem } from '../../server/src/core/types.js';
import { DJANGO, moduleOptionsFor, pythonFiles, STDLIB } from '../support/corpora.js';

// The facts cache stores FileFacts through factsCodec.ts. Whatever the writer stores, the reader must give back
// deep-equal (keys included: an optional field absent stays absent), for parsed facts (every field set somewhere:
// parameters, deprecations, suppressions, syntax errors) and for outlines, on real code. And the file is untrusted:
// damaged data must fail as CorruptCacheError, which the cache turns into a miss, never as anything else.

const decoder = new TextDecoder('utf-8', { fatal: true });
let parser: PythonParser | null = null;
after(() => parser?.delete());

function readUtf8(file: string): string | null {
  try {
    return decoder.decode(fs.readFileSync(file));
  } catch {
    return null;
  }
}

/** Parsed (with a syntax problem when there is one) and outlined (with and without parameters) facts of each file. */
async function cachedFiles(root: string, files: string[], prefix: string, parse: boolean): Promise<[string, CachedFile][]> {
  parser ??= await PythonParser.create();
  const out: [string, CachedFile][] = [];
  for (const file of files) {
    const text = readUtf8(file);
    if (text === null) continue;
    const opts = moduleOptionsFor(root, file, prefix);
    if (parse) {
      const tree = parser.parse(text);
      try {
        const facts = extractFacts(tree, text, opts);
        const problems: FileProblem[] = facts.syntaxError ? [{ path: file, kind: 'syntax', message: 'syntax error', range: facts.syntaxError }] : [];
        out.push([file, { facts, problems, outline: false }]);
      } finally {
        tree.delete();
      }
    }
    for (const params of [true, false]) {
      const outline = outlineFacts(text, { ...opts, params });
      if (outline.ok) out.push([file, { facts: outline.facts, problems: [], outline: true }]);
      // A focused file (workspace/focus.ts): what it vouches for travels with its facts.
      if (outline.ok && !params && outline.facts.imports.length) {
        const names = new Set(outline.facts.bindings.map((b) => b.name).slice(0, 2));
        const focus = { items: new Set(['0:0']), chains: new Map([[`${outline.facts.imports.length - 1}:0`, new Set(['utcnow', 'now'])]]), names, blanked: [[0, text.length >> 1] as const] };
        out.push([file, { facts: outline.facts, problems: [], outline: true, focus }]);
      }
    }
  }
  return out;
}

/** A writer whose sink keeps every integer, and what it wrote once finished. */
function collectingWriter(): { writer: FactsWriter; written(): Int32Array } {
  const chunks: Int32Array[] = [];
  const writer = new FactsWriter((ints) => chunks.push(ints.slice()));
  return {
    writer,
    written() {
      writer.finish();
      const all = new Int32Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
      return all;
    },
  };
}

function roundTrip(files: [string, CachedFile][]): void {
  const { writer, written } = collectingWriter();
  const offsets = files.map(([, file]) => writer.file(file));
  // Through JSON, as the string table is stored.
  const reader = new FactsReader(written(), JSON.parse(JSON.stringify(writer.strings)) as string[]);
  files.forEach(([name, file], i) => {
    const back = reader.file(offsets[i]!, name);
    if (!isDeepStrictEqual(back, { ...file, problems: file.problems.map((p) => ({ ...p, path: name })) })) {
      for (const key of Object.keys(file.facts) as (keyof CachedFile['facts'])[]) {
        assert.deepStrictEqual(back.facts[key], file.facts[key], `${name}: ${key}`);
      }
      assert.deepStrictEqual(back, file, name);
    }
  });
}

const FIXTURES = [path.resolve('test/fixtures'), path.resolve('examples/netra')];

test('fixtures and the demo: parsed and outlined facts come back deep-equal', async () => {
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-codec-'));
  fs.writeFileSync(path.join(broken, 'broken.py'), 'from datetime import datetime\n\ndef f(:\n    return datetime.utcnow()\n');
  const files = await Promise.all([...FIXTURES, broken].map((root) => cachedFiles(root, pythonFiles(root), '', true)));
  const all = files.flat();
  assert.ok(all.some(([, f]) => f.facts.suppressions.length > 0), 'a fixture with a suppression comment');
  assert.ok(all.some(([, f]) => f.facts.definitions.some((d) => d.deprecation !== null)), 'a fixture with a deprecation');
  assert.ok(all.some(([, f]) => f.facts.legacyWarnings.length > 0), 'a fixture with a legacy warning');
  assert.ok(all.some(([, f]) => f.problems.length > 0 && f.facts.syntaxError !== null), 'a fixture with a syntax error');
  assert.ok(all.some(([, f]) => f.facts.refs.some((r) => r.call !== null && r.call.keywords.length > 0)), 'a call with keywords');
  roundTrip(all);
});

test('Django, parsed and outlined, and the CPython standard library, outlined: facts come back deep-equal', { timeout: 300_000, skip: !fs.existsSync(DJANGO) && `${DJANGO} is missing` }, async () => {
  const django = await cachedFiles(DJANGO, pythonFiles(DJANGO), 'django', true);
  const stdlib = await cachedFiles(STDLIB, pythonFiles(STDLIB), '', false);
  assert.ok(django.length > 1500 && stdlib.length > 2500, `${django.length} Django and ${stdlib.length} stdlib facts`);
  roundTrip([...django, ...stdlib]);
});

test('damaged data fails as CorruptCacheError: truncated, a string index or enumeration out of range, a bad count, a ref whose coordinates do not fit its chain', () => {
  const facts = outlineFacts('import os\nfrom a.b import c as d\nx = os.path.join(d.e)\n', { module: 'm', isPackage: false });
  assert.ok(facts.ok);
  const { writer, written } = collectingWriter();
  const offset = writer.file({ facts: facts.facts, problems: [], outline: true });
  const data = written();
  const strings = writer.strings;
  assert.doesNotThrow(() => new FactsReader(data, strings).file(offset, 'm.py'));
  const damaged = (what: string, bytes: Int32Array, table: readonly string[] = strings): void =>
    assert.throws(() => new FactsReader(bytes, table).file(offset, 'm.py'), CorruptCacheError, what);
  for (let cut = 0; cut < data.length; cut++) damaged(`truncated at ${cut}`, data.slice(0, cut));
  damaged('an empty string table', data, []);
  // A ref's coordinates must hold its chain's ranges: refRange/attrRange would read past them otherwise.
  const [ref] = facts.facts.refs.filter((r) => r.chain.length === 2);
  assert.ok(ref, 'the sample has a ref with two attributes');
  for (const coords of [ref.coords.slice(0, 4), [...ref.coords, 0, 0, 0, 0]]) {
    const short = collectingWriter();
    const at = short.writer.file({ facts: { ...facts.facts, refs: [{ ...ref, coords }] }, problems: [], outline: true });
    assert.throws(() => new FactsReader(short.written(), short.writer.strings).file(at, 'm.py'), CorruptCacheError, `${coords.length} coordinates`);
  }
  damaged('an offset past the end', new Int32Array(0));
  // Every single integer replaced by values no field accepts everywhere: it either still decodes (a plausible
  // value) or fails as CorruptCacheError; nothing else may escape.
  for (let i = 0; i < data.length; i++) {
    for (const bad of [-7, 2, 99, 0x7fffffff]) {
      const copy = data.slice();
      copy[i] = bad;
      try {
        new FactsReader(copy, strings).file(offset, 'm.py');
      } catch (err) {
        assert.ok(err instanceof CorruptCacheError, `integer ${i} = ${bad}: ${String(err)}`);
      }
    }
  }
});
