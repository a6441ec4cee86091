import type { Project } from '../project/project.js';
import type { Rule } from './rule.js';

/** How many places outside `module` import it (any form), so a shim with zero can go. */
function moduleUsers(project: Project): Map<string, number> {
  const users = new Map<string, number>();
  const bump = (m: string): void => void users.set(m, (users.get(m) ?? 0) + 1);
  for (const file of project.allFiles()) {
    for (const stmt of file.facts.imports) {
      if (stmt.kind === 'import') {
        for (const item of stmt.items) {
          const parts = item.name.split('.');
          for (let i = 1; i <= parts.length; i++) if (parts.slice(0, i).join('.') !== file.module) bump(parts.slice(0, i).join('.'));
        }
      } else if (stmt.absModule !== null && stmt.absModule !== file.module) {
        bump(stmt.absModule);
        for (const item of stmt.items) bump(`${stmt.absModule}.${item.name}`);
      }
    }
  }
  return users;
}

/** Uses of `module.name` from other files: imports that pass through it and `module.name` attribute reads. */
function aliasUsers(project: Project): Set<string> {
  const used = new Set<string>();
  for (const file of project.allFiles()) {
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind !== 'from' || stmt.absModule === null) return;
      stmt.items.forEach((item, i) => {
        used.add(`${stmt.absModule}.${item.name}`);
        const t = project.resolveImportItem(file, s, i);
        for (const hop of t.hops) used.add(`${hop.module}.${hop.name}`);
      });
    });
    for (const ref of file.facts.refs) {
      if (!ref.chain.length) continue;
      const base = project.resolveImportItem(file, ref.stmt, ref.item);
      if (base.kind === 'module') used.add(`${base.module}.${ref.chain[0]}`);
    }
  }
  return used;
}

export const removableShim: Rule = {
  code: 'MIG007',
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
    const users = moduleUsers(project);
    for (const legacy of model.modules.values()) {
      if (legacy.source !== 'legacy' || !legacy.definition) continue;
      if ((users.get(legacy.module) ?? 0) > 0) continue;
      const file = project.moduleFile(legacy.module);
      if (!file) continue;
      ctx.report(file, {
        range: legacy.definition.range,
        message: `legacy module \`${legacy.module}\` has no remaining users in the workspace and can be deleted`,
        migration: legacy.migration,
        tags: ['unnecessary'],
      });
    }
    if (!model.aliases.length) return;
    const used = aliasUsers(project);
    for (const alias of model.aliases) {
      if (!alias.removable) continue;
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
