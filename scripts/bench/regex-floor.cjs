'use strict';
// Regex floor: a fresh process that reads every .py file and regex-scans it for `utcnow(` calls and import
// lines — the least work any tool that looks at imports and utcnow() must do. Usage: node regex-floor.cjs DIR
const fs = require('node:fs');
const { pyFiles } = require('./walk.cjs');

const UTCNOW = /\butcnow\s*\(/g;
const IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+))/gm;

const files = pyFiles(process.argv[2]);
let utcnow = 0;
let imports = 0;
const modules = new Set();
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  for (const _ of text.matchAll(UTCNOW)) utcnow++;
  for (const m of text.matchAll(IMPORT)) {
    imports++;
    modules.add(m[1] ?? m[2]);
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, utcnow, imports, modules: modules.size })}\n`);
