import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { extractFacts, type ExtractOptions } from '../../server/src/core/python/extract.js';
import { refRange, type FileFacts, type Ref } from '../../server/src/core/python/facts.js';
import { distinctRefs, outlineFacts } from '../../server/src/core/python/outline.js';
import { fastOutline } from '../../server/src/core/python/outline/fastScan.js';
import { PythonParser } from '../../server/src/core/python/parser.js';
import { DJANGO, moduleOptionsFor, pythonFiles, STDLIB } from '../support/corpora.js';

// The outline scanner (server/src/core/python/outline.ts) against extract.ts, the definition of every fact: on the
// CPython standard library and Django, on mutated copies of standard library files (edits that mostly break them),
// and on small snippets of the constructs it must get exactly right or decline. When it answers, tree-sitter must
// parse the file without error, the outline's exact fields must deep-equal extractFacts', each of extractFacts'
// refs must have an outline ref with the same stmt, item, chain and coords (its ranges), and its moduleNameLoads must hold
// every one of extractFacts'. Every check also runs the wasm statement scanner (outline/fastScan.ts, what a workspace
// check uses): it must decline where the JavaScript scanner does, or answer with exactly its facts (`params: false`).

const decoder = new TextDecoder('utf-8', { fatal: true });

function readUtf8(file: string): string | null {
  try {
    return decoder.decode(fs.readFileSync(file));
  } catch {
    return null;
  }
}

const EXACT = [
  ...['module', 'isPackage', 'imports', 'bindings', 'definitions'],
  ...['all', 'allDynamic', 'hasGetattr', 'dynamicGlobals', 'legacyWarnings', 'suppressions'],
] as const;
const EMPTY = ['boundNames', 'unboundNames'] as const;

const refKey = (r: Ref): string => JSON.stringify([r.stmt, r.item, r.chain, r.coords]);

/**
 * The first of `fields` whose values differ between `a` and `b` (named `as` and `bs`), compactly, down to the first
 * differing element of an array; null when all are deep-equal.
 */
function fieldDifference(fields: readonly (keyof FileFacts)[], a: FileFacts, b: FileFacts, as: string, bs: string): string | null {
  for (const field of fields) {
    const x: unknown = a[field];
    const y: unknown = b[field];
    if (isDeepStrictEqual(x, y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        if (isDeepStrictEqual(x[i], y[i])) continue;
        return `${field}[${i}] (${x.length} vs ${y.length}): ${as} ${JSON.stringify(x[i])}, ${bs} ${JSON.stringify(y[i])}`;
      }
    }
    return `${field}: ${as} ${JSON.stringify(x)}, ${bs} ${JSON.stringify(y)}`;
  }
  return null;
}

/** The first way the outline falls short of extractFacts' facts, compactly; null when it holds. */
function shortfall(outline: FileFacts, full: FileFacts): string | null {
  const exact = fieldDifference(EXACT, outline, full, 'outline', 'extract');
  if (exact) return exact;
  for (const field of EMPTY) if (outline[field].length) return `${field} is not empty`;
  const read = new Set(outline.moduleNameLoads);
  for (const name of full.moduleNameLoads) if (!read.has(name)) return `moduleNameLoads lacks ${name}`;
  if (outline.syntaxError !== null) return 'syntaxError is set';
  const have = new Set(outline.refs.map(refKey));
  for (const ref of full.refs) if (!have.has(refKey(ref))) return `no outline ref for ${refKey(ref)}`;
  return null;
}

/** What the wasm statement scanner answered in `checked`: files and code units. */
const wasmAnswers = { files: 0, units: 0 };

/** The JavaScript scanner's facts as `params: false` gives them. */
function withoutParams(facts: FileFacts): FileFacts {
  return { ...facts, definitions: facts.definitions.map((d) => ({ ...d, params: null })) };
}

/** The first field where the wasm scanner's outline differs from the JavaScript scanner's; null when deep-equal. */
function difference(wasm: FileFacts, js: FileFacts): string | null {
  const fields = Object.keys(js) as (keyof FileFacts)[];
  return fieldDifference(fields, wasm, js, 'wasm', 'JavaScript') ?? (Object.keys(wasm).length === fields.length ? null : 'the fields differ');
}

/**
 * The wasm statement scanner on `text`: it declines where `result` does, or answers with the same facts; asked for
 * distinct refs (what a workspace check asks), with the same facts but the refs outline.ts distinctRefs keeps.
 */
function checkWasm(text: string, opts: ExtractOptions, result: ReturnType<typeof outlineFacts>, label: string): void {
  const fast = fastOutline(text, { ...opts, params: false });
  const distinct = fastOutline(text, { ...opts, params: false, distinctRefs: true });
  assert.equal(distinct === null, fast === null, `${label}: the wasm scanner answers only one of the two ways`);
  if (!fast || !distinct) return;
  if (!result.ok) assert.fail(`${label}: the wasm scanner answered where the scanner declines (${result.reason})`);
  const expected = withoutParams(result.facts);
  const problem = difference(fast, expected) ?? difference(distinct, { ...expected, refs: distinctRefs(expected.refs) });
  if (problem) assert.fail(`${label}: the wasm scanner's outline differs from the JavaScript scanner's: ${problem}`);
  wasmAnswers.files++;
  wasmAnswers.units += text.length;
}

/** Outline facts of `text`, checked against a full parse; null when the scanner declines. */
function checked(parser: PythonParser, text: string, opts: ExtractOptions, label: string): FileFacts | null {
  const result = outlineFacts(text, opts);
  checkWasm(text, opts, result, label);
  if (!result.ok) return null;
  const tree = parser.parse(text);
  try {
    const full = extractFacts(tree, text, opts);
    if (full.syntaxError) assert.fail(`${label}: outline answered, but tree-sitter has a syntax error at ${JSON.stringify(full.syntaxError.start)}`);
    const problem = shortfall(result.facts, full);
    if (problem) assert.fail(`${label}: ${problem}`);
    return result.facts;
  } finally {
    tree.delete();
  }
}

let sharedParser: Promise<PythonParser> | null = null;
const parser = (): Promise<PythonParser> => (sharedParser ??= PythonParser.create());
after(async () => (await sharedParser)?.delete());

// ---- corpora -------------------------------------------------------------------------------------------

/** Measured: 0.65% of the standard library's bytes, 0% of Django's (scripts/outline-stats.ts). */
const MAX_DECLINED_SHARE = 0.02;
/** The share of the answered code the wasm statement scanner must answer itself (not hand to the JavaScript scanner). */
const MIN_WASM_SHARE = 0.99;

function corpusTest(name: string, root: string, prefix: string): void {
  test(`the outline of every .py file of ${name} matches extraction, or the scanner declines`, { timeout: 180_000 }, async (t) => {
    if (!fs.existsSync(root)) {
      t.skip(`${name} is not installed at ${root} (bash scripts/test-deps.sh installs Django)`);
      return;
    }
    const p = await parser();
    let bytes = 0;
    let answered = 0;
    let answeredBytes = 0;
    let declinedOther = 0;
    const wasmBefore = { ...wasmAnswers };
    const reasons = new Map<string, { files: number; bytes: number }>();
    for (const file of pythonFiles(root)) {
      const text = readUtf8(file);
      if (text === null) continue;
      bytes += text.length;
      const opts = moduleOptionsFor(root, file, prefix);
      if (checked(p, text, opts, file)) {
        answered++;
        answeredBytes += text.length;
        continue;
      }
      const result = outlineFacts(text, opts);
      const reason = result.ok ? '?' : result.reason;
      assert.notEqual(reason, 'internal-error', `${file}: the scanner threw`);
      const entry = reasons.get(reason) ?? { files: 0, bytes: 0 };
      entry.files++;
      entry.bytes += text.length;
      reasons.set(reason, entry);
      if (reason !== 'deprecation-marker') declinedOther += text.length;
    }
    const percent = (n: number): string => `${((100 * n) / bytes).toFixed(2)}%`;
    const summary = [...reasons].sort((a, b) => b[1].bytes - a[1].bytes).map(([r, e]) => `${r} ${e.files} (${percent(e.bytes)})`);
    const wasmFiles = wasmAnswers.files - wasmBefore.files;
    const wasmShare = (wasmAnswers.units - wasmBefore.units) / answeredBytes;
    t.diagnostic(`${name}: ${answered} files answered (${wasmFiles} by the wasm scanner, ${(100 * wasmShare).toFixed(1)}% of their code); declined: ${summary.join(', ') || 'none'}`);
    assert.ok(answered > 100, `expected a real corpus under ${root}, answered ${answered} files`);
    // Measured: all of the answered code of the standard library and of Django.
    assert.ok(wasmShare > MIN_WASM_SHARE, `the wasm scanner left ${(100 * (1 - wasmShare)).toFixed(1)}% of ${name}'s answered code to the JavaScript scanner`);
    assert.ok(declinedOther / bytes < MAX_DECLINED_SHARE, `${percent(declinedOther)} of ${name}'s bytes declined, not for deprecation markers`);
  });
}

corpusTest('the CPython standard library', STDLIB, '');
corpusTest('Django', DJANGO, 'django');

const SNIPPETS = [
  'x', '\n', ' ', '(', ')', ':', ',', '.', '=', '[', ']', '{', '}', '"', "'", '\\', '#', '\t', '\r\n', '😀', '    ', '\n    ',
  'import os\n', 'from . import (a,\n', 'def f(:\n', 'lambda a, b: a', 'lambda: 0', 'f(*a, **b)', '[x for x in y if z]', '{**a}',
  'a[1:2]', 'async ', 'await ', 'yield', 'not ', ' in ', 'is not ', ' if x else y', '*', '**', '/', '@', '->', ':=', ';',
  'global x\n', 'try:\n', 'except ImportError:\n', 'else:\n', 'with a as b:\n', 'for a, b in c:\n', 'class ', 'return', 'pass',
  'match ', 'case ', 'type ', 'print ', 'f"{', '{x!r:>{w}}', '"""', '0x', '1.', 'e5', '__all__ += ["x"]\n', 'X = a.b.c\n',
  'if TYPE_CHECKING:\n', '@dec\n', '!', '<>', '$', '`', '  # migration-lens: ignore[MIG001, mig2]\n', '# migration-lens: ignore\n',
  '"# migration-lens: ignore"', '# migration-lens:ignore[]', 'print(x)\n', '_os = os\n',
];

/** Pieces of what makes a deprecation marker, spliced in where a warn() call may be. */
const WARN_SNIPPETS = [
  'warnings.warn("m", DeprecationWarning)\n', 'warn("m", DeprecationWarning)', 'DeprecationWarning', 'FutureWarning', 'warnings',
  'import warnings\n', 'from warnings import warn\n', '    warnings.warn(MSG, category=DeprecationWarning)\n', 'MSG = "x" "y"\n',
  '"""Doc."""\n', 'def f():\n    ', 'def __init__(self):\n        ', 'warnings = None\n', 'DeprecationWarning = 1\n', '.warn(',
];

/**
 * Edits each file 1-3 times (a snippet or a deletion at a pseudo-random place; `rounds` variants per file) and
 * checks every answer against extraction.
 */
async function mutate(files: string[], snippets: string[], rounds: number): Promise<{ variants: number; answered: number; deprecating: number }> {
  const p = await parser();
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let answered = 0;
  let variants = 0;
  let deprecating = 0;
  for (const file of files) {
    const original = readUtf8(file);
    if (original === null) continue;
    for (let k = 0; k < rounds; k++) {
      let text = original;
      for (let e = 1 + random(3); e > 0; e--) {
        let start = random(text.length + 1);
        if (start > 0 && start < text.length && /[\uDC00-\uDFFF]/.test(text[start]!)) start--;
        let end = random(4) === 0 ? Math.min(text.length, start + random(40)) : start;
        if (end > start && end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
        text = text.slice(0, start) + (random(4) === 0 ? '' : snippets[random(snippets.length)]!) + text.slice(end);
      }
      variants++;
      const facts = checked(p, text, moduleOptionsFor(STDLIB, file, ''), `${file} after edits (seed ${seed})`);
      if (!facts) continue;
      answered++;
      if (facts.legacyWarnings.length || facts.definitions.some((d) => d.deprecation)) deprecating++;
    }
  }
  return { variants, answered, deprecating };
}

test('mutated standard library files: the outline matches extraction or the scanner declines', { timeout: 120_000 }, async (t) => {
  const { variants, answered } = await mutate(pythonFiles(STDLIB).filter((_, i) => i % 15 === 0), SNIPPETS, 4);
  t.diagnostic(`${variants} mutated files, ${answered} answered`);
  assert.ok(answered > variants / 10, 'edited files that still parse are answered');
});

test('mutated standard library files that warn of deprecations: exact deprecations, or the scanner declines', { timeout: 120_000 }, async (t) => {
  const files = pythonFiles(STDLIB).filter((f) => /warnings\.warn\([^)]*DeprecationWarning/.test(readUtf8(f) ?? ''));
  const { variants, answered, deprecating } = await mutate(files, [...WARN_SNIPPETS, ...SNIPPETS.slice(0, 24)], 12);
  t.diagnostic(`${files.length} files, ${variants} mutated variants, ${answered} answered, ${deprecating} of them with deprecations`);
  assert.ok(deprecating > answered / 5, 'the answers include deprecations, not only files whose markers were edited away');
  assert.ok(files.length > 20, `expected the standard library's deprecation warnings, found ${files.length} files`);
  assert.ok(answered > variants / 10, 'edited files that still parse are answered');
});

// ---- snippets ------------------------------------------------------------------------------------------

const MOD: ExtractOptions = { module: 'pkg.mod', isPackage: false };

async function same(source: string, opts: ExtractOptions = MOD): Promise<FileFacts> {
  const result = outlineFacts(source, opts);
  assert.ok(result.ok, `declined (${result.ok ? '' : result.reason}):\n${source}`);
  const facts = checked(await parser(), source, opts, source);
  assert.ok(facts);
  return facts;
}

function declines(source: string, reason?: string | RegExp): void {
  const result = outlineFacts(source, MOD);
  assert.equal(result.ok, false, `expected a decline:\n${source}`);
  if (reason !== undefined && !result.ok) {
    if (typeof reason === 'string') assert.equal(result.reason, reason, source);
    else assert.match(result.reason, reason, source);
  }
}

test('imports anywhere, with their guards: try/except ImportError, TYPE_CHECKING, nested scopes', async () => {
  const facts = await same(`import os
try:
    import json
except ImportError:
    json = None
def f():
    import re
    try:
        from . import helper
    except (AttributeError, ImportError) as error:
        helper = None
class C:
    from typing import List
if TYPE_CHECKING:
    from collections import abc
else:
    abc = None
try:
    try:
        import a
    except ValueError:
        pass
except Exception:
    import b
`);
  const guard = (local: string) => facts.imports.find((s) => s.items.some((i) => i.local === local))!.guard;
  assert.deepEqual(guard('json'), { tryImportError: true, typeChecking: false, nested: false });
  assert.deepEqual(guard('re'), { tryImportError: false, typeChecking: false, nested: true });
  assert.deepEqual(guard('helper'), { tryImportError: true, typeChecking: false, nested: true });
  assert.deepEqual(guard('List'), { tryImportError: false, typeChecking: false, nested: true });
  assert.deepEqual(guard('abc'), { tryImportError: false, typeChecking: true, nested: false });
  assert.deepEqual(guard('a'), { tryImportError: true, typeChecking: false, nested: false });
  assert.deepEqual(guard('b'), { tryImportError: false, typeChecking: false, nested: false });
  assert.ok(facts.bindings.some((b) => b.name === 'json' && b.fallback && b.conditional));
});

test('relative imports resolve against the module or package', async () => {
  const source = 'from . import a\nfrom .. import b\nfrom .c.d import e\nfrom ... import f\nfrom . . import g\n';
  const inModule = await same(source, { module: 'pkg.sub.mod', isPackage: false });
  assert.deepEqual(inModule.imports.map((s) => s.absModule), ['pkg.sub', 'pkg', 'pkg.sub.c.d', null, null]);
  const inPackage = await same(source, { module: 'pkg.sub', isPackage: true });
  assert.deepEqual(inPackage.imports.map((s) => s.absModule), ['pkg.sub', 'pkg', 'pkg.sub.c.d', null, null]);
  await same(source, { module: null, isPackage: false });
  await same('from __future__ import annotations\nfrom __future__ import (division,\n    print_function)\nimport __future__\n');
});

test('parenthesized, multi-line and continued imports keep their exact ranges and names', async () => {
  const facts = await same(`from .base import (  # the base classes
    Base as B,  # aliased
    Other,
)
import a . b as c, d.e
from x import y, \\
    z
if True: import q; import r
`);
  assert.equal(facts.imports[0]!.parenthesized, true);
  assert.deepEqual(facts.imports[1]!.items.map((i) => [i.name, i.local]), [['a.b', 'c'], ['d.e', 'd']]);
  assert.deepEqual(facts.imports.map((s) => s.indent), ['', '', '', '', '']);
  await same('from m import *\nfrom .n import *\n');
});

test('aliases, chained and annotated assignments, del, for, with and except targets at module level', async () => {
  const facts = await same(`import os
X = os.path.join
Y = Z = os.sep
(W) = os.sep
V: int = os.name
U: str
a, (b, *c) = 1, (2, 3)
for i, j in []:
    pass
with open(x) as f, open(y) as (g, h):
    pass
try:
    pass
except OSError as err:
    pass
del a, b
n += 1
os.environ['x'] = os.sep
`);
  const kinds = facts.bindings.map((b) => `${b.name}:${b.kind}${b.aliasTarget ? `=${b.aliasTarget.join('.')}` : ''}`);
  assert.deepEqual(kinds.slice(0, 8), [
    ...['os:import', 'X:alias=os.path.join', 'Z:alias=os.sep', 'Y:assign'],
    ...['W:assign', 'V:alias=os.name', 'U:other', 'a:assign'],
  ]);
});

test('__all__: lists, tuples, concatenation, +=, extend/append/remove and dynamic forms', async () => {
  const extended = await same(`__all__ = ['a', "b" 'c', f'd']\n__all__ += ('e',)\n__all__.extend(['f'])\n__all__.append('g')\n`);
  assert.deepEqual(extended.all, ['a', 'bc', 'd', 'e', 'f', 'g']);
  assert.equal((await same(`__all__: list[str] = []\n`)).allDynamic, false);
  const dynamicForms = [`__all__ = ['a'] + other`, `__all__ = ('a')`, `__all__ += other`, `__all__.remove('a')`];
  for (const dynamic of [...dynamicForms, `__all__ = x = ['a']`, `__all__.extend([])`, `__all__ = 'a', 'b'`]) {
    assert.equal((await same(`__all__ = ['z']\n${dynamic}\n`)).allDynamic, true, dynamic);
  }
  await same(`x = __all__ = ['a']\nif cond:\n    __all__ = ['b']\n__all__.sort()\n`);
});

test('definitions: decorators, qualified names, conditional variants, parameters with tricky defaults', async () => {
  const facts = await same(`import functools
@functools.wraps(f)
@staticmethod
@a.b(c)(d)
@registry[0]
def f(a, b='x,y)', /, c=(1, 2), d=lambda x, y=2: (x, y), *args, e: "int" = {'k': [1, 2]}, f=f"{g(',')}", **kw) -> "R":
    pass
class Outer(Base, metaclass=Meta):
    class Inner:
        def method(self, x: int = 1, *, y: str) -> None: ...
    if sys.version_info >= (3, 8):
        def variant(self): pass
    @property
    def value(self): return self._value
def __getattr__(name): ...
try:
    from fast import g
except ImportError:
    def g(): pass
`);
  const f = facts.definitions[0]!;
  assert.deepEqual(f.decorators, ['functools.wraps', 'staticmethod']);
  assert.deepEqual(f.params!.map((p) => [p.name, p.kind, p.default]), [
    ['a', 'positional-only', null],
    ['b', 'positional-only', "'x,y)'"],
    ['c', 'positional', '(1, 2)'],
    ['d', 'positional', 'lambda x, y=2: (x, y)'],
    ['args', 'var-positional', null],
    ['e', 'keyword-only', "{'k': [1, 2]}"],
    ['f', 'keyword-only', 'f"{g(\',\')}"'],
    ['kw', 'var-keyword', null],
  ]);
  assert.deepEqual(
    facts.definitions.map((d) => `${d.qualName}${d.conditional ? '?' : ''}`),
    ['f', 'Outer', 'Outer.Inner', 'Outer.Inner.method', 'Outer.variant?', 'Outer.value', '__getattr__', 'g?'],
  );
  assert.equal(facts.hasGetattr, true);
});

test('params: false leaves functions without a parameter list and changes nothing else, nor what it declines', () => {
  const source = `import typing
def f(a: typing.List[int] = typing.cast(int, 1), /, *args: typing.Any, k=typing.X, **kw) -> typing.Y: ...
class C:
    def m(self, x=typing.Z): ...
`;
  const full = outlineFacts(source, MOD);
  const light = outlineFacts(source, { ...MOD, params: false });
  assert.ok(full.ok && light.ok);
  assert.deepEqual(light.facts.definitions.map((d) => [d.qualName, d.params]), [['f', null], ['C', null], ['C.m', null]]);
  // Annotations and defaults are still read: the refs are the same.
  const withoutParams = { ...full.facts, definitions: full.facts.definitions.map((d) => ({ ...d, params: null })) };
  assert.deepEqual(light.facts, withoutParams);
  const broken = outlineFacts('def f(a b): ...\n', { ...MOD, params: false });
  assert.deepEqual(broken, { ok: false, reason: 'syntax' });
});

test('strings: f-strings with nested quotes (Python 3.12 style), triple quotes, continuations; refs inside interpolations', async () => {
  const facts = await same(String.raw`import os
import json as j
x = f"{os.path.join("a", f'{j.dumps(d["k"])!r:>{os.sep}}')}" f'{x=}' f"{ {'a': 1}['a'] }"
y = """import fake
''' " \" """ + r'\\' + b'\x00' + rb"\"" + F"{{literal}}" + '''
'''
z = os.path \
    .join
w = (os
     # a comment between
     .sep)
`);
  const chains = facts.refs.map((r) => [facts.imports[r.stmt]!.items[r.item]!.local, ...r.chain].join('.'));
  for (const expected of ['os.path.join', 'j.dumps', 'os.sep']) assert.ok(chains.includes(expected), expected);
  assert.deepEqual(facts.imports.map((s) => s.items[0]!.name), ['os', 'json']);
});

test('columns are UTF-16 code units: non-ASCII identifiers, non-BMP characters; CRLF, tabs and a BOM', async () => {
  const facts = await same('s = "😀😀"; import os\ncafé = os.sep; naïve = "𝒳"\n');
  assert.deepEqual(facts.imports[0]!.range.start, { line: 0, column: 12 });
  assert.deepEqual(facts.bindings.map((b) => [b.name, b.range.start.column]), [['s', 0], ['os', 19], ['café', 0], ['naïve', 15]]);
  await same('import os\r\nif x:\r\n    import sys\r\n    y = (1,\r\n         2)\r\n');
  await same('if x:\n\timport os\n\tif y:\n\t\tos.getcwd()\n\tz = 1\n');
  await same('\uFEFFimport os\nx = os.sep\n');
});

test('global makes function-level bindings module bindings; decorated nested definitions count twice', async () => {
  await same(`def setup():
    global cache, helper
    import json as cache
    cache += 1
    for helper in []:
        pass
    @decorator
    def helper():
        import inner
    @decorator
    class cache:
        pass
`);
});

test('refs over-approximate: every read of an imported name, shadowed or not, with its attribute chain', async () => {
  const facts = await same(`import os
from a import b
def f(os, x=os.sep):
    return os.path.join(b, x)
class C(b.Base):
    attr: os.PathLike = b
f(os=1)
lambda os: os.sep
`);
  // In an annotation `X[…].b` may be a member type, whose `b` extract.ts reads as a name of its own.
  await same('import b\nx: a[int].b.c = 1\ndef f(p: List[int].b) -> d[b].b: pass\n');
  assert.ok(facts.refs.some((r) => r.chain.join('.') === 'path.join'));
  assert.ok(!facts.refs.some((r) => refRange(r, 0).start.line === 6), 'a keyword argument name is not a read');
});

test('suppression comments: on their own line, trailing, inside brackets; never inside a string', async () => {
  const facts = await same(`import os  # migration-lens: ignore[MIG001, mig2]
# migration-lens: ignore
x = os.sep  # no
y = f(  # migration-lens:ignore[]
    "# migration-lens: ignore[MIG003]",
    """
# migration-lens: ignore[MIG004]
""",  # migration-lens: ignore[MIG005]
)
if x:
    pass  # other # migration-lens: ignore[MIG006]
`);
  assert.deepEqual(facts.suppressions, [[0, ['MIG001', 'MIG2']], [1, []], [3, []], [7, ['MIG005']], [10, ['MIG006']]]);
});

test('module-level names read anywhere, shadowing ignored: a superset of what extract.ts resolves', async () => {
  const facts = await same(`import os
A = 1
B = 2
C = A
def f(B):
    return B
def g():
    return C + unknown
class K:
    os = A
del D
D = 3
E = F = 4
G, (H, *I) = 5, (6, 7, 8)
for J in []:
    pass
with f() as L:
    pass
M: int = 9
N += 1
`);
  // Targets of `for`, `with` and `del` are bindings of another kind: counted as reads, as `N += 1` must be.
  assert.deepEqual(facts.moduleNameLoads.sort(), ['A', 'B', 'C', 'D', 'J', 'L', 'N', 'f']);
  assert.deepEqual((await same('X = 1\n')).moduleNameLoads, []);
});

test('match statements inside functions; dynamic globals()', async () => {
  await same(`import os
def f(x):
    match x:
        case os.sep | [1, *rest] if rest:
            return 1
        case {"k": v, **others}:
            pass
        case Point(x=0):
            pass
        case _:
            pass
    match = 1
    return match
`);
  assert.equal((await same('def f():\n    return globals()["x"]\n')).dynamicGlobals, true);
  assert.equal((await same('@globals\ndef f(): pass\n')).dynamicGlobals, false);
});

test('declines what tree-sitter does not parse', () => {
  for (const source of [
    'x = (1,\n',
    'def f(:\n    pass\n',
    'print "python 2"\n',
    '€ = 2\n',
    'x = 1 +\n',
    'a b\n',
    'x = $\n',
    "s = 'unterminated\n",
    'x = 1\n    y = 2\n',
    'if x:\n        a = 1\n    b = 2\n',
    'if x:\npass\n',
    'x = [1 2]\n',
    'f(a=b=c)\n',
    'x = {1: 2, 3}\n',
    'x = 0777\n',
    'x = 1 \\ 2\n',
    'else:\n    pass\n',
    'def f() -> int: x[1]\n',
    '@decorator\nx = 1\n',
    'x = f"{}"\n',
    'x = a if b\n',
    '[x for x]\n',
    'x = `1`\n',
    'x = 1 <> 2\n',
    'pass(x)\n',
    '*32\n',
    'f = lambda (a, b): a\n',
    'if a, b:\n    pass\n',
    'x: a, b\n',
    'x = a if b, c else d\n',
    'x = a[1:2:3:4]\n',
    'x = {**a for a in b}\n',
    'x = y ->z\n',
  ]) {
    declines(source);
  }
  declines('from __future__ import *\n', 'future-star');
  // test_compile.py: a line inside brackets indented less than its block, after a token no bracket may close.
  declines('def f():\n    if x:\n        (bar.\n    baz)\n', 'dedent-in-brackets');
});

test('declines what it does not model: walrus at module level, module-level match, ambiguous with-parentheses', () => {
  declines('if (n := len(x)) > 1:\n    pass\n', 'unsupported:walrus');
  declines('match command:\n    case [x]:\n        pass\n', 'unsupported:match');
  declines('with (open(a) as f):\n    pass\n', 'unsupported:with-parens');
  // tree-sitter reads these two lines as `x, y = 1`.
  declines('x,\ny = 1\n', 'unsupported:trailing-comma');
});

test('deprecation markers: what a warn() call extract.ts reads makes exactly, the rest declines', async () => {
  const deprecations = (facts: FileFacts): [string, string | null][] => facts.definitions.map((d) => [d.qualName, d.deprecation?.message ?? null]);
  // Module level: a legacy warning, FutureWarning included, wherever it is in module code; a message from a literal,
  // a concatenation, an f-string, a keyword or a module constant (the last of its name, even one assigned later).
  const legacy = await same(`import warnings
from warnings import warn
import warnings as w
MESSAGE = "early"
warnings.warn("old module", DeprecationWarning)
if True:
    warn("a" 'b' f"{x}", category=PendingDeprecationWarning, stacklevel=2)
w.warn(message="future", category=FutureWarning)
warnings.warn(MESSAGE, DeprecationWarning)
warnings.warn("not a deprecation", UserWarning)
warnings.warn("not a name", builtins.DeprecationWarning)
MESSAGE = "late"
`);
  assert.deepEqual(legacy.legacyWarnings.map((w) => [w.message, w.category, w.range.start.line]), [
    ['old module', 'DeprecationWarning', 4],
    ["ab{x}", 'PendingDeprecationWarning', 6],
    ['future', 'FutureWarning', 7],
    ['late', 'DeprecationWarning', 8],
  ]);
  // Nothing counts when `warnings` is not the warnings module at that point, or the category is rebound.
  const early = await same('warnings.warn("before the import", DeprecationWarning)\nimport warnings\n');
  assert.deepEqual(early.legacyWarnings, []);
  const unbound = await same('import warnings\nwarnings = None\nwarnings.warn("rebound", DeprecationWarning)\n');
  assert.deepEqual(unbound.legacyWarnings, []);
  const rebound = await same('import warnings\nDeprecationWarning = UserWarning\nwarnings.warn("x", DeprecationWarning)\n');
  assert.deepEqual(rebound.legacyWarnings, []);
  await same('def warn(*a): pass\nwarn("not the warnings module", DeprecationWarning)\n');
  // A lambda's parameters are not arguments of the call: its category is still the second argument.
  const lambdas = await same('import warnings\nwarnings.warn(lambda a, b: 1, DeprecationWarning)\ndef f():\n    warnings.warn(lambda a, b: 1, DeprecationWarning)\n');
  assert.deepEqual([lambdas.legacyWarnings.length, lambdas.definitions[0]!.deprecation], [1, { message: '', via: 'warn' }]);
  // A function or method whose first statement (after its docstring) warns; an __init__ marks its class instead.
  const defs = await same(`import warnings
from warnings import warn
def old():
    """Doc."""
    warnings.warn("use new()", DeprecationWarning, stacklevel=2)
    return new()
def future():
    warnings.warn("later", FutureWarning)
def second():
    x = 1
    warnings.warn("not first", DeprecationWarning)
def concatenated():
    "a" "b"
    warn("a concatenation is not a docstring", DeprecationWarning)
def tuple_doc():
    "doc", 1
    warn("a tuple starting with a string is", DeprecationWarning)
class C:
    def __init__(self):
        warnings.warn("old class", PendingDeprecationWarning)
    def method(self): warn(NAME, DeprecationWarning)
NAME = "constant"
`);
  assert.deepEqual(deprecations(defs), [
    ['old', 'use new()'],
    ['future', null],
    ['second', null],
    ['concatenated', null],
    ['tuple_doc', 'a tuple starting with a string is'],
    ['C', 'old class'],
    ['C.__init__', null],
    ['C.method', 'constant'],
  ]);
  // A function that may bind the name itself, or a call read in a way not followed here, declines.
  declines('import warnings\ndef f(warnings):\n    warnings.warn("x", DeprecationWarning)\n', 'deprecation-marker');
  declines('import warnings\ndef f():\n    warnings.warn("x", DeprecationWarning)\n    DeprecationWarning = 1\n', 'deprecation-marker');
  declines('import warnings\ndef f():\n    warnings.warn("x", DeprecationWarning)\n    import warnings.other\n', 'deprecation-marker');
  declines('import warnings\ndef f():\n    warnings.warn(*args, DeprecationWarning)\n', 'deprecation-marker');
  declines('import warnings\nwarnings.warn("x"  # why\n    "y", DeprecationWarning)\n', 'deprecation-marker');
  declines('import warnings\nresult = warnings.warn("x", DeprecationWarning)\n', 'deprecation-marker');
  declines('import warnings\nwarnings.warn(warnings.warn("x", DeprecationWarning), DeprecationWarning)\n', 'deprecation-marker');
  declines('from warnings import deprecated\n@deprecated("use g")\ndef f(): pass\n', 'deprecation-marker');
  // Names read only as attributes, and in other functions, leave the answer exact.
  const attrs = await same(`import warnings
class D:
    def f(self):
        warnings.warn("x", DeprecationWarning)
        with warnings.catch_warnings():
            return self.warnings.DeprecationWarning
    def g(self, DeprecationWarning):
        return DeprecationWarning
`);
  assert.deepEqual(deprecations(attrs), [['D', null], ['D.f', 'x'], ['D.g', null]]);
  await same(`import warnings
import unittest
class T(unittest.TestCase):
    def test_old(self):
        with self.assertWarns(DeprecationWarning):
            warnings.warn("x", DeprecationWarning)
`);
});

test('the wasm statement scanner answers what it models itself, deprecations by warn() included, and leaves declines to the JavaScript scanner', async () => {
  const wasm = (source: string): FileFacts | null => fastOutline(source, { ...MOD, params: false });
  const modelled = [
    // Match statements in a function, with captures; `match` and `case` as names.
    'import os\ndef f(x):\n    match x:\n        case os.sep | [1, *rest] if rest:\n            return rest\n        case _:\n            pass\n    match = case = 1\n',
    // __all__ built up: assigned, extended, appended, augmented, removed (dynamic).
    '__all__ = ["a", "b" \'c\']\n__all__.extend(["d"])\n__all__.append("e")\n__all__ += ("f",)\n',
    '__all__ = ["a"]\n__all__.remove("a")\n',
    // A comment inside an except clause's parentheses that names no import error.
    'try:\n    import a\nexcept (OSError,  # not what we catch\n        ValueError):\n    a = None\n',
    'try:\n    import a\nexcept (ImportError, AttributeError) as e:\n    a = None\nelse:\n    b = 1\nfinally:\n    pass\n',
    // global, and a decorated definition nested in a function (extract.ts visits it twice).
    'def outer():\n    @dec\n    def inner():\n        global G\n        import os.path as p, sys\n        G = p.join\n    return inner\n',
    'if TYPE_CHECKING:\n    from a import b\nelif x:\n    from . import c\n',
    'from __future__ import annotations\nfrom .x import *\nfrom ..y.z import (q as r,\n    s,)\nimport a.b.c\n',
    'X = a.b.c\nY: int = 1\nZ: typing.List[int].x\nfor i, (j, *k) in z: pass\nwith a as b, c as (d, e): pass\ndel X\n',
    '\ufeffimport os  # migration-lens: ignore[MIG001]\nos.path.join\nclass C(os.X):\n    @property\n    def f(self) -> os.Y: return os.Z\n',
    'import warnings\ndef f():\n    """Doc."""\n    warnings.warn("x", UserWarning)\n',
  ];
  for (const source of modelled) {
    await same(source);
    assert.ok(wasm(source), `the wasm scanner left this to the JavaScript scanner:\n${source}`);
  }
  // warn() calls that make deprecations: a function's, an `__init__`'s (its class's), a module-level one naming a constant.
  const marker = `import warnings
MSG = "old " "API"
warnings.warn(MSG, DeprecationWarning)
def f():
    """Doc."""
    warnings.warn("x", DeprecationWarning)
class C:
    def __init__(self):
        warnings.warn("use D", PendingDeprecationWarning)
`;
  const facts = await same(marker);
  const fromWasm = wasm(marker);
  assert.ok(fromWasm, 'the wasm scanner answers files whose warn() calls make deprecations');
  for (const outline of [facts, fromWasm]) {
    assert.deepEqual(outline.definitions.map((d) => [d.qualName, d.deprecation?.message ?? null]), [['f', 'x'], ['C', 'use D'], ['C.__init__', null]]);
    assert.deepEqual(outline.legacyWarnings.map((w) => w.message), ['old API']);
  }
  // One the JavaScript scanner declines ('deprecation-marker': the function may bind `warnings` itself) is handed back.
  assert.equal(wasm('import warnings\ndef f(warnings):\n    warnings.warn("x", DeprecationWarning)\n'), null);
  // What the JavaScript scanner declines, the wasm scanner never answers (outlineFacts then gives the reason).
  for (const source of ['def f(:\n', 'x = (1,\n', 'match x:\n    case 1: pass\n', 'x := 1\n', '@dec\nx = 1\n', 'a\r']) {
    assert.equal(wasm(source), null, source);
    assert.equal(outlineFacts(source, { ...MOD, params: false }).ok, false, source);
  }
  // Parameters asked for: the JavaScript scanner's.
  assert.equal(fastOutline('def f(a): pass\n', MOD), null);
});

test('a file that would overflow one of the wasm scanner\'s tables is handed back, and the JavaScript scanner answers', async () => {
  const light = { ...MOD, params: false };
  for (const source of [
    // More decorators on one definition than the wasm side holds (256).
    `${'@dec\n'.repeat(257)}def f(): pass\n`,
    // More import statements than its table holds (8,192).
    Array.from({ length: 9000 }, (_, i) => `import m${i}\n`).join(''),
  ]) {
    assert.equal(fastOutline(source, light), null, 'handed back');
    const result = outlineFacts(source, light);
    assert.ok(result.ok, 'answered by the JavaScript scanner');
    await same(source);
  }
  // And the next file is the wasm scanner's again.
  assert.ok(fastOutline('import os\n', light));
});
