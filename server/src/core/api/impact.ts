import { targetKey, type Project } from '../project/project.js';
import { attrRange, refRange } from '../python/facts.js';
import { chainTargets, importTargets } from '../rules/chain.js';
import { LineIndex, compareStrings } from '../text.js';
import type { Range } from '../types.js';
import type { DiffEntry, Probe } from './diff.js';
import { callMatches } from './signature.js';
import type { ApiSite } from './types.js';

/**
 * The sites of the current workspace that each breaking change breaks, found in one pass over every file's
 * imports and references (facts only; the text is read just to quote the line):
 * - imports of a module that is gone (`import old.mod`, `from old.mod import X`, `from old import mod`);
 * - imports and attribute uses of a name a module no longer has (`from m import X`, `m.X`);
 * - attribute uses of a removed method through its class (`Service.begin`, `pkg.Service.begin`);
 * - calls whose shape the new signature no longer accepts, as each change's claims describe them.
 * References are uses of imported names, so a module's calls of its own functions are not seen, and a method
 * called on an instance (`Service().begin()`, `svc.begin()`) is not matched to its class: that needs types.
 */

export type TextOf = (relPath: string) => string | null;

function push<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/** The probes for `dotted` or its longest dotted prefix that has some. */
function longestPrefix(map: Map<string, number[]>, dotted: string): number[] | undefined {
  for (let m = dotted; m; m = m.includes('.') ? m.slice(0, m.lastIndexOf('.')) : '') {
    const hit = map.get(m);
    if (hit) return hit;
  }
  return undefined;
}

export function findSites(now: Project, entries: readonly DiffEntry[], textOf: TextOf): ApiSite[][] {
  const found = entries.map(() => new Map<string, ApiSite>());
  const modules = new Map<string, number[]>();
  const names = new Map<string, number[]>();
  const members = new Map<string, number[]>();
  const calls = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const p = e.probe;
    if (!p) return;
    if (p.kind === 'module') push(modules, p.module, i);
    else if (p.kind === 'name') push(names, `${p.module}\0${p.name}`, i);
    else if (p.kind === 'member') push(members, `${p.owner}\0${p.member}`, i);
    else push(calls, p.key, i);
  });
  if (!modules.size && !names.size && !members.size && !calls.size) return found.map(() => []);

  const files = [...now.allFiles()].sort((a, b) => compareStrings(a.relPath, b.relPath));
  for (const file of files) {
    let lines: LineIndex | null | undefined;
    const add = (ids: readonly number[] | undefined, range: Range): void => {
      if (!ids) return;
      if (lines === undefined) {
        const text = textOf(file.relPath);
        lines = text === null ? null : new LineIndex(text);
      }
      const site: ApiSite = { path: file.relPath, line: range.start.line + 1, column: range.start.column + 1, text: lines ? lines.lineText(range.start.line).trim() : '' };
      for (const i of ids) found[i]!.set(`${site.path}:${site.line}:${site.column}`, site);
    };
    const resolve = importTargets(now, file);
    file.facts.imports.forEach((stmt, s) => {
      if (stmt.kind === 'import') {
        for (const item of stmt.items) if (!now.hasModule(item.name)) add(longestPrefix(modules, item.name), item.nameRange);
        return;
      }
      if (stmt.absModule === null) return;
      if (!now.hasModule(stmt.absModule)) {
        const gone = longestPrefix(modules, stmt.absModule);
        if (gone) {
          add(gone, stmt.moduleRange ?? stmt.range);
          return;
        }
      }
      stmt.items.forEach((item, i) => {
        if (resolve(s, i).kind !== 'unresolved') return;
        add(modules.get(`${stmt.absModule}.${item.name}`), item.nameRange);
        add(names.get(`${stmt.absModule}\0${item.name}`), item.nameRange);
      });
    });
    for (const ref of file.facts.refs) {
      for (const [k, t] of chainTargets(now, file, ref, resolve(ref.stmt, ref.item))) {
        if (k < ref.chain.length) {
          const attr = ref.chain[k]!;
          if (t.kind === 'module' && t.workspace) {
            if (now.member(t, attr).kind !== 'unresolved') continue;
            add(names.get(`${t.module}\0${attr}`), attrRange(ref, k));
            add(modules.get(`${t.module}.${attr}`), attrRange(ref, k));
          } else if (t.kind === 'symbol') {
            add(members.get(`${targetKey(t)}\0${attr}`), attrRange(ref, k));
          }
          continue;
        }
        const call = ref.call;
        const key = targetKey(t);
        if (!call || key === null) continue;
        const ids = calls.get(key)?.filter((i) => {
          const p = entries[i]!.probe as Extract<Probe, { kind: 'call' }>;
          return p.claims.some((c) => callMatches(c, p.params, p.drop, call));
        });
        if (ids?.length) add(ids, refRange(ref, k));
      }
    }
  }
  return found.map((m) => [...m.values()].sort((a, b) => compareStrings(a.path, b.path) || a.line - b.line || a.column - b.column));
}
