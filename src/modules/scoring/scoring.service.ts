import { type Kysely, sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import {
  compileModel,
  decayFactor,
  describeCondition,
  emailDomainTypeOf,
  engagementFromState,
  engagementRefreshAt,
  engagementScoreFromState,
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
 * Leads the decay sweep revalues per statement at most. Each statement holds PGlite's only
 * connection while it runs, so ingestion and reads queued behind it wait at most one chunk (an
 * update of a chunk rewrites every index of those leads, the sort key being one).
 */
const SWEEP_CHUNK = 100;
/**
 * Lead ids a sweep statement walks at most to find the leads due (their refresh time is not
 * indexed, so that ingestion can write it in place): a statement's work stays bounded however
 * few leads are due.
 */
const SWEEP_WINDOW = 1000;
const FIRST_ID = "00000000-0000-0000-0000-000000000000";

export type SweepOptions = {
  /**
   * After each statement, rest this many times as long as it took (0: only yield), so that a
   * long sweep leaves the database to ingestion and reads. `accord serve` uses 3.
   */
  pace?: number;
  /**
   * Runs after a chunk's leads are read and before they are written: the moment another
   * writer may step in. Tests step in here to check that the sweep never overwrites them.
   */
  beforeWrite?: () => Promise<void>;
};
export type SweepResult = {
  workspaces: number;
  /** Workspaces whose every engaged lead was read (first sweep, or a new agreement). */
  fullPasses: number;
  /** Leads read and revalued. */
  examined: number;
  /** Leads whose stored score changed. */
  updated: number;
};

/**
 * What each listed event is worth now: its points after decay, and for a capped signal its
 * share of the cap. A capped signal's events are rounded together, keeping their total, so
 * when all of them are listed they add up to the signal's points.
 */
function eventWorths(
  recent: {
    event_id: string;
    type: string;
    occurred_at: Date;
    url: string | null;
    campaign: string | null;
  }[],
  model: ReturnType<typeof compileModel>,
  now: Date,
  capShare: ReadonlyMap<string, number>,
) {
  const rows = recent.map((e) => {
    const signal = signalFor({ type: e.type, url: e.url }, model);
    const age = Math.max(0, now.getTime() - e.occurred_at.getTime());
    const exact = signal
      ? signal.points * decayFactor(age, signal.halfLifeDays) * (capShare.get(signal.id) ?? 1)
      : 0;
    return {
      eventId: e.event_id,
      type: e.type,
      occurredAt: e.occurred_at,
      url: e.url,
      campaign: e.campaign,
      signalId: signal?.id ?? null,
      signalLabel: signal?.label ?? null,
      points: round1(exact),
      exact,
    };
  });
  for (const signalId of capShare.keys()) {
    const of = rows.filter((r) => r.signalId === signalId);
    const exact = of.map((r) => r.exact);
    const kept = roundToTenthsKeepingSum(exact, round1(exact.reduce((a, b) => a + b, 0)));
    of.forEach((r, i) => {
      r.points = kept[i]!;
    });
  }
  return rows.map(({ exact: _exact, ...r }) => r);
}

export function createScoringService(deps: ScoringServiceDeps) {
  // The sweep in progress: a timer that fires while one runs joins it instead of starting a
  // second walk over the same leads (on a large PGlite database a sweep can outlast its period).
  let sweeping: Promise<SweepResult> | null = null;
  // The agreement each workspace's last full pass valued its leads with. A sweep reads only the
  // leads due (ingestion marks a lead due; a revalued lead gets the time it may be a tenth of
  // a point off) once it has read every engaged lead under the active agreement: at its first
  // sweep, a process has not, and a new agreement changes every score and every fade.
  const fullPassWith = new Map<string, string>();
  let lastSweepAt: number | null = null;

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
      // A capped signal counts its events at the share of the cap their points make: the
      // events' worths then add up to the signal's, as the breakdown shows them side by side.
      const capShare = new Map<string, number>();
      for (const c of engagement.contributions) {
        const acc = lead.engagementState[c.signalId];
        const signal = model.signalsById.get(c.signalId);
        if (!c.capped || !acc || !signal) continue;
        const uncapped =
          acc.sum * decayFactor(now.getTime() - Date.parse(acc.at), signal.halfLifeDays);
        if (uncapped !== 0) capShare.set(c.signalId, c.decayedPoints / uncapped);
      }
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
          events: eventWorths(recent, model, now, capShare),
        },
        criteria,
        history: [...past, ...fadingTail(past.at(-1), lead.engagementState, model, now)],
      };
    },

    /**
     * Revalues the stored engagement scores used for sorting: ingestion writes only the
     * per-signal state (an in-place update that touches no index) and marks the lead due, and
     * scores decay with time. Run every 30 s, so sorting by score is at most that far behind
     * (more while a sweep outlasts its period); the values the API returns are always computed
     * live from the state. Only leads due are read: ingested since their last revaluation, or
     * faded a tenth of a point since (`engagementRefreshAt`), except in a workspace's full pass.
     * One sweep runs at a time: a call made while one runs gets that sweep's result.
     */
    refreshDecayedScores(options: SweepOptions = {}): Promise<SweepResult> {
      sweeping ??= sweep(options).finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };

  /** Whether this agreement is still the workspace's active one. */
  async function stillActive(workspaceId: string, agreementId: string): Promise<boolean> {
    const row = await deps.db
      .selectFrom("agreements")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", agreementId)
      .where("status", "=", "active")
      .executeTakeFirst();
    return row !== undefined;
  }

  async function sweep(options: SweepOptions): Promise<SweepResult> {
    const now = deps.clock();
    // A clock stepped back (an NTP correction) would leave leads marked due at the later time
    // waiting for it: every workspace gets a full pass instead.
    if (lastSweepAt !== null && now.getTime() < lastSweepAt) fullPassWith.clear();
    lastSweepAt = now.getTime();
    const pace = options.pace ?? 0;
    const workspaces = await deps.db.selectFrom("workspaces").select("workspace_id").execute();
    const result: SweepResult = {
      workspaces: workspaces.length,
      fullPasses: 0,
      examined: 0,
      updated: 0,
    };
    for (const { workspace_id: workspaceId } of workspaces) {
      const agreement = await deps.agreement.active(workspaceId);
      const model = compileModel(agreement.document.scoring);
      const full = fullPassWith.get(workspaceId) !== agreement.id;
      const wanted = full
        ? sql`(engagement_score > 0 or engagement_state <> '{}'::jsonb or score_refresh_at <= ${now})`
        : sql`score_refresh_at <= ${now}`;
      let after = FIRST_ID;
      let complete = true;
      for (;;) {
        const started = performance.now();
        // The next window of ids, and the leads due in it (a row with no id: none).
        const rows = await sql<{
          last: string | null;
          id: string | null;
          engagement_state: Record<string, { sum: number; at: string; count: number }> | null;
          engagement_score: number | null;
          version: string | null;
        }>`
          with w as (
            select (select id from (
              select id from leads where workspace_id = ${workspaceId} and id > ${after}::uuid
              order by id limit ${SWEEP_WINDOW}) ids order by id desc limit 1) as last)
          select w.last, c.id, c.engagement_state, c.engagement_score, c.version
          from w left join lateral (
            select id, engagement_state, engagement_score, xmin::text as version from leads
            where workspace_id = ${workspaceId} and id > ${after}::uuid and id <= w.last
              and ${wanted}
            order by id limit ${SWEEP_CHUNK}) c on true`.execute(deps.db);
        const last = rows.rows[0]?.last ?? null;
        if (last === null) break;
        const due = rows.rows.filter((r) => r.id !== null);
        after = due.length === SWEEP_CHUNK ? due.at(-1)!.id! : last;
        result.examined += due.length;
        const writes = due.map((r) => {
          const state = r.engagement_state ?? {};
          const score = engagementScoreFromState(state, model, now);
          const old = Number(r.engagement_score);
          return {
            id: r.id!,
            seen: r.version,
            // An unchanged score is not rewritten, so the update stays in place (HOT).
            score: Math.abs(score - old) >= 0.05 ? score : null,
            refreshAt: engagementRefreshAt(state, model, now),
          };
        });
        if (writes.length > 0) {
          await options.beforeWrite?.();
          // A lead written since we read it (its row version, xmin, changed: an event, an edit,
          // another sweep) keeps its values and is due by the next sweep, which revalues what
          // it holds now (a refresh time another sweep just set from that state is kept).
          // Nothing is written once the agreement we valued with is no longer the active one:
          // its full pass is left to the next sweep, under the new agreement.
          const written = await sql<{ id: string; ours: boolean }>`
            update leads set
              engagement_score = case when leads.xmin::text = v.seen
                then coalesce(v.score, leads.engagement_score) else leads.engagement_score end,
              score_refresh_at = case when leads.xmin::text = v.seen then v.refresh_at
                when leads.score_refresh_at > ${now} then leads.score_refresh_at
                else ${now} end
            from unnest(
              ${writes.map((w) => w.id)}::uuid[], ${writes.map((w) => w.score)}::real[],
              ${writes.map((w) => w.seen)}::text[],
              ${writes.map((w) => w.refreshAt)}::timestamptz[]
            ) as v(id, score, seen, refresh_at)
            where leads.workspace_id = ${workspaceId} and leads.id = v.id
              and exists (select 1 from agreements a where a.workspace_id = ${workspaceId}
                and a.id = ${agreement.id} and a.status = 'active')
            returning leads.id,
              leads.score_refresh_at is not distinct from v.refresh_at as ours`.execute(deps.db);
          if (written.rows.length === 0 && !(await stillActive(workspaceId, agreement.id))) {
            complete = false;
            break;
          }
          const changed = new Set(writes.filter((w) => w.score !== null).map((w) => w.id));
          result.updated += written.rows.filter((r) => r.ours && changed.has(r.id)).length;
        }
        // On PGlite (one connection) ingestion and reads get their turn between statements.
        const rest = (performance.now() - started) * pace;
        await new Promise((resolve) =>
          rest >= 1 ? setTimeout(resolve, rest) : setImmediate(resolve),
        );
      }
      if (!complete) fullPassWith.delete(workspaceId);
      else if (full) {
        fullPassWith.set(workspaceId, agreement.id);
        result.fullPasses += 1;
      }
    }
    return result;
  }
}
export type ScoringService = ReturnType<typeof createScoringService>;
