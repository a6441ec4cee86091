/**
 * The vocabulary shared by every part of the analysis core, the CLI and (later) the language server.
 * Positions are 0-based lines and 0-based UTF-16 columns, like LSP and web-tree-sitter; front ends
 * convert to 1-based at the edge.
 */

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type RuleCode = 'MIG001' | 'MIG002' | 'MIG003' | 'MIG004' | 'MIG005' | 'MIG006' | 'MIG007';
export const ALL_RULE_CODES: readonly RuleCode[] = ['MIG001', 'MIG002', 'MIG003', 'MIG004', 'MIG005', 'MIG006', 'MIG007'];

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export type FixSafety = 'safe' | 'unsafe';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  safety: FixSafety;
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  /** POSIX path relative to the project root. */
  path: string;
  range: Range;
  message: string;
}

export type FindingTag = 'deprecated' | 'unnecessary';

export interface Finding {
  code: RuleCode;
  /** Kebab-case rule name, e.g. `non-canonical-import`. */
  rule: string;
  severity: Severity;
  message: string;
  /** POSIX path relative to the project root. */
  path: string;
  range: Range;
  /** Category from config (`production` when nothing matches). */
  category: string;
  fix: Fix | null;
  tags: FindingTag[];
  related: RelatedLocation[];
  /** Identifier of the migration this finding counts toward (status / compliance), if any. */
  migration?: string;
}

/** A file that could not be (fully) analyzed. The run goes on with everything else. */
export interface FileProblem {
  path: string;
  kind: 'read' | 'encoding' | 'syntax' | 'too-large';
  message: string;
  range?: Range;
}

/** A problem in the configuration file, located precisely so editors can underline it. */
export interface ConfigDiagnostic {
  /** Absolute path of the config file. */
  path: string;
  range: Range;
  message: string;
  severity: 'error' | 'warning';
}

export interface PyVersion {
  major: number;
  minor: number;
}

export function compareVersions(a: PyVersion, b: PyVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(v: PyVersion): string {
  return `${v.major}.${v.minor}`;
}
