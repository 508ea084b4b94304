import type {
  AgreementDocument,
  FitAttribute,
  FitRule,
  ScoringModel,
  Signal,
} from "@domain/agreement.ts";
import { TRIGGER_MAX_AGE_MS } from "@domain/scoring/apply-events.ts";
import { seniorityName } from "@domain/scoring/fit.ts";
import { formatNumber, formatScore, humanize } from "../../ui/format.ts";

/** How many days old an event may be and still raise a hand or re-qualify a lead. */
export const triggerMaxAgeDays = TRIGGER_MAX_AGE_MS / 86_400_000;

const attributeLabels: Record<FitAttribute, string> = {
  industry: "Industry",
  employees: "Employees",
  annualRevenue: "Annual revenue",
  country: "Country",
  title: "Job title",
  seniority: "Seniority",
  department: "Department",
  technologies: "Technologies",
  emailDomainType: "Email domain",
};

export function fitAttributeLabel(attribute: FitAttribute): string {
  return attributeLabels[attribute];
}

// No trailing ".0": thresholds are round amounts ("$10M"), which some ICU builds print "$10.0M".
const money = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});

const emailKinds: Record<string, string> = {
  free: "a free-mail domain",
  company: "a company domain",
  competitor: "a competitor's domain",
};

/** "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/**
 * What brings a recycled lead back as an MQL during its nurture, in words: "a hand-raiser
 * or, when its fit still meets the MQL's fit conditions, a visit to the pricing page or a rise
 * in seniority". `fitClause` is that middle part (null leaves it out); `short` names the
 * triggers briefly.
 */
export function recycleReturns(
  recycle: AgreementDocument["recycle"],
  options: { fitClause: string | null; short?: boolean },
): string {
  const triggers = [
    ...(recycle.requalifyOnPricingVisit
      ? [options.short ? "a pricing visit" : "a visit to the pricing page"]
      : []),
    // Agreements written before this trigger existed do not have it.
    ...(recycle.requalifyOnAuthorityChange === true ? ["a rise in seniority"] : []),
  ];
  if (triggers.length === 0) return "a hand-raiser";
  return options.fitClause
    ? `a hand-raiser or, ${options.fitClause}, ${orList(triggers)}`
    : orList(["a hand-raiser", ...triggers]);
}

function valueName(attribute: FitAttribute, value: string): string {
  if (attribute === "seniority") return seniorityName(value) ?? humanize(value);
  if (attribute === "emailDomainType") return emailKinds[value] ?? value;
  // Codes such as "revenue_operations" read as words; names ("Healthcare IT", "US") as written.
  return /^[a-z_]+$/.test(value) ? humanize(value) : value;
}

function amount(attribute: FitAttribute, n: number): string {
  return attribute === "annualRevenue" ? money.format(n) : formatNumber(n);
}

/** A fit rule's condition in words: "is Software or SaaS", "200 to 4,999", "$10M or more". */
export function describeFitMatch(rule: Pick<FitRule, "attribute" | "match">): string {
  const { attribute, match } = rule;
  switch (match.op) {
    case "in": {
      const names = match.values.map((v) => valueName(attribute, v));
      return `${attribute === "technologies" ? "includes" : "is"} ${orList(names)}`;
    }
    case "contains":
      return `contains ${orList(match.values.map((v) => `“${v}”`))}`;
    case "range": {
      const { min, max } = match;
      if (min !== undefined && max !== undefined) {
        // Head counts are whole numbers: "200 to 4,999" says what "at least 200, under 5,000" means.
        return attribute === "employees" && Number.isInteger(min) && Number.isInteger(max)
          ? `${amount(attribute, min)} to ${amount(attribute, max - 1)}`
          : `${amount(attribute, min)} or more, under ${amount(attribute, max)}`;
      }
      if (min !== undefined) return `${amount(attribute, min)} or more`;
      if (max !== undefined) return `under ${amount(attribute, max)}`;
      return "any value";
    }
  }
}

/** "+25", "−15" (a true minus sign), "0". */
export function signedPoints(n: number): string {
  return n > 0 ? `+${formatScore(n)}` : n < 0 ? `−${formatScore(-n)}` : "0";
}

/** "14 days", "1 day", "0.5 days". */
export function daysText(days: number): string {
  return `${formatScore(days)} ${days === 1 ? "day" : "days"}`;
}

/**
 * Where a signal counts: its page group's label, "Any other page" for a page-view signal
 * without one (page-group signals of the same type win), null for other events.
 */
export function signalPlace(signal: Signal, model: ScoringModel): string | null {
  if (signal.pageGroup) {
    return (
      model.engagement.pageGroups.find((g) => g.id === signal.pageGroup)?.label ?? signal.pageGroup
    );
  }
  const grouped = model.engagement.signals.some(
    (s) => s.eventType === signal.eventType && s.pageGroup,
  );
  return grouped ? "Any other page" : null;
}

/** A hand-raiser's event in words: the label of the signal that counts it, or its type. */
export function eventLabel(eventType: string, model: ScoringModel): string {
  return (
    model.engagement.signals.find((s) => s.eventType === eventType && !s.pageGroup)?.label ??
    humanize(eventType)
  );
}
