import { loadStdlibCatalog, type StdlibCatalog } from './catalog/stdlib.js';
import type { Config } from './config/types.js';
import type { FileView } from './fixes/imports.js';
import { MigrationModel } from './migrations/model.js';
import { addRequest, focusKey, Project, type FocusRequest, type ProjectFile } from './project/project.js';
import { RULES } from './rules/index.js';
import type { Draft, Rule } from './rules/rule.js';
import { LineIndex, comparePositions, compareStrings } from './text.js';
import type { ConfigDiagnostic, Finding, RuleCode } from './types.js';
import { blankedSpells, focusCovers, focusItems } from './workspace/focus.js';
import { compileGlobs } from './workspace/globs.js';

/** Text of a file as the analyzer should see it (editor buffer or disk); null when unavailable. */
export type TextProvider = (file: ProjectFile) => string | null;

export interface AnalyzerOptions {
  config: Config;
  texts: TextProvider;
  /** Replace the config's `select` (command line). */
  select?: string[] | null;
  /** Added to the config's `ignore` (command line). */
  ignore?: string[];
  catalog?: StdlibCatalog;
}

function matchesAny(code: RuleCode, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => code.startsWith(p.toUpperCase()));
}

let sharedCatalog: StdlibCatalog | null = null;

/**
 * Runs the rules over a Project. One instance serves a one-shot CLI run and an editor session alike:
 * `checkFile` answers for one file using cached workspace-wide tables, which are rebuilt only when
 * something another file can observe has changed.
 */
export class Analyzer {
  readonly project = new Project();
  readonly catalog: StdlibCatalog;
  private modelCache: { generation: number; model: MigrationModel } | null = null;
  private projectCache: { generation: number; workspaceRevision: number; byPath: Map<string, Finding[]> } | null = null;
  private readonly enabledRules: Rule[];
  /** ProjectFile objects are replaced on every change, so identity is the file's version. */
  private readonly fileCache = new WeakMap<ProjectFile, { generation: number; findings: Finding[]; focusLost: boolean }>();

  constructor(private readonly opts: AnalyzerOptions) {
    this.catalog = opts.catalog ?? (sharedCatalog ??= loadStdlibCatalog());
    const select = opts.select ?? opts.config.select;
    const ignore = [...opts.config.ignore, ...(opts.ignore ?? [])];
    this.enabledRules = RULES.filter((r) => (select === null || matchesAny(r.code, select)) && !matchesAny(r.code, ignore));
  }

  get config(): Config {
    return this.opts.config;
  }

  /** The text the analyzer sees for a file (editor buffer or disk) by root-relative path; null when unavailable. */
  textAt(relPath: string): string | null {
    const file = this.project.file(relPath);
    return file ? this.opts.texts(file) : null;
  }

  /** Rules this analyzer runs (config `select`/`ignore` plus the command line's). */
  get enabledCodes(): ReadonlySet<RuleCode> {
    return new Set(this.enabledRules.map((r) => r.code));
  }

  model(): MigrationModel {
    const generation = this.project.generation;
    if (this.modelCache?.generation !== generation) {
      this.modelCache = { generation, model: new MigrationModel(this.project, this.opts.config, this.catalog) };
    }
    return this.modelCache.model;
  }

  /** Config values that do not resolve in the workspace (dotted paths), with their position in the config file. */
  configDiagnostics(): ConfigDiagnostic[] {
    return this.model().diagnostics;
  }

  /** Findings located in one file, sorted by position. */
  checkFile(relPath: string): Finding[] {
    const file = this.project.file(relPath);
    if (!file) return [];
    return sortFindings([...this.fileFindings(file), ...(this.projectFindings().get(relPath) ?? [])]);
  }

  /**
   * Findings of the per-file rules, cached per file version and model generation: a file whose facts and whose
   * dependencies' exports did not change is not checked again (an editor session re-checks only what changed).
   */
  private fileFindings(file: ProjectFile): Finding[] {
    return this.fileResult(file).findings;
  }

  private fileResult(file: ProjectFile): { findings: Finding[]; focusLost: boolean } {
    const generation = this.project.generation;
    const cached = this.fileCache.get(file);
    if (cached?.generation === generation) return cached;
    const result = { generation, ...this.runFileRules(file) };
    this.fileCache.set(file, result);
    return result;
  }

  private runFileRules(file: ProjectFile): { findings: Finding[]; focusLost: boolean } {
    const model = this.model();
    const findings: Finding[] = [];
    let view: FileView | null | undefined;
    let text: string | null = null;
    const getView = (): FileView | null => {
      if (view === undefined) {
        // Outline facts are approximate: no fixes are built from them (the file is parsed before anything is reported),
        // unless a focused parse made the refs its findings are about exact (workspace/focus.ts).
        text = file.facts.syntaxError || file.opaque || (file.outline && !file.focus) ? null : this.opts.texts(file);
        view = text === null ? null : { facts: file.facts, index: new LineIndex(text), ...(file.focus ? { unboundAnswers: new Set<string>() } : {}) };
      }
      return view;
    };
    for (const rule of this.enabledRules) {
      if (!rule.checkFile || !this.enabledFor(rule.code, file)) continue;
      rule.checkFile({
        file,
        project: this.project,
        model,
        config: this.opts.config,
        view: getView,
        report: (draft) => this.emit(findings, rule, file, draft),
      });
    }
    // A fix was told the file does not bind a name a blanked statement spells: only a full parse can vouch for that.
    const queries = view?.unboundAnswers;
    const focusLost = !!(file.focus && queries?.size && text !== null && blankedSpells(file.focus, text, queries));
    return { findings, focusLost };
  }

  /** Findings of every file accepted by `filter`, sorted by path then position. */
  checkAll(filter: (file: ProjectFile) => boolean = () => true): Finding[] {
    const out: Finding[] = [];
    const files = [...this.project.allFiles()].filter(filter).sort((a, b) => compareStrings(a.relPath, b.relPath));
    for (const file of files) out.push(...this.checkFile(file.relPath));
    return out;
  }

  /**
   * Findings of the workspace-wide rules, recomputed only when something they read changed (Project.workspaceRevision;
   * the model with the generation): a keystroke in a function body reuses them.
   */
  private projectFindings(): Map<string, Finding[]> {
    const { generation, workspaceRevision } = this.project;
    const cached = this.projectCache;
    if (cached?.generation === generation && cached.workspaceRevision === workspaceRevision) return cached.byPath;
    const byPath = new Map<string, Finding[]>();
    const model = this.model();
    for (const rule of this.enabledRules) {
      if (!rule.checkProject) continue;
      rule.checkProject({
        project: this.project,
        model,
        config: this.opts.config,
        report: (file, draft) => {
          if (!this.enabledFor(rule.code, file)) return;
          const list = byPath.get(file.relPath) ?? [];
          this.emit(list, rule, file, draft);
          byPath.set(file.relPath, list);
        },
      });
    }
    this.projectCache = { generation, workspaceRevision, byPath };
    return byPath;
  }

  /**
   * Outline files to replace by parsed ones because that could change a result (workspace/load.ts parses them until
   * none is left). In scope with a finding of a rule that reads approximate facts — outline refs over-approximate, so a
   * file whose real refs hold a finding has one in its outline too, while imports, bindings and definitions are exact,
   * so other files' results do not move; Rule.outlineExact rules read only exact facts —, or named by a rule as
   * sensitive to approximate facts (Rule.outlineSensitive). The workspace-wide rules run here only when one of them
   * is not outlineExact: a parse changes their inputs, so they would run again anyway.
   */
  outlineFilesToParse(): ProjectFile[] {
    return this.outlineFilesToRefine().map((n) => n.file);
  }

  /**
   * The same, each with what a focused parse (workspace/focus.ts) would have to make exact to settle it, or null
   * when only a full parse will do: a finding of a workspace-wide rule or one on no import item, or a focus that no
   * longer holds. A focused file whose focus holds is not listed.
   */
  outlineFilesToRefine(): { file: ProjectFile; request: FocusRequest | null }[] {
    const outline = [...this.project.allFiles()].filter((f) => f.outline);
    if (!outline.length) return [];
    const ctx = { project: this.project, model: this.model(), config: this.opts.config };
    const needed = new Map<ProjectFile, FocusRequest | null>();
    // A focused file is not focused again: what its focus lacks takes a full parse.
    const need = (file: ProjectFile, request: FocusRequest | null): void => addRequest(needed, file, file.focus ? null : request);
    for (const rule of this.enabledRules) {
      for (const { file, refs, names } of rule.outlineSensitive?.(ctx, outline) ?? []) {
        need(file, refs || names ? { items: new Set((refs ?? []).map((r) => focusKey(r.stmt, r.item))), chains: new Map(), names: new Set(names) } : null);
      }
    }
    const approximate = new Set(this.enabledRules.filter((r) => !r.outlineExact).map((r) => r.code));
    for (const file of outline) {
      if (!file.inScope) continue;
      const { findings, focusLost } = this.fileResult(file);
      const inexact = findings.filter((f) => approximate.has(f.code));
      if (!inexact.length) continue;
      if (file.focus && !focusLost && focusCovers(file.focus, file.facts, inexact)) continue;
      need(file, focusItems(file.facts, inexact));
    }
    if (this.enabledRules.some((r) => r.checkProject && approximate.has(r.code))) {
      for (const [path, findings] of this.projectFindings()) {
        const file = this.project.file(path)!;
        if (file.outline && file.inScope && findings.some((f) => approximate.has(f.code))) need(file, null);
      }
    }
    return [...needed].map(([file, request]) => ({ file, request }));
  }

  private enabledFor(code: RuleCode, file: ProjectFile): boolean {
    for (const { pattern, codes } of this.opts.config.perFileIgnores) {
      if (matchesAny(code, codes) && compileGlobs([pattern]).matchesPathOrAncestor(file.relPath)) return false;
    }
    return true;
  }

  private emit(out: Finding[], rule: Rule, file: ProjectFile, draft: Draft): void {
    if (isSuppressed(file, rule.code, draft)) return;
    const finding: Finding = {
      code: rule.code,
      rule: rule.name,
      severity: this.opts.config.severity[rule.code] ?? draft.severity ?? rule.defaultSeverity,
      message: draft.message,
      path: file.relPath,
      range: draft.range,
      category: file.category,
      fix: draft.fix ?? null,
      tags: draft.tags ?? [],
      related: draft.related ?? [],
    };
    if (draft.migration) finding.migration = draft.migration;
    // The same rule at the same place once (e.g. an alias reached twice through one chain).
    if (out.some((f) => f.code === finding.code && comparePositions(f.range.start, finding.range.start) === 0 && f.message === finding.message)) return;
    out.push(finding);
  }
}

/** `# migration-lens: ignore[CODE]` (or a bare `ignore`) on the first or last line of the finding. */
function isSuppressed(file: ProjectFile, code: RuleCode, draft: Draft): boolean {
  for (const [line, codes] of file.facts.suppressions) {
    if (line !== draft.range.start.line && line !== draft.range.end.line) continue;
    if (codes.length === 0 || codes.some((c) => code.startsWith(c))) return true;
  }
  return false;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => compareStrings(a.path, b.path) || comparePositions(a.range.start, b.range.start) || compareStrings(a.code, b.code),
  );
}
