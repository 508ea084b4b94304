import { describe, expect, it } from "vitest";
import type { FitRule, ScoringModel } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import {
  deriveSeniority,
  emailDomainTypeOf,
  type FitProfile,
  scoreFit,
  seniorityOf,
  seniorityRose,
} from "./fit.ts";

const model = defaultAgreement.scoring;

function modelWith(rules: FitRule[], competitorDomains: string[] = []): ScoringModel {
  return {
    ...model,
    fit: { rules, grades: { A: 75, B: 50, C: 25 } },
    engagement: { ...model.engagement, competitorDomains },
  };
}

describe("deriveSeniority", () => {
  it.each([
    ["Chief Marketing Officer", "c_level"],
    ["CEO", "c_level"],
    ["CTO & Co-Founder", "c_level"],
    ["President", "c_level"],
    ["Managing Director, DACH", "c_level"],
    ["VP Sales", "vp"],
    ["Vice President, Marketing", "vp"],
    ["SVP Revenue", "vp"],
    ["Head of Demand Generation", "director"],
    ["Director of Sales Operations", "director"],
    ["Marketing Manager", "manager"],
    ["Sales Team Lead", "manager"],
    ["Account Executive", "individual"],
    ["Executive Assistant to the CEO", "individual"],
    ["Marketing Intern", "individual"],
    ["Internal Communications Manager", "manager"],
    ["Product Owner", "individual"],
    ["", null],
    [null, null],
  ])("%s → %s", (title, seniority) => {
    expect(deriveSeniority(title)).toBe(seniority);
  });
});

describe("seniorityRose (the recycle policy's authority change)", () => {
  it.each<[string | null, string | null, boolean]>([
    ["individual", "manager", true],
    ["manager", "director", true],
    ["director", "vp", true],
    ["vp", "c_level", true],
    ["individual", "c_level", true],
    // No title before: the person's authority was unknown, as an individual's.
    [null, "director", true],
    [null, "individual", false],
    ["director", "director", false],
    ["vp", "manager", false],
    ["c_level", null, false],
    // A seniority the rules do not know (a CRM's own value) is no evidence either way.
    ["individual", "Distinguished Engineer", false],
    ["Partner", "director", true],
  ])("%s → %s: %s", (before, after, rose) => {
    expect(seniorityRose(before, after)).toBe(rose);
  });

  it("reads a given seniority before the title, as fit rules do", () => {
    expect(seniorityOf({ title: "Analyst", seniority: "vp" })).toBe("vp");
    expect(seniorityOf({ title: "Head of Data", seniority: " " })).toBe("director");
    expect(seniorityOf({ title: null, seniority: null })).toBeNull();
    expect(
      seniorityRose(seniorityOf({ title: "Data Analyst" }), seniorityOf({ title: "VP Data" })),
    ).toBe(true);
  });
});

describe("emailDomainTypeOf", () => {
  const withRival = modelWith([], ["rival.com", "@Other-Rival.io"]);
  it.each([
    ["jane@gmail.com", "free"],
    ["jane@acme.com", "company"],
    ["spy@rival.com", "competitor"],
    ["spy@eu.rival.com", "competitor"],
    ["spy@other-rival.io", "competitor"],
    ["jane@notrival.com", "company"],
    ["not-an-email", null],
    [null, null],
  ])("%s is %s", (email, type) => {
    expect(emailDomainTypeOf(email, withRival)).toBe(type);
  });
});

describe("scoreFit with the default agreement", () => {
  it.each<[string, FitProfile, number, string, string[]]>([
    [
      "an ideal VP at a mid-size software company scores 100 (clamped) and grade A",
      {
        industry: "Software",
        employees: 1200,
        annualRevenue: 50_000_000,
        country: "US",
        title: "VP Marketing",
        department: "marketing",
        technologies: ["Slack", "HubSpot"],
        email: "vp@acme.com",
      },
      100,
      "A",
      [
        "industry_core",
        "size_mid",
        "revenue_10m",
        "country_core",
        "seniority_decision",
        "dept_revops",
        "uses_crm",
      ],
    ],
    [
      "a head of department at an adjacent mid-size company is grade B",
      { industry: "retail", employees: 300, country: "de", title: "Head of Demand Gen" },
      65,
      "B",
      ["industry_adjacent", "size_mid", "country_core", "seniority_decision"],
    ],
    [
      "a student on free mail scores 0 (never below) and grade D",
      { title: "Marketing Student", email: "kid@gmail.com" },
      0,
      "D",
      ["free_mail", "student_title"],
    ],
    ["an empty profile matches nothing", {}, 0, "D", []],
    [
      "a given seniority wins over the title; spelling of separators is ignored",
      { seniority: "C-Level", title: "Marketing Manager", department: "Revenue Operations" },
      30,
      "C",
      ["seniority_decision", "dept_revops"],
    ],
    [
      "range upper bounds are exclusive: 200 employees is mid-size, 199 is small",
      { employees: 200 },
      25,
      "C",
      ["size_mid"],
    ],
    ["199 employees is small", { employees: 199 }, 10, "D", ["size_small"]],
    ["5,000 employees is enterprise", { employees: 5000 }, 15, "D", ["size_enterprise"]],
  ])("%s", (_rule, profile, score, grade, ruleIds) => {
    const result = scoreFit(profile, model);
    expect(result.score).toBe(score);
    expect(result.grade).toBe(grade);
    expect(result.contributions.map((c) => c.ruleId)).toEqual(ruleIds);
  });

  it("explains each matched rule with the value that matched", () => {
    const result = scoreFit(
      { title: "Chief Revenue Officer", technologies: ["hubspot", "Pipedrive", "Zoom"] },
      model,
    );
    expect(result.contributions).toEqual([
      {
        ruleId: "seniority_decision",
        label: "Director, VP or C-level",
        attribute: "seniority",
        value: "c_level",
        points: 20,
      },
      {
        ruleId: "uses_crm",
        label: "Uses a CRM we integrate with",
        attribute: "technologies",
        value: "hubspot, Pipedrive",
        points: 5,
      },
    ]);
    expect(result.seniority).toBe("c_level");
    expect(result.seniorityFromTitle).toBe(true);
  });
});

describe("match operators", () => {
  const rules: FitRule[] = [
    {
      id: "eu",
      label: "EU",
      attribute: "country",
      match: { op: "in", values: ["de", "FR"] },
      points: 10,
    },
    {
      id: "ops",
      label: "Ops title",
      attribute: "title",
      match: { op: "contains", values: ["operations"] },
      points: 20,
    },
    {
      id: "big",
      label: "Revenue 1M–5M",
      attribute: "annualRevenue",
      match: { op: "range", min: 1e6, max: 5e6 },
      points: 40,
    },
    {
      id: "small",
      label: "Under 10 people",
      attribute: "employees",
      match: { op: "range", max: 10 },
      points: -5,
    },
    {
      id: "aws",
      label: "Uses an AWS service",
      attribute: "technologies",
      match: { op: "contains", values: ["aws"] },
      points: 15,
    },
    {
      id: "rival",
      label: "Competitor",
      attribute: "emailDomainType",
      match: { op: "in", values: ["competitor"] },
      points: -100,
    },
  ];
  const m = modelWith(rules, ["rival.com"]);

  it.each<[string, FitProfile, string[]]>([
    ["`in` ignores case", { country: "De" }, ["eu"]],
    ["`in` is equality, not substring", { country: "DEU" }, []],
    [
      "`contains` finds a substring, ignoring case",
      { title: "Director, Revenue Operations" },
      ["ops"],
    ],
    ["`range` includes its minimum", { annualRevenue: 1e6 }, ["big"]],
    ["`range` excludes its maximum", { annualRevenue: 5e6 }, []],
    ["`range` with only a maximum", { employees: 3 }, ["small"]],
    ["a missing value never matches a range", { employees: null }, []],
    ["a non-finite number never matches a range", { employees: Number.NaN }, []],
    [
      "`contains` on technologies matches any of them",
      { technologies: ["Stripe", "AWS Lambda"] },
      ["aws"],
    ],
    [
      "a competitor's address matches emailDomainType competitor",
      { email: "x@rival.com" },
      ["rival"],
    ],
    ["blank strings count as missing", { country: "  ", title: "" }, []],
  ])("%s", (_rule, profile, ruleIds) => {
    expect(scoreFit(profile, m).contributions.map((c) => c.ruleId)).toEqual(ruleIds);
  });

  it.each([
    [75, "A"],
    [74, "B"],
    [50, "B"],
    [49, "C"],
    [25, "C"],
    [24, "D"],
  ])("a fit score of %i is grade %s", (points, grade) => {
    const graded = modelWith([
      {
        id: "any",
        label: "Any",
        attribute: "country",
        match: { op: "in", values: ["US"] },
        points,
      },
    ]);
    expect(scoreFit({ country: "US" }, graded).grade).toBe(grade);
  });
});
