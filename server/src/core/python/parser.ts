import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/**
 * Loads web-tree-sitter and the Python grammar once per process. The .wasm files sit next to the bundle in
 * dist/; when running from source (tests) they are resolved from node_modules.
 */
let loading: Promise<Language> | null = null;

function locate(file: string, packageSpecifier: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageSpecifier);
}

export function loadPython(): Promise<Language> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    return Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
  })();
  return loading;
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
