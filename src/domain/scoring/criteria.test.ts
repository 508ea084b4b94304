import { describe, expect, it } from "vitest";
import type { Condition } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { describeCondition, evaluateCriteria, type LeadFacts } from "./criteria.ts";

const facts: LeadFacts = {
  engagement: 62.45,
  fit: 55,
  fitGrade: "B",
  fields: {
    email: "jane@acme.com",
    firstName: "Jane",
    lastName: " ",
    company: "Acme",
    phone: null,
  },
  consent: true,
};

describe("describeCondition", () => {
  it.each<[Condition, string]>([
    [{ kind: "engagement_at_least", value: 50 }, "engagement ≥ 50"],
    [{ kind: "fit_at_least", value: 60 }, "fit ≥ 60"],
    [{ kind: "fit_grade_at_least", value: "B" }, "fit grade B or better"],
    [{ kind: "fit_grade_at_least", value: "A" }, "fit grade A"],
    [{ kind: "fit_grade_at_least", value: "D" }, "any fit grade"],
    [{ kind: "has_fields", fields: ["email"] }, "has email"],
    [
      { kind: "has_fields", fields: ["email", "firstName", "lastName", "company"] },
      "has email, first name, last name and company",
    ],
    [{ kind: "consent_given" }, "consent given"],
  ])("%j reads “%s”", (condition, text) => {
    expect(describeCondition(condition)).toBe(text);
  });
});

describe("evaluateCriteria", () => {
  it.each<[string, Condition, LeadFacts, boolean, string]>([
    [
      "engagement at the threshold meets it",
      { kind: "engagement_at_least", value: 62.45 },
      facts,
      true,
      "engagement 62.5 ≥ 62.45",
    ],
    [
      "engagement below the threshold does not",
      { kind: "engagement_at_least", value: 70 },
      facts,
      false,
      "engagement 62.5 < 70",
    ],
    [
      "fit score meets its minimum",
      { kind: "fit_at_least", value: 55 },
      facts,
      true,
      "fit 55 ≥ 55",
    ],
    [
      "a better grade meets a grade minimum",
      { kind: "fit_grade_at_least", value: "C" },
      facts,
      true,
      "fit grade B",
    ],
    [
      "a worse grade does not",
      { kind: "fit_grade_at_least", value: "A" },
      facts,
      false,
      "fit grade B, needs fit grade A",
    ],
    [
      "present fields are had",
      { kind: "has_fields", fields: ["email", "company"] },
      facts,
      true,
      "has email and company",
    ],
    [
      "blank, null and absent fields are missing",
      { kind: "has_fields", fields: ["email", "lastName", "phone", "title"] },
      facts,
      false,
      "missing last name, phone and title",
    ],
    ["consent given", { kind: "consent_given" }, facts, true, "consent given"],
    ["no consent", { kind: "consent_given" }, { ...facts, consent: false }, false, "no consent"],
  ])("%s", (_rule, condition, f, met, detail) => {
    const result = evaluateCriteria([condition], f);
    expect(result.met).toBe(met);
    expect(result.results).toEqual([{ condition, met, detail }]);
  });

  it("all conditions must hold, and every one is reported", () => {
    const result = evaluateCriteria(defaultAgreement.stages.mrl.entryCriteria, facts);
    expect(result.met).toBe(false);
    expect(result.results.map((r) => r.met)).toEqual([false, true]);
  });

  it("an empty list holds", () => {
    expect(evaluateCriteria([], facts)).toEqual({ met: true, results: [] });
  });
});
