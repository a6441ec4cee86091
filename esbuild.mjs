// Bundles the CLI, the language server and the VS Code client into dist/ (the VSIX ships exactly these).
// The .wasm files are copied next to the bundles: they are loaded at run time, never bundled.
import * as esbuild from 'esbuild';
import asc from 'assemblyscript/asc';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { devNull } from 'node:os';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'dist/tree-sitter-python.wasm');
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');

// The outline lexer (server/assembly/outlineLexer.ts, AssemblyScript): no runtime (it allocates nothing), no
// assertions (it traps on purpose to decline, see lexer.ts), SIMD (Node has had it since 16.4), optimized for speed.
const lexer = await asc.main(
  ['server/assembly/outline.ts', '--outFile', 'dist/outline-lexer.wasm', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '-O3'],
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

/**
 * The CLI's bundle runs through vm.Script with a code cache (server/src/cli/codeCache.ts), and a script compiled that
 * way has no loader for `import()`: web-tree-sitter's two imports of Node built-ins become requires. The build fails
 * if any `import(` is left in the bundle.
 */
const noDynamicImport = {
  name: 'no-dynamic-import',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/await import\("(module|fs\/promises)"\)/g, '__nodeRequire("$1")'),
      loader: 'js',
    }));
  },
};

const builds = [
  // The binary: a few lines that run cli-main.js with the code cache made below.
  { ...common, entryPoints: ['server/src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli-main.js',
    banner: { js: `${common.banner.js}\nconst __nodeRequire = require;` },
    plugins: [serverBesideCli, noDynamicImport],
  },
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
  if (/\bimport\(/.test(readFileSync('dist/cli-main.js', 'utf8'))) {
    console.error('dist/cli-main.js: import() is left in the bundle, which a script run with a code cache cannot load (see noDynamicImport)');
    process.exit(1);
  }
  writeCodeCache();
}

/**
 * The code cache of the CLI's bundle (codeCache.ts): the functions a check of the demo workspace compiles, from a
 * training run of this build. A run of another Node version (or under other V8 flags) finds it rejected and compiles
 * as it would have without it.
 */
function writeCodeCache() {
  const out = 'dist/cli-main.js.v8cache';
  rmSync(out, { force: true });
  const args = ['check', 'examples/netra', '--no-cache', '--exit-zero', '--output', devNull];
  const run = spawnSync(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, MIGRATION_LENS_CODE_CACHE_OUT: out }, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`code cache: the training run \`migration-lens ${args.join(' ')}\` failed (exit ${run.status}):\n${run.stderr}`);
    process.exit(1);
  }
}
