import type { Rule } from './rule.js';
import { lastSegment } from './chain.js';

export const duplicateImplementation: Rule = {
  code: 'MIG006',
  outlineExact: true,
  name: 'duplicate-implementation',
  summary: 'Second definition of a canonical symbol outside its canonical module',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Finds module-level classes and functions that carry the name of a canonical symbol (configured under `[[canonical]]`, ' +
      'or the new home a legacy shim redirects to) but are defined outside its canonical module and are not the canonical object.',
    why: 'A second implementation under the same name is how a single source of truth quietly becomes two.',
    example: '# app/routes/legacy_ws.py\nclass WebSocketManager:  # duplicates app.websocket_core.websocket_manager.WebSocketManager\n    ...',
    fixSafety: 'No fix: merge or rename the duplicate by hand.',
  },
  checkProject(ctx) {
    const { project, model } = ctx;
    // name → canonical homes carrying it (by canonical name and by origin name).
    const byName = new Map<string, { key: string; module: string; originModule: string }[]>();
    for (const home of model.canonical.values()) {
      const originModule = home.key.slice(0, home.key.length - lastSegment(home.key).length - 1);
      for (const name of new Set([home.name, lastSegment(home.key)])) {
        if (name.startsWith('_')) continue;
        const list = byName.get(name) ?? [];
        list.push({ key: home.key, module: home.module, originModule });
        byName.set(name, list);
      }
    }
    if (!byName.size) return;
    for (const file of project.allFiles()) {
      if (!file.module) continue;
      for (const def of file.facts.definitions) {
        if (def.qualName.includes('.')) continue;
        for (const home of byName.get(def.qualName) ?? []) {
          if (file.module === home.module || file.module === home.originModule) continue;
          if (`${file.module}.${def.qualName}` === home.key) continue;
          const canonical = model.canonical.get(home.key)!;
          ctx.report(file, {
            range: def.nameRange,
            message: `\`${def.qualName}\` duplicates the canonical \`${canonical.name}\` of \`${canonical.module}\``,
            migration: canonical.migration,
            related: canonical.definition ? [{ ...canonical.definition, message: 'canonical definition' }] : [],
          });
        }
      }
    }
  },
};
