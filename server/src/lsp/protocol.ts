/**
 * Migration Lens' custom LSP messages, typed once and imported by both the language server and the VS Code
 * client (the same file is bundled into each). These are wire types: plain JSON, URIs as strings, LSP ranges.
 * Core types never go on the wire directly; server/src/lsp/convert.ts maps them here.
 */
import { NotificationType, RequestType, RequestType0, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';

/** Where a project's scan is: background indexing reports `indexed` of `total` files. */
export interface ScanState {
  state: 'indexing' | 'ready';
  indexed: number;
  total: number;
}

/** Counts in one category (production, tests, backup, … from the config). */
export interface CategoryCounts {
  category: string;
  /** Legacy usages still to migrate (findings). */
  remaining: number;
  /** Usages already on the canonical / replacement path. */
  migrated: number;
  /** Files with at least one remaining usage. */
  files: number;
}

/**
 * One line of the status panel: a migration (configured deprecation or canonical symbol, a discovered legacy
 * module or alias, a stdlib deprecation) or, for findings that belong to no migration, a rule.
 */
export interface StatusGroup {
  /** Stable id: the core's migration id, or `rule:MIG00x`. */
  id: string;
  kind: 'migration' | 'rule';
  title: string;
  /** Rule codes whose findings count toward this group. */
  codes: string[];
  remaining: number;
  migrated: number;
  files: number;
  /** migrated / (migrated + remaining), in [0, 1]; null when there is nothing to measure. */
  compliance: number | null;
  categories: CategoryCounts[];
}

export interface RuleCounts {
  code: string;
  name: string;
  remaining: number;
  files: number;
}

export interface ProjectStatus {
  /** Project root as a file URI (the folder holding the config, else the workspace folder). */
  root: string;
  name: string;
  /** The config file in use, or null when running on defaults. */
  configUri: string | null;
  /** The config file has errors; the server runs on the last good config (or defaults). */
  configHasErrors: boolean;
  scan: ScanState;
  /** Python files in scope. */
  files: number;
  /** Files that could not be (fully) analyzed: unreadable, not decodable, too large, syntax errors. */
  problems: number;
  remaining: number;
  migrated: number;
  /** SSOT compliance over every migration: migrated / (migrated + remaining); null when nothing to measure. */
  compliance: number | null;
  groups: StatusGroup[];
  rules: RuleCounts[];
}

export interface StatusSnapshot {
  /** Increases with every change; a client can drop an older snapshot that arrives late. */
  version: number;
  projects: ProjectStatus[];
}

/** Repo-wide status of every project in the workspace. */
export const StatusRequest = new RequestType0<StatusSnapshot, void>('migrationLens/status');

/** Sent whenever the status changes (scan progress, edits, file-system changes); debounced. */
export const StatusChangedNotification = new NotificationType<StatusSnapshot>('migrationLens/statusChanged');

export interface OccurrencesParams {
  /** ProjectStatus.root */
  root: string;
  /** StatusGroup.id */
  group: string;
  /** Only this category; null for all. */
  category: string | null;
}

export interface Occurrence {
  range: Range;
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

export interface FileOccurrences {
  uri: string;
  /** POSIX path relative to the project root. */
  path: string;
  category: string;
  occurrences: Occurrence[];
}

/** The remaining usages behind one panel line, grouped by file (sorted by path, then position). */
export const OccurrencesRequest = new RequestType<OccurrencesParams, FileOccurrences[], void>('migrationLens/occurrences');

export interface FixesParams {
  /** Limit to these files (URIs); all in-scope files of every project when absent. */
  uris?: string[];
  /** Include unsafe fixes. The panel and "Fix All in Workspace" use safe fixes only. */
  unsafe?: boolean;
}

export interface FixesResult {
  /** Versioned for open documents, so an edit computed for an older version is refused by the client. */
  edit: WorkspaceEdit;
  fixes: number;
  files: number;
  byCode: Record<string, number>;
  /** Files whose fixes were withheld because the result would not parse or would leave a name undefined. */
  refused: { uri: string; reason: string }[];
}

/** Computes (does not apply) every fix the workspace or the given files would get, repeating until stable. */
export const FixesRequest = new RequestType<FixesParams, FixesResult, void>('migrationLens/fixes');

export interface ReportParams {
  /** ProjectStatus.root; the first project when absent. */
  root?: string;
  /** Git revision to compare with (`HEAD~10`, a branch, a tag); none: the current state only. */
  base?: string;
}

export interface ReportResult {
  markdown: string;
  /** Suggested file name, relative to the project root. */
  fileName: string;
  verdict: 'STABLE' | 'AT RISK' | 'BREAKING';
}

/** The stability report (the CLI's `report`, same core) computed from the current analysis. */
export const ReportRequest = new RequestType<ReportParams, ReportResult, void>('migrationLens/report');

/** Code-action kind of "fix all safe Migration Lens fixes" (for `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.migrationLens';

/** Settings under `migrationLens.*` that the server reads (workspace/configuration), with their defaults. */
export interface ServerSettings {
  enable: boolean;
  /** Validate open documents as they change, or only when saved. */
  run: 'onType' | 'onSave';
  /** Path of the config file (absolute or relative to the workspace folder); empty to search for it. */
  configPath: string;
  /**
   * Keep the index's facts in .migration-lens-cache/server-facts.bin, so that the next session re-analyzes only the
   * files that changed since.
   */
  cache: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { enable: true, run: 'onType', configPath: '', cache: true };

export interface HistoryParams {
  /** ProjectStatus.root; the first project when absent. */
  root?: string;
  /** How many first-parent commits back from HEAD (1 to 10000); fewer when the history is shorter. */
  count: number;
}

/** One migration at one commit. */
export interface CommitMigration {
  id: string;
  title: string;
  remaining: number;
  migrated: number;
  compliance: number | null;
}

/** The project's status at one commit (measured with today's config, so points are comparable). */
export interface CommitPoint {
  commit: string;
  shortCommit: string;
  /** Commit time, ISO 8601. */
  time: string;
  subject: string;
  files: number;
  remaining: number;
  migrated: number;
  compliance: number | null;
  migrations: CommitMigration[];
  /** Python files of the project the commit changed. */
  changedFiles: number;
}

/**
 * Points oldest → newest, and why there are fewer than asked when the clone is shallow; or, when there is no
 * history to read (not a git repository, git missing), a message for the user.
 */
export type HistoryResponse = { points: CommitPoint[]; truncated: string | null } | { error: string };

/** SSOT compliance at each of the last `count` commits (git's object store; the work tree is not read). Cancellable. */
export const HistoryRequest = new RequestType<HistoryParams, HistoryResponse, void>('migrationLens/history');
