import { describe, expect, it } from "vitest";
import { defaultAgreement } from "../default-agreement.ts";
import { engagementScoreFromState } from "./engagement.ts";
import { FADE_SAMPLES, fadingTail, type RecordedPoint, scoreHistory } from "./history.ts";

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

describe("fadingTail", () => {
  const model = defaultAgreement.scoring;
  // A pricing view (15 points, 14-day half-life) and a blog view (2 points, 7 days) on day 1.
  const state = {
    pricing_view: { sum: 15, at: day(1).toISOString(), count: 1 },
    blog_view: { sum: 2, at: day(1).toISOString(), count: 1 },
  };
  const last = recordedAt(1, 60, "B");

  it("draws the decay from the last event to now at even steps, valued from the state", () => {
    const now = day(29);
    const tail = fadingTail(last, state, model, now);
    expect(tail).toHaveLength(FADE_SAMPLES - 1);
    expect(tail.every((p) => p.source === "decay" && p.fitScore === 60)).toBe(true);
    const step = (now.getTime() - day(1).getTime()) / FADE_SAMPLES;
    expect(tail[0]!.at.getTime()).toBe(day(1).getTime() + step);
    expect(tail.at(-1)!.at.getTime()).toBeLessThan(now.getTime());
    // Two weeks in: the pricing view is worth half, the blog view a quarter.
    const twoWeeks = fadingTail(last, state, model, day(1 + 2 * 14 * 2)).find(
      (p) => p.at.getTime() === day(15).getTime(),
    );
    expect(twoWeeks?.engagementScore).toBeCloseTo(7.5 + 0.5, 1);
    for (const p of tail)
      expect(p.engagementScore).toBe(engagementScoreFromState(state, model, p.at));
    // It only falls.
    for (let i = 1; i < tail.length; i++)
      expect(tail[i]!.engagementScore).toBeLessThanOrEqual(tail[i - 1]!.engagementScore);
  });

  it("starts at the last event when it came after the last recorded point", () => {
    const later = { ...state, email_click: { sum: 5, at: day(3).toISOString(), count: 1 } };
    const tail = fadingTail(last, later, model, day(27));
    expect(tail[0]!.at.getTime()).toBe(
      day(3).getTime() + (day(27).getTime() - day(3).getTime()) / FADE_SAMPLES,
    );
  });

  it("has nothing to draw within an hour of the last event, without history or signals", () => {
    expect(fadingTail(last, state, model, new Date(day(1).getTime() + 59 * 60_000))).toEqual([]);
    expect(fadingTail(undefined, state, model, day(20))).toEqual([]);
    expect(fadingTail(last, {}, model, day(20))).toEqual([]);
  });
});
