import { describe, expect, it } from "vitest";
import type { ScoringModel } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { scoreLead } from "./lead-score.ts";

const now = new Date("2025-06-02T12:00:00Z");
const model: ScoringModel = {
  ...defaultAgreement.scoring,
  engagement: { ...defaultAgreement.scoring.engagement, competitorDomains: ["rival.com"] },
};
const events = [
  { id: "a", type: "demo_request", occurredAt: now },
  { id: "b", type: "page_view", occurredAt: now, url: "/pricing" },
];

describe("scoreLead", () => {
  it("scores fit and engagement together", () => {
    const score = scoreLead({
      profile: { email: "jane@acme.com", title: "CMO" },
      events,
      model,
      now,
    });
    expect(score.fit.score).toBe(20);
    expect(score.engagement.score).toBe(75);
    expect(score.competitor).toBe(false);
  });

  it("a competitor's events score nothing and flag the lead", () => {
    const score = scoreLead({ profile: { email: "spy@rival.com" }, events, model, now });
    expect(score.engagement).toEqual({ score: 0, contributions: [], events: [] });
    expect(score.competitor).toBe(true);
  });
});
