/**
 * GitHub Actions workflow commands, one annotation per line:
 *
 *     ::warning file=src/app.py,line=4,col=8,endLine=4,endColumn=20,title=MIG002 non-canonical-import::message
 *
 * Paths are relative to the project root, which GitHub resolves against the workspace: run the
 * check from the repository root (or with the root at the repository root) for correct links.
 */
import type { Range, Severity } from '../../core/types.js';
import { displayConfigPath, type CheckResult } from './types.js';

type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotationLevel(severity: Severity): AnnotationLevel {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
    case 'hint':
      return 'notice';
  }
}

/** Escapes a command's message (the part after `::`). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`file=`, `title=`...). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: AnnotationLevel, props: Array<[string, string | number]>, message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${level} ${p}::${escapeData(message)}`;
}

function position(range: Range): Array<[string, number]> {
  return [
    ['line', range.start.line + 1],
    ['col', range.start.column + 1],
    ['endLine', range.end.line + 1],
    ['endColumn', range.end.column + 1],
  ];
}

export function formatGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const d of result.configDiagnostics) {
    lines.push(
      command(
        d.severity,
        [['file', displayConfigPath(result.root, d.path)], ...position(d.range), ['title', 'migration-lens configuration']],
        d.message,
      ),
    );
  }
  for (const p of result.problems) {
    const props: Array<[string, string | number]> = [['file', p.path]];
    if (p.range) props.push(...position(p.range));
    props.push(['title', `migration-lens ${p.kind} error`]);
    lines.push(command('error', props, p.message));
  }
  for (const f of result.findings) {
    lines.push(
      command(annotationLevel(f.severity), [['file', f.path], ...position(f.range), ['title', `${f.code} ${f.rule}`]], f.message),
    );
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
