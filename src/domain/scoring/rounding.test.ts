import { describe, expect, it } from "vitest";
import { roundToTenthsKeepingSum } from "./rounding.ts";

const sumTenths = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 10);

describe("roundToTenthsKeepingSum", () => {
  it("gives the lost tenth to the value closest to rounding up", () => {
    // Each alone rounds to 3.1 (9.3 in all) while the total 9.42 rounds to 9.4.
    expect(roundToTenthsKeepingSum([3.14, 3.14, 3.14])).toEqual([3.2, 3.1, 3.1]);
    expect(roundToTenthsKeepingSum([1.04, 2.08, 3.06])).toEqual([1, 2.1, 3.1]);
  });

  it("takes a tenth back when each value rounds up", () => {
    // Each alone rounds to 0.4 (1.2 in all) while the total 1.08 rounds to 1.1.
    const r = roundToTenthsKeepingSum([0.36, 0.36, 0.36]);
    expect(sumTenths(r)).toBe(11);
    expect(r.every((x) => x === 0.3 || x === 0.4)).toBe(true);
  });

  it("adds up to a total rounded elsewhere, even where an exact half rounds the other way", () => {
    // 22.95 + 36.55 tenths: the sum 59.5 may come out 59.49999… in one order and 59.5 in another.
    const r = roundToTenthsKeepingSum([2.295, 3.655], 5.9);
    expect(sumTenths(r)).toBe(59);
    expect(roundToTenthsKeepingSum([2.295, 3.655], 6).reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
  });

  it("handles negative signals, whole numbers and an empty list", () => {
    expect(roundToTenthsKeepingSum([10, -2.25, 4.5])).toEqual([10, -2.2, 4.5]);
    expect(roundToTenthsKeepingSum([5, 7])).toEqual([5, 7]);
    expect(roundToTenthsKeepingSum([])).toEqual([]);
  });

  it("always adds up to the rounded total and moves no value by a tenth or more", () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let run = 0; run < 2000; run++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        random() < 0.2 ? -random() * 30 : random() * 60,
      );
      const rounded = roundToTenthsKeepingSum(values);
      expect(sumTenths(rounded)).toBe(Math.round(values.reduce((a, b) => a + b, 0) * 10));
      rounded.forEach((r, i) => {
        expect(Math.abs(r - values[i]!)).toBeLessThan(0.1 + 1e-9);
        expect(Math.round(r * 10)).toBeCloseTo(r * 10, 9);
      });
    }
  });
});
