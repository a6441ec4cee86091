import type { FileFacts } from './facts.js';

/**
 * Outline facts: what a full parse would extract that other files can observe (imports, module-level bindings,
 * definitions, `__all__`), read by a token scanner instead of tree-sitter, plus an over-approximation of the refs.
 * A whole-workspace check parses fully only the files whose outline could hold a finding (see workspace/load.ts).
 * STUB: declines every file until the scanner lands.
 */

export interface OutlineOptions {
  module: string | null;
  isPackage: boolean;
}

export type OutlineResult = { ok: true; facts: FileFacts } | { ok: false; reason: string };

export function outlineFacts(_text: string, _opts: OutlineOptions): OutlineResult {
  return { ok: false, reason: 'not implemented' };
}
