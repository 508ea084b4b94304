import type { Condition } from "@domain/agreement.ts";
import { assertNever } from "@domain/errors.ts";
import type { BantField } from "@domain/lifecycle.ts";

const fieldNames: Record<string, string> = {
  email: "email",
  firstName: "first name",
  lastName: "last name",
  company: "company",
  title: "job title",
  country: "country",
  phone: "phone",
};

export const bantLabels: Record<BantField, string> = {
  budget: "Budget",
  authority: "Authority",
  need: "Need",
  timeframe: "Timeframe",
  motivation: "Motivation",
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A machine-checkable entry criterion in words a person reads. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case "engagement_at_least":
      return `Engagement score of ${condition.value} or more`;
    case "fit_at_least":
      return `Fit score of ${condition.value} or more`;
    case "fit_grade_at_least":
      return condition.value === "A" ? "Fit grade A" : `Fit grade ${condition.value} or better`;
    case "has_fields":
      return `We know their ${list(condition.fields.map((f) => fieldNames[f] ?? f))}`;
    case "consent_given":
      return "They consented to hear from us";
    default:
      return assertNever(condition);
  }
}
