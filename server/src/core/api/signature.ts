import type { CallInfo } from '../python/facts.js';
import type { ApiChangeKind, ApiParam } from './types.js';

/**
 * Parameter lists: how they print, how two of them differ, and whether a call's shape still fits one.
 * Indices are positions in the parameter list as written (`self` / `cls` included); a call site that does not
 * pass the first parameter (a constructor call, a classmethod through its class) says so with `drop`.
 */

/** `name(a, /, b=1, *args, c, **kw)`: the parameter list as a caller reads it (annotations left out). */
export function formatSignature(name: string, params: readonly ApiParam[] | null): string {
  if (params === null) return `${name}(...)`;
  const parts: string[] = [];
  let star = false;
  params.forEach((p, i) => {
    if (p.kind === 'keyword-only' && !star) {
      parts.push('*');
      star = true;
    }
    if (p.kind === 'var-positional') {
      parts.push(`*${p.name}`);
      star = true;
    } else if (p.kind === 'var-keyword') {
      parts.push(`**${p.name}`);
    } else {
      parts.push(p.default === null ? p.name : `${p.name}=${p.default}`);
    }
    if (p.kind === 'positional-only' && params[i + 1]?.kind !== 'positional-only') parts.push('/');
  });
  return `${name}(${parts.join(', ')})`;
}

function positionalCapable(p: ApiParam): boolean {
  return p.kind === 'positional' || p.kind === 'positional-only';
}

function keywordCapable(p: ApiParam): boolean {
  return p.kind === 'positional' || p.kind === 'keyword-only';
}

/** Which call shapes a change breaks; a site is reported for the change when one of its claims holds. */
export type Claim =
  /** Passes keyword `name` (any keyword when null) that the new signature does not accept. */
  | { type: 'keyword'; name: string | null }
  /** Passes more positional arguments than the new signature takes. */
  | { type: 'too-many' }
  /** Does not pass the (now required) parameter `name`; only checked for calls without `*args` / `**kwargs`. */
  | { type: 'missing'; name: string }
  /** Passes a positional argument at list index `index` or later: it binds to a different parameter now. */
  | { type: 'positional-from'; index: number }
  /** Every call. */
  | { type: 'any' };

export interface ParamChange {
  kind: ApiChangeKind;
  breaking: boolean;
  message: string;
  claims: Claim[];
}

const KIND_WORDS: Record<ApiParam['kind'], string> = {
  'positional-only': 'positional-only',
  positional: 'positional-or-keyword',
  'keyword-only': 'keyword-only',
  'var-positional': '*args',
  'var-keyword': '**kwargs',
};

function requiredOrdinary(p: ApiParam): boolean {
  return p.default === null && p.kind !== 'var-positional' && p.kind !== 'var-keyword';
}

/**
 * What a caller of `before` notices when the function now has `after`. Adding an optional parameter at the end
 * (or a keyword-only one, `*args`, `**kwargs`) and widening a parameter's kind are not reported.
 */
export function diffParams(before: readonly ApiParam[], after: readonly ApiParam[]): ParamChange[] {
  const out: ParamChange[] = [];
  const aIndex = new Map(before.map((p, i) => [p.name, i]));
  const bIndex = new Map(after.map((p, i) => [p.name, i]));
  // Renamed: same slot, same kind, old name gone and new name new.
  const renamed = new Map<number, number>();
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (!bIndex.has(a.name) && !aIndex.has(b.name) && a.kind === b.kind) renamed.set(i, i);
  }
  const renameTargets = new Set(renamed.values());

  before.forEach((a, i) => {
    const j = bIndex.get(a.name) ?? renamed.get(i);
    if (j === undefined) {
      if (a.kind === 'var-positional') {
        out.push({ kind: 'parameter-removed', breaking: true, message: `\`*${a.name}\` was removed: extra positional arguments are rejected`, claims: [{ type: 'too-many' }] });
      } else if (a.kind === 'var-keyword') {
        out.push({ kind: 'parameter-removed', breaking: true, message: `\`**${a.name}\` was removed: unknown keyword arguments are rejected`, claims: [{ type: 'keyword', name: null }] });
      } else {
        const claims: Claim[] = [];
        if (keywordCapable(a)) claims.push({ type: 'keyword', name: a.name });
        // A positional argument in its slot now binds to the next parameter, or is one too many.
        if (positionalCapable(a)) claims.push({ type: 'positional-from', index: i });
        out.push({ kind: 'parameter-removed', breaking: true, message: `parameter \`${a.name}\` was removed`, claims });
      }
      return;
    }
    const b = after[j]!;
    if (b.name !== a.name) {
      // Positional-only and variadic names cannot be passed by name: renaming them changes nothing for callers.
      if (keywordCapable(a)) {
        out.push({ kind: 'parameter-renamed', breaking: true, message: `parameter \`${a.name}\` was renamed to \`${b.name}\`: callers passing \`${a.name}=\` break`, claims: [{ type: 'keyword', name: a.name }] });
      }
    } else if (a.kind !== b.kind) {
      const change = kindChange(a, b, i);
      if (change) out.push(change);
    }
    if (a.default !== null && requiredOrdinary(b)) {
      out.push({ kind: 'parameter-made-required', breaking: true, message: `parameter \`${b.name}\` lost its default \`${a.default}\` and is now required`, claims: [{ type: 'missing', name: b.name }] });
    } else if (a.default !== null && b.default !== null && a.default !== b.default) {
      out.push({ kind: 'default-changed', breaking: false, message: `the default of \`${b.name}\` changed from \`${a.default}\` to \`${b.default}\``, claims: [] });
    }
  });

  after.forEach((b, j) => {
    if (aIndex.has(b.name) || renameTargets.has(j) || !requiredOrdinary(b)) return;
    out.push({ kind: 'parameter-made-required', breaking: true, message: `new required parameter \`${b.name}\``, claims: [{ type: 'missing', name: b.name }] });
  });

  const order = orderChange(before, after, renamed);
  if (order) out.push(order);
  return out;
}

/** Narrowing a parameter's kind breaks callers; widening it (keyword-only → positional) does not and is not reported. */
function kindChange(a: ApiParam, b: ApiParam, i: number): ParamChange | null {
  const lostPositional = positionalCapable(a) && !positionalCapable(b);
  const lostKeyword = keywordCapable(a) && !keywordCapable(b);
  if (!lostPositional && !lostKeyword) return null;
  const claims: Claim[] = [];
  if (lostPositional) claims.push({ type: 'positional-from', index: i });
  if (lostKeyword) claims.push({ type: 'keyword', name: a.name });
  return {
    kind: 'kind-changed',
    breaking: true,
    message: `parameter \`${a.name}\` changed from ${KIND_WORDS[a.kind]} to ${KIND_WORDS[b.kind]}`,
    claims,
  };
}

/**
 * Positional parameters that both lists have (renames followed) in a different order, or pushed to a later
 * slot by a new parameter: a positional argument now lands on another parameter.
 */
function orderChange(before: readonly ApiParam[], after: readonly ApiParam[], renamed: Map<number, number>): ParamChange | null {
  const afterName = (i: number): string | undefined => {
    const r = renamed.get(i);
    if (r !== undefined) return after[r]!.name;
    return after.some((p) => p.name === before[i]!.name) ? before[i]!.name : undefined;
  };
  const common: { name: string; from: number; to: number }[] = [];
  before.forEach((a, i) => {
    if (!positionalCapable(a)) return;
    const name = afterName(i);
    const to = name === undefined ? -1 : after.findIndex((p) => p.name === name);
    if (to >= 0 && positionalCapable(after[to]!)) common.push({ name: a.name, from: i, to });
  });
  const seqBefore = common.map((c) => c.name);
  const seqAfter = [...common].sort((x, y) => x.to - y.to).map((c) => c.name);
  const firstMoved = common.findIndex((c, k) => seqAfter[k] !== c.name);
  if (firstMoved >= 0) {
    const names = (seq: string[]): string => `(${seq.join(', ')})`;
    return {
      kind: 'positional-order-changed',
      breaking: true,
      message: `positional parameters were reordered: ${names(seqBefore)} → ${names(seqAfter)}`,
      claims: [{ type: 'positional-from', index: common[firstMoved]!.from }],
    };
  }
  // A new positional parameter inserted before existing ones (a required one is also reported as such).
  const renameTargets = new Set(renamed.values());
  for (const c of common) {
    if (c.to <= c.from) continue;
    const inserted = after.slice(0, c.to).find((p, j) => positionalCapable(p) && !before.some((q) => q.name === p.name) && !renameTargets.has(j));
    if (inserted) {
      return {
        kind: 'positional-order-changed',
        breaking: true,
        message: `new parameter \`${inserted.name}\` was inserted before \`${c.name}\`: positional arguments from \`${c.name}\` on bind to different parameters`,
        claims: [{ type: 'positional-from', index: c.from }],
      };
    }
  }
  return null;
}

/** Whether `call` (not passing the first `drop` parameters) breaks in a way `claim` describes, against the new `params`. */
export function callMatches(claim: Claim, params: readonly ApiParam[], drop: number, call: CallInfo): boolean {
  const view = params.slice(drop);
  const varKeyword = view.some((p) => p.kind === 'var-keyword');
  const accepts = (kw: string): boolean => varKeyword || view.some((p) => p.name === kw && keywordCapable(p));
  switch (claim.type) {
    case 'any':
      return true;
    case 'keyword':
      return claim.name === null ? call.keywords.some((k) => !accepts(k)) : call.keywords.includes(claim.name) && !accepts(claim.name);
    case 'too-many':
      return !view.some((p) => p.kind === 'var-positional') && call.positional > view.filter(positionalCapable).length;
    case 'missing': {
      if (call.hasStarArgs) return false;
      const p = view.find((q) => q.name === claim.name);
      if (!p || !requiredOrdinary(p)) return false;
      const slot = view.filter(positionalCapable).indexOf(p);
      const byPosition = slot >= 0 && slot < call.positional;
      const byKeyword = keywordCapable(p) && call.keywords.includes(p.name);
      return !byPosition && !byKeyword;
    }
    case 'positional-from':
      return call.positional > claim.index - drop;
  }
}
