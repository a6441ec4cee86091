import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeWorkspace } from './files.js';

/**
 * Real git repositories for tests: `git init` in a temp dir and commits made with the real `git` binary
 * (argument arrays, fixed identity and dates so hashes and times are reproducible).
 */

let clock = 1_700_000_000;

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_AUTHOR_DATE: `${clock} +0000`,
      GIT_COMMITTER_DATE: `${clock} +0000`,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
  });
}

/** Makes `dir` (already holding files) a repository whose first commit holds everything in it. */
export function initRepo(dir: string, message = 'initial'): string {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  clock += 60;
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** A new repository whose first commit holds `files`. Returns its folder. */
export function gitRepo(files: Record<string, string>, message = 'initial'): string {
  const dir = writeWorkspace(files, 'ml-git-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  clock += 60;
  git(dir, 'commit', '-q', '-m', message);
  return dir;
}

/**
 * Writes `files` (null deletes; `{ from }` renames with `git mv`) and commits them. Returns the new commit's hash.
 */
export function commit(dir: string, message: string, files: Record<string, string | null | { from: string }>): string {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) {
      git(dir, 'rm', '-q', '--', rel);
    } else if (typeof content === 'object') {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      git(dir, 'mv', '--', content.from, rel);
    } else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
  }
  git(dir, 'add', '-A');
  clock += 60;
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}
