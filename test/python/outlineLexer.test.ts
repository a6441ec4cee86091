import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fastOutline } from '../../server/src/core/python/outline/fastScan.js';
import { Lexer } from '../../server/src/core/python/outline/lexer.js';
import * as tokens from '../../server/src/core/python/outline/tokens.js';
import { Decline, KEYWORDS, KW_FIRST, nameHash, T_NAME, T_NUMBER, TokenBuffer } from '../../server/src/core/python/outline/tokens.js';

// The wasm lexer's boundary (outline/lexer.ts ↔ server/assembly/outlineLexer.ts): what the scanner reads of it. That
// its tokens make exactly the facts of a parse is outline.test.ts's (every stdlib and Django file).

interface Line {
  indent: number;
  tokens: { kind: number; text: string; depth: number; flags: number }[];
}

function lex(text: string, into = new TokenBuffer()): Line[] {
  const lexer = new Lexer(text, into);
  const lines: Line[] = [];
  while (lexer.lexLine()) {
    const line: Line = { indent: lexer.lineIndent, tokens: [] };
    for (let i = 0; i < into.n; i++) {
      line.tokens.push({ kind: into.kind[i]!, text: text.slice(into.start[i], into.end[i]), depth: into.depth[i]!, flags: into.flags[i]! });
    }
    assert.equal(into.kind[into.n], 0, 'a kind-0 sentinel follows the last token');
    lines.push(line);
  }
  return lines;
}

function declines(text: string): string {
  try {
    lex(text);
  } catch (error) {
    if (error instanceof Decline) return error.reason;
    throw error;
  }
  return 'accepted';
}

/** A line where each hard keyword stands where the grammar allows it (`${word} a` for the rest). */
const IN_USE: Record<string, string> = {
  False: 'x = False', None: 'x = None', True: 'x = True', and: 'x = a and b', as: 'import a as b', async: 'async def f(): pass',
  await: 'x = await a', break: 'break', class: 'class A: pass', continue: 'continue', def: 'def f(): pass', elif: 'elif a: pass',
  else: 'else: pass', except: 'except: pass', finally: 'finally: pass', for: 'for a in b: pass', from: 'from a import b',
  if: 'if a: pass', import: 'import a', in: 'x = a in b', is: 'x = a is b', lambda: 'x = lambda: 0', not: 'x = not a',
  or: 'x = a or b', pass: 'pass', try: 'try: pass', while: 'while a: pass', with: 'with a: pass',
};

test('every hard keyword has the kind kinds.ts gives it: KW_FIRST plus its index in KEYWORDS', () => {
  const constants = tokens as unknown as Record<string, number>;
  for (const [i, word] of KEYWORDS.entries()) {
    assert.equal(constants[`KW_${word.toUpperCase()}`], KW_FIRST + i, `kinds.ts: ${word}`);
    const [line] = lex(`${IN_USE[word] ?? `${word} a`}\n`);
    assert.equal(line!.tokens.find((t) => t.text === word)?.kind, KW_FIRST + i, `lexed: ${word}`);
  }
  assert.equal(lex('match = case\n')[0]!.tokens[0]!.kind, T_NAME, 'soft keywords are names');
});

test('lines, indentation, brackets across lines and names with their hash', () => {
  const text = 'def f(a,\n      b):\n\tif a:  # note\n\t\treturn (a +\n\t\t\tb)\n';
  const lines = lex(text);
  assert.deepEqual(
    lines.map((l) => [l.indent, l.tokens.map((t) => t.text).join(' ')]),
    [
      [0, 'def f ( a , b ) :'],
      [8, 'if a :'],
      [16, 'return ( a + b )'],
    ],
  );
  assert.deepEqual(lines[2]!.tokens.map((t) => t.depth), [0, 0, 1, 1, 1, 0]);
  const buffer = new TokenBuffer();
  const lexer = new Lexer('naïve_𝔘x = 1\n', buffer);
  assert.ok(lexer.lexLine());
  assert.equal(buffer.kind[0], T_NAME);
  assert.equal(buffer.end[0], 'naïve_𝔘x'.length, 'a non-ASCII name, a character outside the BMP included');
  assert.equal(buffer.hash[0], nameHash('naïve_𝔘x'));
});

test('each reason to decline reaches the scanner by its name, and the next file lexes as if nothing happened', () => {
  const cases: [string, string][] = [
    ['x = "abc\n', 'unterminated-string'],
    ['x = (1, 2]\n', 'bracket-mismatch'],
    ['x = 1 $ 2\n', 'invalid-character'],
    ['x = 0777\n', 'number'],
    ['f(x\n', 'unclosed-bracket'],
    ['x = 1 \\ 2\n', 'stray-backslash'],
    ['x = 1 2\n', 'syntax'],
    ['x = tb"a"\n', 'string-prefix'],
    [`x = ${'('.repeat(201)}${')'.repeat(201)}\n`, 'nesting'],
    ['x = f"{a:=1}"\n', 'fstring-walrus'],
    ['x = 1\ry = 2\n', 'lone-cr'],
  ];
  for (const [text, reason] of cases) {
    assert.equal(declines(text), reason, JSON.stringify(text));
    assert.deepEqual(lex('y = [1]\n').map((l) => l.tokens.map((t) => t.text).join(' ')), ['y = [ 1 ]']);
  }
});

test('a line of more tokens than the arrays hold, and a text larger than memory was: both grow, nothing is lost', () => {
  // One buffer throughout, as the scanner keeps: its views must follow the arrays when they move.
  const buffer = new TokenBuffer();
  assert.equal(lex('a = 1\n', buffer).length, 1);
  const count = 5000;
  const text = `x = [${Array.from({ length: count }, (_, i) => String(i)).join(', ')}]\n`;
  const [line] = lex(text, buffer);
  assert.equal(line!.tokens.length, 2 + 1 + count + (count - 1) + 1);
  assert.deepEqual(
    line!.tokens.slice(-3).map((t) => [t.kind, t.text, t.depth]),
    [[tokens.T_COMMA, ',', 1], [T_NUMBER, String(count - 1), 1], [tokens.T_RSQB, ']', 0]],
  );
  const big = 'y = 1\n'.repeat(400_000) + 'z = 2\n';
  const lines = lex(big, buffer);
  assert.equal(lines.length, 400_001);
  assert.equal(lines.at(-1)!.tokens.map((t) => t.text).join(' '), 'z = 2');
  // And a small file after the large ones.
  assert.deepEqual(lex('a.b\n', buffer).map((l) => l.tokens.map((t) => [t.text, t.flags])), [[['a', 0], ['.', 0], ['b', tokens.F_AFTER_DOT]]]);
});

test('two lexers read in turns, each going on where it stopped (the wasm side holds one text at a time)', () => {
  const a = new TokenBuffer();
  const b = new TokenBuffer();
  const first = new Lexer('a1 = 1\na2 = 2\na3 = 3\n', a);
  const second = new Lexer('b1 = 1\nb2 = 2\n', b);
  const read = (lexer: Lexer, buffer: TokenBuffer, text: string): string | null => (lexer.lexLine() ? text.slice(buffer.start[0], buffer.end[0]) : null);
  assert.equal(read(first, a, first.text), 'a1');
  assert.equal(read(second, b, second.text), 'b1');
  assert.equal(read(first, a, first.text), 'a2');
  assert.equal(read(second, b, second.text), 'b2');
  assert.equal(read(first, a, first.text), 'a3');
  assert.equal(read(second, b, second.text), null);
  assert.equal(read(first, a, first.text), null);
});

test('a lexer in the middle of its text goes on where it stopped after the wasm statement scanner read another file', () => {
  const buffer = new TokenBuffer();
  const lexer = new Lexer('a1 = 1\na2 = 2\n', buffer);
  const read = (): string | null => (lexer.lexLine() ? lexer.text.slice(buffer.start[0], buffer.end[0]) : null);
  assert.equal(read(), 'a1');
  const other = fastOutline('import os\nb = os.sep  # migration-lens: ignore\n', { module: 'm', isPackage: false, params: false });
  assert.deepEqual(other?.bindings.map((b) => b.name), ['os', 'b']);
  assert.deepEqual(other?.suppressions.map(([line]) => line), [1]);
  assert.equal(read(), 'a2');
  assert.equal(read(), null);
});

test('comments are reported only in a text that may hold a suppression, and never a `#` inside a string', () => {
  const text = 's = "# no"  # migration-lens: ignore[MIG001]\n# two\n';
  const lexer = new Lexer(text, new TokenBuffer());
  while (lexer.lexLine());
  assert.deepEqual(lexer.comments, [text.indexOf('# migration'), text.indexOf('# two')]);
  const plain = new Lexer('x = 1  # plain\n', new TokenBuffer());
  while (plain.lexLine());
  assert.equal(plain.comments, null);
});

test('operators: each spelling gets its kind, in and out of f-string interpolations', () => {
  const kinds = (line: string): [string, number][] => lex(`${line}\n`)[0]!.tokens.map((t) => [t.text, t.kind]);
  const { T_ASSIGN, T_AUGASSIGN, T_BINOP, T_COMPARE, T_DSTAR, T_FEND, T_FSTART, T_SLASH, T_STAR } = tokens;
  assert.deepEqual(kinds('a **= b * c ** d'), [['a', T_NAME], ['**=', T_AUGASSIGN], ['b', T_NAME], ['*', T_STAR], ['c', T_NAME], ['**', T_DSTAR], ['d', T_NAME]]);
  assert.deepEqual(kinds('a //= b / c // d'), [['a', T_NAME], ['//=', T_AUGASSIGN], ['b', T_NAME], ['/', T_SLASH], ['c', T_NAME], ['//', T_BINOP], ['d', T_NAME]]);
  assert.deepEqual(kinds('a = b == c != d'), [['a', T_NAME], ['=', T_ASSIGN], ['b', T_NAME], ['==', T_COMPARE], ['c', T_NAME], ['!=', T_COMPARE], ['d', T_NAME]]);
  assert.deepEqual(kinds('f"{a!r}{b=}{c == d}"').map(([, kind]) => kind), [T_FSTART, T_NAME, tokens.T_FMID, T_NAME, tokens.T_FMID, T_NAME, T_COMPARE, T_NAME, T_FEND]);
  assert.equal(declines('a = !b\n'), 'invalid-character');
});
