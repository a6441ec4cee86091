/**
 * SSOT compliance = migrated / (migrated + remaining), null when both are zero (nothing to measure).
 * A leaf module so the VS Code client computes its totals with the very same definition (see status.ts).
 */
export function compliance(migrated: number, remaining: number): number | null {
  return migrated + remaining === 0 ? null : migrated / (migrated + remaining);
}
