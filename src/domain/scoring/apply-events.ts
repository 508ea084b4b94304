import type { AgreementDocument } from "../agreement.ts";
import type { TransitionRecord } from "../lifecycle.ts";
import type { FitGrade, Stage } from "../lifecycle-stages.ts";
import { nextAutomaticStage } from "./advance.ts";
import { compileModel } from "./compile-model.ts";
import type { LeadFacts } from "./criteria.ts";
import {
  addEvent,
  type EngagementState,
  engagementScoreFromState,
  type ScoringEvent,
} from "./engagement.ts";
import { matchPageGroup } from "./page-groups.ts";

export type LeadForScoring = {
  stage: Stage;
  state: EngagementState;
  fit: number;
  fitGrade: FitGrade;
  fields: LeadFacts["fields"];
  consent: boolean;
  /** Events of a competitor's people score nothing and raise no hand. */
  competitor: boolean;
  /** When the lead entered its stage (null for a lead these very events created). */
  stageEnteredAt: Date | null;
  /**
   * An edit has just raised the lead's seniority (see `seniorityRose`): a recycled lead's
   * authority-change trigger. Events never set it.
   */
  authorityRose?: boolean;
};

/**
 * How old an event may be and still raise a hand (a demo request, a recycled lead back on the
 * pricing page): a week covers a late sync or an import of last week's form fills, while a
 * history of past activity imported today does not turn its people into MQLs today.
 */
export const TRIGGER_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export type AutomaticTransition = {
  from: Stage;
  to: Stage;
  rule: string;
  at: Date;
  /** The event after which the rule held, when an event prompted the move. */
  event?: { id: string; type: string; occurredAt: Date };
};

/**
 * How the agreement's automatic moves are recorded, wherever they happen (ingestion, a lead's
 * edit, the demo): made by a rule, named, under the agreement version that has it.
 */
export function ruleMoveRecords(
  moves: readonly AutomaticTransition[],
  agreementVersion: number,
): TransitionRecord[] {
  return moves.map((m) => ({
    fromStage: m.from,
    toStage: m.to,
    occurredAt: m.at,
    actorType: "rule",
    actorId: null,
    rule: m.rule,
    reason: null,
    // Which event it was, so a move can be traced to the evidence (and to its sender).
    note: m.event
      ? `Prompted by the ${m.event.type} event "${m.event.id}" of ${m.event.occurredAt.toISOString()}.`
      : null,
    agreementVersion,
  }));
}

export type AppliedEvents = {
  state: EngagementState;
  engagement: number;
  stage: Stage;
  moves: AutomaticTransition[];
};

/**
 * Folds new events into a lead's engagement state in time order and applies the agreement's
 * automatic moves after each one, so a hand-raiser fires on the event that raised the hand.
 * Moves are dated at `now`: the moment the evidence reached Accord.
 *
 * Every event counts toward the score, but only a current one moves the lead (by a
 * hand-raiser, a re-qualification or the stages' entry criteria): it happened at most
 * `TRIGGER_MAX_AGE_MS` ago, a recycled lead's not before it was recycled (it belongs to the
 * previous round), and it is not a competitor's. So an import of past activity scores its
 * people without making them MQLs today; their next current event does, if the score holds.
 * A recycled lead within its nurture period returns only by a hand-raiser, a pricing visit or
 * (on an edit, `authorityRose`) an authority change.
 */
export function applyEvents(
  lead: LeadForScoring,
  events: readonly ScoringEvent[],
  agreement: AgreementDocument,
  now: Date,
): AppliedEvents {
  const model = compileModel(agreement.scoring);
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  let state = lead.state;
  let stage = lead.stage;
  const moves: AutomaticTransition[] = [];
  const facts = (engagement: number): LeadFacts => ({
    engagement,
    fit: lead.fit,
    fitGrade: lead.fitGrade,
    fields: lead.fields,
    consent: lead.consent,
  });
  let engagement = ordered.length ? 0 : engagementScoreFromState(state, model, now);
  const nurtureEnds =
    lead.stage === "recycled" && lead.stageEnteredAt
      ? lead.stageEnteredAt.getTime() + agreement.recycle.nurtureDays * 24 * 3600 * 1000
      : Number.NEGATIVE_INFINITY;
  const nurturing = (s: Stage) => s === "recycled" && now.getTime() < nurtureEnds;
  const oldest = now.getTime() - TRIGGER_MAX_AGE_MS;
  // Events before this instant belong to a previous round: the recycling of a recycled lead,
  // or a move these events made.
  let enteredAt =
    lead.stage === "recycled" && lead.stageEnteredAt
      ? lead.stageEnteredAt.getTime()
      : Number.NEGATIVE_INFINITY;
  for (const event of ordered) {
    if (!lead.competitor) state = addEvent(state, event, model, now);
    engagement = engagementScoreFromState(state, model, now);
    const at = event.occurredAt.getTime();
    const current = !lead.competitor && at >= oldest && at >= enteredAt;
    if (!current) continue;
    // A lead can pass several gates on one event (lead → mrl → mql); the lifecycle has no
    // cycles among automatic moves, so this ends within a few steps.
    for (let step = 0; step < 3; step++) {
      const next = nextAutomaticStage({
        stage,
        facts: facts(engagement),
        triggeringEventType: event.type,
        triggeringPageGroup: event.url ? matchPageGroup(event.url, model.pageGroups) : null,
        nurturing: nurturing(stage),
        agreement,
      });
      if (!next) break;
      moves.push({
        from: stage,
        to: next.to,
        rule: next.rule,
        at: now,
        event: { id: event.id, type: event.type, occurredAt: event.occurredAt },
      });
      stage = next.to;
      enteredAt = at;
    }
  }
  if (ordered.length === 0) {
    const next = nextAutomaticStage({
      stage,
      facts: facts(engagement),
      nurturing: nurturing(stage),
      authorityRose: lead.authorityRose,
      agreement,
    });
    if (next) {
      moves.push({ from: stage, to: next.to, rule: next.rule, at: now });
      stage = next.to;
    }
  }
  return { state, engagement, stage, moves };
}
