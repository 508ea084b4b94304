import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Stage, TransitionRecord } from "../../domain/lifecycle.ts";
import type { DB } from "../../platform/db/schema.ts";

export type LeadForIngest = {
  id: string;
  email: string;
  stage: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  country: string | null;
  phone: string | null;
  consent: boolean;
  fitScore: number;
  fitGrade: string;
  engagementState: Record<string, { sum: number; at: string; count: number }>;
  /** When ingestion last recorded a score-history point for the lead. */
  scoreHistoryAt: Date | null;
  stageEnteredAt: Date;
};

export type NewEventRow = {
  eventId: string;
  leadId: string | null;
  visitorId: string | null;
  type: string;
  occurredAt: Date;
  campaign: string | null;
  url: string | null;
  properties: Record<string, unknown>;
  signalId: string | null;
};

/** A stage change ingestion records: a rule's move, or a new lead's entry (from no stage). */
export type IngestTransition = Omit<TransitionRecord, "fromStage" | "reason" | "note"> & {
  id: string;
  leadId: string;
  fromStage: Stage | null;
  /** For a rule's move, the event that prompted it. */
  note?: string | null;
  /** A move already made (a new lead written in its scored stage): recorded as it is. */
  applied?: boolean;
};

export type ScoreHistoryRow = {
  leadId: string;
  fit: number;
  fitGrade: string;
  engagement: number;
  cause: string;
};

export type NewLeadRow = {
  id: string;
  email: string;
  source: string | null;
  campaign: string | null;
  sourcedBy: "marketing" | "sales";
  accountId: string | null;
  fitScore: number;
  fitGrade: string;
  fitBreakdown: unknown[];
  /** Kept as the lead's attributes (the UTM parameters of the event that created it). */
  attributes: Record<string, string>;
  /**
   * A lead written once its events are scored (see the ingest service): its stage and
   * engagement state then, and whether a score-history point is written for it. Absent: a
   * `lead` with no engagement yet, scored afterwards.
   */
  scored?: { stage: string; engagementState: unknown; recorded: boolean };
};

const leadColumns = sql`id, email, stage, first_name, last_name, company, title, country, phone, consent, fit_score, fit_grade, engagement_state, score_history_at, stage_entered_at`;

type RawLead = {
  id: string;
  email: string;
  stage: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  country: string | null;
  phone: string | null;
  consent: boolean;
  fit_score: number;
  fit_grade: string;
  engagement_state: LeadForIngest["engagementState"];
  score_history_at: Date | string | null;
  stage_entered_at: Date | string;
};

const toLead = (r: RawLead): LeadForIngest => ({
  id: r.id,
  email: r.email,
  stage: r.stage,
  firstName: r.first_name,
  lastName: r.last_name,
  company: r.company,
  title: r.title,
  country: r.country,
  phone: r.phone,
  consent: r.consent,
  fitScore: Number(r.fit_score),
  fitGrade: r.fit_grade,
  engagementState: r.engagement_state ?? {},
  // A Date from the driver, an ISO string from a JSON document.
  scoreHistoryAt: r.score_history_at === null ? null : new Date(r.score_history_at),
  stageEnteredAt: new Date(r.stage_entered_at),
});

/**
 * A batch of rows as one JSON parameter, read back with `jsonb_to_recordset`. One
 * JSON.stringify and one parse in the database cost much less than a text array per column
 * (each element escaped here and unescaped there): about a third off the hot statements.
 */
const batchJson = (rows: object[]): string => JSON.stringify(rows);

/**
 * Set-based SQL for the ingestion hot path: every statement handles a whole batch in one
 * parameter, so a batch costs a handful of round trips whatever its size.
 */
/**
 * Most anonymous events of one visitor attached to a lead by one identification, the latest
 * first. A person
 * browsing has far fewer; the bound keeps one form submission from rewriting an unbounded
 * number of rows (a public tracker key can fabricate a visitor's history). The rest stay
 * anonymous until that visitor is identified again.
 */
export const STITCH_LIMIT = 1000;

/** The insert of new leads, with what it returns (`on conflict do nothing`: raced ones are not). */
function insertLeadRows(
  trx: Kysely<DB>,
  workspaceId: string,
  leads: NewLeadRow[],
  now: Date,
  returning: RawBuilder<unknown>,
) {
  return sql<unknown>`
        insert into leads (id, workspace_id, email, source, campaign, sourced_by, account_id, stage,
          stage_entered_at, fit_score, fit_grade, fit_breakdown, attributes, engagement_state,
          score_updated_at, score_refresh_at, score_history_at, created_at, updated_at)
        select l.id, ${workspaceId}, l.email, l.source, l.campaign, l.sourced_by, l.account_id,
          coalesce(l.stage, 'lead'), ${now}, l.fit_score, l.fit_grade, l.fit_breakdown,
          coalesce(l.attributes, '{}'::jsonb), coalesce(l.engagement_state, '{}'::jsonb), ${now},
          case when l.stage is null then null else ${now}::timestamptz end,
          case when l.recorded then ${now}::timestamptz end, ${now}, ${now}
        from jsonb_to_recordset(${batchJson(
          leads.map((l) => ({
            id: l.id,
            email: l.email,
            source: l.source,
            campaign: l.campaign,
            sourced_by: l.sourcedBy,
            account_id: l.accountId,
            fit_score: l.fitScore,
            fit_grade: l.fitGrade,
            fit_breakdown: l.fitBreakdown,
            attributes: l.attributes,
            stage: l.scored?.stage,
            engagement_state: l.scored?.engagementState,
            recorded: l.scored?.recorded,
          })),
        )}::jsonb) as l(id uuid, email text, source text, campaign text, sourced_by text,
          account_id uuid, fit_score real, fit_grade text, fit_breakdown jsonb, attributes jsonb,
          stage text, engagement_state jsonb, recorded boolean)
        on conflict do nothing
        returning ${returning}`.execute(trx);
}

export function createEventsRepository(db: Kysely<DB>, options: { stitchLimit?: number } = {}) {
  const stitchLimit = options.stitchLimit ?? STITCH_LIMIT;
  return {
    /** Settings for an ingestion transaction. */
    async prepareBatch(trx: Kysely<DB>): Promise<void> {
      // Every statement of an ingestion batch is an index lookup by key. While a table grows
      // fast (a first import), its statistics lag and the planner would scan it whole instead.
      await sql`set local enable_seqscan = off`.execute(trx);
    },

    /**
     * Leads by email or id, locked in id order by one statement, so two batches that reach
     * the same leads (one by email, the other by id) queue behind each other instead of
     * deadlocking. The stage written is also guarded (writeScores).
     */
    async findLeads(
      trx: Kysely<DB>,
      workspaceId: string,
      emails: string[],
      ids: string[],
    ): Promise<LeadForIngest[]> {
      if (emails.length === 0 && ids.length === 0) return [];
      // The rows come back as one JSON document: a driver decodes a thousand rows of fourteen
      // fields far slower than one string (PGlite: 20 → 14 ms per 1,000 leads with the lock, measured over whole batches).
      const r = await sql<{ leads: string | null }>`
        select json_agg(l)::text as leads from (
          select ${leadColumns} from leads
          where workspace_id = ${workspaceId}
            and (lower(email) = any(${emails}::text[]) or id = any(${ids}::uuid[]))
          order by id for update) l`.execute(trx);
      const rows: RawLead[] = r.rows[0]?.leads ? JSON.parse(r.rows[0].leads) : [];
      return rows.map(toLead);
    },

    /** Row counts of leads and events as the last ANALYZE saw them (0 if never analysed). */
    async measuredSizes(): Promise<{ leads: number; events: number }> {
      const r = await sql<{ relname: string; n: number }>`
        select relname, greatest(reltuples, 0)::float8 as n from pg_class
        where relkind = 'r' and relname in ('leads', 'events')
          and relnamespace = to_regnamespace(current_schema())`.execute(db);
      const size = (name: string) => Number(r.rows.find((x) => x.relname === name)?.n ?? 0);
      return { leads: size("leads"), events: size("events") };
    },

    /** Refreshes the planner's statistics of tables ingestion grows (with their companions). */
    async analyze(tables: ("leads" | "events")[]): Promise<void> {
      const names = tables.flatMap((t) =>
        t === "leads" ? ["leads", "accounts", "stage_transitions"] : ["events", "score_history"],
      );
      // A small sample: this refresh is about row counts and keeps the single PGlite connection
      // only briefly; the periodic VACUUM (ANALYZE) and autovacuum take full statistics.
      await db.transaction().execute(async (trx) => {
        await sql`set local default_statistics_target = 10`.execute(trx);
        // Never queue behind a manual VACUUM or another server's ANALYZE: skip this refresh.
        await sql`set local lock_timeout = '1s'`.execute(trx);
        await sql`analyze ${sql.raw(names.join(", "))}`.execute(trx);
      });
    },

    /** Accounts for company domains, created on first sight; with their fit attributes. */
    async ensureAccounts(
      trx: Kysely<DB>,
      workspaceId: string,
      accounts: { id: string; domain: string }[],
      now: Date,
    ) {
      if (accounts.length === 0) return [];
      await sql`
        insert into accounts (id, workspace_id, name, domain, created_at, updated_at)
        select a.id, ${workspaceId}, a.domain, a.domain, ${now}, ${now}
        from unnest(${accounts.map((a) => a.id)}::uuid[], ${accounts.map((a) => a.domain)}::text[]) as a(id, domain)
        on conflict do nothing`.execute(trx);
      const r = await sql<{
        id: string;
        domain: string;
        industry: string | null;
        employees: number | null;
        annual_revenue: number | null;
        country: string | null;
        technologies: string[];
      }>`
        select id, domain, industry, employees, annual_revenue, country, technologies from accounts
        where workspace_id = ${workspaceId} and domain = any(${accounts.map((a) => a.domain)}::text[])`.execute(
        trx,
      );
      return r.rows.map((a) => ({
        id: a.id,
        domain: a.domain,
        industry: a.industry,
        employees: a.employees === null ? null : Number(a.employees),
        annualRevenue: a.annual_revenue === null ? null : Number(a.annual_revenue),
        country: a.country,
        technologies: a.technologies ?? [],
      }));
    },

    /** Creates leads for unknown emails; returns those this call created (others raced in). */
    async insertLeads(
      trx: Kysely<DB>,
      workspaceId: string,
      leads: NewLeadRow[],
      now: Date,
    ): Promise<LeadForIngest[]> {
      if (leads.length === 0) return [];
      const r = await insertLeadRows(trx, workspaceId, leads, now, leadColumns);
      return (r.rows as RawLead[]).map(toLead);
    },

    /**
     * Creates leads already scored (`scored` set on each); returns the ids of those this call
     * created. Nothing else is read back: the caller holds what it wrote.
     */
    async insertScoredLeads(
      trx: Kysely<DB>,
      workspaceId: string,
      leads: NewLeadRow[],
      now: Date,
    ): Promise<string[]> {
      if (leads.length === 0) return [];
      const r = await insertLeadRows(trx, workspaceId, leads, now, sql`id`);
      return (r.rows as { id: string }[]).map((x) => x.id);
    },

    /** Removes leads this transaction made that turned out to have no event to hold. */
    async deleteNewLeads(trx: Kysely<DB>, workspaceId: string, ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await trx
        .deleteFrom("leads")
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", ids)
        .execute();
    },

    /** Which of these event ids are stored already. */
    async storedEventIds(
      trx: Kysely<DB>,
      workspaceId: string,
      ids: string[],
    ): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const r = await sql<{ event_id: string }>`select event_id from events
        where workspace_id = ${workspaceId} and event_id = any(${ids}::text[])`.execute(trx);
      return new Set(r.rows.map((x) => x.event_id));
    },

    /**
     * Stores events: `fresh` holds the new ids; the others were stored already, and
     * `storedLeads` tells the lead each of those was stored for (null: anonymous, or stored by
     * a transaction this statement could not see yet).
     */
    async insertEvents(
      trx: Kysely<DB>,
      workspaceId: string,
      rows: NewEventRow[],
      now: Date,
    ): Promise<{ fresh: Set<string>; storedLeads: Map<string, string | null> }> {
      if (rows.length === 0) return { fresh: new Set(), storedLeads: new Map() };
      // Only the ids already stored come back (usually none), not every row inserted.
      const r = await sql<{ event_id: string; lead_id: string | null }>`
        with input as (
          -- One-letter keys: this document is a thousand rows long, its keys a third of it.
          select i as event_id, l as lead_id, v as visitor_id, t as type, o as occurred_at,
            c as campaign, u as url, p as properties, s as signal_id
          from jsonb_to_recordset(${batchJson(
            rows.map((e) => ({
              i: e.eventId,
              l: e.leadId,
              v: e.visitorId,
              t: e.type,
              o: e.occurredAt,
              c: e.campaign,
              u: e.url,
              p: e.properties,
              s: e.signalId,
            })),
          )}::jsonb) as e(i text, l uuid, v text, t text, o timestamptz, c text, u text, p jsonb, s text)
        ), inserted as (
          insert into events (workspace_id, event_id, lead_id, visitor_id, type, occurred_at,
            received_at, campaign, url, properties, signal_id)
          select ${workspaceId}, e.event_id, e.lead_id, e.visitor_id, e.type, e.occurred_at, ${now},
            e.campaign, e.url, e.properties, e.signal_id
          from input e
          on conflict (workspace_id, event_id) do nothing
          returning event_id
        )
        select e.event_id, (select s.lead_id from events s
            where s.workspace_id = ${workspaceId} and s.event_id = e.event_id) as lead_id
        from input e where e.event_id not in (select event_id from inserted)`.execute(trx);
      // The batch's ids are distinct (the service drops repeats first).
      const fresh = new Set(rows.map((e) => e.eventId));
      const storedLeads = new Map<string, string | null>();
      for (const { event_id, lead_id } of r.rows) {
        fresh.delete(event_id);
        storedLeads.set(event_id, lead_id);
      }
      return { fresh, storedLeads };
    },

    /** The leads known visitors turned out to be. */
    async visitorLeads(
      trx: Kysely<DB>,
      workspaceId: string,
      visitorIds: string[],
    ): Promise<Map<string, string>> {
      if (visitorIds.length === 0) return new Map();
      const r = await sql<{ visitor_id: string; lead_id: string }>`
        select visitor_id, lead_id from visitors
        where workspace_id = ${workspaceId} and visitor_id = any(${visitorIds}::text[])`.execute(
        trx,
      );
      return new Map(r.rows.map((x) => [x.visitor_id, x.lead_id]));
    },

    /** Remembers who visitors are; the latest identification wins (a shared computer). */
    async identifyVisitors(
      trx: Kysely<DB>,
      workspaceId: string,
      pairs: { visitorId: string; leadId: string }[],
      now: Date,
    ) {
      if (pairs.length === 0) return;
      const latest = new Map(pairs.map((p) => [p.visitorId, p.leadId]));
      const ids = [...latest.keys()].sort();
      await sql`
        insert into visitors (workspace_id, visitor_id, lead_id, identified_at)
        select ${workspaceId}, v.visitor_id, v.lead_id, ${now}
        from unnest(${ids}::text[], ${ids.map((id) => latest.get(id)!)}::uuid[]) as v(visitor_id, lead_id)
        on conflict (workspace_id, visitor_id) do update set lead_id = excluded.lead_id, identified_at = excluded.identified_at`.execute(
        trx,
      );
    },

    /**
     * Attaches a visitor's anonymous events (at most `STITCH_LIMIT` per visitor at once) to the
     * lead a form identified; returns them.
     */
    async stitchVisitors(
      trx: Kysely<DB>,
      workspaceId: string,
      pairs: { visitorId: string; leadId: string }[],
    ) {
      if (pairs.length === 0) return [];
      const r = await sql<{
        event_id: string;
        lead_id: string;
        type: string;
        occurred_at: Date;
        url: string | null;
      }>`
        update events set lead_id = s.lead_id
        from (
          select e.event_id, v.lead_id
          from unnest(${pairs.map((p) => p.visitorId)}::text[], ${pairs.map((p) => p.leadId)}::uuid[]) as v(visitor_id, lead_id)
          cross join lateral (
            select event_id from events
            where workspace_id = ${workspaceId} and visitor_id = v.visitor_id and lead_id is null
            order by occurred_at desc
            limit ${stitchLimit}
          ) e
        ) s
        where events.workspace_id = ${workspaceId} and events.event_id = s.event_id and events.lead_id is null
        returning events.event_id, events.lead_id, events.type, events.occurred_at, events.url`.execute(
        trx,
      );
      return r.rows;
    },

    /**
     * Writes a batch's outcome in one statement (one round trip, where three took a third of
     * a small batch's time on PostgreSQL): new engagement states and stages moved by rules,
     * the stage transitions, and the score-history points. A stage is only written if the lead
     * is still in the stage the rules saw, so a person's concurrent move always wins, and a
     * rule's transition is recorded only for a lead whose move applied (a new lead's arrival,
     * from no stage, always is). Returns the leads whose move applied.
     */
    async writeScores(
      trx: Kysely<DB>,
      workspaceId: string,
      batch: {
        leads: {
          id: string;
          /** Signals whose accumulators replace the stored ones (the others are kept). */
          state: unknown;
          engagement: number;
          fromStage: string;
          stage: string;
          /** A history point is written for the lead in this batch. */
          recorded: boolean;
        }[];
        transitions: IngestTransition[];
        history: ScoreHistoryRow[];
      },
      now: Date,
    ): Promise<Set<string>> {
      const { leads, transitions, history } = batch;
      if (leads.length === 0 && transitions.length === 0 && history.length === 0) return new Set();
      // Data-modifying CTEs run once and to completion whether or not the outer query reads
      // them; only the moved leads come back (a batch of a thousand answers a handful of rows).
      const r = await sql<{ id: string }>`
        with written as (
          update leads set
            engagement_state = leads.engagement_state || v.state,
            stage = case when leads.stage = v.from_stage then v.stage else leads.stage end,
            stage_entered_at = case when v.stage <> v.from_stage and leads.stage = v.from_stage
              then ${now}::timestamptz else leads.stage_entered_at end,
            score_updated_at = ${now},
            score_refresh_at = ${now},
            score_history_at = case when v.recorded then ${now}::timestamptz else leads.score_history_at end,
            updated_at = ${now}
          from jsonb_to_recordset(${batchJson(
            leads.map((r) => ({
              id: r.id,
              state: r.state,
              from_stage: r.fromStage,
              stage: r.stage,
              recorded: r.recorded,
            })),
          )}::jsonb) as v(id uuid, state jsonb, from_stage text, stage text, recorded boolean)
          where leads.workspace_id = ${workspaceId} and leads.id = v.id
          returning leads.id, (v.stage <> v.from_stage and leads.stage = v.stage) as moved
        ), moved as (
          select id from written where moved
        ), transitions as (
          insert into stage_transitions (id, workspace_id, lead_id, from_stage, to_stage,
            occurred_at, actor_type, actor_id, rule, note, agreement_version)
          select t.id, ${workspaceId}, t.lead_id, t.from_stage, t.to_stage, t.at, t.actor_type,
            t.actor_id, t.rule, t.note, t.version
          from jsonb_to_recordset(${batchJson(
            transitions.map((r) => ({
              id: r.id,
              lead_id: r.leadId,
              from_stage: r.fromStage,
              to_stage: r.toStage,
              at: r.occurredAt,
              actor_type: r.actorType,
              actor_id: r.actorId,
              rule: r.rule,
              note: r.note,
              version: r.agreementVersion,
              applied: r.applied ?? false,
            })),
          )}::jsonb) as t(id uuid, lead_id uuid, from_stage text, to_stage text, at timestamptz,
            actor_type text, actor_id uuid, rule text, note text, version int, applied boolean)
          where t.applied or t.from_stage is null or t.lead_id in (select id from moved)
        ), history as (
          insert into score_history (workspace_id, lead_id, at, fit_score, fit_grade,
            engagement_score, cause)
          select ${workspaceId}, h.lead_id, ${now}, h.fit, h.fit_grade, h.engagement, h.cause
          from jsonb_to_recordset(${batchJson(
            history.map((r) => ({
              lead_id: r.leadId,
              fit: r.fit,
              fit_grade: r.fitGrade,
              engagement: r.engagement,
              cause: r.cause,
            })),
          )}::jsonb) as h(lead_id uuid, fit real, fit_grade text, engagement real, cause text)
        )
        select id from moved`.execute(trx);
      return new Set(r.rows.map((x) => x.id));
    },

    async recentEvents(workspaceId: string, leadId: string, limit: number) {
      return db
        .selectFrom("events")
        .select(["event_id", "type", "occurred_at", "url", "campaign", "signal_id"])
        .where("workspace_id", "=", workspaceId)
        .where("lead_id", "=", leadId)
        .orderBy("occurred_at", "desc")
        .limit(limit)
        .execute();
    },

    /** When the last of a lead's events that arrived more than `lateMs` after it happened arrived. */
    async lastLateArrival(workspaceId: string, leadId: string, lateMs: number) {
      const r = await sql<{ at: Date | null }>`
        select max(received_at) as at from events
        where workspace_id = ${workspaceId} and lead_id = ${leadId}
          and received_at > occurred_at + make_interval(secs => ${lateMs / 1000})`.execute(db);
      return r.rows[0]?.at ?? null;
    },

    /** A lead's events received by `receivedBy`, the latest to happen first. */
    async eventsReceivedBy(workspaceId: string, leadId: string, receivedBy: Date, limit: number) {
      return db
        .selectFrom("events")
        .select(["event_id", "type", "occurred_at", "url"])
        .where("workspace_id", "=", workspaceId)
        .where("lead_id", "=", leadId)
        .where("received_at", "<=", receivedBy)
        .orderBy("occurred_at", "desc")
        .limit(limit)
        .execute();
    },

    async scoreHistory(workspaceId: string, leadId: string, limit: number) {
      return db
        .selectFrom("score_history")
        .select(["at", "fit_score", "fit_grade", "engagement_score", "cause"])
        .where("workspace_id", "=", workspaceId)
        .where("lead_id", "=", leadId)
        .orderBy("at", "desc")
        .limit(limit)
        .execute();
    },
  };
}
export type EventsRepository = ReturnType<typeof createEventsRepository>;
