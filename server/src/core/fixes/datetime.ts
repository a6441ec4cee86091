import type { StdlibFixKind } from '../catalog/stdlib.js';
import { attrRange, refRange, type Ref } from '../python/facts.js';
import { compareVersions, type Fix, type PyVersion, type TextEdit } from '../types.js';
import { appendItem, bindsName, type FileView } from './imports.js';

/**
 * `datetime.utcnow()` → `datetime.now(UTC)` and `datetime.utcfromtimestamp(ts)` → `datetime.fromtimestamp(ts, tz=UTC)`,
 * spelling UTC the way the file imports datetime (`dt.UTC` for `import datetime as dt`), `timezone.utc` below
 * Python 3.11 where `datetime.UTC` does not exist. An uncalled `default=datetime.utcnow` becomes a lambda.
 * The result is timezone-aware, which is the point of the migration.
 */

const PY311: PyVersion = { major: 3, minor: 11 };

interface UtcSpelling {
  expr: string;
  edits: TextEdit[];
}

function utcSpelling(view: FileView, ref: Ref, target: PyVersion): UtcSpelling | null {
  const { facts } = view;
  const modern = compareVersions(target, PY311) >= 0;
  const stmt = facts.imports[ref.stmt]!;
  const item = stmt.items[ref.item]!;
  // `import datetime [as dt]`: qualify through the module, nothing to import.
  if (stmt.kind === 'import') {
    const base = item.asName ? item.local : 'datetime';
    return { expr: modern ? `${base}.UTC` : `${base}.timezone.utc`, edits: [] };
  }
  const name = modern ? 'UTC' : 'timezone';
  const use = (local: string): string => (modern ? local : `${local}.utc`);
  const existing = facts.imports.flatMap((s) => (s.kind === 'from' && s.absModule === 'datetime' && !s.guard.nested === !stmt.guard.nested ? s.items : []));
  const found = existing.find((i) => i.name === name);
  if (found) return { expr: use(found.local), edits: [] };
  if (bindsName(view, name)) return null; // `UTC` means something else here: leave it to a human.
  if (stmt.absModule === 'datetime' && !stmt.star) {
    return { expr: use(name), edits: appendItem(view, stmt, name, null) };
  }
  const at = { line: stmt.range.end.line, column: view.index.lineText(stmt.range.end.line).length };
  return { expr: use(name), edits: [{ range: { start: at, end: at }, newText: `${view.index.eol}${stmt.indent}from datetime import ${name}` }] };
}

export function datetimeFix(view: FileView, ref: Ref, prefix: number, kind: StdlibFixKind, target: PyVersion): Fix | null {
  // Only when the deprecated method is the end of the chain (`x.utcnow()`, not `x.utcnow.__name__`).
  if (prefix !== ref.chain.length || prefix < 1) return null;
  const utc = utcSpelling(view, ref, target);
  if (!utc) return null;
  const attr = attrRange(ref, prefix - 1);
  const receiver = view.index.slice(refRange(ref, prefix - 1));
  const edits: TextEdit[] = [...utc.edits];
  if (kind === 'utcnow') {
    if (ref.call) {
      if (ref.call.argCount !== 0) return null;
      edits.push({ range: attr, newText: 'now' }, { range: ref.call.argsRange, newText: `(${utc.expr})` });
    } else {
      const lambda = `lambda: ${receiver}.now(${utc.expr})`;
      edits.push({ range: refRange(ref, prefix), newText: ref.lambdaSafe ? lambda : `(${lambda})` });
    }
    return { safety: 'safe', title: `Replace with \`${receiver}.now(${utc.expr})\``, edits };
  }
  const call = ref.call;
  if (!call || call.argCount !== 1 || call.hasStarArgs || call.hasKeywords) return null;
  const close = { line: call.argsRange.end.line, column: call.argsRange.end.column - 1 };
  edits.push({ range: attr, newText: 'fromtimestamp' }, { range: { start: close, end: close }, newText: `${call.trailingComma ? ' ' : ', '}tz=${utc.expr}` });
  return { safety: 'safe', title: `Replace with \`${receiver}.fromtimestamp(..., tz=${utc.expr})\``, edits };
}
