import type { AgreementDocument } from "../agreement.ts";
import { assertNever } from "../errors.ts";
import { gradeAtLeast, type Stage } from "../lifecycle-stages.ts";
import { resolveEventType } from "./compile-model.ts";
import { conditionHolds, type LeadFacts } from "./criteria.ts";

/** A move the scoring rules make on their own, with the rule to record on the transition. */
export type AutomaticMove = { to: "mrl" | "mql"; rule: string };

export type AdvanceInput = {
  stage: Stage;
  facts: LeadFacts;
  /** The event type that prompted this check, if an event did (aliases are resolved). */
  triggeringEventType?: string | null;
  /** The page group of that event, for page views. */
  triggeringPageGroup?: string | null;
  /**
   * A recycled lead still within the recycle policy's nurture period (`nurtureDays` since its
   * recycling): only a hand-raiser or a pricing visit brings it back, not the score it had
   * when sales recycled it.
   */
  nurturing?: boolean;
  /**
   * The lead's seniority has just risen (an edit of its title or seniority): the recycle
   * policy's authority-change trigger.
   */
  authorityRose?: boolean;
  agreement: AgreementDocument;
};

function byCriteria(to: "mrl" | "mql", input: AdvanceInput): AutomaticMove | null {
  const conditions = input.agreement.stages[to].entryCriteria;
  // A stage without machine-checkable criteria is entered by people, never by a rule:
  // an empty list must not turn every lead into an MQL.
  if (conditions.length === 0) return null;
  return conditions.every((c) => conditionHolds(c, input.facts))
    ? { to, rule: `criteria:${to}` }
    : null;
}

function byHandRaiser(input: AdvanceInput): AutomaticMove | null {
  if (!input.triggeringEventType) return null;
  const scoring = input.agreement.scoring;
  const type = resolveEventType(input.triggeringEventType, scoring);
  const raiser = scoring.handRaisers.find(
    (h) => h.eventType === type && gradeAtLeast(input.facts.fitGrade, h.minFitGrade),
  );
  return raiser ? { to: raiser.stage, rule: `hand_raiser:${raiser.eventType}` } : null;
}

/**
 * The recycle policy's re-qualification trigger: a recycled lead back on the pricing page is
 * an MQL again, provided it still meets the MQL's fit conditions (engagement may have decayed
 * while it was being nurtured; fit has not).
 */
function byPricingVisit(input: AdvanceInput): AutomaticMove | null {
  if (!input.agreement.recycle.requalifyOnPricingVisit || input.triggeringPageGroup !== "pricing")
    return null;
  return fitMeetsMql(input) ? { to: "mql", rule: "requalify:pricing_visit" } : null;
}

/**
 * The recycle policy's other trigger: a recycled lead whose seniority rose (promoted, or the
 * decision maker's details found) is an MQL again when its fit meets the MQL's fit conditions.
 */
function byAuthorityChange(input: AdvanceInput): AutomaticMove | null {
  // `=== true`: agreements written before this rule existed do not have it.
  if (input.agreement.recycle.requalifyOnAuthorityChange !== true || !input.authorityRose)
    return null;
  return fitMeetsMql(input) ? { to: "mql", rule: "requalify:authority_change" } : null;
}

function fitMeetsMql(input: AdvanceInput): boolean {
  return input.agreement.stages.mql.entryCriteria
    .filter((c) => c.kind === "fit_grade_at_least" || c.kind === "fit_at_least")
    .every((c) => conditionHolds(c, input.facts));
}

/**
 * The forward move the agreement's rules make for a lead now, or null. Automatic moves never
 * go backwards and never touch leads that sales owns or that left the funnel. A hand-raiser is
 * preferred over the MQL criteria when both hold, so the transition names the event that
 * prompted it. A recycled lead returns on the MQL criteria only once nurtured: right after
 * sales recycled it, its score still meets them, and any click would send it straight back.
 * The recycle policy's triggers (a pricing visit, an authority change) work during nurture.
 */
export function nextAutomaticStage(input: AdvanceInput): AutomaticMove | null {
  switch (input.stage) {
    case "lead":
      return byHandRaiser(input) ?? byCriteria("mql", input) ?? byCriteria("mrl", input);
    case "mrl":
      return byHandRaiser(input) ?? byCriteria("mql", input);
    case "recycled":
      return (
        byHandRaiser(input) ??
        byPricingVisit(input) ??
        byAuthorityChange(input) ??
        (input.nurturing ? null : byCriteria("mql", input))
      );
    case "mql":
    case "sal":
    case "sql":
    case "opportunity":
    case "customer":
    case "disqualified":
    case "lost":
      return null;
    default:
      return assertNever(input.stage);
  }
}
