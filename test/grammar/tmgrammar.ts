/**
 * Runs the TextMate grammars in syntaxes/ on the real engine VS Code uses (vscode-textmate + the
 * vscode-oniguruma wasm), and checks scope assertions written inside fixture files in the
 * vscode-tmgrammar-test format:
 *
 *   # SYNTAX TEST "source.migration-lens-toml" "description"
 *   src = ["."]
 *   # <--- keyword.other.key.known.migration-lens-toml
 *   #   ^ punctuation.separator.key-value.migration-lens-toml
 *   #     ^ - invalid
 *
 * An assertion line starts with the comment token and holds `^` carets under the columns of the
 * nearest source line above it (or `<-` / `<~~-` for columns hidden by the comment token: each `~`
 * skips a column, each `-` asserts one, from column 0). The scopes after the carets must each be
 * one of the token's scopes, exactly, in that order; after ` - ` they must all be absent, where a
 * scope also counts as present through any longer scope it prefixes (`- invalid` forbids
 * `invalid.illegal.x`). Assertion lines are part of the tokenized text, as in vscode-tmgrammar-test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SYNTAXES = path.join(REPO_ROOT, 'syntaxes');
export const FIXTURES = path.join(__dirname, 'fixtures');

export const TOML_SCOPE = 'source.migration-lens-toml';
export const INJECTION_SCOPE = 'migration-lens.suppression.injection';
/** Test scaffolding standing in for MagicPython (see fixtures/python-host.tmLanguage.json). */
export const PYTHON_SCOPE = 'source.python';

const GRAMMAR_FILES: Record<string, string> = {
  [TOML_SCOPE]: path.join(SYNTAXES, 'migration-lens-toml.tmLanguage.json'),
  [INJECTION_SCOPE]: path.join(SYNTAXES, 'migration-lens-suppression.injection.tmLanguage.json'),
  [PYTHON_SCOPE]: path.join(FIXTURES, 'python-host.tmLanguage.json'),
};

let onigLoaded: Promise<vsctm.IOnigLib> | null = null;

/** vscode-oniguruma, loaded once from its wasm. */
export function onigLib(): Promise<vsctm.IOnigLib> {
  onigLoaded ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLoaded;
}

/**
 * A registry holding the two grammars of syntaxes/ and the scaffolding Python host, with the
 * suppression grammar injected into source.python as the extension's `injectTo` does.
 * `withInjection: false` gives the host alone, to show what the injection adds.
 */
export function createRegistry(opts: { withInjection?: boolean } = {}): vsctm.Registry {
  const withInjection = opts.withInjection ?? true;
  return new vsctm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => {
      const file = GRAMMAR_FILES[scopeName];
      return file === undefined ? null : vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (withInjection && scopeName === PYTHON_SCOPE ? [INJECTION_SCOPE] : undefined),
  });
}

export async function loadGrammar(registry: vsctm.Registry, scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} did not load`);
  return grammar;
}

export interface Token {
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

/** Tokens of every line, carrying the rule stack from line to line as the editor does. */
export function tokenize(grammar: vsctm.IGrammar, text: string): Token[][] {
  let stack: vsctm.StateStack = vsctm.INITIAL;
  return text.split(/\r\n|\r|\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ start: t.startIndex, end: Math.min(t.endIndex, line.length), text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the token covering `column` (0-based), or null past the end of the line. */
export function scopesAt(lineTokens: Token[], column: number): string[] | null {
  const token = lineTokens.find((t) => t.start <= column && column < t.end);
  return token ? token.scopes : null;
}

/** True when `scope` equals `selector` or extends it (`invalid.illegal.x` has `invalid`). */
export function scopeHas(scope: string, selector: string): boolean {
  return scope === selector || scope.startsWith(selector + '.');
}

export interface Assertion {
  /** 1-based line numbers in the fixture, for messages. */
  sourceLine: number;
  assertionLine: number;
  columns: number[];
  expected: string[];
  forbidden: string[];
}

export interface Fixture {
  scopeName: string;
  description: string;
  /** 0-based indexes of assertion lines (not source). */
  assertionLines: Set<number>;
  assertions: Assertion[];
}

const HEADER = /^(\S+)\s+SYNTAX TEST\s+"([^"]+)"(?:\s+"([^"]*)")?\s*$/;

/** Parses a fixture's header and assertion lines; throws on a malformed assertion so typos cannot pass silently. */
export function parseFixture(text: string): Fixture {
  const lines = text.split(/\r\n|\r|\n/);
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) throw new Error('first line must be: <comment token> SYNTAX TEST "<scope name>" "<description>"');
  const commentToken = header[1]!;
  const escaped = commentToken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const assertionPattern = new RegExp(`^(\\s*${escaped})(\\s*)(\\^+|<~*-+)(.*)$`);
  const assertionLines = new Set<number>();
  const assertions: Assertion[] = [];
  let lastSource = 0;
  lines.forEach((line, i) => {
    if (i === 0) return;
    const m = assertionPattern.exec(line);
    if (!m) {
      lastSource = i;
      return;
    }
    assertionLines.add(i);
    const marks = m[3]!;
    const columns: number[] = [];
    if (marks.startsWith('<')) {
      const skip = marks.length - marks.replace(/~/g, '').length;
      const count = marks.length - 1 - skip;
      for (let c = skip; c < skip + count; c++) columns.push(c);
    } else {
      const first = m[1]!.length + m[2]!.length;
      for (let c = first; c < first + marks.length; c++) columns.push(c);
    }
    const spec = m[4]!.trim();
    const [positive = '', negative] = spec.startsWith('- ') ? ['', spec.slice(2)] : spec.split(/\s+-\s+/, 2);
    const expected = positive.split(/\s+/).filter(Boolean);
    const forbidden = (negative ?? '').split(/\s+/).filter(Boolean);
    if (expected.length === 0 && forbidden.length === 0) throw new Error(`line ${i + 1}: assertion without scopes`);
    if (lastSource === 0) throw new Error(`line ${i + 1}: assertion before any source line`);
    assertions.push({ sourceLine: lastSource + 1, assertionLine: i + 1, columns, expected, forbidden });
  });
  return { scopeName: header[2]!, description: header[3] ?? '', assertionLines, assertions };
}

/** True when `expected` appear among `scopes`, exactly and in that order. */
function inOrder(scopes: string[], expected: string[]): boolean {
  let from = 0;
  for (const want of expected) {
    const at = scopes.indexOf(want, from);
    if (at < 0) return false;
    from = at + 1;
  }
  return true;
}

/** Every failed assertion, as one readable message each (empty when the fixture passes). */
export function checkFixture(fixture: Fixture, tokens: Token[][], name = 'fixture'): string[] {
  const failures: string[] = [];
  for (const a of fixture.assertions) {
    const lineTokens = tokens[a.sourceLine - 1] ?? [];
    for (const column of a.columns) {
      const scopes = scopesAt(lineTokens, column);
      const where = `${name}:${a.sourceLine}:${column + 1} (assertion on line ${a.assertionLine})`;
      if (scopes === null) {
        failures.push(`${where}: column is past the end of the line`);
        continue;
      }
      if (!inOrder(scopes, a.expected)) failures.push(`${where}: expected [${a.expected.join(' ')}], got [${scopes.join(' ')}]`);
      const present = a.forbidden.filter((f) => scopes.some((s) => scopeHas(s, f)));
      if (present.length > 0) failures.push(`${where}: must not have [${present.join(' ')}], got [${scopes.join(' ')}]`);
    }
  }
  return failures;
}

/** Tokens of `text` with any scope starting with `invalid`, as "line:col text [scopes]" (1-based). */
export function invalidTokens(tokens: Token[][]): string[] {
  const out: string[] = [];
  tokens.forEach((line, i) => {
    for (const t of line) {
      if (t.scopes.some((s) => scopeHas(s, 'invalid'))) out.push(`${i + 1}:${t.start + 1} ${JSON.stringify(t.text)} [${t.scopes.join(' ')}]`);
    }
  });
  return out;
}
