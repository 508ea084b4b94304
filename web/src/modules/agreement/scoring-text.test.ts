import { defaultAgreement } from "@domain/default-agreement.ts";
import { describe, expect, it } from "vitest";
import {
  daysText,
  describeFitMatch,
  eventLabel,
  recycleReturns,
  signalPlace,
  signedPoints,
  triggerMaxAgeDays,
} from "./scoring-text.ts";

const model = defaultAgreement.scoring;
const rule = (id: string) => {
  const found = model.fit.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
const signal = (id: string) => {
  const found = model.engagement.signals.find((s) => s.id === id);
  if (!found) throw new Error(`no signal ${id}`);
  return found;
};

describe("describeFitMatch", () => {
  it.each([
    ["industry_core", "is Software, Fintech, Healthcare IT or SaaS"],
    ["size_mid", "200 to 4,999"],
    ["size_enterprise", "5,000 or more"],
    ["revenue_10m", "$10M or more"],
    ["seniority_decision", "is Director, VP or C-level"],
    ["dept_revops", "is Marketing, Sales or Revenue operations"],
    ["uses_crm", "includes Salesforce, HubSpot or Pipedrive"],
    ["free_mail", "is a free-mail domain"],
    ["student_title", "contains “student” or “intern”"],
  ])("rule %s reads “%s”", (id, text) => {
    expect(describeFitMatch(rule(id))).toBe(text);
  });

  it("a range with only an upper bound, or on a non-integer attribute, names both ends", () => {
    expect(describeFitMatch({ attribute: "employees", match: { op: "range", max: 50 } })).toBe(
      "under 50",
    );
    expect(
      describeFitMatch({ attribute: "annualRevenue", match: { op: "range", min: 1e6, max: 5e6 } }),
    ).toBe("$1M or more, under $5M");
  });
});

describe("signals", () => {
  it("a page view signal without a group counts any other page; other events have no place", () => {
    expect(signalPlace(signal("pricing_view"), model)).toBe("Pricing");
    expect(signalPlace(signal("page_view"), model)).toBe("Any other page");
    expect(signalPlace(signal("email_click"), model)).toBeNull();
  });

  it("a hand-raiser's event is named by the signal that counts it", () => {
    expect(eventLabel("demo_request", model)).toBe("Demo request");
    expect(eventLabel("trial_started", model)).toBe("Trial started");
  });

  it("points carry their sign, with a true minus", () => {
    expect([signedPoints(25), signedPoints(-15), signedPoints(0)]).toEqual(["+25", "−15", "0"]);
    expect([daysText(1), daysText(14), daysText(0.5)]).toEqual(["1 day", "14 days", "0.5 days"]);
  });

  it("the trigger age the page states is the server's", () => {
    expect(triggerMaxAgeDays).toBe(7);
  });
});

describe("recycleReturns", () => {
  const recycle = defaultAgreement.recycle;
  it("names what brings a recycled lead back during its nurture, as the policy says", () => {
    const fitClause = "when its fit still meets the MQL's fit conditions";
    expect(recycleReturns(recycle, { fitClause })).toBe(
      "a hand-raiser or, when its fit still meets the MQL's fit conditions, a visit to the pricing page or a rise in seniority",
    );
    expect(recycleReturns(recycle, { fitClause: null, short: true })).toBe(
      "a hand-raiser, a pricing visit or a rise in seniority",
    );
    const noPricing = { ...recycle, requalifyOnPricingVisit: false };
    expect(recycleReturns(noPricing, { fitClause })).toBe(
      "a hand-raiser or, when its fit still meets the MQL's fit conditions, a rise in seniority",
    );
    const neither = { ...noPricing, requalifyOnAuthorityChange: false };
    expect(recycleReturns(neither, { fitClause })).toBe("a hand-raiser");
    // An agreement written before the authority change existed does not have it.
    const { requalifyOnAuthorityChange: _, ...older } = recycle;
    expect(recycleReturns(older as typeof recycle, { fitClause: null })).toBe(
      "a hand-raiser or a visit to the pricing page",
    );
  });
});
