import { applicability, catalogMessage, type StdlibCatalog, type StdlibFixKind } from '../catalog/stdlib.js';
import type { Config, ConfigSpan } from '../config/types.js';
import { primaryBinding, targetKey, type Project, type Target } from '../project/project.js';
import type { ConfigDiagnostic, Range, Severity } from '../types.js';

/**
 * Every migration the rules know about, from three sources merged into one table keyed by origin:
 * the configuration (deprecated symbols, canonical homes), what the code itself says (legacy modules that
 * warn on import, `@deprecated` definitions, compatibility aliases) and the built-in stdlib catalog.
 * Rebuilt only when some file's exports change (Project.generation).
 */

export interface Location {
  path: string;
  range: Range;
}

export interface DeprecatedSymbol {
  key: string;
  message: string;
  source: 'config' | 'decorator' | 'warn' | 'stdlib';
  /** Where the replacement can be imported from, when one is known and importable by name. */
  replacement: { module: string; name: string; location: Location | null } | null;
  severity: Severity | null;
  fixKind: StdlibFixKind | null;
  migration: string;
  definition: Location | null;
}

export interface DeprecatedModule {
  module: string;
  message: string;
  source: 'legacy' | 'config' | 'stdlib';
  severity: Severity | null;
  migration: string;
  definition: Location | null;
}

export interface CanonicalHome {
  key: string;
  module: string;
  name: string;
  source: 'config' | 'legacy';
  migration: string;
  definition: Location | null;
}

export interface AliasDefinition {
  module: string;
  name: string;
  path: string;
  range: Range;
  originKey: string;
  canonicalName: string;
  /** `Alias = Target`, or a renaming re-export `from m import Target as Alias`. */
  kind: 'assign' | 'reexport';
  /** Deleting it is the end of a migration (an assignment alias, or a re-export in a legacy shim); MIG007 watches these. */
  removable: boolean;
}

/** Naming style, ignoring leading underscores: a compatibility alias keeps its target's style. */
function nameStyle(name: string): 'upper' | 'cap' | 'lower' {
  const n = name.replace(/^_+/, '');
  if (/^[A-Z][A-Z0-9_]+$/.test(n)) return 'upper';
  return /^[A-Z]/.test(n) ? 'cap' : 'lower';
}

export class MigrationModel {
  readonly symbols = new Map<string, DeprecatedSymbol>();
  readonly modules = new Map<string, DeprecatedModule>();
  readonly canonical = new Map<string, CanonicalHome>();
  readonly aliases: AliasDefinition[] = [];
  private readonly aliasKeys = new Set<string>();
  readonly diagnostics: ConfigDiagnostic[] = [];
  /** Configured canonical names by origin key. */
  private readonly configuredNames = new Map<string, string>();
  /** deprecatedModule's answers for modules inside a deprecated one (null: none). */
  private readonly insideDeprecated = new Map<string, DeprecatedModule | null>();

  constructor(
    readonly project: Project,
    readonly config: Config,
    catalog: StdlibCatalog,
  ) {
    this.addCatalog(catalog);
    this.addDiscovered();
    this.addConfigured();
    this.addLegacyCanonicalHomes();
    this.addAliases();
  }

  /** A deprecated module that `module` is, or is inside of. */
  deprecatedModule(module: string): DeprecatedModule | undefined {
    const direct = this.modules.get(module);
    if (direct) return direct;
    // Asked for every import and module ref of every file checked (each keystroke in an editor); the model is immutable.
    let inside = this.insideDeprecated.get(module);
    if (inside === undefined) {
      inside = null;
      const parts = module.split('.');
      for (let i = parts.length - 1; i > 0 && !inside; i--) {
        const m = this.modules.get(parts.slice(0, i).join('.'));
        if (m && m.source !== 'legacy') inside = m;
      }
      this.insideDeprecated.set(module, inside);
    }
    return inside ?? undefined;
  }

  /** Whether `module.name` is a compatibility alias (see addAliases for what qualifies). */
  isAlias(module: string, name: string): boolean {
    return this.aliasKeys.has(`${module}.${name}`);
  }

  /** Whether the canonical name of this origin comes from the configuration. */
  isConfiguredCanonical(key: string): boolean {
    return this.configuredNames.has(key);
  }

  isLegacyModule(module: string | null): boolean {
    return module !== null && this.modules.get(module)?.source === 'legacy';
  }

  /** The name a symbol should be used under: configured, else its own if public, else its first public alias. */
  canonicalName(target: Target): string | null {
    if (target.kind !== 'symbol') return null;
    const key = `${target.module}.${target.name}`;
    const configured = this.configuredNames.get(key);
    if (configured) return configured;
    if (target.name.includes('.')) return null;
    if (!target.name.startsWith('_')) return target.name;
    const file = this.project.moduleFile(target.module);
    if (!file) return null;
    for (const b of file.facts.bindings) {
      if (b.name.startsWith('_') || b.kind !== 'alias') continue;
      const t = this.project.resolveExport(target.module, b.name);
      if (targetKey(t) === key) return b.name;
    }
    return null;
  }

  // ---- sources ----------------------------------------------------------------------------------------

  private addCatalog(catalog: StdlibCatalog): void {
    const target = this.config.targetVersion;
    for (const entry of catalog.modules.values()) {
      const status = applicability(entry, target);
      if (!status) continue;
      this.modules.set(entry.module, {
        module: entry.module,
        message: catalogMessage(entry, target),
        source: 'stdlib',
        severity: status.severity,
        migration: `stdlib:${entry.module}`,
        definition: null,
      });
    }
    for (const entry of catalog.symbols.values()) {
      const status = applicability(entry, target);
      if (!status) continue;
      this.symbols.set(entry.symbol, {
        key: entry.symbol,
        message: catalogMessage(entry, target),
        source: 'stdlib',
        replacement: null,
        severity: status.severity,
        fixKind: entry.fix ?? null,
        migration: `stdlib:${entry.symbol}`,
        definition: null,
      });
    }
  }

  private addDiscovered(): void {
    for (const file of this.project.allFiles()) {
      const module = file.module;
      if (!module) continue;
      const warning = file.facts.legacyWarnings[0];
      if (warning) {
        this.modules.set(module, {
          module,
          message: warning.message || this.modules.get(module)?.message || `module \`${module}\` is deprecated`,
          source: 'legacy',
          severity: null,
          migration: `legacy-module:${module}`,
          definition: { path: file.relPath, range: warning.range },
        });
      }
      for (const def of file.facts.definitions) {
        if (!def.deprecation) continue;
        const key = `${module}.${def.qualName}`;
        this.symbols.set(key, {
          key,
          message: def.deprecation.message || `\`${def.qualName}\` is deprecated`,
          source: def.deprecation.via === 'decorator' ? 'decorator' : 'warn',
          replacement: null,
          severity: null,
          fixKind: null,
          migration: `deprecated:${key}`,
          definition: { path: file.relPath, range: def.nameRange },
        });
      }
    }
  }

  /** Resolves a configured dotted path; reports it at `span` when the workspace owns it but it does not exist. */
  private resolveConfigured(dotted: string, span: ConfigSpan | null, what: string): { target: Target; module: string; name: string } | null {
    const resolved = this.project.resolveDotted(dotted);
    if (resolved.target.kind !== 'unresolved') return resolved;
    if (span) {
      this.diagnostics.push({
        path: span.path,
        range: span.range,
        severity: 'error',
        message: `${what} \`${dotted}\` does not resolve in the workspace`,
      });
    }
    return null;
  }

  private addConfigured(): void {
    for (const entry of this.config.deprecated) {
      const resolved = this.resolveConfigured(entry.symbol, entry.symbolSpan, 'deprecated symbol');
      let replacement: DeprecatedSymbol['replacement'] = null;
      if (entry.replacement) {
        const r = this.resolveConfigured(entry.replacement, entry.replacementSpan, 'replacement');
        if (r && r.target.kind !== 'module' && !r.name.includes('.')) {
          replacement = { module: r.module, name: r.name, location: locationOf(r.target) };
        }
      }
      if (!resolved) continue;
      const defaultMessage = `\`${entry.symbol.split('.').pop()}\` is deprecated` + (entry.replacement ? `: use \`${entry.replacement}\`` : '');
      if (resolved.target.kind === 'module') {
        this.modules.set(resolved.target.module, {
          module: resolved.target.module,
          message: entry.message ?? defaultMessage,
          source: 'config',
          severity: null,
          migration: `deprecated:${entry.symbol}`,
          definition: null,
        });
        continue;
      }
      const key = targetKey(resolved.target);
      if (!key) continue;
      this.symbols.set(key, {
        key,
        message: entry.message ?? defaultMessage,
        source: 'config',
        replacement,
        severity: null,
        fixKind: null,
        migration: `deprecated:${entry.symbol}`,
        definition: locationOf(resolved.target),
      });
    }
    for (const entry of this.config.canonical) {
      if (!this.project.hasModule(entry.module)) {
        if (this.project.ownsModule(entry.module) || this.project.size > 0) {
          const span = entry.moduleSpan;
          if (span) this.diagnostics.push({ path: span.path, range: span.range, severity: 'error', message: `canonical module \`${entry.module}\` does not exist in the workspace` });
        }
        continue;
      }
      entry.symbols.forEach((name, i) => {
        const t = this.project.resolveExport(entry.module, name);
        const key = targetKey(t);
        if (t.kind === 'unresolved' || !key) {
          const span = entry.symbolSpans[i];
          if (span) this.diagnostics.push({ path: span.path, range: span.range, severity: 'error', message: `\`${name}\` is not defined in canonical module \`${entry.module}\`` });
          return;
        }
        this.configuredNames.set(key, name);
        this.canonical.set(key, {
          key,
          module: entry.module,
          name,
          source: 'config',
          migration: `canonical:${entry.module}.${name}`,
          definition: locationOf(t),
        });
      });
    }
  }

  /** A legacy shim's re-exports point at their canonical homes: the origin module, under the public name. */
  private addLegacyCanonicalHomes(): void {
    for (const [module, legacy] of this.modules) {
      if (legacy.source !== 'legacy') continue;
      const file = this.project.moduleFile(module);
      if (!file) continue;
      for (const b of file.facts.bindings) {
        if (b.kind !== 'import' && b.kind !== 'alias') continue;
        const t = this.project.resolveExport(module, b.name);
        if (t.kind !== 'symbol' || t.module === module || this.isLegacyModule(t.module)) continue;
        const key = `${t.module}.${t.name}`;
        if (this.canonical.has(key)) continue;
        const name = this.canonicalName(t);
        if (!name) continue;
        this.canonical.set(key, {
          key,
          module: t.module,
          name,
          source: 'legacy',
          migration: `legacy-module:${module}`,
          definition: locationOf(t),
        });
      }
    }
  }

  /**
   * Compatibility aliases discovered in the code. An unconditional module-level `Alias = Target` or renaming
   * `from m import Target as Alias`, where the alias keeps the target's naming style, plus every renaming
   * re-export of a legacy shim. Private names are hooks, not aliases. Platform switches (`getpass = unix_getpass` under `if`) and API spellings in
   * another style (`main = TestProgram`, `BOOL = c_long`) are deliberate names, not leftovers of a migration.
   */
  private addAliases(): void {
    for (const file of this.project.allFiles()) {
      const module = file.module;
      if (!module) continue;
      const legacy = this.isLegacyModule(module);
      for (const b of file.facts.bindings) {
        const stmt = b.kind === 'import' ? file.facts.imports[b.stmt!] : undefined;
        const renamingImport = stmt?.kind === 'from' && stmt.items[b.item!]?.asName !== null;
        if (b.kind !== 'alias' && !renamingImport) continue;
        if (primaryBinding(file.facts.bindings, b.name) !== b) continue;
        const t = this.project.resolveExport(module, b.name);
        if (t.kind !== 'symbol' || (t.defKind !== 'class' && t.defKind !== 'function')) continue;
        const origin = t.name.split('.').pop()!;
        if (origin === b.name) continue;
        // `__lt__ = lt` is a protocol method; `_create_default_https_context = create_default_context` is a private
        // hook meant to be reassigned: neither is a name a migration moves people off.
        if (b.name.startsWith('_') && !legacy) continue;
        if (!legacy && (b.conditional || b.fallback || nameStyle(b.name) !== nameStyle(origin))) continue;
        const canonicalName = this.canonicalName(t);
        if (!canonicalName || canonicalName === b.name) continue;
        const kind = b.kind === 'alias' ? 'assign' : 'reexport';
        this.aliasKeys.add(`${module}.${b.name}`);
        this.aliases.push({
          module,
          name: b.name,
          path: file.relPath,
          range: b.range,
          originKey: `${t.module}.${t.name}`,
          canonicalName,
          kind,
          removable: kind === 'assign' || legacy,
        });
      }
    }
  }

  /** The importable home of a symbol's canonical name. */
  canonicalHome(target: Target): { module: string; name: string; migration: string | null } | null {
    const key = targetKey(target);
    if (!key || target.kind !== 'symbol') return null;
    const home = this.canonical.get(key);
    if (home) return { module: home.module, name: home.name, migration: home.migration };
    const name = this.canonicalName(target);
    return name ? { module: target.module, name, migration: null } : null;
  }
}

export function locationOf(t: Target): Location | null {
  return t.kind === 'symbol' ? { path: t.path, range: t.range } : null;
}
