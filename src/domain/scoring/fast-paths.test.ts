import { describe, expect, it } from "vitest";
import type { Condition } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { fitGrades } from "../lifecycle-stages.ts";
import { conditionHolds, evaluateCriteria, type LeadFacts } from "./criteria.ts";
import {
  addEvent,
  type EngagementState,
  engagementFromState,
  engagementScoreFromState,
} from "./engagement.ts";

// A tiny deterministic generator: no Math.random in domain tests.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const conditions: Condition[] = [
  { kind: "engagement_at_least", value: 50 },
  { kind: "fit_at_least", value: 40 },
  { kind: "fit_grade_at_least", value: "B" },
  { kind: "has_fields", fields: ["email", "firstName", "company"] },
  { kind: "consent_given" },
];

describe("hot-path shortcuts agree with the explained versions", () => {
  it("conditionHolds says what evaluateCriteria says, for every condition kind", () => {
    const rnd = lcg(42);
    for (let i = 0; i < 500; i++) {
      const facts: LeadFacts = {
        engagement: rnd() * 100,
        fit: rnd() * 100,
        fitGrade: fitGrades[Math.floor(rnd() * 4)]!,
        fields: {
          email: "a@b.co",
          firstName: rnd() < 0.5 ? "Ann" : "  ",
          company: rnd() < 0.5 ? "Acme" : null,
        },
        consent: rnd() < 0.5,
      };
      for (const c of conditions) {
        expect(conditionHolds(c, facts)).toBe(evaluateCriteria([c], facts).met);
      }
    }
  });

  it("engagementScoreFromState equals engagementFromState's score, caps and decay included", () => {
    const rnd = lcg(7);
    const model = defaultAgreement.scoring;
    const types = [
      "page_view",
      "email_click",
      "content_download",
      "demo_request",
      "unsubscribe",
      "webinar_attended",
    ];
    const start = Date.parse("2026-01-01T00:00:00Z");
    let state: EngagementState = {};
    for (let i = 0; i < 300; i++) {
      const at = new Date(start + rnd() * 90 * 86_400_000);
      const type = types[Math.floor(rnd() * types.length)]!;
      state = addEvent(
        state,
        { id: `e${i}`, type, occurredAt: at, url: rnd() < 0.5 ? "/pricing" : "/blog/x" },
        model,
        new Date(start + 90 * 86_400_000),
      );
      const now = new Date(start + (90 + rnd() * 30) * 86_400_000);
      expect(engagementScoreFromState(state, model, now)).toBe(
        engagementFromState(state, model, now).score,
      );
    }
  });
});
