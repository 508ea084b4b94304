import { describe, expect, it } from "vitest";
import { type RecordedPoint, scoreHistory } from "./history.ts";

const day = (d: number) => new Date(Date.UTC(2026, 5, d, 12));
const recordedAt = (d: number, fitScore: number, fitGrade: string): RecordedPoint => ({
  at: day(d),
  fitScore,
  fitGrade,
  engagementScore: 10 * d,
  cause: "page_view",
});
const fitNow = { score: 80, grade: "A" };

describe("scoreHistory", () => {
  it("is the record as it is when no event came late", () => {
    const recorded = [recordedAt(1, 40, "C"), recordedAt(3, 50, "B")];
    expect(scoreHistory(recorded, null, fitNow)).toEqual(
      recorded.map((p) => ({ ...p, source: "recorded" })),
    );
  });

  it("replaces the record up to the last late arrival with the rebuilt points, keeping the rest", () => {
    const recorded = [
      recordedAt(1, 30, "D"),
      recordedAt(5, 40, "C"),
      recordedAt(10, 50, "B"),
      recordedAt(12, 55, "B"),
    ];
    const history = scoreHistory(
      recorded,
      {
        arrival: day(10),
        rebuilt: [
          { at: day(2), engagement: 15, types: ["page_view"] },
          { at: day(7), engagement: 22.5, types: ["email_click", "page_view"] },
        ],
      },
      fitNow,
    );
    expect(history).toEqual([
      // Each with the fit recorded by then.
      {
        at: day(2),
        fitScore: 30,
        fitGrade: "D",
        engagementScore: 15,
        cause: "page_view",
        source: "events",
      },
      {
        at: day(7),
        fitScore: 40,
        fitGrade: "C",
        engagementScore: 22.5,
        cause: "email_click,page_view",
        source: "events",
      },
      // Recorded at the arrival itself (before the late events counted) is left out.
      { ...recorded[3], source: "recorded" },
    ]);
  });

  it("gives a point before any record the first recorded fit", () => {
    const [point] = scoreHistory(
      [recordedAt(5, 40, "C")],
      { arrival: day(5), rebuilt: [{ at: day(1), engagement: 5, types: ["page_view"] }] },
      fitNow,
    );
    expect(point).toMatchObject({ fitScore: 40, fitGrade: "C", source: "events" });
  });

  it("takes the fit of now when nothing was recorded", () => {
    const [point] = scoreHistory(
      [],
      { arrival: day(3), rebuilt: [{ at: day(1), engagement: 5, types: ["page_view"] }] },
      fitNow,
    );
    expect(point).toMatchObject({ fitScore: 80, fitGrade: "A", source: "events" });
  });
});
