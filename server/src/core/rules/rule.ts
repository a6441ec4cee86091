import type { Config } from '../config/types.js';
import type { FileView } from '../fixes/imports.js';
import type { MigrationModel } from '../migrations/model.js';
import type { Ref } from '../python/facts.js';
import type { Project, ProjectFile } from '../project/project.js';
import type { FindingTag, Fix, Range, RelatedLocation, RuleCode, Severity } from '../types.js';

/** Documentation every rule carries; docs/rules/*.md are generated from it. */
export interface RuleDocs {
  what: string;
  why: string;
  /** Python code showing the pattern (and, after a blank line and `# Use instead:`, the fix). */
  example: string;
  fixSafety: string;
}

/** What a rule reports; the engine adds code, rule name, path, category, severity and suppression. */
export interface Draft {
  range: Range;
  message: string;
  fix?: Fix | null;
  related?: RelatedLocation[];
  /** Overrides the rule's default severity (e.g. a stdlib API already removed in the target is an error). */
  severity?: Severity | null;
  migration?: string | null;
  tags?: FindingTag[];
}

export interface FileContext {
  file: ProjectFile;
  project: Project;
  model: MigrationModel;
  config: Config;
  /** The file's text and facts for building fixes; null when its text cannot be had (fixes are then omitted). */
  view(): FileView | null;
  report(draft: Draft): void;
}

export interface ProjectContext {
  project: Project;
  model: MigrationModel;
  config: Config;
  report(file: ProjectFile, draft: Draft): void;
}

export interface Rule {
  code: RuleCode;
  /** Kebab-case name of the pattern found (not of the fix). */
  name: string;
  summary: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  /**
   * Findings that depend on this file (and what it imports). A finding whose range is a ref's chain up to an
   * attribute (`refRange(ref, k)`, k ≥ 1) is taken to be about that chain only: its fix may edit that use and the
   * imports, never other uses (a focused parse, workspace/focus.ts, vouches for the refs through that attribute
   * alone). A fix that renames every use of an import goes on a finding on the import or on the bare name.
   */
  checkFile?(ctx: FileContext): void;
  /** Findings that depend on the whole workspace (cycles, unused shims). */
  checkProject?(ctx: ProjectContext): void;
  /**
   * Its findings in a file read only what that file's outline holds exactly (imports, module bindings, definitions,
   * `__all__`, suppressions), or approximate facts its outlineSensitive has the check parse: a finding of it in an
   * outline file is the one a parse would give, so it does not make a whole-workspace check parse that file.
   */
  outlineExact?: boolean;
  /**
   * Outline files (ProjectFile.outline: refs over-approximate, no name loads) whose approximate facts could hide one
   * of this rule's project findings; a whole-workspace check parses them (focused on `refs`' import items when exact
   * refs for those would settle it, fully otherwise). Rules that report more, never less, when a file has more refs
   * need none: any finding in an outline file already makes the check parse it.
   */
  outlineSensitive?(ctx: Omit<ProjectContext, 'report'>, outline: readonly ProjectFile[]): OutlineNeed[];
}

export interface OutlineNeed {
  file: ProjectFile;
  /**
   * What exact facts would settle it (a focused parse, workspace/focus.ts, gives them): the exact counterparts of
   * these refs, the exact verdict on whether these module-level names are read. Neither: only a full parse does.
   */
  refs?: readonly Ref[];
  names?: readonly string[];
}
