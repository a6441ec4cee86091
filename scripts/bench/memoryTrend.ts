/**
 * Judges the issue's "the server's memory flat over 10,000 edits". RSS is not flat from the first edit: the wasm heap
 * and V8's old space grow to their working size over the first few hundred edits, and the peak sits there (wasm
 * memory never shrinks, V8 gives pages back later). What must not happen after that is a trend: memory that grows
 * with the number of edits grows without bound in a long editor session. So the first WARM_UP share of the run is
 * left out, a least-squares line is fitted to the samples after it, and its slope is projected over the whole run.
 */

export interface RssSample {
  edits: number;
  rssKb: number;
}

export interface MemoryTrend {
  /** The first edit count the trend is fitted from (the end of warm-up). */
  from: number;
  /** How many samples the line is fitted to. */
  samples: number;
  /** The fitted growth projected over the whole run, in MB (negative: shrinking). */
  growthMb: number;
  /** At most FLAT_MB of projected growth; null when there are too few samples after warm-up to tell. */
  flat: boolean | null;
}

/** The share of the run that is warm-up. */
export const WARM_UP = 0.2;
/** Projected growth over the whole run that still counts as flat (RSS moves by ±8 MB between samples on its own). */
export const FLAT_MB = 10;
const MIN_SAMPLES = 4;

/** The projected growth as `+1.4 MB` / `-22.1 MB`. */
export function growthText(trend: MemoryTrend): string {
  return `${trend.growthMb >= 0 ? '+' : ''}${trend.growthMb.toFixed(1)} MB`;
}

export function memoryTrend(samples: readonly RssSample[], edits: number): MemoryTrend {
  const from = Math.ceil(edits * WARM_UP);
  const after = samples.filter((s) => s.edits >= from);
  if (after.length < MIN_SAMPLES) return { from, samples: after.length, growthMb: 0, flat: null };
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const xs = after.map((s) => s.edits);
  const ys = after.map((s) => s.rssKb / 1024);
  const mx = mean(xs);
  const my = mean(ys);
  let cov = 0;
  let vx = 0;
  for (let i = 0; i < xs.length; i++) {
    cov += (xs[i]! - mx) * (ys[i]! - my);
    vx += (xs[i]! - mx) ** 2;
  }
  // All samples at one edit count (a run of edits shorter than the sampling step): no trend to fit.
  if (vx === 0) return { from, samples: after.length, growthMb: 0, flat: null };
  const growthMb = (cov / vx) * edits;
  return { from, samples: after.length, growthMb, flat: growthMb <= FLAT_MB };
}
