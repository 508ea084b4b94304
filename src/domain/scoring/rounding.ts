/**
 * Rounds values to tenths so that the rounded values add up to their rounded sum (largest
 * remainder): a breakdown of 3.14 + 3.14 + 3.14 shows 3.2 + 3.1 + 3.1 under a total of 9.4,
 * where rounding each alone would show 9.3 and leave a reader wondering where 0.1 went.
 */
export function roundToTenthsKeepingSum(
  values: readonly number[],
  /** The total shown, when it is rounded elsewhere (an exact half may round either way). */
  total = values.reduce((a, b) => a + b, 0),
): number[] {
  const scaled = values.map((v) => v * 10);
  const floors = scaled.map(Math.floor);
  const target = Math.round(total * 10);
  const short = target - floors.reduce((a, b) => a + b, 0);
  // Floating point can put the shortfall a hair outside 0..n; the clamp keeps it a ranking.
  const k = Math.max(0, Math.min(values.length, short));
  const byRemainder = scaled
    .map((v, i) => ({ i, remainder: v - floors[i]! }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  const tenths = [...floors];
  for (let j = 0; j < k; j++) tenths[byRemainder[j]!.i]! += 1;
  // Integer tenths divided once: no 0.30000000000000004.
  return tenths.map((t) => t / 10);
}
