import type { AgreementDocument } from "@domain/agreement.ts";
import { defaultAgreement } from "@domain/default-agreement.ts";
import { describe, expect, it } from "vitest";
import type { SignalContribution, StageCriteria } from "./leads.types.ts";
import {
  authorityText,
  engagementFloorNote,
  nurtureEnd,
  rawPointsText,
  requalifyText,
} from "./score-breakdown.tsx";

const signal = (decayedPoints: number): SignalContribution => ({
  signalId: `s${decayedPoints}`,
  label: "Signal",
  events: 1,
  rawPoints: decayedPoints,
  decayedPoints,
  capped: false,
  halfLifeDays: 30,
  cap: 100,
});

describe("engagementFloorNote", () => {
  it("explains a total of 0 when negative signals take the sum below zero", () => {
    expect(engagementFloorNote({ signals: [signal(12.3), signal(-30), signal(-21.9)] })).toBe(
      "The signals add up to −39.6; engagement is never below 0.",
    );
  });

  it("says nothing when the signals add up to the score", () => {
    expect(engagementFloorNote({ signals: [signal(40), signal(-10)] })).toBeNull();
    expect(engagementFloorNote({ signals: [] })).toBeNull();
    // −0.04 rounds to 0: the rows already add up to the 0 shown.
    expect(engagementFloorNote({ signals: [signal(0.06), signal(-0.1)] })).toBeNull();
  });
});

describe("rawPointsText", () => {
  it("names the cap when the events were worth more than it when new", () => {
    expect(rawPointsText({ rawPoints: 60, cap: 45 })).toEqual({
      whenNew: "60 when new",
      cappedAt: "capped at 45",
    });
    expect(rawPointsText({ rawPoints: -40, cap: 30 })).toEqual({
      whenNew: "−40 when new",
      cappedAt: "capped at −30",
    });
  });

  it("is the raw points alone within the cap", () => {
    const alone = (whenNew: string) => ({ whenNew, cappedAt: null });
    expect(rawPointsText({ rawPoints: 45, cap: 45 })).toEqual(alone("45 when new"));
    expect(rawPointsText({ rawPoints: -10, cap: 30 })).toEqual(alone("−10 when new"));
    expect(rawPointsText({ rawPoints: 12, cap: null })).toEqual(alone("12 when new"));
  });
});

describe("authorityText", () => {
  it("states the authority-change trigger when the recycle policy has it", () => {
    expect(authorityText(defaultAgreement)).toBe(
      "A rise in seniority (a new title or seniority, such as a promotion to director) brings a recycled lead back as an MQL when its fit still meets the MQL's fit conditions.",
    );
    const off: AgreementDocument = {
      ...defaultAgreement,
      recycle: { ...defaultAgreement.recycle, requalifyOnAuthorityChange: false },
    };
    expect(authorityText(off)).toBeNull();
  });
});

describe("requalifyText", () => {
  const mql = (engagementMet: boolean, fitMet: boolean): StageCriteria => ({
    stage: "mql",
    met: engagementMet && fitMet,
    conditions: [
      { description: "engagement ≥ 50", met: engagementMet, detail: "" },
      { description: "fit grade ≥ B", met: fitMet, detail: "" },
    ],
  });
  const rule =
    "A visit to the pricing page brings a recycled lead back as an MQL when its fit still meets the MQL's fit conditions.";

  it("states the recycle policy and whether the lead's fit meets the MQL's fit conditions now", () => {
    expect(requalifyText(defaultAgreement, mql(false, true))).toEqual({
      rule,
      now: "Its fit meets them now.",
    });
    expect(requalifyText(defaultAgreement, mql(true, false))).toEqual({
      rule,
      now: "Its fit does not meet them now.",
    });
  });

  it("is absent when the agreement does not re-qualify on a pricing visit", () => {
    const off: AgreementDocument = {
      ...defaultAgreement,
      recycle: { ...defaultAgreement.recycle, requalifyOnPricingVisit: false },
    };
    expect(requalifyText(off, mql(false, true))).toBeNull();
  });

  it("needs no fit when the MQL has no fit conditions", () => {
    const noFit: AgreementDocument = {
      ...defaultAgreement,
      stages: {
        ...defaultAgreement.stages,
        mql: {
          ...defaultAgreement.stages.mql,
          entryCriteria: [{ kind: "engagement_at_least", value: 50 }],
        },
      },
    };
    expect(requalifyText(noFit, undefined)).toEqual({
      rule: "A visit to the pricing page brings a recycled lead back as an MQL.",
      now: null,
    });
  });
});

describe("nurtureEnd", () => {
  it("ends a recycled lead's nurture the agreement's days after its recycling", () => {
    expect(nurtureEnd("2026-11-24T09:56:25.000Z", 90).toISOString()).toBe(
      "2027-02-22T09:56:25.000Z",
    );
  });
});
