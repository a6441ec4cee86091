import { focusKey, type Project, type ProjectFile } from '../project/project.js';
import type { OutlineNeed, Rule } from './rule.js';

/**
 * The workspace files importing each module, in any form (`import a.b.c` imports `a`, `a.b` and `a.b.c`; `from m
 * import x` imports `m` and, if it is one, the submodule `m.x`); a module's own imports of itself do not count.
 * With `only`, just those modules are counted. A legacy module with none can go; the stability report shows the counts.
 */
export function moduleImporters(project: Project, only?: ReadonlySet<string>): Map<string, Set<string>> {
  const importers = new Map<string, Set<string>>();
  const add = (module: string, file: ProjectFile): void => {
    if (module === file.module || (only && !only.has(module))) return;
    let files = importers.get(module);
    if (!files) importers.set(module, (files = new Set()));
    files.add(file.relPath);
  };
  // With `only`, `from m import x` can import a counted submodule m.x only when m is the parent of one.
  const parents = only && new Set([...only].map((m) => m.slice(0, Math.max(0, m.lastIndexOf('.')))));
  for (const file of project.allFiles()) {
    for (const stmt of file.facts.imports) {
      if (stmt.kind === 'import') {
        for (const item of stmt.items) {
          for (let end = item.name.indexOf('.'); end >= 0; end = item.name.indexOf('.', end + 1)) add(item.name.slice(0, end), file);
          add(item.name, file);
        }
      } else if (stmt.absModule !== null) {
        add(stmt.absModule, file);
        if (!parents || parents.has(stmt.absModule)) for (const item of stmt.items) add(`${stmt.absModule}.${item.name}`, file);
      }
    }
  }
  return importers;
}

/**
 * Uses of `module.name` from other files, for the alias names `names`: imports that pass through it and
 * `module.name` attribute reads (those of other names are not even resolved).
 */
function aliasUsers(project: Project, names: ReadonlySet<string>): Set<string> {
  const used = new Set<string>();
  for (const file of project.allFiles()) {
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind !== 'from' || stmt.absModule === null) return;
      stmt.items.forEach((item, i) => {
        if (names.has(item.name)) used.add(`${stmt.absModule}.${item.name}`);
        const t = project.resolveImportItem(file, s, i);
        for (const hop of t.hops) if (names.has(hop.name)) used.add(`${hop.module}.${hop.name}`);
      });
    });
    for (const ref of file.facts.refs) {
      if (!ref.chain.length || !names.has(ref.chain[0]!)) continue;
      const base = project.resolveImportItem(file, ref.stmt, ref.item);
      if (base.kind === 'module') used.add(`${base.module}.${ref.chain[0]}`);
    }
  }
  return used;
}

export const removableShim: Rule = {
  // An alias counts as used when a ref or name load reads it: an outline file's extra refs (shadowed names) could
  // hide that, and its name loads over-approximate (every read of a module-level name, shadowed or not). So the files
  // whose refs might read a removable alias get exact refs for those imports, and its own module exact loads of its
  // name when it might read it (what a focused parse already made exact is not asked again).
  outlineSensitive({ project, model }, outline) {
    const removable = model.aliases.filter((a) => a.removable);
    if (!removable.length) return [];
    const aliases = new Set(removable.map((a) => `${a.module}.${a.name}`));
    const names = new Set(removable.map((a) => a.name));
    const needs: OutlineNeed[] = [];
    for (const file of outline) {
      const read = removable
        .filter((a) => a.path === file.relPath && file.facts.moduleNameLoads.includes(a.name) && !file.focus?.names.has(a.name))
        .map((a) => a.name);
      const refs = file.facts.refs.filter((ref) => {
        if (!ref.chain.length || !names.has(ref.chain[0]!) || file.focus?.items.has(focusKey(ref.stmt, ref.item))) return false;
        const base = project.resolveImportItem(file, ref.stmt, ref.item);
        return base.kind === 'module' && aliases.has(`${base.module}.${ref.chain[0]}`);
      });
      if (read.length || refs.length) needs.push({ file, refs, names: read });
    }
    return needs;
  },
  code: 'MIG007',
  outlineExact: true,
  name: 'removable-shim',
  summary: 'Legacy module or compatibility alias with no remaining users in the workspace',
  defaultSeverity: 'info',
  docs: {
    what:
      'Finds legacy modules (they warn with `DeprecationWarning` at import time) that no workspace file imports, and ' +
      'compatibility aliases (`Old = New`, or a renaming re-export in a legacy module) that nothing imports or reads — not ' +
      'even the module that defines them.',
    why: 'The end of a migration is deleting the shim. This is the measured signal that it is safe inside the workspace; code outside it (other repositories, plugins) is not visible here.',
    example: '# agent_registry_legacy.py — imported by nobody\nimport warnings\nwarnings.warn("moved to agent_registry", DeprecationWarning)',
    fixSafety: 'No fix: deleting a file or a public name is left to a human, who knows about users outside the workspace.',
  },
  checkProject(ctx) {
    const { project, model } = ctx;
    const legacyModules = [...model.modules.values()].filter((m) => m.source === 'legacy');
    const importers = moduleImporters(project, new Set(legacyModules.map((m) => m.module)));
    for (const legacy of legacyModules) {
      if (!legacy.definition || importers.has(legacy.module)) continue;
      const file = project.moduleFile(legacy.module);
      if (!file) continue;
      ctx.report(file, {
        range: legacy.definition.range,
        message: `legacy module \`${legacy.module}\` has no remaining users in the workspace and can be deleted`,
        migration: legacy.migration,
        tags: ['unnecessary'],
      });
    }
    const removable = model.aliases.filter((a) => a.removable);
    if (!removable.length) return;
    const used = aliasUsers(project, new Set(removable.map((a) => a.name)));
    for (const alias of removable) {
      const file = project.moduleFile(alias.module);
      if (!file || used.has(`${alias.module}.${alias.name}`) || file.facts.moduleNameLoads.includes(alias.name)) continue;
      ctx.report(file, {
        range: alias.range,
        message: `compatibility alias \`${alias.name}\` (for \`${alias.canonicalName}\`) has no remaining users in the workspace and can be deleted`,
        migration: `alias:${alias.module}.${alias.name}`,
        tags: ['unnecessary'],
      });
    }
  },
};
