import type { FileFacts } from '../python/facts.js';
import type { Analyzer } from '../analyzer.js';
import type { ProjectFile } from '../project/project.js';
import type { SourceFile } from '../workspace/discover.js';
import type { Finding, FixSafety } from '../types.js';
import { applyEdits, selectFixes } from './edits.js';

export interface FixOutcome {
  /** absPath → original and final text of every file that changed. */
  changed: Map<string, { relPath: string; before: string; after: string }>;
  /** Number of findings whose fix was applied. */
  applied: number;
  appliedByCode: Map<string, number>;
  /** Files whose fixes were refused, and why. */
  refused: { path: string; reason: string }[];
  rounds: number;
}

const MAX_ROUNDS = 10;

/** What fixing needs from a workspace: the CLI's one-shot Workspace and the language server's live one both fit. */
export interface FixableWorkspace {
  files: readonly SourceFile[];
  analyzer: Analyzer;
  /** Text to fix, or null when the file must not be rewritten (unreadable, not UTF-8). */
  textOf(file: ProjectFile): string | null;
  /** Re-analyzes a file with new text (in memory: fixing never writes). */
  update(file: SourceFile, text: string): ProjectFile;
}

/** Why the result of a round must not be kept: it no longer parses, or it reads a name nothing binds. */
function refusal(before: FileFacts, after: FileFacts): string | null {
  if (after.syntaxError) return `fixes would produce a syntax error at line ${after.syntaxError.start.line + 1}`;
  const known = new Set(before.unboundNames);
  const broken = after.unboundNames.filter((n) => !known.has(n));
  return broken.length ? `fixes would leave ${broken.map((n) => `\`${n}\``).join(', ')} undefined` : null;
}

/**
 * Applies fixes to every in-scope file until nothing more applies: one round takes each file's non-overlapping
 * fixes, re-analyzes the changed files (fixes can unblock or change each other, e.g. across imports), and goes
 * again. A round whose result no longer parses is refused for that file, so fixes never break code.
 * Nothing is written: the caller decides (write, or print a diff).
 */
export function fixWorkspace(ws: FixableWorkspace, opts: { unsafe: boolean; filter?: (relPath: string) => boolean }): FixOutcome {
  const allowed = (s: FixSafety): boolean => s === 'safe' || opts.unsafe;
  const outcome: FixOutcome = { changed: new Map(), applied: 0, appliedByCode: new Map(), refused: [], rounds: 0 };
  const sources = new Map<string, SourceFile>(ws.files.map((f) => [f.relPath, f]));
  const refused = new Set<string>();
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const byFile = new Map<string, Finding[]>();
    for (const f of ws.analyzer.checkAll((file) => file.inScope && !refused.has(file.relPath) && (opts.filter?.(file.relPath) ?? true))) {
      if (!f.fix || !allowed(f.fix.safety)) continue;
      const list = byFile.get(f.path) ?? [];
      list.push(f);
      byFile.set(f.path, list);
    }
    if (!byFile.size) break;
    outcome.rounds = round;
    let progressed = false;
    for (const [relPath, findings] of byFile) {
      const file = ws.analyzer.project.file(relPath)!;
      const source = sources.get(relPath)!;
      const text = ws.textOf(file);
      if (text === null) continue;
      const { edits, applied } = selectFixes(text, findings.map((f) => f.fix!), allowed);
      if (!edits.length) continue;
      const next = applyEdits(text, edits);
      if (next === text) continue;
      const updated = ws.update(source, next);
      const reason = refusal(file.facts, updated.facts);
      if (reason) {
        ws.update(source, text);
        refused.add(relPath);
        outcome.refused.push({ path: relPath, reason: `${reason}; left unchanged (please report this)` });
        continue;
      }
      const entry = outcome.changed.get(source.absPath);
      outcome.changed.set(source.absPath, { relPath, before: entry?.before ?? text, after: next });
      const appliedFixes = new Set(applied);
      for (const f of findings) {
        if (!appliedFixes.has(f.fix!)) continue;
        outcome.applied++;
        outcome.appliedByCode.set(f.code, (outcome.appliedByCode.get(f.code) ?? 0) + 1);
      }
      progressed = true;
    }
    if (!progressed) break;
  }
  return outcome;
}
