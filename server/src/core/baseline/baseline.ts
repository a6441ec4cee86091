import { LineIndex } from '../text.js';
import { ALL_RULE_CODES, type Finding, type RuleCode } from '../types.js';

/**
 * The ratchet (Betterer's model): a committed file lists the legacy usages a project has today; `check
 * --baseline` reports only usages that are not in it (new ones fail the build) and lists entries that no longer
 * match anything (fixed: re-run `baseline` to lock the progress in, so they cannot come back).
 *
 * **Which findings**: every finding of every enabled rule (the usage rules MIG001–MIG003 and the structural ones),
 * so the ratchet covers all of them.
 *
 * **Identity of a usage**, stable under unrelated edits: the file, the rule code, the migration id, the flagged
 * source text (`span`) and the text of its first line (`source`), both with whitespace runs collapsed to one space,
 * plus an occurrence index among identical fingerprints in the file. Line and column numbers are not part of it
 * (and are not stored), so inserting lines above a usage changes nothing. Matching is by count, in two passes:
 * first on the whole fingerprint, then, for what is left, on the file, code, migration and span alone, so a
 * usage whose line changed around it (reformatted, a variable renamed) is still known rather than fixed + new.
 */

export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = 'migration-lens-baseline.json';

/** Longest `source` kept (after collapsing whitespace); the same cut applies when matching. */
const MAX_SOURCE = 200;

export interface BaselineEntry {
  /** POSIX path relative to the project root. */
  path: string;
  code: RuleCode;
  migration: string | null;
  /** The flagged text, whitespace collapsed. */
  span: string;
  /** The first line of the finding, whitespace collapsed (cut at 200 characters). */
  source: string;
  /** 0-based index among entries of the same file with the same code, migration, span and source, in file order. */
  occurrence: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** The command that wrote it (for humans). */
  command: string;
  entries: BaselineEntry[];
}

/** A baseline file that cannot be used, with a message naming the file and what is wrong. */
export class BaselineError extends Error {}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The fingerprint of each finding, in the order given. `textOf` returns the text of a file (by root-relative path),
 * null when unreadable: such findings fingerprint with an empty span and source (path, code and migration still
 * tell them apart from others).
 */
export function fingerprint(findings: readonly Finding[], textOf: (path: string) => string | null): BaselineEntry[] {
  const indexes = new Map<string, LineIndex | null>();
  const seen = new Map<string, number>();
  const ordered = findings.map((f, i) => ({ f, i })).sort((a, b) => comparePosition(a.f, b.f) || a.i - b.i);
  const out = new Array<BaselineEntry>(findings.length);
  for (const { f, i } of ordered) {
    let index = indexes.get(f.path);
    if (index === undefined) {
      const text = textOf(f.path);
      indexes.set(f.path, (index = text === null ? null : new LineIndex(text)));
    }
    const span = index ? collapse(index.slice(f.range)) : '';
    const source = index ? collapse(index.lineText(f.range.start.line)).slice(0, MAX_SOURCE) : '';
    const key = keyOf({ path: f.path, code: f.code, migration: f.migration ?? null, span, source });
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    out[i] = { path: f.path, code: f.code, migration: f.migration ?? null, span, source, occurrence };
  }
  return out;
}

function comparePosition(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

function keyOf(e: Pick<BaselineEntry, 'path' | 'code' | 'migration' | 'span' | 'source'>): string {
  return JSON.stringify([e.path, e.code, e.migration, e.span, e.source]);
}

function looseKeyOf(e: Pick<BaselineEntry, 'path' | 'code' | 'migration' | 'span'>): string {
  return JSON.stringify([e.path, e.code, e.migration, e.span]);
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a.path, b.path) || cmp(a.code, b.code) || cmp(a.migration ?? '', b.migration ?? '') || cmp(a.span, b.span) || cmp(a.source, b.source) || a.occurrence - b.occurrence;
}

/** JSON with sorted keys, one value per line. */
function line(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}: ${line(record[k])}`).join(', ')}}`;
}

/**
 * The baseline file: keys sorted, files sorted, one entry per line (sorted by code, migration, span, source,
 * occurrence), so a diff of two baselines shows exactly which usages went away or came in.
 *
 *     {
 *       "command": "migration-lens baseline",
 *       "files": {
 *         "app/models.py": [
 *           {"code": "MIG001", "migration": "stdlib:datetime.datetime.utcnow", "occurrence": 0, "source": "created = datetime.utcnow()", "span": "datetime.utcnow"}
 *         ]
 *       },
 *       "total": 1,
 *       "version": 1
 *     }
 */
export function serializeBaseline(entries: readonly BaselineEntry[], command: string): string {
  const byFile = new Map<string, BaselineEntry[]>();
  for (const e of [...entries].sort(compareEntries)) {
    const list = byFile.get(e.path) ?? [];
    list.push(e);
    byFile.set(e.path, list);
  }
  const out: string[] = ['{', `  "command": ${JSON.stringify(command)},`];
  if (byFile.size === 0) out.push('  "files": {},');
  else {
    out.push('  "files": {');
    const files = [...byFile.keys()].sort();
    files.forEach((file, i) => {
      out.push(`    ${JSON.stringify(file)}: [`);
      const list = byFile.get(file)!;
      list.forEach((e, j) => {
        const { code, migration, occurrence, source, span } = e;
        out.push(`      ${line({ code, migration, occurrence, source, span })}${j < list.length - 1 ? ',' : ''}`);
      });
      out.push(`    ]${i < files.length - 1 ? ',' : ''}`);
    });
    out.push('  },');
  }
  out.push(`  "total": ${entries.length},`, `  "version": ${BASELINE_VERSION}`, '}', '');
  return out.join('\n');
}

/** Reads a baseline file's text; every defect is a BaselineError naming `file` and what is wrong. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)}); regenerate it with \`migration-lens baseline\``);
  }
  const fail = (where: string, what: string): never => {
    throw new BaselineError(`${file}: ${where} ${what}; regenerate it with \`migration-lens baseline\``);
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail('the top level', 'must be an object');
  const root = data as Record<string, unknown>;
  if (root['version'] !== BASELINE_VERSION) {
    fail('"version"', root['version'] === undefined ? 'is missing (is this a Migration Lens baseline?)' : `is ${JSON.stringify(root['version'])}, this version of Migration Lens reads ${BASELINE_VERSION}`);
  }
  const files = root['files'];
  if (files === null || typeof files !== 'object' || Array.isArray(files)) fail('"files"', 'must be an object mapping each file to its entries');
  const entries: BaselineEntry[] = [];
  for (const [p, list] of Object.entries(files as Record<string, unknown>)) {
    if (!Array.isArray(list)) fail(`files[${JSON.stringify(p)}]`, 'must be an array of entries');
    (list as unknown[]).forEach((raw, i) => {
      const where = `files[${JSON.stringify(p)}][${i}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'must be an object');
      const e = raw as Record<string, unknown>;
      if (typeof e['code'] !== 'string' || !(ALL_RULE_CODES as readonly string[]).includes(e['code'])) fail(`${where}.code`, `must be one of ${ALL_RULE_CODES.join(', ')}, got ${JSON.stringify(e['code'])}`);
      if (e['migration'] !== null && typeof e['migration'] !== 'string') fail(`${where}.migration`, 'must be a string or null');
      if (typeof e['span'] !== 'string') fail(`${where}.span`, 'must be a string');
      if (typeof e['source'] !== 'string') fail(`${where}.source`, 'must be a string');
      if (!Number.isInteger(e['occurrence']) || (e['occurrence'] as number) < 0) fail(`${where}.occurrence`, 'must be a non-negative integer');
      entries.push({ path: p, code: e['code'] as RuleCode, migration: e['migration'] as string | null, span: e['span'] as string, source: e['source'] as string, occurrence: e['occurrence'] as number });
    });
  }
  return { version: BASELINE_VERSION, command: typeof root['command'] === 'string' ? root['command'] : '', entries };
}

export interface BaselineComparison<F> {
  /** Findings the baseline holds: not reported. */
  known: F[];
  /** Findings the baseline does not hold. */
  new: F[];
  /** Baseline entries nothing matches any more: usages that went away. */
  fixed: BaselineEntry[];
}

/**
 * Matches current findings (each with its fingerprint) against baseline entries, by count: for each fingerprint,
 * as many findings are known as the baseline has entries; then leftovers are matched on file, code, migration and
 * span alone. `entries` should be only those the run could have reproduced (same scope, same rules enabled).
 */
export function compareWithBaseline<F>(current: readonly { finding: F; entry: BaselineEntry }[], entries: readonly BaselineEntry[]): BaselineComparison<F> {
  const isKnown = new Array<boolean>(current.length).fill(false);
  let left = [...entries].sort(compareEntries);
  for (const keyFn of [keyOf, looseKeyOf]) {
    const pool = new Map<string, BaselineEntry[]>();
    for (const e of left) {
      const k = keyFn(e);
      const list = pool.get(k) ?? [];
      list.push(e);
      pool.set(k, list);
    }
    const order = current.map((_, i) => i).filter((i) => !isKnown[i]).sort((a, b) => current[a]!.entry.occurrence - current[b]!.entry.occurrence || a - b);
    for (const i of order) {
      const list = pool.get(keyFn(current[i]!.entry));
      if (!list || list.length === 0) continue;
      list.shift();
      isKnown[i] = true;
    }
    left = [...pool.values()].flat().sort(compareEntries);
  }
  return {
    known: current.filter((_, i) => isKnown[i]).map((c) => c.finding),
    new: current.filter((_, i) => !isKnown[i]).map((c) => c.finding),
    fixed: left,
  };
}
