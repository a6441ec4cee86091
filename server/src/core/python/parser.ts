import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/**
 * Loads web-tree-sitter and the Python grammar once per process. The .wasm files sit next to the bundle in
 * dist/; when running from source (tests) they are resolved from node_modules.
 */
let loading: Promise<Language> | null = null;
/** The Emscripten module object web-tree-sitter was initialized with: its wasm exports and heap views (syntax.ts). */
let binding: Record<string, unknown> | null = null;

function locate(file: string, packageSpecifier: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageSpecifier);
}

export function loadPython(): Promise<Language> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    // Emscripten fills the options object in as the module itself (exports, HEAP32, …); syntax.ts walks trees
    // through it when it passes its self test.
    const moduleObject: Record<string, unknown> = { locateFile: () => runtime };
    await Parser.init(moduleObject);
    binding = moduleObject;
    return Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
  })();
  return loading;
}

/** web-tree-sitter's module object once `loadPython` has run (null before, or if another caller initialized it). */
export function wasmBinding(): Record<string, unknown> | null {
  return binding;
}

/** A parser bound to the Python grammar. Trees are wasm memory: callers must `.delete()` them. */
export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<PythonParser> {
    const language = await loadPython();
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  }

  /** Parses `text`; with `oldTree` (already `.edit()`ed) the parse is incremental. */
  parse(text: string, oldTree?: Tree | null): Tree {
    const tree = this.parser.parse(text, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree (parser has no language?)');
    return tree;
  }

  delete(): void {
    this.parser.delete();
  }
}
