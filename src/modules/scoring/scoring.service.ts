import { type Kysely, sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import {
  compileModel,
  decayFactor,
  describeCondition,
  emailDomainTypeOf,
  engagementFromState,
  engagementTimeline,
  evaluateCriteria,
  fadingTail,
  fitProfileOf,
  LATE_MS,
  roundToTenthsKeepingSum,
  scoreFit,
  scoreHistory,
  signalFor,
} from "../../domain/scoring/index.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AccountsRepository } from "../accounts/accounts.repository.ts";
import type { AgreementService } from "../agreement/agreement.service.ts";
import type { Principal } from "../auth/access.ts";
import type { EventsRepository } from "../events/events.repository.ts";
import type { LeadsRepository } from "../leads/leads.repository.ts";

export type ScoringServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  leads: LeadsRepository;
  accounts: AccountsRepository;
  events: EventsRepository;
  agreement: AgreementService;
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Events the breakdown lists, the latest first. */
const RECENT_EVENTS = 100;
/** Events replayed at most (the latest) to rebuild the part of a history before late events. */
const REPLAYED_EVENTS = 1000;

/**
 * Leads per statement of the decay sweep. Each statement holds PGlite's only connection while
 * it runs, so ingestion and reads queued behind it wait at most one chunk (an update of a
 * chunk rewrites every index of those leads, the sort key being one).
 */
const SWEEP_CHUNK = 100;

export function createScoringService(deps: ScoringServiceDeps) {
  // The sweep in progress: a timer that fires while one runs joins it instead of starting a
  // second walk over the same leads (on a large PGlite database a sweep can outlast its period).
  let sweeping: Promise<{ workspaces: number; updated: number }> | null = null;

  return {
    /** Why a lead has the score it has, valued now: every rule and event with its points. */
    async explain(principal: Principal, leadId: string) {
      const { workspaceId } = principal;
      const lead = await deps.leads.findById(workspaceId, leadId);
      if (!lead) throw new AppError("NOT_FOUND", "No lead with this id in this workspace.");
      const [agreement, account, recent, history, lateArrival] = await Promise.all([
        deps.agreement.active(workspaceId),
        lead.accountId
          ? deps.accounts.findById(workspaceId, lead.accountId)
          : Promise.resolve(undefined),
        deps.events.recentEvents(workspaceId, leadId, RECENT_EVENTS),
        deps.events.scoreHistory(workspaceId, leadId, 500),
        deps.events.lastLateArrival(workspaceId, leadId, LATE_MS),
      ]);
      const now = deps.clock();
      const model = compileModel(agreement.document.scoring);
      const fit = scoreFit(fitProfileOf(lead, account), model);
      const engagement = engagementFromState(lead.engagementState, model, now);
      // The signals shown add up to the score shown, unless negative signals took the sum below
      // zero (the score is then floored at 0 and each signal is rounded on its own).
      const exact = engagement.contributions.map((c) => c.decayedPoints);
      const signalPoints =
        exact.reduce((a, b) => a + b, 0) >= 0
          ? roundToTenthsKeepingSum(exact, engagement.score)
          : exact.map(round1);
      const facts = {
        engagement: engagement.score,
        fit: fit.score,
        fitGrade: fit.grade,
        fields: lead,
        consent: lead.consent,
      };
      // Up to the last late arrival (an import of past activity) the history is rebuilt from
      // the events by when they happened (scoreHistory). A competitor's people score nothing,
      // then as now.
      const replay = lateArrival && emailDomainTypeOf(lead.email, model) !== "competitor";
      const replayed = replay
        ? await deps.events.eventsReceivedBy(workspaceId, leadId, lateArrival, REPLAYED_EVENTS)
        : [];
      const late = replay
        ? {
            arrival: lateArrival,
            rebuilt: engagementTimeline(
              replayed.map((e) => ({
                id: e.event_id,
                type: e.type,
                occurredAt: e.occurred_at,
                url: e.url,
              })),
              model,
              now,
              LATE_MS,
            ),
          }
        : null;
      const criteria = (["mrl", "mql"] as const).map((stage) => {
        const conditions = agreement.document.stages[stage].entryCriteria;
        const result = evaluateCriteria(conditions, facts);
        return {
          stage,
          met: conditions.length > 0 && result.met,
          conditions: result.results.map((r) => ({
            description: describeCondition(r.condition),
            met: r.met,
            detail: r.detail,
          })),
        };
      });
      const past = scoreHistory(
        history.reverse().map((h) => ({
          at: h.at,
          fitScore: Number(h.fit_score),
          fitGrade: h.fit_grade,
          engagementScore: Number(h.engagement_score),
          cause: h.cause,
        })),
        late,
        fit,
      );
      return {
        leadId,
        at: now,
        agreementVersion: agreement.version,
        fit: {
          score: fit.score,
          grade: fit.grade,
          thresholds: agreement.document.scoring.fit.grades,
          contributions: fit.contributions,
        },
        engagement: {
          score: engagement.score,
          signals: engagement.contributions.map((c, i) => {
            const signal = model.signalsById.get(c.signalId);
            return {
              ...c,
              decayedPoints: signalPoints[i]!,
              halfLifeDays: signal?.halfLifeDays ?? null,
              cap: signal?.cap ?? null,
            };
          }),
          events: recent.map((e) => {
            const signal = signalFor({ type: e.type, url: e.url }, model);
            const age = Math.max(0, now.getTime() - e.occurred_at.getTime());
            return {
              eventId: e.event_id,
              type: e.type,
              occurredAt: e.occurred_at,
              url: e.url,
              campaign: e.campaign,
              signalId: signal?.id ?? null,
              signalLabel: signal?.label ?? null,
              points: signal ? round1(signal.points * decayFactor(age, signal.halfLifeDays)) : 0,
            };
          }),
        },
        criteria,
        history: [...past, ...fadingTail(past.at(-1), lead.engagementState, model, now)],
      };
    },

    /**
     * Revalues the stored engagement scores used for sorting: ingestion writes only the
     * per-signal state (an in-place update that touches no index), and scores decay with time.
     * Run every 30 s, so sorting by score is at most that far behind; the values the API
     * returns are always computed live from the state. One sweep runs at a time: a call made
     * while one runs gets that sweep's result.
     */
    refreshDecayedScores(): Promise<{ workspaces: number; updated: number }> {
      sweeping ??= sweep().finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };

  async function sweep(): Promise<{ workspaces: number; updated: number }> {
    const now = deps.clock();
    const workspaces = await deps.db.selectFrom("workspaces").select("workspace_id").execute();
    let updated = 0;
    for (const { workspace_id: workspaceId } of workspaces) {
      const agreement = await deps.agreement.active(workspaceId);
      const model = compileModel(agreement.document.scoring);
      let after = "00000000-0000-0000-0000-000000000000";
      for (;;) {
        const rows = await deps.db
          .selectFrom("leads")
          .select(["id", "engagement_state", "engagement_score", "score_updated_at"])
          .where("workspace_id", "=", workspaceId)
          .where((eb) =>
            eb.or([
              eb("engagement_score", ">", 0),
              eb(sql`engagement_state`, "<>", sql`'{}'::jsonb`),
            ]),
          )
          .where("id", ">", after)
          .orderBy("id")
          .limit(SWEEP_CHUNK)
          .execute();
        if (rows.length === 0) break;
        // Small chunks: on PGlite (one connection) ingestion and reads get their turn between them.
        await new Promise((resolve) => setImmediate(resolve));
        after = rows[rows.length - 1]!.id;
        const changed = rows
          .map((r) => ({
            id: r.id,
            seen: r.score_updated_at,
            score: engagementFromState(r.engagement_state ?? {}, model, now).score,
            old: Number(r.engagement_score),
          }))
          .filter((r) => Math.abs(r.score - r.old) >= 0.05);
        if (changed.length === 0) continue;
        // A lead rescored since we read it keeps its fresher value: the update only applies
        // where score_updated_at is still what we saw.
        await sql`
          update leads set engagement_score = v.score
          from unnest(
            ${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.score)}::real[],
            ${changed.map((c) => c.seen)}::timestamptz[]
          ) as v(id, score, seen)
          where leads.workspace_id = ${workspaceId} and leads.id = v.id
            and leads.score_updated_at is not distinct from v.seen`.execute(deps.db);
        updated += changed.length;
      }
    }
    return { workspaces: workspaces.length, updated };
  }
}
export type ScoringService = ReturnType<typeof createScoringService>;
