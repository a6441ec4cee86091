import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../server/src/core/types.js';

/**
 * Expected findings written inside fixture files, so tests are data:
 *   x = datetime.utcnow()  # expect: MIG001
 * or, to pin the exact columns, a caret line under the code (rust-analyzer style):
 *   x = datetime.utcnow()
 *   #   ^^^^^^^^^^^^^^^ MIG001
 * Every finding must be expected and every expectation found; extra findings fail like missing ones.
 */

export interface Expectation {
  path: string;
  /** 1-based line of the finding's start. */
  line: number;
  code: string;
  /** 1-based start column and length, for caret expectations. */
  column?: number;
  length?: number;
}

const INLINE = /#\s*expect:\s*([A-Z0-9,\s]+?)\s*$/;
const CARET = /^(\s*)#(\s*)(\^+)\s+([A-Z0-9,\s]+?)\s*$/;

export function expectationsIn(relPath: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let lastCodeLine = -1;
  lines.forEach((line, i) => {
    const caret = CARET.exec(line);
    if (caret && lastCodeLine >= 0) {
      const column = caret[1]!.length + 1 + caret[2]!.length + 1; // 1-based column of the first ^
      for (const code of caret[4]!.split(',').map((c) => c.trim()).filter(Boolean)) {
        out.push({ path: relPath, line: lastCodeLine + 1, code, column, length: caret[3]!.length });
      }
      return;
    }
    const inline = INLINE.exec(line);
    if (inline) for (const code of inline[1]!.split(',').map((c) => c.trim()).filter(Boolean)) out.push({ path: relPath, line: i + 1, code });
    if (!/^\s*#/.test(line) && line.trim()) lastCodeLine = i;
  });
  return out;
}

export function expectationsUnder(root: string, skip: (rel: string) => boolean = () => false): Expectation[] {
  const out: Expectation[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, entry.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (skip(rel)) continue;
      if (entry.isDirectory()) walk(abs);
      else if (entry.name.endsWith('.py')) out.push(...expectationsIn(rel, fs.readFileSync(abs, 'utf8')));
    }
  };
  walk(root);
  return out;
}

/** Differences between findings and expectations, as readable lines (empty when they agree). */
export function compareToExpectations(findings: Finding[], expected: Expectation[]): string[] {
  const remaining = [...expected];
  const problems: string[] = [];
  for (const f of findings) {
    const line = f.range.start.line + 1;
    const column = f.range.start.column + 1;
    const length = f.range.start.line === f.range.end.line ? f.range.end.column - f.range.start.column : undefined;
    const i = remaining.findIndex(
      (e) => e.path === f.path && e.line === line && e.code === f.code && (e.column === undefined || (e.column === column && e.length === length)),
    );
    if (i >= 0) remaining.splice(i, 1);
    else problems.push(`unexpected ${f.path}:${line}:${column} ${f.code} ${f.message}`);
  }
  for (const e of remaining) problems.push(`missing    ${e.path}:${e.line}${e.column ? `:${e.column}` : ''} ${e.code}`);
  return problems;
}
