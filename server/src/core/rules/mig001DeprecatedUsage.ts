import { datetimeFix } from '../fixes/datetime.js';
import { bindsName, moveImportItem, renameReferences } from '../fixes/imports.js';
import type { DeprecatedSymbol } from '../migrations/model.js';
import { refRange } from '../python/facts.js';
import { targetKey } from '../project/project.js';
import type { Fix, RelatedLocation } from '../types.js';
import { chainTargets, importTargets, lastSegment } from './chain.js';
import type { FileContext, Rule } from './rule.js';

function message(symbol: DeprecatedSymbol): string {
  if (symbol.source === 'stdlib' || symbol.source === 'config') return symbol.message;
  return `\`${lastSegment(symbol.key)}\` is deprecated: ${symbol.message}`;
}

function related(symbol: DeprecatedSymbol): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  if (symbol.definition) out.push({ ...symbol.definition, message: 'deprecated definition' });
  if (symbol.replacement?.location) out.push({ ...symbol.replacement.location, message: `replacement \`${symbol.replacement.name}\`` });
  return out;
}

/** Unsafe: swaps the import (and every use bound to it) for the configured replacement, a different object. */
function replacementFix(ctx: FileContext, stmt: number, item: number, symbol: DeprecatedSymbol): Fix | null {
  const view = ctx.view();
  const replacement = symbol.replacement;
  if (!view || !replacement) return null;
  const imp = view.facts.imports[stmt]!;
  if (imp.kind !== 'from' || imp.absModule === null) return null;
  const it = imp.items[item]!;
  const renames = it.asName === null && !bindsName(view, replacement.name);
  const local = renames ? replacement.name : it.local;
  const edits = moveImportItem(view, { stmt, item, module: replacement.module, name: replacement.name, local, wholeStatement: false });
  if (renames) edits.push(...renameReferences(view.facts, stmt, item, replacement.name));
  return { safety: 'unsafe', title: `Replace \`${it.name}\` with \`${replacement.name}\` (a different class or function: review the call sites)`, edits };
}

export const deprecatedUsage: Rule = {
  code: 'MIG001',
  name: 'deprecated-usage',
  summary: 'Use of a deprecated symbol or module',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Finds every use (import, call, instantiation, subclassing, attribute access) of a deprecated symbol or module. ' +
      'Deprecations come from `[[deprecated]]` in the config, from the code itself (`@deprecated(...)` per PEP 702 from ' +
      '`warnings`, `typing_extensions` or the `deprecated` package; a function or `__init__` whose body starts with ' +
      '`warnings.warn(..., DeprecationWarning)`), from modules that warn at import time, and from the built-in catalog ' +
      'of deprecated standard-library APIs (aware of `target-version`). Names are resolved with Python scoping and ' +
      'across re-exports: a shadowing parameter or a method of the same name on another object is not a use.',
    why: 'Deprecated APIs are removed later; each remaining use is work left in the migration and a future breakage.',
    example:
      'from datetime import datetime\n\ncreated = datetime.utcnow()\n\n# Use instead:\nfrom datetime import UTC, datetime\n\ncreated = datetime.now(UTC)',
    fixSafety:
      'Safe for `datetime.utcnow()` → `datetime.now(UTC)` and `datetime.utcfromtimestamp(ts)` → `datetime.fromtimestamp(ts, tz=UTC)` ' +
      '(`timezone.utc` below Python 3.11; the result is timezone-aware, which is the purpose of the migration). ' +
      'Unsafe for a configured `replacement`: the import and every use are switched to a different class or function.',
  },
  checkFile(ctx) {
    const { file, project, model } = ctx;
    const facts = file.facts;
    const resolve = importTargets(project, file);
    facts.imports.forEach((stmt, s) => {
      if (stmt.kind === 'import') {
        for (const item of stmt.items) {
          const dm = model.deprecatedModule(item.name);
          if (dm) ctx.report({ range: item.nameRange, message: dm.message, severity: dm.severity, migration: dm.migration, tags: ['deprecated'], related: dm.definition ? [{ ...dm.definition, message: 'deprecated here' }] : [] });
        }
        return;
      }
      if (stmt.absModule === null) return;
      const dm = model.deprecatedModule(stmt.absModule);
      if (dm && dm.source !== 'legacy' && stmt.moduleRange) {
        ctx.report({ range: stmt.moduleRange, message: dm.message, severity: dm.severity, migration: dm.migration, tags: ['deprecated'] });
      }
      stmt.items.forEach((item, i) => {
        const t = resolve(s, i);
        if (t.kind === 'module') {
          const sub = model.deprecatedModule(t.module);
          if (sub && sub !== dm) ctx.report({ range: item.nameRange, message: sub.message, severity: sub.severity, migration: sub.migration, tags: ['deprecated'] });
          return;
        }
        const key = targetKey(t);
        const symbol = key ? model.symbols.get(key) : undefined;
        if (symbol) {
          ctx.report({ range: item.nameRange, message: message(symbol), severity: symbol.severity, migration: symbol.migration, tags: ['deprecated'], related: related(symbol), fix: replacementFix(ctx, s, i, symbol) });
          return;
        }
        // A name defined by a legacy module itself (not re-exported from elsewhere): MIG002 cannot reroute it.
        if (dm?.source === 'legacy' && t.kind === 'symbol' && t.module === stmt.absModule) {
          ctx.report({ range: item.nameRange, message: `\`${item.name}\` comes from legacy module \`${stmt.absModule}\`: ${dm.message}`, migration: dm.migration, tags: ['deprecated'], related: dm.definition ? [{ ...dm.definition, message: 'deprecated here' }] : [] });
        }
      });
    });
    for (const ref of facts.refs) {
      const base = resolve(ref.stmt, ref.item);
      // Attribute access on a deprecated module (`imp.reload(...)`), or a use of a name from one.
      const dm = base.kind === 'module' ? (ref.chain.length ? model.deprecatedModule(base.module) : undefined) : base.kind === 'external' ? model.deprecatedModule(base.qualname) : undefined;
      if (dm) {
        ctx.report({ range: refRange(ref, base.kind === 'module' ? 1 : 0), message: dm.message, severity: dm.severity, migration: dm.migration, tags: ['deprecated'] });
        continue;
      }
      for (const [k, t] of chainTargets(project, file, ref, base)) {
        const key = t.kind === 'module' ? null : targetKey(t);
        const symbol = key ? model.symbols.get(key) : undefined;
        if (!symbol) continue;
        let fix: Fix | null = null;
        const view = symbol.fixKind ? ctx.view() : null;
        if (view && symbol.fixKind) fix = datetimeFix(view, ref, k, symbol.fixKind, ctx.config.targetVersion);
        else if (k === 0 && symbol.replacement) fix = replacementFix(ctx, ref.stmt, ref.item, symbol);
        ctx.report({ range: refRange(ref, k), message: message(symbol), severity: symbol.severity, migration: symbol.migration, tags: ['deprecated'], related: related(symbol), fix });
        break;
      }
    }
  },
};
