import type { Rule } from './rule.js';

export const unresolvedImport: Rule = {
  code: 'MIG004',
  outlineExact: true,
  name: 'unresolved-import',
  summary: 'Import of a workspace module or name that does not exist',
  defaultSeverity: 'error',
  docs: {
    what:
      'Finds imports of workspace modules that do not exist and of names a workspace module does not define, re-export, ' +
      'star-export or provide as a submodule. Only imports whose top-level package lives in the workspace are checked: ' +
      'third-party and standard-library imports are never reported. Imports inside `try: ... except ImportError:` are ' +
      'expected to fail sometimes and are skipped, as are modules with a module-level `__getattr__` or a dynamic `__all__`, ' +
      'and namespace packages whose other portions may live outside the workspace.',
    why: 'A migration that moves or deletes a module leaves imports that fail only when that code path runs.',
    example: 'from netra_backend.app.services.missing_service import Thing',
    fixSafety: 'No fix: the right target is a human decision.',
  },
  checkFile(ctx) {
    const { file, project } = ctx;
    for (const stmt of file.facts.imports) {
      if (stmt.guard.tryImportError) continue;
      if (stmt.kind === 'import') {
        for (const item of stmt.items) {
          const top = item.name.split('.')[0]!;
          if (!project.hasModule(top) || project.isNamespacePackage(top)) continue;
          const missing = firstMissing(project, item.name);
          if (missing) ctx.report({ range: item.nameRange, message: `module \`${missing}\` does not exist in the workspace` });
        }
        continue;
      }
      if (stmt.absModule === null) {
        if (file.module !== null && stmt.moduleRange) {
          ctx.report({ range: stmt.moduleRange, message: `relative import goes beyond the top-level package of \`${file.module}\`` });
        }
        continue;
      }
      const module = stmt.absModule;
      const top = module.split('.')[0]!;
      if (!project.hasModule(top) || project.isNamespacePackage(top)) continue;
      const missing = firstMissing(project, module);
      if (missing) {
        if (stmt.moduleRange) ctx.report({ range: stmt.moduleRange, message: `module \`${missing}\` does not exist in the workspace` });
        continue;
      }
      for (const item of stmt.items) {
        const t = project.resolveExport(module, item.name);
        // Only the link that is broken here; a broken re-export elsewhere is reported in its own file.
        if (t.kind === 'unresolved' && t.module === module && t.name === item.name) {
          ctx.report({ range: item.nameRange, message: `\`${item.name}\` is not defined in module \`${module}\`` });
        }
      }
    }
  },
};

/** The shortest dotted prefix of `module` (itself included) the workspace lacks, unless it is below a plain module. */
function firstMissing(project: import('../project/project.js').Project, module: string): string | null {
  // Prefixes are cut at each dot rather than split and joined: this runs for every workspace import of every file.
  for (let dot = module.indexOf('.'); ; dot = module.indexOf('.', dot + 1)) {
    const prefix = dot < 0 ? module : module.slice(0, dot);
    if (!project.hasModule(prefix)) return project.isBelowPlainModule(prefix) ? null : prefix;
    if (dot < 0) return null;
  }
}
