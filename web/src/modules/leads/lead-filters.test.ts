import { describe, expect, it } from "vitest";
import { filtersFromParams, hasFilters } from "./lead-filters.ts";

describe("lead list filters from the address", () => {
  it.each([
    ["view=hot&minEngagement=1", 1],
    ["minEngagement=0", 0],
    ["minEngagement=12.5", 12.5],
    ["minEngagement=-3", undefined],
    ["minEngagement=hot", undefined],
    ["", undefined],
  ])("%s → minimum engagement %s", (query, expected) => {
    const filters = filtersFromParams(new URLSearchParams(query));
    expect(filters.minEngagement).toBe(expected);
    expect(hasFilters(filters)).toBe(expected !== undefined);
  });
});
