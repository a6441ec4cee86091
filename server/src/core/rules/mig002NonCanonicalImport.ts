import { bindsName, moveImportItem, renameReferences, type FileView } from '../fixes/imports.js';
import type { Fix } from '../types.js';
import { importTargets, nonCanonicalHome, type CanonicalHomeForImport } from './chain.js';
import type { Rule } from './rule.js';

/**
 * Imports the same object from its canonical module. When it was imported under an alias without `as`, the
 * canonical name is adopted (and uses renamed) if that name is free in the file; an explicit `as` name is kept.
 */
function canonicalImportFix(view: FileView | null, stmt: number, item: number, home: CanonicalHomeForImport, whole: boolean): Fix | null {
  if (!view) return null;
  const it = view.facts.imports[stmt]!.items[item]!;
  const renames = it.asName === null && home.name !== it.name && !bindsName(view, home.name);
  const local = renames ? home.name : it.local;
  const edits = moveImportItem(view, { stmt, item, module: home.module, name: home.name, local, wholeStatement: whole && !renames });
  if (renames) edits.push(...renameReferences(view.facts, stmt, item, home.name));
  return { safety: 'safe', title: `Import \`${home.name}\` from \`${home.module}\``, edits };
}

export const nonCanonicalImport: Rule = {
  code: 'MIG002',
  name: 'non-canonical-import',
  summary: 'Symbol imported through a legacy module or a path other than its canonical module',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Finds `from m import X` where `X` has a single canonical home and `m` is not it: either `m` is a legacy module ' +
      '(it warns with `DeprecationWarning` at import time and re-exports `X` from its new home), or `X` is listed under ' +
      '`[[canonical]]` in the config and `m` is any other module (a package `__init__`, the implementation module, a compatibility shim). ' +
      'The symbol is followed through every re-export, rename and alias, so `X` is recognised under any path.',
    why:
      'Imports through shims keep the shims alive, hide which module is the single source of truth, and break when the shim is deleted.',
    example:
      'from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\nengine = ExecutionEngine(context)\n\n' +
      '# Use instead:\nfrom netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine\n\nengine = UserExecutionEngine(context)',
    fixSafety:
      'Safe: the import is rewritten to the canonical module and binds the same object under the same local name ' +
      '(an explicit `as` name is kept; a name imported under an alias becomes the canonical name, with its uses renamed, when that name is free in the file, else `as` keeps the old local name). Only the moved name leaves a multi-name import; it joins an existing ' +
      'import from the canonical module when there is one; comments and the file\'s relative or absolute style are kept.',
  },
  checkFile(ctx) {
    const { file, project, model } = ctx;
    if (model.isLegacyModule(file.module)) return; // a shim's own imports are how it redirects (nonCanonicalHome agrees)
    const resolve = importTargets(project, file);
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind !== 'from' || stmt.star || stmt.absModule === null) return;
      const from = stmt.absModule;
      const homes = stmt.items.map((_, i) => nonCanonicalHome(model, file.module, stmt, resolve(s, i)));
      const whole = homes.every((h, i) => h && h.module === homes[0]!.module && h.name === stmt.items[i]!.name);
      stmt.items.forEach((item, i) => {
        const home = homes[i];
        if (!home) return;
        const reason = model.isLegacyModule(from) ? `through legacy module \`${from}\`` : `from \`${from}\``;
        const rename = home.name !== item.name ? ` as \`${home.name}\`` : '';
        ctx.report({
          range: item.nameRange,
          message: `\`${item.name}\` is imported ${reason}; its canonical module is \`${home.module}\`${rename}`,
          migration: home.migration,
          related: home.definition ? [{ ...home.definition, message: `canonical definition in \`${home.module}\`` }] : [],
          fix: canonicalImportFix(ctx.view(), s, i, home, whole),
        });
      });
    });
  },
};
