import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The largest bodies of real Python on this machine, which the equivalence, identity and real-fix tests (and
 * scripts/outline-stats.ts) run on: the CPython standard library and Debian's Django (scripts/test-deps.sh installs it).
 */

export const STDLIB = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
export const DJANGO = '/usr/lib/python3/dist-packages/django';

/** Third-party and byte-code directories, which are not part of a corpus (the stdlib directory holds site-packages). */
const FOREIGN = /(^|[\\/])(site-packages|dist-packages|__pycache__)([\\/]|$)/;

/** Every `.py` file under `root`, sorted, without the foreign directories. */
export function pythonFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!FOREIGN.test(e.name)) walk(abs);
      } else if (e.isFile() && e.name.endsWith('.py')) {
        out.push(abs);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** The dotted module a file would have under `root` (relative imports resolve against it). */
export function moduleOptionsFor(root: string, file: string, prefix: string): { module: string | null; isPackage: boolean } {
  const parts = path.relative(root, file).slice(0, -'.py'.length).split(path.sep);
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  const module = [prefix, ...parts].filter(Boolean).join('.');
  return { module: module || null, isPackage };
}

/** Copies the directories and `.py` files of `src` to `dest`, without the foreign directories. */
export function copyPythonTree(src: string, dest: string): void {
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (p) => !FOREIGN.test(path.relative(src, p)) && (fs.statSync(p).isDirectory() || p.endsWith('.py')),
  });
}
