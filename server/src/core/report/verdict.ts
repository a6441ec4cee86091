import { plural } from '../format.js';
import type { StabilityReport, Verdict, VerdictReason } from './types.js';

/**
 * The verdict, by rules that read only measured sections of the report. Legacy usages that still work through a
 * shim or an alias are the migration's backlog, not instability: they never change the verdict by themselves.
 *
 * BREAKING — something that worked will fail:
 * - `required-missing`: an entry of the config's `required` list does not resolve now.
 * - `unresolved-imports`: a workspace import does not resolve (with a base: only imports broken since the base).
 * - `breaking-api-used`: a breaking API change since the base breaks a call site or import in the workspace.
 *
 * AT RISK — nothing measured is broken inside the workspace, but:
 * - `breaking-api`: breaking API changes since the base that no workspace code uses (users outside may break).
 * - `unresolved-imports-at-base`: unresolved imports that were already broken at the base.
 * - `new-cycles`: import cycles that did not exist at the base (without a base: any import cycle).
 * - `retargeted`: an alias or a shim's re-export resolves to a different object than at the base.
 * - `required-unknowable`: a `required` entry that cannot be verified statically (module `__getattr__`, …).
 * - `regression`: more legacy usages remain than at the base.
 * - `unanalyzed-files`: files that could not be fully analyzed (syntax error, encoding, size): nothing is claimed for them.
 *
 * STABLE — none of the above.
 */
export type VerdictInput = Omit<StabilityReport, 'verdict'>;

export function decideVerdict(report: VerdictInput): { verdict: Verdict; reasons: VerdictReason[] } {
  const reasons: VerdictReason[] = [];
  const add = (level: VerdictReason['level'], rule: string, message: string): void => void reasons.push({ level, rule, message });
  const hasBase = report.base !== null;

  const required = report.imports.required ?? [];
  const missing = required.filter((r) => r.status === 'missing');
  if (missing.length) add('BREAKING', 'required-missing', `${plural(missing.length, 'required import')} no longer resolve${missing.length === 1 ? 's' : ''}: ${missing.map((r) => r.name).join(', ')}`);

  const unresolved = report.imports.unresolved;
  const newlyBroken = hasBase ? unresolved.filter((u) => u.new === true) : unresolved;
  if (newlyBroken.length) add('BREAKING', 'unresolved-imports', `${plural(newlyBroken.length, 'workspace import')} do${newlyBroken.length === 1 ? 'es' : ''} not resolve${hasBase ? ' (broken since the base)' : ''}`);

  const breaking = report.breakingChanges;
  if (breaking.checked) {
    const used = breaking.changes.filter((c) => c.breaking && c.sites.length > 0);
    const unused = breaking.changes.filter((c) => c.breaking && c.sites.length === 0);
    if (used.length) add('BREAKING', 'breaking-api-used', `${plural(used.length, 'breaking API change')} break ${plural(used.reduce((n, c) => n + c.sites.length, 0), 'workspace site')}`);
    if (unused.length) add('AT RISK', 'breaking-api', `${plural(unused.length, 'breaking API change')} with no workspace user: code outside the workspace may break`);
  }

  if (hasBase) {
    const old = unresolved.filter((u) => u.new === false);
    if (old.length) add('AT RISK', 'unresolved-imports-at-base', `${plural(old.length, 'workspace import')} already unresolved at the base still do${old.length === 1 ? 'es' : ''} not resolve`);
  }

  const cycles = hasBase ? report.cycles.now.filter((c) => c.new === true) : report.cycles.now;
  if (cycles.length) add('AT RISK', 'new-cycles', `${plural(cycles.length, 'import cycle')}${hasBase ? ' new since the base' : ''}`);

  const retargeted = [
    ...report.compatibility.aliases.filter((a) => a.sameAsBase === false).map((a) => `${a.module}.${a.name}`),
    ...report.compatibility.shims.flatMap((s) => s.reexports.filter((r) => r.sameAsBase === false).map((r) => `${s.module}.${r.name}`)),
  ];
  if (retargeted.length) add('AT RISK', 'retargeted', `${plural(retargeted.length, 'compatibility name')} now resolve${retargeted.length === 1 ? 's' : ''} to a different object than at the base: ${retargeted.join(', ')}`);

  const unknowable = required.filter((r) => r.status === 'unknowable');
  if (unknowable.length) add('AT RISK', 'required-unknowable', `${plural(unknowable.length, 'required import')} cannot be verified statically: ${unknowable.map((r) => r.name).join(', ')}`);

  const base = report.compliance.base;
  if ('remaining' in base && report.compliance.now.remaining > base.remaining) {
    add('AT RISK', 'regression', `legacy usages grew from ${base.remaining} to ${report.compliance.now.remaining} since the base`);
  }

  if (report.project.problems.length) add('AT RISK', 'unanalyzed-files', `${plural(report.project.problems.length, 'file')} could not be fully analyzed`);

  const verdict: Verdict = reasons.some((r) => r.level === 'BREAKING') ? 'BREAKING' : reasons.length ? 'AT RISK' : 'STABLE';
  return { verdict, reasons };
}
