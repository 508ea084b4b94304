import { describe, expect, it } from "vitest";
import type { LeadScore } from "./leads.types.ts";
import { causeText, scoreSeries } from "./score-series.ts";

const score = (history: LeadScore["history"], at = "2026-06-01T12:00:00.000Z") =>
  ({
    at,
    fit: { score: 70, grade: "B" },
    engagement: { score: 41.9 },
    history,
  }) as unknown as LeadScore;

describe("scoreSeries", () => {
  it("draws the history oldest first and runs on to the live value now", () => {
    const series = scoreSeries(
      score([
        {
          at: "2026-05-26T12:00:00.000Z",
          fitScore: 70,
          fitGrade: "B",
          engagementScore: 15,
          cause: "page_view",
          source: "events",
        },
        {
          at: "2026-05-29T12:00:00.000Z",
          fitScore: 70,
          fitGrade: "B",
          engagementScore: 29.1,
          cause: "content_download",
          source: "events",
        },
      ]),
    );
    // Level until the download, then the jump: a held point just before it (see below).
    expect(series.map((p) => p.engagement)).toEqual([15, 15, 29.1, 41.9]);
    // Points rebuilt from late events say so in the tooltip; the live one is no such point.
    expect(series.map((p) => p.rebuilt)).toEqual([true, true, true, false]);
    expect(series.at(-1)).toMatchObject({ cause: null, t: Date.parse("2026-06-01T12:00:00.000Z") });
  });

  it("marks recorded points as recorded and adds no live point a second after the last", () => {
    const series = scoreSeries(
      score(
        [
          {
            at: "2026-06-01T11:59:59.500Z",
            fitScore: 70,
            fitGrade: "B",
            engagementScore: 41.9,
            cause: "page_view",
            source: "recorded",
          },
        ],
        "2026-06-01T12:00:00.000Z",
      ),
    );
    expect(series).toHaveLength(1);
    expect(series[0]!.rebuilt).toBe(false);
  });

  it("marks the fade after the last event, which the chart draws without dots", () => {
    const point = (at: string, engagementScore: number, source: "recorded" | "decay") => ({
      at,
      fitScore: 70,
      fitGrade: "B",
      engagementScore,
      cause: source === "decay" ? "" : "page_view",
      source,
    });
    const series = scoreSeries(
      score([
        point("2026-05-04T12:00:00.000Z", 60, "recorded"),
        point("2026-05-18T12:00:00.000Z", 30, "decay"),
      ]),
    );
    expect(series.map((p) => [p.engagement, p.fading])).toEqual([
      [60, false],
      [30, true],
      [41.9, false],
    ]);
  });

  it("runs level to an event after a quiet spell and jumps there, not days before", () => {
    const point = (at: string, engagementScore: number, cause: string) => ({
      at,
      fitScore: 70,
      fitGrade: "B",
      engagementScore,
      cause,
      source: "recorded" as const,
    });
    const series = scoreSeries(
      score([
        point("2026-05-20T12:00:00.000Z", 9, "page_view"),
        point("2026-05-20T12:30:00.000Z", 12, "email_click"),
        point("2026-05-31T12:00:00.000Z", 68, "demo_request"),
        // Decayed more than the page view added: a gradual fall, joined straight.
        point("2026-05-31T18:00:00.000Z", 60, "page_view"),
      ]),
    );
    expect(series.map((p) => [p.engagement, p.held])).toEqual([
      [9, false],
      // Half an hour apart: joined straight.
      [12, false],
      [12, true],
      [68, false],
      [60, false],
      // The live value: the fade since the last event, valued from the signals.
      [41.9, false],
    ]);
    expect(series[2]).toMatchObject({
      t: Date.parse("2026-05-31T12:00:00.000Z") - 1,
      cause: "demo_request",
    });
  });

  it("names causes in words", () => {
    expect(causeText("content_download,page_view")).toBe("Content download, page view");
  });
});
