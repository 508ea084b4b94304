import { describe, expect, it } from "vitest";
import { type AgreementDocument, agreementDocumentSchema, agreementProblems } from "./agreement.ts";
import { defaultAgreement } from "./default-agreement.ts";
import { stages } from "./lifecycle-stages.ts";

/** A deep copy to mutate, typed loosely so tests can break it on purpose. */
const copy = (): Record<string, unknown> & AgreementDocument =>
  structuredClone(defaultAgreement) as Record<string, unknown> & AgreementDocument;

function issuePaths(input: unknown): string[] {
  const result = agreementDocumentSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => i.path.join("."));
}

function issues(input: unknown) {
  const result = agreementDocumentSchema.safeParse(input);
  return result.success ? [] : result.error.issues;
}

describe("the default agreement", () => {
  it("parses with the strict schema and comes out unchanged", () => {
    const parsed = agreementDocumentSchema.parse(defaultAgreement);
    expect(parsed).toEqual(defaultAgreement);
  });

  it("has no problems", () => {
    expect(agreementProblems(defaultAgreement)).toEqual([]);
  });

  it("defines every stage in plain language", () => {
    for (const stage of stages) {
      expect(defaultAgreement.stages[stage].label.length).toBeGreaterThan(0);
      expect(defaultAgreement.stages[stage].definition.length).toBeGreaterThan(20);
    }
  });

  it("defines an MQL as content engagement plus minimum fit", () => {
    expect(defaultAgreement.stages.mql.entryCriteria).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "engagement_at_least" }),
        expect.objectContaining({ kind: "fit_grade_at_least" }),
      ]),
    );
  });

  it("requires every BANT(M) field and a booked meeting before sql", () => {
    expect([...defaultAgreement.qualification.requiredFields].sort()).toEqual(
      ["authority", "budget", "motivation", "need", "timeframe"].sort(),
    );
    expect(defaultAgreement.qualification.requireMeeting).toBe(true);
  });

  it("gives sales 5 hours to accept an MQL", () => {
    expect(defaultAgreement.sla.acceptMqlHours).toBe(5);
  });

  it("has rejection, disqualification and loss reasons", () => {
    expect(defaultAgreement.reasons.rejection.length).toBeGreaterThan(0);
    expect(defaultAgreement.reasons.disqualification.length).toBeGreaterThan(0);
    expect(defaultAgreement.reasons.loss.length).toBeGreaterThan(0);
  });
});

describe("agreementProblems", () => {
  it.each(["rejection", "disqualification", "loss"] as const)(
    "reports a duplicate %s reason code with its path",
    (list) => {
      const doc = copy();
      const first = doc.reasons[list][0]!;
      doc.reasons[list].push({ code: first.code, label: "Again" });
      const index = doc.reasons[list].length - 1;
      expect(agreementProblems(doc)).toEqual([
        {
          path: `reasons.${list}.${index}.code`,
          message: `duplicate reason code "${first.code}"`,
        },
      ]);
    },
  );

  it("allows the same code in two different reason lists", () => {
    const doc = copy();
    doc.reasons.rejection.push({ code: "wrong_fit", label: "Wrong fit" });
    expect(agreementProblems(doc)).toEqual([]);
  });

  it("reports a signal that names an unknown page group with its path", () => {
    const doc = copy();
    const index = doc.scoring.engagement.signals.findIndex((s) => s.pageGroup === "pricing");
    doc.scoring.engagement.signals[index]!.pageGroup = "pricing_v2";
    expect(agreementProblems(doc)).toEqual([
      {
        path: `scoring.engagement.signals.${index}.pageGroup`,
        message: 'unknown page group "pricing_v2"',
      },
    ]);
  });

  it("reports a duplicate signal id with its path", () => {
    const doc = copy();
    const signals = doc.scoring.engagement.signals;
    signals.push({ ...signals[0]! });
    expect(agreementProblems(doc)).toEqual([
      {
        path: `scoring.engagement.signals.${signals.length - 1}.id`,
        message: `duplicate signal id "${signals[0]!.id}"`,
      },
    ]);
  });

  it.each([
    ["A below B", { A: 40, B: 50, C: 25 }],
    ["B below C", { A: 75, B: 20, C: 25 }],
    ["A equal to B", { A: 50, B: 50, C: 25 }],
    ["B equal to C", { A: 75, B: 25, C: 25 }],
    ["reversed", { A: 10, B: 20, C: 30 }],
  ])("reports grade thresholds that do not fall from A to C (%s)", (_name, grades) => {
    const doc = copy();
    doc.scoring.fit.grades = grades;
    expect(agreementProblems(doc)).toEqual([
      { path: "scoring.fit.grades", message: "thresholds must fall from A to C" },
    ]);
  });

  it("reports every problem at once", () => {
    const doc = copy();
    doc.reasons.loss.push({ code: "price", label: "Price again" });
    doc.scoring.engagement.signals[0]!.pageGroup = "nowhere";
    doc.scoring.fit.grades = { A: 1, B: 2, C: 3 };
    expect(agreementProblems(doc).map((p) => p.path)).toEqual([
      `reasons.loss.${doc.reasons.loss.length - 1}.code`,
      "scoring.engagement.signals.0.pageGroup",
      "scoring.fit.grades",
    ]);
  });
});

describe("the strict agreement schema", () => {
  it("rejects an unknown top-level field", () => {
    const found = issues({ ...copy(), mood: "optimistic" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: "unrecognized_keys", keys: ["mood"], path: [] });
  });

  it.each<[string, (doc: Record<string, unknown> & AgreementDocument) => void, string]>([
    [
      "a stage definition",
      (doc) => {
        Object.assign(doc.stages.mql, { colour: "green" });
      },
      "stages.mql",
    ],
    [
      "a reason",
      (doc) => {
        Object.assign(doc.reasons.rejection[0]!, { weight: 3 });
      },
      "reasons.rejection.0",
    ],
    [
      "the qualification rule",
      (doc) => {
        Object.assign(doc.qualification, { requireDemo: true });
      },
      "qualification",
    ],
    [
      "the SLA",
      (doc) => {
        Object.assign(doc.sla, { replyMinutes: 5 });
      },
      "sla",
    ],
    [
      "an entry criterion",
      (doc) => {
        Object.assign(doc.stages.mql.entryCriteria[0]!, { inclusive: true });
      },
      "stages.mql.entryCriteria.0",
    ],
    [
      "a scoring signal",
      (doc) => {
        Object.assign(doc.scoring.engagement.signals[0]!, { boost: 2 });
      },
      "scoring.engagement.signals.0",
    ],
    [
      "the stage map (a stage kind the lifecycle does not have)",
      (doc) => {
        Object.assign(doc.stages, {
          prospect: { label: "Prospect", definition: "Someone", entryCriteria: [] },
        });
      },
      "stages",
    ],
  ])("rejects an unknown field in %s", (_where, mutate, path) => {
    const doc = copy();
    mutate(doc);
    const found = issues(doc);
    expect(found).toHaveLength(1);
    expect(found[0]?.code).toBe("unrecognized_keys");
    expect(found[0]?.path.join(".")).toBe(path);
  });

  it("rejects a document missing a stage definition, naming the stage", () => {
    const doc = copy();
    delete (doc.stages as Partial<typeof doc.stages>).sal;
    expect(issuePaths(doc)).toEqual(["stages.sal"]);
  });

  it("rejects a BANT field the lifecycle does not know", () => {
    const doc = copy();
    (doc.qualification as { requiredFields: string[] }).requiredFields = ["budget", "vibes"];
    expect(issuePaths(doc)).toEqual(["qualification.requiredFields.1"]);
  });

  it("rejects a reason code that is not lower_snake_case", () => {
    const doc = copy();
    doc.reasons.loss[0]!.code = "Too Expensive";
    expect(issuePaths(doc)).toEqual(["reasons.loss.0.code"]);
  });

  it("rejects an empty reason list: a rejection always needs a reason to choose", () => {
    const doc = copy();
    doc.reasons.rejection = [];
    expect(issuePaths(doc)).toEqual(["reasons.rejection"]);
  });
});
