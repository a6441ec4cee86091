import { bindsName, moveImportItem, renameReferences } from '../fixes/imports.js';
import { targetKey, type Target } from '../project/project.js';
import type { MigrationModel } from '../migrations/model.js';
import { attrRange, refRange } from '../python/facts.js';
import type { Fix, RelatedLocation } from '../types.js';
import { importTargets, lastSegment, nonCanonicalHome } from './chain.js';
import type { FileContext, Rule } from './rule.js';

/** The alias a name reached its origin through: the first hop that renamed it. */
function aliasRelated(t: Target): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  const renaming = t.hops.find((h) => h.via === 'alias' || h.via === 'import');
  if (renaming) out.push({ path: renaming.path, range: renaming.range, message: `alias \`${renaming.name}\` defined here` });
  if (t.kind === 'symbol') out.push({ path: t.path, range: t.range, message: 'origin definition' });
  return out;
}

function isAliasOfDefinition(t: Target, usedName: string): t is Extract<Target, { kind: 'symbol' }> {
  return t.kind === 'symbol' && (t.defKind === 'class' || t.defKind === 'function') && lastSegment(t.name) !== usedName;
}

/** The name was reached through a compatibility alias, or the configuration names another canonical name. */
function viaAlias(model: MigrationModel, t: Extract<Target, { kind: 'symbol' }>): boolean {
  if (model.isConfiguredCanonical(`${t.module}.${t.name}`)) return true;
  // Through a star import the alias is usually one platform's variant (`asyncio` re-exports `*` per platform).
  return !t.hops.some((h) => h.via === 'star') && t.hops.some((h) => model.isAlias(h.module, h.name));
}

export const aliasUsage: Rule = {
  code: 'MIG003',
  name: 'alias-usage',
  summary: 'Compatibility alias used where the canonical name exists',
  defaultSeverity: 'info',
  docs: {
    what:
      'Finds imports and attribute uses of a compatibility alias (`WebSocketManager = UnifiedWebSocketManager`, or a renaming re-export ' +
      '`from m import Target as Alias` in a legacy module) when the aliased class or function has a canonical name: the one configured under ' +
      '`[[canonical]]`, else the origin\'s own name if public, else the first public alias in the origin\'s module ' +
      '(`UnifiedWebSocketManager` for `_UnifiedWebSocketManagerImplementation`).',
    why: 'Several names for one class make code search, review and the eventual removal of the alias harder.',
    example: 'from app.websocket_core.unified_manager import UnifiedWebSocketManager\n\n# Use instead:\nfrom app.websocket_core.websocket_manager import WebSocketManager',
    fixSafety:
      'Safe: the same object is imported under its canonical name; uses in the file are renamed when the canonical name is free in it, ' +
      'otherwise the import keeps the old local name with `as`.',
  },
  checkFile(ctx) {
    const { file, project, model } = ctx;
    const resolve = importTargets(project, file);
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind !== 'from' || stmt.star || stmt.absModule === null) return;
      stmt.items.forEach((item, i) => {
        const t = resolve(s, i);
        if (!isAliasOfDefinition(t, item.name) || file.module === t.module) return;
        // Imported through the wrong module as well: MIG002 reports it once and its fix adopts the canonical name.
        if (nonCanonicalHome(model, file.module, stmt, t) || !viaAlias(model, t)) return;
        const canonical = model.canonicalName(t);
        if (!canonical || canonical === item.name) return;
        const home = model.canonicalHome(t)!;
        // Keep the module when it also exports the canonical name; else import from the canonical home.
        const sameModule = targetKey(project.resolveExport(stmt.absModule!, canonical)) === targetKey(t);
        ctx.report({
          range: item.nameRange,
          message: `\`${item.name}\` is a compatibility alias of \`${canonical}\``,
          tags: ['deprecated'],
          migration: home.migration ?? `alias:${t.module}.${canonical}`,
          related: aliasRelated(t),
          fix: aliasFix(ctx, s, i, sameModule ? stmt.absModule! : home.module, canonical),
        });
      });
    });
    for (const ref of file.facts.refs) {
      if (!ref.chain.length) continue;
      const base = resolve(ref.stmt, ref.item);
      if (base.kind !== 'module' || !base.workspace) continue;
      const t = project.member(base, ref.chain[0]!);
      if (!isAliasOfDefinition(t, ref.chain[0]!) || !viaAlias(model, t)) continue;
      const canonical = model.canonicalName(t);
      if (!canonical || canonical === ref.chain[0]) continue;
      const reexported = targetKey(project.resolveExport(base.module, canonical)) === targetKey(t);
      const fix: Fix | null = reexported ? { safety: 'safe', title: `Use \`${canonical}\``, edits: [{ range: attrRange(ref, 0), newText: canonical }] } : null;
      ctx.report({
        range: refRange(ref, 1),
        message: `\`${ref.chain[0]}\` is a compatibility alias of \`${canonical}\``,
        tags: ['deprecated'],
        migration: model.canonicalHome(t)?.migration ?? `alias:${t.module}.${canonical}`,
        related: aliasRelated(t),
        fix,
      });
    }
  },
};

function aliasFix(ctx: FileContext, stmt: number, item: number, module: string, canonical: string): Fix | null {
  const view = ctx.view();
  if (!view) return null;
  const it = view.facts.imports[stmt]!.items[item]!;
  const renames = it.asName === null && !bindsName(view, canonical);
  const local = renames ? canonical : it.local;
  const edits = moveImportItem(view, { stmt, item, module, name: canonical, local, wholeStatement: false });
  if (renames) edits.push(...renameReferences(view.facts, stmt, item, canonical));
  return { safety: 'safe', title: `Import \`${canonical}\` instead of the alias \`${it.name}\``, edits };
}
