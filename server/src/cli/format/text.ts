/**
 * Concise human output, modelled on Ruff's:
 *
 *     config.toml:3:1: error: unknown rule `MIG999`
 *     src/app.py:4:8: MIG002 [*] Import `Foo` from `pkg.models` ...
 *
 *        12  MIG002  non-canonical-import
 *         3  MIG004  deprecated-call
 *     production 12 · tests 3
 *     Found 15 findings (12 fixable with `migration-lens fix`, 3 more with `--unsafe`).
 */
import { plural } from '../../core/format.js';
import type { Severity } from '../../core/types.js';
import { countBy, DEFAULT_FIX_COMMAND, displayConfigPath, type CheckResult } from './types.js';

export interface TextFormatOptions {
  /** Emit ANSI colors (the caller decides: TTY, NO_COLOR, FORCE_COLOR...). */
  color: boolean;
}

const ANSI = {
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;

type Style = keyof Omit<typeof ANSI, 'reset'>;

function painter(color: boolean): (text: string, ...styles: Style[]) => string {
  if (!color) return (text) => text;
  return (text, ...styles) => (styles.length === 0 ? text : styles.map((s) => ANSI[s]).join('') + text + ANSI.reset);
}

function severityStyle(severity: Severity): Style {
  switch (severity) {
    case 'error':
      return 'red';
    case 'warning':
      return 'yellow';
    case 'info':
    case 'hint':
      return 'cyan';
  }
}

export function formatText(result: CheckResult, opts: TextFormatOptions): string {
  const paint = painter(opts.color);
  const lines: string[] = [];

  // Problems first: things that kept the check from being complete or correct.
  for (const diag of result.configDiagnostics) {
    const p = displayConfigPath(result.root, diag.path);
    const where = `${p}:${diag.range.start.line + 1}:${diag.range.start.column + 1}:`;
    const label = diag.severity === 'error' ? paint('error:', 'bold', 'red') : paint('warning:', 'bold', 'yellow');
    lines.push(`${paint(where, 'bold')} ${label} ${diag.message}`);
  }
  for (const problem of result.problems) {
    const line = (problem.range?.start.line ?? 0) + 1;
    const column = (problem.range?.start.column ?? 0) + 1;
    lines.push(`${paint(`${problem.path}:${line}:${column}:`, 'bold')} ${paint('error:', 'bold', 'red')} ${problem.message}`);
  }

  for (const f of result.findings) {
    const where = `${f.path}:${f.range.start.line + 1}:${f.range.start.column + 1}:`;
    const marker = f.fix?.safety === 'safe' ? ' [*]' : '';
    lines.push(`${paint(where, 'bold')} ${paint(f.code, 'bold', severityStyle(f.severity))}${marker} ${f.message}`);
  }

  const findings = result.findings;
  if (lines.length > 0) lines.push('');

  if (findings.length > 0) {
    // Counts by code, aligned on the widest count.
    const ruleNames = new Map<string, string>();
    for (const r of result.rules) ruleNames.set(r.code, r.name);
    for (const f of findings) if (!ruleNames.has(f.code)) ruleNames.set(f.code, f.rule);
    const byCode = countBy(findings, (f) => f.code);
    const width = Math.max(...byCode.map(([, n]) => String(n).length));
    for (const [code, n] of byCode) {
      lines.push(`   ${String(n).padStart(width)}  ${code}  ${ruleNames.get(code) ?? ''}`.trimEnd());
    }
    lines.push(countBy(findings, (f) => f.category).map(([category, n]) => `${category} ${n}`).join(' · '));

    const safe = findings.filter((f) => f.fix?.safety === 'safe').length;
    const unsafe = findings.filter((f) => f.fix?.safety === 'unsafe').length;
    const fixCommand = result.fixCommand ?? DEFAULT_FIX_COMMAND;
    let fixable = '';
    if (safe > 0 && unsafe > 0) fixable = ` (${safe} fixable with \`${fixCommand}\`, ${unsafe} more with \`--unsafe\`)`;
    else if (safe > 0) fixable = ` (${safe} fixable with \`${fixCommand}\`)`;
    else if (unsafe > 0) fixable = ` (${unsafe} fixable with \`${fixCommand} --unsafe\`)`;
    lines.push(`Found ${plural(findings.length, 'finding')}${fixable}.`);
  }

  const notAnalyzed = new Set(result.problems.map((p) => p.path)).size;
  const configErrors = result.configDiagnostics.filter((d) => d.severity === 'error').length;
  if (findings.length === 0) lines.push(notAnalyzed === 0 && configErrors === 0 ? 'All checks passed!' : 'No findings.');
  if (notAnalyzed > 0) lines.push(`${plural(notAnalyzed, 'file')} could not be analyzed.`);
  if (configErrors > 0) lines.push(`${plural(configErrors, 'configuration error')}.`);
  return lines.join('\n') + '\n';
}
