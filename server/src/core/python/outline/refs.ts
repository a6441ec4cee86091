import type { ImportStatement, ModuleBinding, Ref } from '../facts.js';
import * as names from './names.js';
import type { LineIndex } from './positions.js';
import { enlarged } from '../typedArrays.js';
import { nameHash } from './tokens.js';

// Local copies: under CommonJS interop (tsx, tests) every read of an imported binding is a getter call.
const { hashAt, internAt } = names;

/**
 * Every identifier read anywhere in the file (offsets and hash), kept until the imports are all known; then the
 * ones naming an import's local become Refs, one per import item binding that name, whatever scope the read is in
 * (an over-approximation: a local that shadows the import still yields a Ref).
 */
export class Uses {
  n = 0;
  /** Start offset; `~start` for a name of `X[...].a.b` (see F_CHAINLESS): a Ref of its own, without a chain. */
  start = new Int32Array(1 << 16);
  hash = new Int32Array(1 << 16);

  add(start: number, hash: number): void {
    const i = this.n;
    if (i === this.start.length) this.grow();
    this.start[i] = start;
    this.hash[i] = hash;
    this.n = i + 1;
  }

  private grow(): void {
    this.start = enlarged(this.start, this.start.length * 2);
    this.hash = enlarged(this.hash, this.start.length);
  }
}

const BLOOM_BITS = 1 << 16;
const attrScratch: number[] = [];
const chainScratch: string[] = [];

/** Past whitespace, comments and line continuations (the file is known to parse: a newline here is inside brackets). */
function skipSpace(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 92) p++;
    else if (c === 35) {
      const nl = text.indexOf('\n', p);
      p = nl < 0 ? text.length : nl;
    } else return p;
  }
}

const NAME_CHAR = /[\p{XID_Continue}]/u;

function nameEnd(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) p++;
    else if (c >= 128 && c === c) {
      const cp = text.codePointAt(p)!;
      if (!NAME_CHAR.test(String.fromCodePoint(cp))) return p;
      p += cp > 0xffff ? 2 : 1;
    } else return p;
  }
}

export function buildRefs(uses: Uses, imports: ImportStatement[], text: string, lines: LineIndex): Ref[] {
  const byLocal = new Map<string, [number, number][]>();
  const bloom = new Uint32Array(BLOOM_BITS / 32);
  imports.forEach((stmt, s) =>
    stmt.items.forEach((item, i) => {
      let list = byLocal.get(item.local);
      if (!list) {
        byLocal.set(item.local, (list = []));
        const h = nameHash(item.local) & (BLOOM_BITS - 1);
        bloom[h >>> 5]! |= 1 << (h & 31);
      }
      list.push([s, i]);
    }),
  );
  const refs: Ref[] = [];
  if (!byLocal.size) return refs;
  for (let u = 0; u < uses.n; u++) {
    const h = uses.hash[u]! & (BLOOM_BITS - 1);
    if ((bloom[h >>> 5]! & (1 << (h & 31))) === 0) continue;
    const chainless = uses.start[u]! < 0;
    const start = chainless ? ~uses.start[u]! : uses.start[u]!;
    const end = nameEnd(text, start);
    const targets = byLocal.get(text.slice(start, end));
    if (!targets) continue;
    // The attribute names, and each attribute identifier's start and end offsets.
    const chain = chainScratch;
    const attrs = attrScratch;
    chain.length = 0;
    attrs.length = 0;
    if (!chainless) {
      for (let p = skipSpace(text, end); text.charCodeAt(p) === 46; ) {
        const a = skipSpace(text, p + 1);
        const b = nameEnd(text, a);
        if (b === a) break;
        chain.push(internAt(text, a, b, hashAt(text, a, b)));
        attrs.push(a, b);
        p = skipSpace(text, b);
      }
    }
    // Sized once (Ref.coords: refRange's ranges, then attrRange's): pushing would grow it from a default capacity.
    const c = chain.length;
    const coords = new Array<number>(4 + 8 * c);
    lines.setPosition(coords, 0, start);
    lines.setPosition(coords, 2, end);
    for (let k = 0; k < c; k++) {
      const at = 4 + 4 * k;
      coords[at] = coords[0]!;
      coords[at + 1] = coords[1]!;
      lines.setPosition(coords, at + 2, attrs[2 * k + 1]!);
      lines.setPosition(coords, 4 * (c + 1 + k), attrs[2 * k]!);
      lines.setPosition(coords, 4 * (c + 1 + k) + 2, attrs[2 * k + 1]!);
    }
    for (let j = 0; j < targets.length; j++) {
      const [stmt, item] = targets[j]!;
      refs.push({ stmt, item, chain: chain.slice(), coords, context: 'load', call: null, lambdaSafe: false });
    }
  }
  return refs;
}

/**
 * The names module-level statements other than imports bind that are read anywhere in the file, ignoring
 * shadowing: a superset of extractFacts' moduleNameLoads, so a name missing here is certainly never read (MIG007
 * trusts that for an alias's own module).
 */
export function moduleNamesRead(uses: Uses, bindings: readonly ModuleBinding[], text: string, lines: LineIndex): string[] {
  const byHash = new Map<number, string[]>();
  const bloom = new Uint32Array(BLOOM_BITS / 32);
  // Uses include assignment targets: the name an `=` binds is not a read of it (an augmented one is; 'other').
  const bound = new Set<number>();
  let distinct = 0;
  // A name only imports bind is read through refs, never as a name load.
  for (const { name, kind, range } of bindings) {
    if (kind === 'import') continue;
    if (kind !== 'other') bound.add(lines.offset(range.start));
    const h = nameHash(name);
    const same = byHash.get(h);
    if (same?.includes(name)) continue;
    if (same) same.push(name);
    else byHash.set(h, [name]);
    distinct++;
    bloom[(h & (BLOOM_BITS - 1)) >>> 5]! |= 1 << (h & 31);
  }
  const read = new Set<string>();
  for (let u = 0; u < uses.n && read.size < distinct; u++) {
    const hash = uses.hash[u]!;
    const h = hash & (BLOOM_BITS - 1);
    if ((bloom[h >>> 5]! & (1 << (h & 31))) === 0) continue;
    const candidates = byHash.get(hash);
    if (!candidates) continue;
    const start = uses.start[u]! < 0 ? ~uses.start[u]! : uses.start[u]!;
    if (bound.has(start)) continue;
    for (const name of candidates) {
      if (!read.has(name) && text.startsWith(name, start) && nameEnd(text, start) - start === name.length) read.add(name);
    }
  }
  return [...read];
}
