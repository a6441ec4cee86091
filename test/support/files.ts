import { execFileSync, spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempCopy(src: string, prefix = 'ml-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

/** relPath → contents of every file under `dir`. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * `python3 -m py_compile` on each file (argument arrays, never a shell); byte-code goes to a throwaway prefix.
 * Returns the files that failed with their error.
 */
export function pyCompileFailures(files: string[]): { file: string; error: string }[] {
  const failures: { file: string; error: string }[] = [];
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-pycache-'));
  for (let i = 0; i < files.length; i += 200) {
    const batch = files.slice(i, i + 200);
    try {
      execFileSync('python3', ['-m', 'py_compile', ...batch], { env: { ...process.env, PYTHONPYCACHEPREFIX: prefix }, stdio: 'pipe' });
    } catch {
      // A batch failed: find which files, one by one.
      for (const file of batch) {
        try {
          execFileSync('python3', ['-m', 'py_compile', file], { env: { ...process.env, PYTHONPYCACHEPREFIX: prefix }, stdio: 'pipe' });
        } catch (err) {
          failures.push({ file, error: String((err as { stderr?: Buffer }).stderr ?? err) });
        }
      }
    }
  }
  fs.rmSync(prefix, { recursive: true, force: true });
  return failures;
}

/** A temp workspace holding `files` (relPath → contents). */
export function writeWorkspace(files: Record<string, string | Buffer>, prefix = 'ml-ws-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/**
 * Runs TypeScript `source` in a process of its own (`node --import tsx`), from a temporary file removed afterwards:
 * for what must start fresh (V8 flags, thread priorities, a process's exit).
 */
export function runTypeScript(source: string, args: string[] = [], options: Partial<SpawnSyncOptionsWithStringEncoding> = {}): SpawnSyncReturns<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-probe-'));
  try {
    const script = path.join(dir, 'probe.ts');
    fs.writeFileSync(script, source);
    return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { ...options, encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
