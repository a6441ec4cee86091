'use strict';
// Read floor: a fresh process that lists the workspace's .py files and reads + UTF-8-decodes every one.
// Usage: node scripts/bench/read-floor.cjs DIR  → prints {"files":N,"bytes":B,"chars":C}
const fs = require('node:fs');
const { pyFiles } = require('./walk.cjs');

const files = pyFiles(process.argv[2]);
let bytes = 0;
let chars = 0;
for (const f of files) {
  const buf = fs.readFileSync(f);
  bytes += buf.length;
  chars += buf.toString('utf8').length;
}
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, chars })}\n`);
