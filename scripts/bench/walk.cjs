'use strict';
// The file list every comparison process uses: all `.py` files under DIR, sorted, skipping only __pycache__,
// VCS and cache directories. On the benchmark workspaces this is exactly the set Migration Lens analyzes (1,790
// stdlib files; Ruff's default excludes would drop stdlib's `venv` package), so every tool does the same work.
// Plain CommonJS so it loads in a fresh `node` without tsx.
const fs = require('node:fs');
const path = require('node:path');

const EXCLUDED_DIRS = new Set(['__pycache__', '.git', '.hg', '.svn', 'node_modules', '.migration-lens-cache']);

function pyFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!EXCLUDED_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

module.exports = { pyFiles, EXCLUDED_DIRS };
