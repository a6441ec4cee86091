// Bundles the CLI, the language server and the VS Code client into dist/ (the VSIX ships exactly these).
// The .wasm files are copied next to the bundles: they are loaded at run time, never bundled.
import * as esbuild from 'esbuild';
import asc from 'assemblyscript/asc';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'dist/tree-sitter-python.wasm');
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');

// The outline lexer (server/assembly/outlineLexer.ts, AssemblyScript): no runtime (it allocates nothing), no
// assertions (it traps on purpose to decline, see lexer.ts), SIMD (Node has had it since 16.4), optimized for speed.
const lexer = await asc.main(
  ['server/assembly/outlineLexer.ts', '--outFile', 'dist/outline-lexer.wasm', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '-O3'],
  { stdout: process.stdout, stderr: process.stderr },
);
if (lexer.error) {
  console.error(`outline-lexer.wasm: ${lexer.error.message}`);
  process.exit(1);
}

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter's ESM build locates itself with import.meta.url, which a CJS bundle lacks.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * `migration-lens server` loads the server bundle beside cli.js at run time instead of carrying a second copy of it
 * (vscode-languageserver and the LSP layer are ~0.6 MB): every other command starts ~8 ms sooner without it.
 */
const serverBesideCli = {
  name: 'server-beside-cli',
  setup(build) {
    build.onResolve({ filter: /\/lsp\/main\.js$/ }, () => ({ path: './server.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` }, plugins: [serverBesideCli] },
  // The language server the extension starts over IPC (the CLI's `server --stdio` runs the same code).
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  // The analysis worker thread (core/workspace/pool.ts): found beside cli.js / server.js through __dirname.
  { ...common, entryPoints: ['server/src/core/workspace/poolWorker.ts'], outfile: 'dist/analysis-worker.js' },
  // The extension host provides `vscode`; it is never bundled.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The extension-host test suite (test/vscode/), loaded through `extensionTestsPath`; never shipped (out/ is
  // not in the VSIX). Mocha is required from node_modules at run time.
  { ...common, entryPoints: ['test/vscode/index.ts'], outfile: 'out/test/index.js', external: ['vscode', 'mocha'] },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/cli.js', 0o755);
}
