import { describe, expect, it } from "vitest";
import { timeAxis } from "./time-axis.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("timeAxis", () => {
  it.each([
    ["seconds apart", 5_000],
    ["an afternoon", 4 * HOUR],
    ["a month", 30 * DAY],
    ["a year", 365 * DAY],
  ])("keeps at most 6 ascending ticks inside the span for %s", (_name, span) => {
    const from = Date.parse("2026-03-02T10:17:00Z");
    const axis = timeAxis(from, from + span);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
    expect(axis.ticks).toEqual([...axis.ticks].sort((a, b) => a - b));
    for (const t of axis.ticks) {
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThanOrEqual(from + span);
      expect(axis.format(t)).not.toBe("");
    }
  });

  it("labels a span with no whole tick inside it at both ends", () => {
    const from = Date.parse("2026-03-02T10:17:03.100Z");
    expect(timeAxis(from, from + 700).ticks).toEqual([from, from + 700]);
  });
});
