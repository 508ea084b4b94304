import { describe, expect, it } from "vitest";
import {
  filtersFromParams,
  HOT_MIN_ENGAGEMENT,
  hasFilters,
  hotParams,
  hotStages,
  sortParams,
  toggleStageParams,
  withParams,
} from "./lead-filters.ts";

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

describe("changing the lead list's address", () => {
  const hot = () => hotParams(new URLSearchParams("q=acme&owner=none"), true);

  it("Hot now sets its view, stages, minimum engagement and order, keeping the search", () => {
    const params = hot();
    expect(params.get("view")).toBe("hot");
    expect(params.get("stage")).toBe(hotStages.join(","));
    expect(params.get("minEngagement")).toBe(String(HOT_MIN_ENGAGEMENT));
    expect(params.get("sort")).toBe("engagementScore");
    expect(params.get("order")).toBe("desc");
    expect(params.get("q")).toBe("acme");
    expect(params.get("owner")).toBe("none");
  });

  it("a stage chip clicked in Hot now narrows Hot now instead of leaving it", () => {
    const params = toggleStageParams(hot(), "mql");
    expect(params.get("view")).toBe("hot");
    expect(params.get("stage")).toBe("lead,mrl");
    const filters = filtersFromParams(params);
    expect(filters.minEngagement).toBe(HOT_MIN_ENGAGEMENT);
    expect(filters.sort).toBe("engagementScore");
    // Clicked again, the stage comes back in funnel order, still in Hot now.
    const again = toggleStageParams(params, "mql");
    expect(again.get("stage")).toBe("lead,mrl,mql");
    expect(again.get("minEngagement")).toBe("1");
  });

  it("the last stage switched off removes the stage filter", () => {
    expect(toggleStageParams(new URLSearchParams("stage=sal"), "sal").has("stage")).toBe(false);
    expect(toggleStageParams(new URLSearchParams(""), "sql").get("stage")).toBe("sql");
  });

  it("sorting keeps Hot now, descending first and the other way on a second click", () => {
    const byFit = sortParams(hot(), "fitScore");
    expect(byFit.get("sort")).toBe("fitScore");
    expect(byFit.get("order")).toBe("desc");
    expect(byFit.get("view")).toBe("hot");
    expect(byFit.get("minEngagement")).toBe("1");
    expect(sortParams(byFit, "fitScore").get("order")).toBe("asc");
    expect(sortParams(sortParams(byFit, "fitScore"), "fitScore").get("order")).toBe("desc");
  });

  it("owner and source filters keep Hot now; empty values remove their parameter", () => {
    const params = withParams(hot(), { source: "webinar", owner: null });
    expect(params.get("view")).toBe("hot");
    expect(params.get("source")).toBe("webinar");
    expect(params.has("owner")).toBe(false);
  });

  it("turning Hot now off restores every stage and the default order, keeping the search", () => {
    const params = hotParams(toggleStageParams(hot(), "lead"), false);
    expect([...params.keys()].sort()).toEqual(["owner", "q"]);
    const filters = filtersFromParams(params);
    expect(filters.minEngagement).toBeUndefined();
    expect(filters.stages).toEqual([]);
    expect(filters.sort).toBe("createdAt");
  });
});
