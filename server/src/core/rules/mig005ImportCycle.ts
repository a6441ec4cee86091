import type { Project, ProjectFile } from '../project/project.js';
import type { Range } from '../types.js';
import type { Rule } from './rule.js';

interface Edge {
  to: string;
  range: Range;
}

/** Module-level imports that run when the module is imported (not in functions, not under TYPE_CHECKING). */
export function importGraph(project: Project): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const file of project.allFiles()) {
    if (!file.module) continue;
    const edges: Edge[] = [];
    for (const stmt of file.facts.imports) {
      if (stmt.guard.nested || stmt.guard.typeChecking) continue;
      const add = (to: string): void => {
        if (to !== file.module && project.moduleFile(to) && !edges.some((e) => e.to === to)) edges.push({ to, range: stmt.range });
      };
      if (stmt.kind === 'import') {
        for (const item of stmt.items) add(item.name);
      } else if (stmt.absModule !== null) {
        let submodules = 0;
        for (const item of stmt.items) {
          const sub = `${stmt.absModule}.${item.name}`;
          if (project.moduleFile(sub)) {
            add(sub);
            submodules++;
          }
        }
        if (submodules < stmt.items.length || stmt.star) add(stmt.absModule);
      }
    }
    graph.set(file.module, edges);
  }
  return graph;
}

/** Tarjan's algorithm, iterative (deep import chains must not overflow the stack). */
export function stronglyConnected(graph: Map<string, Edge[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!.to;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          component.push(m);
        } while (m !== frame.node);
        if (component.length > 1) out.push(component.sort());
      }
    }
  }
  return out;
}

/** Shortest cycle through `start` inside one component (BFS), as the list of modules from start back to start. */
function shortestCycle(graph: Map<string, Edge[]>, members: Set<string>, start: string): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const e of graph.get(node) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let n = node; n !== start; n = prev.get(n)!) path.splice(1, 0, n);
        return [...path, start];
      }
      if (!prev.has(e.to)) {
        prev.set(e.to, node);
        queue.push(e.to);
      }
    }
  }
  return [start, start];
}

export const importCycle: Rule = {
  code: 'MIG005',
  outlineExact: true,
  name: 'import-cycle',
  summary: 'Module-level import cycle among workspace modules',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Finds groups of workspace modules that import each other at module level (imports inside functions and under ' +
      '`if TYPE_CHECKING:` do not run at import time and are ignored). Each group of mutually dependent modules ' +
      '(a strongly connected component of the import graph) is reported once, on the import that starts the shortest ' +
      'cycle through its alphabetically first module, with every member in the message. Implicit imports of parent ' +
      'packages are not edges: only what the code names.',
    why: 'Import cycles make import order matter: a refactor that moves one import can turn a working module into an ImportError.',
    example: '# a.py\nfrom b import helper\n# b.py\nfrom a import Thing',
    fixSafety: 'No fix: breaking a cycle means moving code or deferring an import.',
  },
  checkProject(ctx) {
    const graph = importGraph(ctx.project);
    for (const component of stronglyConnected(graph)) {
      const start = component[0]!;
      const cycle = shortestCycle(graph, new Set(component), start);
      const file = ctx.project.moduleFile(start) as ProjectFile;
      const firstEdge = (graph.get(start) ?? []).find((e) => e.to === cycle[1]);
      if (!firstEdge) continue;
      const extra = component.length > cycle.length - 1 ? ` (a group of ${component.length} mutually importing modules: ${component.join(', ')})` : '';
      const related = cycle.slice(1, -1).map((m, i) => {
        const f = ctx.project.moduleFile(m)!;
        const edge = (graph.get(m) ?? []).find((e) => e.to === cycle[i + 2])!;
        return { path: f.relPath, range: edge.range, message: `\`${m}\` imports \`${cycle[i + 2]}\`` };
      });
      ctx.report(file, {
        range: firstEdge.range,
        message: `import cycle: ${cycle.join(' → ')}${extra}`,
        related,
        migration: null,
      });
    }
  },
};
