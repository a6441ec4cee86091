import type { ApiReport } from '../api/index.js';
import type { GroupStatus, RuleStatus } from '../status/status.js';

/**
 * The stability report as data (`report --format json`); the Markdown is rendered from this and nothing else.
 * Every section says how to reproduce it (`command`) and whether it was checked at all: a section that was not
 * computed is `{ checked: false, reason }`, never an empty list that would read as "no problems".
 */

export const REPORT_VERSION = 1;

export type Verdict = 'STABLE' | 'AT RISK' | 'BREAKING';

export interface NotChecked {
  checked: false;
  reason: string;
}

/** A place in the workspace, 1-based line and column for people (the JSON of `check` is 0-based like LSP). */
export interface Site {
  path: string;
  line: number;
  column: number;
  /** The source line, trimmed (empty when the text is unavailable). */
  text: string;
}

export interface VerdictReason {
  level: Exclude<Verdict, 'STABLE'>;
  /** Which rule of the verdict fired (see verdict.ts), e.g. `unresolved-imports`. */
  rule: string;
  message: string;
}

export interface RevisionInfo {
  /** What the user asked for (`HEAD~10`), null for the work tree. */
  rev: string | null;
  /** Full commit hash; for the work tree, the commit it is based on (null outside git). */
  commit: string | null;
  subject: string | null;
}

export interface UsageSite extends Site {
  code: string;
  migration: string | null;
  message: string;
}

export interface CategoryUsages {
  category: string;
  count: number;
  sites: UsageSite[];
}

export interface ImportIntegrity {
  checked: true;
  command: string;
  /** Import items whose top-level module lives in the workspace (the ones that can be verified). */
  workspaceImports: number;
  unresolved: (Site & { message: string; new: boolean | null })[];
  /** Config `required` entries; null when the config lists none. */
  required: RequiredImport[] | null;
}

export interface RequiredImport {
  name: string;
  status: 'ok' | 'missing' | 'unknowable';
  /** Where it resolves now (origin definition or module file). */
  resolvesTo: string | null;
  location: { path: string; line: number } | null;
  /** At base: 'ok' / 'missing' / 'unknowable', null without a base. */
  baseStatus: RequiredImport['status'] | null;
}

export interface CycleInfo {
  modules: string[];
  /** The import that starts it, as `check --select MIG005` reports it. */
  site: Site | null;
  /** Not present at base (null without a base). */
  new: boolean | null;
}

export interface ImportCycles {
  checked: true;
  command: string;
  now: CycleInfo[];
  /** Cycles of the base revision that are gone now (empty without a base). */
  resolved: { modules: string[] }[];
}

export interface ShimInfo {
  module: string;
  path: string;
  line: number;
  /** Workspace files that import it (any form). */
  importers: number;
  /** No workspace user left (MIG007). */
  removable: boolean;
  /** Names it re-exports and where each resolves now; `sameAsBase` compares with the base revision. */
  reexports: { name: string; resolvesTo: string | null; sameAsBase: boolean | null }[];
}

export interface AliasInfo {
  name: string;
  module: string;
  path: string;
  line: number;
  /** The canonical name users should move to. */
  canonical: string;
  /** Origin key it resolves to now. */
  resolvesTo: string;
  /** Whether it resolved to the same origin at base (null without a base, or when it did not exist there). */
  sameAsBase: boolean | null;
  removable: boolean;
}

export interface Compatibility {
  checked: true;
  command: string;
  shims: ShimInfo[];
  aliases: AliasInfo[];
}

export interface MigrationSummary {
  id: string;
  title: string;
  remaining: number;
  migrated: number;
  compliance: number | null;
  files: number;
  /** At base (null without a base or when the migration did not exist there). */
  base: { remaining: number; migrated: number; compliance: number | null } | null;
  categories: GroupStatus['categories'];
}

export interface ComplianceSection {
  command: string;
  now: { remaining: number; migrated: number; compliance: number | null };
  base: { remaining: number; migrated: number; compliance: number | null } | NotChecked;
}

export interface ChangedFile {
  status: 'added' | 'modified' | 'deleted';
  path: string;
}

export interface NextStep {
  migration: string;
  title: string;
  remaining: number;
  files: number;
  /** Usages a safe fix can rewrite (`migration-lens fix`). */
  fixable: number;
  command: string;
  /** The files with the most remaining usages, most first (up to 5). */
  topFiles: { path: string; remaining: number }[];
}

export interface StabilityReport {
  version: typeof REPORT_VERSION;
  tool: { name: 'migration-lens'; version: string };
  generatedAt: string;
  project: { name: string; configPath: string | null; files: number; problems: { path: string; kind: string; message: string }[] };
  now: RevisionInfo;
  base: RevisionInfo | null;
  verdict: { verdict: Verdict; reasons: VerdictReason[] };
  commands: { report: string; status: string; check: string };
  migrations: { command: string; items: MigrationSummary[] };
  rules: RuleStatus[];
  remaining: { command: string; total: number; categories: CategoryUsages[] };
  imports: ImportIntegrity;
  cycles: ImportCycles;
  compatibility: Compatibility;
  breakingChanges: (ApiReport & { checked: true; command: string }) | NotChecked;
  compliance: ComplianceSection;
  changedFiles: { checked: true; command: string; files: ChangedFile[] } | NotChecked;
  nextSteps: NextStep[];
}
