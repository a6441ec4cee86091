import * as fs from 'node:fs';

/**
 * Summarizes a V8 heap snapshot: self size by kind of object. Plain objects (`Object`) are told apart by their
 * property names (`{start, end}`, `{line, column}`, ...), which is how the analyzer's facts show up. Run alone
 * (snapshots are big: give it room): node --max-old-space-size=8192 --import tsx scripts/bench/heapsnapshot.ts FILE
 */

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSummary {
  totalBytes: number;
  nodes: number;
  rows: { kind: string; count: number; bytes: number; pct: number }[];
  /** Strings kept alive as the parent of a sliced string (a `slice()`/`substring()` of 13+ characters keeps the whole parent). */
  slicedParents: { count: number; bytes: number };
}

export function summarizeHeapSnapshot(file: string, top = 20): HeapSummary {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const { node_fields: nf, node_types: nt, edge_fields: ef, edge_types: et } = snap.snapshot.meta;
  const N = nf.length;
  const E = ef.length;
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [number, number, number, number];
  const [eType, eName] = ['type', 'name_or_index'].map((f) => ef.indexOf(f)) as [number, number];
  const types = nt[0];
  const edgeTypes = et[0];
  const propertyEdge = edgeTypes.indexOf('property');
  const internalEdge = edgeTypes.indexOf('internal');
  const slicedType = types.indexOf('sliced string');
  const parents = new Set<number>();
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  let edge = 0;
  const { nodes, edges, strings } = snap;
  for (let i = 0; i < nodes.length; i += N) {
    const type = types[nodes[i + iType]!]!;
    const name = strings[nodes[i + iName]!]!;
    const size = nodes[i + iSize]!;
    const edgeCount = nodes[i + iEdges]!;
    let kind: string;
    if (type === 'object' && name === 'Object') {
      const props: string[] = [];
      for (let k = 0; k < edgeCount && props.length < 8; k++) {
        const e = edge + k * E;
        if (edges[e + eType] === propertyEdge) props.push(strings[edges[e + eName]!]!);
      }
      kind = `{${props.sort().join(', ')}}`;
    } else if (type === 'object' || type === 'closure') kind = `${type === 'closure' ? 'closure ' : ''}${name}`;
    else if (type === 'string' || type === 'concatenated string' || type === 'sliced string') kind = `(${type})`;
    else kind = `(${type}${type === 'hidden' || type === 'array' || type === 'code' ? `: ${name.slice(0, 40)}` : ''})`;
    if (nodes[i + iType] === slicedType) {
      for (let k = 0; k < edgeCount; k++) {
        const e = edge + k * E;
        if (edges[e + eType] === internalEdge && strings[edges[e + eName]!] === 'parent') parents.add(edges[e + ef.indexOf('to_node')]!);
      }
    }
    edge += edgeCount * E;
    total += size;
    const g = groups.get(kind) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(kind, g);
  }
  let parentBytes = 0;
  for (const p of parents) parentBytes += nodes[p + iSize]!;
  return {
    slicedParents: { count: parents.size, bytes: parentBytes },
    totalBytes: total,
    nodes: nodes.length / N,
    rows: [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top).map(([kind, g]) => ({ kind, count: g.count, bytes: g.bytes, pct: (100 * g.bytes) / total })),
  };
}

export function heapMarkdown(title: string, h: HeapSummary): string[] {
  return [
    `#### ${title}: ${(h.totalBytes / 2 ** 20).toFixed(0)} MB live JS heap, ${h.nodes.toLocaleString('en-US')} objects`,
    '',
    `Strings that are the parent of a sliced string (a name taken with \`slice\`/\`node.text\` of 13+ characters keeps the whole`,
    `source text of its file): ${h.slicedParents.count.toLocaleString('en-US')} strings, ${(h.slicedParents.bytes / 2 ** 20).toFixed(1)} MB. Plain objects whose`,
    'properties are all small integers show as `{__proto__}` (V8 records no edge to a small integer): `{line, column}` positions.',
    '`(native)` holds the backing stores of ArrayBuffers, among them the 32 MB WebAssembly memory of tree-sitter.',
    '',
    '| kind of object (plain objects by their keys) | count | self size | % |',
    '|---|---:|---:|---:|',
    ...h.rows.map((r) => `| \`${r.kind.replace(/\|/g, '\\|')}\` | ${r.count.toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(1)} MB | ${r.pct.toFixed(1)} % |`),
    '',
  ];
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: heapsnapshot.ts FILE.heapsnapshot');
  const h = summarizeHeapSnapshot(file, Number(process.argv[3] ?? 20));
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(h)}\n`);
  else process.stdout.write(`${heapMarkdown(file, h).join('\n')}\n`);
}
