import { z } from "zod";
import { bantFields, fitGrades, stages } from "./lifecycle-stages.ts";

const code = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, "lower_snake_case, 2–64 characters");

export const reasonSchema = z.strictObject({
  code,
  label: z.string().min(1).max(200),
  description: z.string().max(1000).optional(),
});
export type Reason = z.infer<typeof reasonSchema>;

/**
 * Machine-checkable entry criteria. A stage's criteria all have to hold (AND); the
 * plain-language definition beside them is what people read.
 */
export const conditionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("engagement_at_least"), value: z.number().min(0) }),
  z.strictObject({ kind: z.literal("fit_at_least"), value: z.number().min(0).max(100) }),
  z.strictObject({ kind: z.literal("fit_grade_at_least"), value: z.enum(fitGrades) }),
  z.strictObject({
    kind: z.literal("has_fields"),
    fields: z
      .array(z.enum(["email", "firstName", "lastName", "company", "title", "country", "phone"]))
      .min(1),
  }),
  z.strictObject({ kind: z.literal("consent_given") }),
]);
export type Condition = z.infer<typeof conditionSchema>;

export const stageDefinitionSchema = z.strictObject({
  label: z.string().min(1).max(60),
  definition: z.string().min(1).max(4000),
  entryCriteria: z.array(conditionSchema).max(20).default([]),
});
export type StageDefinition = z.infer<typeof stageDefinitionSchema>;

export const fitAttributes = [
  "industry",
  "employees",
  "annualRevenue",
  "country",
  "title",
  "seniority",
  "department",
  "technologies",
  "emailDomainType",
] as const;
export type FitAttribute = (typeof fitAttributes)[number];

export const fitRuleSchema = z.strictObject({
  id: code,
  label: z.string().min(1).max(200),
  attribute: z.enum(fitAttributes),
  /** in: any of `values` (case-insensitive); contains: a substring; range: min ≤ v < max. */
  match: z.discriminatedUnion("op", [
    z.strictObject({ op: z.literal("in"), values: z.array(z.string().min(1)).min(1) }),
    z.strictObject({ op: z.literal("contains"), values: z.array(z.string().min(1)).min(1) }),
    z.strictObject({
      op: z.literal("range"),
      min: z.number().optional(),
      max: z.number().optional(),
    }),
  ]),
  points: z.number().int().min(-100).max(100),
});
export type FitRule = z.infer<typeof fitRuleSchema>;

export const pageGroupSchema = z.strictObject({
  id: code,
  label: z.string().min(1).max(200),
  /** URL path globs: `*` matches within a segment, `**` across segments. */
  patterns: z.array(z.string().min(1)).min(1),
});
export type PageGroup = z.infer<typeof pageGroupSchema>;

export const signalSchema = z.strictObject({
  id: code,
  label: z.string().min(1).max(200),
  eventType: code,
  /** When set, only page views in this page group count for the signal. */
  pageGroup: code.optional(),
  points: z.number().min(-1000).max(1000),
  halfLifeDays: z.number().positive().max(3650),
  /** The most the signal can add (or, for negative points, take away) in total. */
  cap: z.number().positive().max(10000),
});
export type Signal = z.infer<typeof signalSchema>;

export const handRaiserSchema = z.strictObject({
  eventType: code,
  minFitGrade: z.enum(fitGrades),
  stage: z.enum(["mql"]),
});

export const scoringModelSchema = z.strictObject({
  fit: z.strictObject({
    rules: z.array(fitRuleSchema).max(200),
    /** Minimum fit score for each grade; anything below C is D. */
    grades: z.strictObject({ A: z.number(), B: z.number(), C: z.number() }),
  }),
  engagement: z.strictObject({
    pageGroups: z.array(pageGroupSchema).max(100),
    signals: z.array(signalSchema).max(200),
    /** Domains of competitors: their events score nothing and flag the lead. */
    competitorDomains: z.array(z.string()).max(500).default([]),
  }),
  handRaisers: z.array(handRaiserSchema).max(20).default([]),
  /** Extra event type names the sender may use, mapped to a known type. */
  eventTypeAliases: z.record(z.string(), code).default({}),
});
export type ScoringModel = z.infer<typeof scoringModelSchema>;

export const slaSchema = z.strictObject({
  acceptMqlHours: z.number().positive().max(720),
  firstTouchHours: z.number().positive().max(720),
  qualifyOrRecycleHours: z.number().positive().max(2160),
  aeAcceptSqlHours: z.number().positive().max(720),
  graceHours: z.number().min(0).max(720),
});

export const agreementDocumentSchema = z.strictObject({
  name: z.string().min(1).max(200),
  stages: z.strictObject(
    Object.fromEntries(stages.map((s) => [s, stageDefinitionSchema])) as {
      [K in (typeof stages)[number]]: typeof stageDefinitionSchema;
    },
  ),
  reasons: z.strictObject({
    rejection: z.array(reasonSchema).min(1).max(100),
    disqualification: z.array(reasonSchema).min(1).max(100),
    loss: z.array(reasonSchema).min(1).max(100),
  }),
  qualification: z.strictObject({
    /** BANT(M) fields that must be filled in before a lead can enter `sql`. */
    requiredFields: z.array(z.enum(bantFields)).max(5),
    requireMeeting: z.boolean(),
  }),
  sla: slaSchema,
  recycle: z.strictObject({
    nurtureDays: z.number().int().min(1).max(730),
    requalifyOnPricingVisit: z.boolean(),
    /**
     * A recycled lead whose seniority rises (an edit of its title or seniority: the person
     * was promoted, or sales found the decision maker's details) is an MQL again when its fit
     * meets the MQL's fit conditions. Absent from agreements written before it existed: off.
     */
    requalifyOnAuthorityChange: z.boolean().default(false),
  }),
  sourcing: z.strictObject({
    /** Lead sources that count as marketing-sourced; anything else is sales-sourced. */
    marketingSources: z.array(z.string()).max(100),
  }),
  scoring: scoringModelSchema,
  goals: z
    .array(
      z.strictObject({
        metric: z.enum([
          "mql_volume",
          "sal_volume",
          "sql_volume",
          "opportunity_volume",
          "customer_volume",
        ]),
        period: z.enum(["month", "quarter"]),
        target: z.number().int().min(0),
      }),
    )
    .max(50)
    .default([]),
});
export type AgreementDocument = z.infer<typeof agreementDocumentSchema>;

export const agreementStatuses = ["draft", "proposed", "active", "superseded", "rejected"] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];

export type Agreement = {
  id: string;
  version: number;
  status: AgreementStatus;
  document: AgreementDocument;
  activatedAt: Date | null;
};

/** Every reason code is unique within its list, signal ids are unique, page groups exist. */
export function agreementProblems(doc: AgreementDocument): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const list of ["rejection", "disqualification", "loss"] as const) {
    const seen = new Set<string>();
    doc.reasons[list].forEach((r, i) => {
      if (seen.has(r.code))
        problems.push({
          path: `reasons.${list}.${i}.code`,
          message: `duplicate reason code "${r.code}"`,
        });
      seen.add(r.code);
    });
  }
  const groups = new Set(doc.scoring.engagement.pageGroups.map((g) => g.id));
  const signalIds = new Set<string>();
  doc.scoring.engagement.signals.forEach((s, i) => {
    if (signalIds.has(s.id))
      problems.push({
        path: `scoring.engagement.signals.${i}.id`,
        message: `duplicate signal id "${s.id}"`,
      });
    signalIds.add(s.id);
    if (s.pageGroup && !groups.has(s.pageGroup))
      problems.push({
        path: `scoring.engagement.signals.${i}.pageGroup`,
        message: `unknown page group "${s.pageGroup}"`,
      });
  });
  const g = doc.scoring.fit.grades;
  if (!(g.A > g.B && g.B > g.C))
    problems.push({ path: "scoring.fit.grades", message: "thresholds must fall from A to C" });
  return problems;
}

/** The reason lists a move to `to` may draw from. */
export function reasonsFor(
  doc: AgreementDocument,
  list: "rejection" | "disqualification" | "loss",
): Reason[] {
  return doc.reasons[list];
}
