import type { Condition } from "../agreement.ts";
import { assertNever } from "../errors.ts";
import { type FitGrade, gradeAtLeast } from "../lifecycle-stages.ts";

export type LeadField = Extract<Condition, { kind: "has_fields" }>["fields"][number];

export type LeadFacts = {
  engagement: number;
  fit: number;
  fitGrade: FitGrade;
  fields: Partial<Record<LeadField, string | null>>;
  consent: boolean;
};

export type ConditionResult = { condition: Condition; met: boolean; detail: string };
export type CriteriaResult = { met: boolean; results: ConditionResult[] };

const fieldLabels: Record<LeadField, string> = {
  email: "email",
  firstName: "first name",
  lastName: "last name",
  company: "company",
  title: "title",
  country: "country",
  phone: "phone",
};

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function score(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function gradePhrase(grade: FitGrade): string {
  if (grade === "A") return "fit grade A";
  if (grade === "D") return "any fit grade";
  return `fit grade ${grade} or better`;
}

/** The condition in plain language, as people read it in the agreement and on a lead. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case "engagement_at_least":
      return `engagement ≥ ${c.value}`;
    case "fit_at_least":
      return `fit ≥ ${c.value}`;
    case "fit_grade_at_least":
      return gradePhrase(c.value);
    case "has_fields":
      return `has ${list(c.fields.map((f) => fieldLabels[f]))}`;
    case "consent_given":
      return "consent given";
    default:
      return assertNever(c);
  }
}

function evaluate(c: Condition, facts: LeadFacts): ConditionResult {
  switch (c.kind) {
    case "engagement_at_least": {
      const met = facts.engagement >= c.value;
      return {
        condition: c,
        met,
        detail: `engagement ${score(facts.engagement)} ${met ? "≥" : "<"} ${c.value}`,
      };
    }
    case "fit_at_least": {
      const met = facts.fit >= c.value;
      return { condition: c, met, detail: `fit ${score(facts.fit)} ${met ? "≥" : "<"} ${c.value}` };
    }
    case "fit_grade_at_least": {
      const met = gradeAtLeast(facts.fitGrade, c.value);
      return {
        condition: c,
        met,
        detail: `fit grade ${facts.fitGrade}${met ? "" : `, needs ${gradePhrase(c.value)}`}`,
      };
    }
    case "has_fields": {
      const missing = c.fields.filter((f) => !facts.fields[f]?.trim());
      const met = missing.length === 0;
      return {
        condition: c,
        met,
        detail: met
          ? `has ${list(c.fields.map((f) => fieldLabels[f]))}`
          : `missing ${list(missing.map((f) => fieldLabels[f]))}`,
      };
    }
    case "consent_given":
      return {
        condition: c,
        met: facts.consent,
        detail: facts.consent ? "consent given" : "no consent",
      };
    default:
      return assertNever(c);
  }
}

/** Whether one condition holds; the hot path's check, without building explanations. */
export function conditionHolds(c: Condition, facts: LeadFacts): boolean {
  switch (c.kind) {
    case "engagement_at_least":
      return facts.engagement >= c.value;
    case "fit_at_least":
      return facts.fit >= c.value;
    case "fit_grade_at_least":
      return gradeAtLeast(facts.fitGrade, c.value);
    case "has_fields":
      return c.fields.every((f) => Boolean(facts.fields[f]?.trim()));
    case "consent_given":
      return facts.consent;
    default:
      return assertNever(c);
  }
}

/** All conditions must hold; an empty list holds vacuously. Every condition is reported. */
export function evaluateCriteria(
  conditions: readonly Condition[],
  facts: LeadFacts,
): CriteriaResult {
  const results = conditions.map((c) => evaluate(c, facts));
  return { met: results.every((r) => r.met), results };
}
