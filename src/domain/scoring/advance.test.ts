import { describe, expect, it } from "vitest";
import type { AgreementDocument } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { type Stage, stages } from "../lifecycle-stages.ts";
import { nextAutomaticStage } from "./advance.ts";
import type { LeadFacts } from "./criteria.ts";

const contactable: LeadFacts["fields"] = {
  email: "jane@acme.com",
  firstName: "Jane",
  lastName: "Doe",
  company: "Acme",
};
const base: LeadFacts = {
  engagement: 0,
  fit: 0,
  fitGrade: "D",
  fields: { email: "jane@acme.com" },
  consent: false,
};
const mrlReady: LeadFacts = { ...base, fields: contactable, consent: true };
const engagedB: LeadFacts = { ...base, engagement: 60, fit: 55, fitGrade: "B" };

const agreement: AgreementDocument = {
  ...defaultAgreement,
  scoring: { ...defaultAgreement.scoring, eventTypeAliases: { "Demo Requested": "demo_request" } },
};

describe("nextAutomaticStage", () => {
  it.each<[string, Stage, LeadFacts, string | undefined, { to: Stage; rule: string } | null]>([
    [
      "a contactable, consented lead becomes an MRL",
      "lead",
      { ...mrlReady, engagement: 10, fitGrade: "B" },
      undefined,
      { to: "mrl", rule: "criteria:mrl" },
    ],
    [
      "a lead without consent stays a lead",
      "lead",
      { ...mrlReady, consent: false },
      undefined,
      null,
    ],
    [
      "a lead meeting the MQL criteria jumps straight to MQL",
      "lead",
      engagedB,
      undefined,
      { to: "mql", rule: "criteria:mql" },
    ],
    [
      "an MRL meeting the MQL criteria becomes an MQL",
      "mrl",
      { ...mrlReady, engagement: 50, fitGrade: "A" },
      undefined,
      { to: "mql", rule: "criteria:mql" },
    ],
    [
      "engagement just under the threshold is not enough",
      "mrl",
      { ...mrlReady, engagement: 49.9, fitGrade: "A" },
      undefined,
      null,
    ],
    [
      "fit D never becomes MQL by engagement",
      "mrl",
      { ...mrlReady, engagement: 500, fitGrade: "D" },
      undefined,
      null,
    ],
    [
      "fit C never becomes MQL by engagement under the default agreement",
      "mrl",
      { ...mrlReady, engagement: 500, fitGrade: "C" },
      undefined,
      null,
    ],
    [
      "a recycled lead whose score rebounds is an MQL again",
      "recycled",
      engagedB,
      undefined,
      { to: "mql", rule: "criteria:mql" },
    ],
    ["a recycled lead never drops back to MRL", "recycled", mrlReady, undefined, null],
    [
      "a demo request with fit C makes an MQL at once",
      "lead",
      { ...base, fitGrade: "C" },
      "demo_request",
      { to: "mql", rule: "hand_raiser:demo_request" },
    ],
    [
      "a demo request from an MRL with fit A makes an MQL",
      "mrl",
      { ...mrlReady, fitGrade: "A" },
      "demo_request",
      { to: "mql", rule: "hand_raiser:demo_request" },
    ],
    [
      "a demo request from a recycled lead brings it back",
      "recycled",
      { ...base, fitGrade: "B" },
      "demo_request",
      { to: "mql", rule: "hand_raiser:demo_request" },
    ],
    [
      "a hand-raiser under an alias counts",
      "lead",
      { ...base, fitGrade: "C" },
      "Demo Requested",
      { to: "mql", rule: "hand_raiser:demo_request" },
    ],
    [
      "a hand-raiser is named even when the criteria also hold",
      "mrl",
      engagedB,
      "demo_request",
      { to: "mql", rule: "hand_raiser:demo_request" },
    ],
    [
      "a demo request with fit D falls back to the other rules",
      "lead",
      mrlReady,
      "demo_request",
      { to: "mrl", rule: "criteria:mrl" },
    ],
    [
      "an event that is not a hand-raiser changes nothing by itself",
      "lead",
      { ...base, fitGrade: "A" },
      "page_view",
      null,
    ],
    ["an MQL is not moved again", "mql", engagedB, "demo_request", null],
  ])("%s", (_rule, stage, facts, triggeringEventType, expected) => {
    expect(nextAutomaticStage({ stage, facts, triggeringEventType, agreement })).toEqual(expected);
  });

  const untouchable: Stage[] = [
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "disqualified",
    "lost",
  ];
  it.each(untouchable)("a lead in %s is never moved automatically", (stage) => {
    const best: LeadFacts = {
      engagement: 1000,
      fit: 100,
      fitGrade: "A",
      fields: contactable,
      consent: true,
    };
    expect(
      nextAutomaticStage({ stage, facts: best, triggeringEventType: "demo_request", agreement }),
    ).toBeNull();
  });

  it("covers every stage", () => {
    expect([...untouchable, "lead", "mrl", "recycled"].sort()).toEqual([...stages].sort());
  });

  describe("the recycle policy's authority change", () => {
    const fitB: LeadFacts = { ...base, fit: 55, fitGrade: "B" };
    it("brings a recycled lead whose seniority rose back as an MQL, even in nurture", () => {
      for (const nurturing of [false, true]) {
        expect(
          nextAutomaticStage({
            stage: "recycled",
            facts: fitB,
            authorityRose: true,
            nurturing,
            agreement,
          }),
        ).toEqual({ to: "mql", rule: "requalify:authority_change" });
      }
    });

    it("needs the MQL's fit conditions, the policy, a rise, and a recycled lead", () => {
      const move = (over: Partial<Parameters<typeof nextAutomaticStage>[0]>) =>
        nextAutomaticStage({
          stage: "recycled",
          facts: fitB,
          authorityRose: true,
          nurturing: true,
          agreement,
          ...over,
        });
      expect(move({ facts: { ...base, fitGrade: "C" } })).toBeNull();
      expect(move({ authorityRose: false })).toBeNull();
      const off = {
        ...agreement,
        recycle: { ...agreement.recycle, requalifyOnAuthorityChange: false },
      };
      expect(move({ agreement: off })).toBeNull();
      // An agreement written before the rule existed does not have it: off.
      const { requalifyOnAuthorityChange: _, ...older } = agreement.recycle;
      expect(move({ agreement: { ...agreement, recycle: older } as AgreementDocument })).toBeNull();
      // Leads not recycled move by their own rules only.
      expect(move({ stage: "mrl" })).toBeNull();
      expect(
        move({ stage: "lead", facts: { ...fitB, fields: contactable, consent: true } }),
      ).toEqual({
        to: "mrl",
        rule: "criteria:mrl",
      });
    });
  });

  it("a stage with no machine-checkable criteria is never entered automatically", () => {
    const manualMql: AgreementDocument = {
      ...agreement,
      stages: { ...agreement.stages, mql: { ...agreement.stages.mql, entryCriteria: [] } },
    };
    expect(nextAutomaticStage({ stage: "mrl", facts: engagedB, agreement: manualMql })).toBeNull();
    expect(nextAutomaticStage({ stage: "lead", facts: mrlReady, agreement: manualMql })).toEqual({
      to: "mrl",
      rule: "criteria:mrl",
    });
  });
});
