import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { Qualification, Stage, TransitionRecord } from "../../domain/lifecycle.ts";
import type { DB } from "../../platform/db/schema.ts";
import { escapeLike } from "../accounts/accounts.repository.ts";

export type LeadRecord = {
  id: string;
  workspaceId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  company: string | null;
  phone: string | null;
  country: string | null;
  source: string | null;
  campaign: string | null;
  sourcedBy: "marketing" | "sales";
  consent: boolean;
  accountId: string | null;
  ownerId: string | null;
  stage: Stage;
  stageEnteredAt: Date;
  qualification: Qualification;
  attributes: Record<string, unknown>;
  fitScore: number;
  fitGrade: string;
  engagementScore: number;
  scoreUpdatedAt: Date | null;
  engagementState: Record<string, { sum: number; at: string; count: number }>;
  fitBreakdown: unknown[];
  createdAt: Date;
  updatedAt: Date;
};

/** Fields a person or system may set directly; stage only changes through transitions. */
export type LeadFields = Pick<
  LeadRecord,
  | "email"
  | "firstName"
  | "lastName"
  | "title"
  | "seniority"
  | "department"
  | "company"
  | "phone"
  | "country"
  | "source"
  | "campaign"
  | "sourcedBy"
  | "consent"
  | "accountId"
  | "ownerId"
  | "attributes"
  | "qualification"
>;

const columnOf: Record<keyof LeadFields, keyof DB["leads"]> = {
  email: "email",
  firstName: "first_name",
  lastName: "last_name",
  title: "title",
  seniority: "seniority",
  department: "department",
  company: "company",
  phone: "phone",
  country: "country",
  source: "source",
  campaign: "campaign",
  sourcedBy: "sourced_by",
  consent: "consent",
  accountId: "account_id",
  ownerId: "owner_id",
  attributes: "attributes",
  qualification: "qualification",
};

function toColumns(fields: Partial<LeadFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columnOf)) {
    const value = fields[key as keyof LeadFields];
    if (value === undefined) continue;
    out[column] = key === "attributes" || key === "qualification" ? JSON.stringify(value) : value;
  }
  return out;
}

type LeadRow = { [K in keyof DB["leads"]]: unknown };

export function toLeadRecord(r: LeadRow): LeadRecord {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    email: r.email as string,
    firstName: r.first_name as string | null,
    lastName: r.last_name as string | null,
    title: r.title as string | null,
    seniority: r.seniority as string | null,
    department: r.department as string | null,
    company: r.company as string | null,
    phone: r.phone as string | null,
    country: r.country as string | null,
    source: r.source as string | null,
    campaign: r.campaign as string | null,
    sourcedBy: r.sourced_by as "marketing" | "sales",
    consent: r.consent as boolean,
    accountId: r.account_id as string | null,
    ownerId: r.owner_id as string | null,
    stage: r.stage as Stage,
    stageEnteredAt: r.stage_entered_at as Date,
    qualification: (r.qualification ?? {}) as Qualification,
    attributes: (r.attributes ?? {}) as Record<string, unknown>,
    fitScore: Number(r.fit_score),
    fitGrade: r.fit_grade as string,
    engagementScore: Number(r.engagement_score),
    scoreUpdatedAt: r.score_updated_at as Date | null,
    engagementState: (r.engagement_state ?? {}) as LeadRecord["engagementState"],
    fitBreakdown: (r.fit_breakdown ?? []) as unknown[],
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export type TransitionRow = TransitionRecord & { id: string; leadId: string; workspaceId: string };

export const leadSortKeys = {
  createdAt: "created_at",
  updatedAt: "updated_at",
  stageEnteredAt: "stage_entered_at",
  fitScore: "fit_score",
  engagementScore: "engagement_score",
  email: "email",
} as const;
export type LeadSortKey = keyof typeof leadSortKeys;

export type LeadListQuery = {
  stages?: Stage[] | undefined;
  ownerId?: string | null | undefined;
  accountId?: string | undefined;
  source?: string | undefined;
  campaign?: string | undefined;
  minEngagement?: number | undefined;
  q?: string | undefined;
  sort: LeadSortKey;
  order: "asc" | "desc";
  limit: number;
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after?: { value: string | number; id: string } | undefined;
};

export function createLeadsRepository(db: Kysely<DB>) {
  function filtered<O>(
    q: SelectQueryBuilder<DB, "leads", O>,
    workspaceId: string,
    query: LeadListQuery,
  ) {
    let out = q.where("workspace_id", "=", workspaceId);
    if (query.stages?.length) out = out.where("stage", "in", query.stages);
    if (query.ownerId === null) out = out.where("owner_id", "is", null);
    else if (query.ownerId) out = out.where("owner_id", "=", query.ownerId);
    if (query.accountId) out = out.where("account_id", "=", query.accountId);
    if (query.source) out = out.where("source", "=", query.source);
    if (query.campaign) out = out.where("campaign", "=", query.campaign);
    if (query.minEngagement !== undefined)
      out = out.where("engagement_score", ">=", query.minEngagement);
    if (query.q) {
      out = out.where("search_text", "like", `%${escapeLike(query.q.trim().toLowerCase())}%`);
    }
    return out;
  }

  return {
    async insert(
      lead: LeadFields & {
        id: string;
        workspaceId: string;
        stage: Stage;
        now: Date;
      },
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord> {
      const r = await trx
        .insertInto("leads")
        .values({
          ...(toColumns(lead) as { email: string; sourced_by: string }),
          id: lead.id,
          workspace_id: lead.workspaceId,
          stage: lead.stage,
          stage_entered_at: lead.now,
          created_at: lead.now,
          updated_at: lead.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLeadRecord(r);
    },
    async findById(
      workspaceId: string,
      id: string,
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord | undefined> {
      const r = await trx
        .selectFrom("leads")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toLeadRecord(r);
    },
    async findByEmail(
      workspaceId: string,
      email: string,
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord | undefined> {
      const r = await trx
        .selectFrom("leads")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where(sql`lower(email)`, "=", email.toLowerCase())
        .executeTakeFirst();
      return r && toLeadRecord(r);
    },
    async list(workspaceId: string, query: LeadListQuery): Promise<LeadRecord[]> {
      const column = leadSortKeys[query.sort];
      let q = filtered(db.selectFrom("leads").selectAll(), workspaceId, query)
        .orderBy(column, query.order)
        .orderBy("id", query.order)
        .limit(query.limit);
      if (query.after) {
        const op = query.order === "desc" ? sql.raw("<") : sql.raw(">");
        const value = column.endsWith("_at") ? new Date(query.after.value) : query.after.value;
        q = q.where(sql<boolean>`(${sql.ref(column)}, id) ${op} (${value}, ${query.after.id})`);
      }
      return (await q.execute()).map(toLeadRecord);
    },
    async count(workspaceId: string, query: LeadListQuery): Promise<number> {
      const r = await filtered(
        db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")),
        workspaceId,
        query,
      ).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async update(
      workspaceId: string,
      id: string,
      fields: Partial<LeadFields>,
      now: Date,
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord | undefined> {
      const r = await trx
        .updateTable("leads")
        .set({ ...toColumns(fields), updated_at: now })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return r && toLeadRecord(r);
    },
    /**
     * Moves the lead only if it is still in `fromStage`. Under concurrent moves exactly one
     * caller sees a row back; PostgreSQL re-checks the condition after the row lock is freed.
     */
    async updateStage(
      workspaceId: string,
      id: string,
      fromStage: Stage,
      change: { stage: Stage; qualification: Qualification; ownerId?: string | null; now: Date },
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord | undefined> {
      const r = await trx
        .updateTable("leads")
        .set({
          stage: change.stage,
          stage_entered_at: change.now,
          qualification: JSON.stringify(change.qualification),
          ...(change.ownerId !== undefined ? { owner_id: change.ownerId } : {}),
          updated_at: change.now,
        })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .where("stage", "=", fromStage)
        .returningAll()
        .executeTakeFirst();
      return r && toLeadRecord(r);
    },
    /** Stores recomputed scores, and the stage when the agreement's rules moved the lead. */
    async setScores(
      workspaceId: string,
      id: string,
      scores: {
        fitScore: number;
        fitGrade: string;
        fitBreakdown: unknown[];
        engagementScore: number;
        stage: Stage | null;
        now: Date;
        /** What changed the scores, when it is worth a point of the lead's score history. */
        historyCause: string | null;
      },
      trx: Kysely<DB> = db,
    ): Promise<LeadRecord> {
      const r = await trx
        .updateTable("leads")
        .set({
          fit_score: scores.fitScore,
          fit_grade: scores.fitGrade,
          fit_breakdown: JSON.stringify(scores.fitBreakdown),
          engagement_score: scores.engagementScore,
          score_updated_at: scores.now,
          // Due at the next decay sweep, which gives it the time its score may next be a tenth
          // of a point off (this write may also have raced a sweep's).
          score_refresh_at: scores.now,
          ...(scores.stage ? { stage: scores.stage, stage_entered_at: scores.now } : {}),
          ...(scores.historyCause ? { score_history_at: scores.now } : {}),
        })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (scores.historyCause) {
        await trx
          .insertInto("score_history")
          .values({
            workspace_id: workspaceId,
            lead_id: id,
            at: scores.now,
            fit_score: scores.fitScore,
            fit_grade: scores.fitGrade,
            engagement_score: scores.engagementScore,
            cause: scores.historyCause,
          })
          .execute();
      }
      return toLeadRecord(r);
    },
    async insertTransitions(rows: TransitionRow[], trx: Kysely<DB> = db): Promise<void> {
      if (rows.length === 0) return;
      await trx
        .insertInto("stage_transitions")
        .values(
          rows.map((t) => ({
            id: t.id,
            workspace_id: t.workspaceId,
            lead_id: t.leadId,
            from_stage: t.fromStage,
            to_stage: t.toStage,
            occurred_at: t.occurredAt,
            actor_type: t.actorType,
            actor_id: t.actorId,
            rule: t.rule,
            reason: t.reason,
            note: t.note,
            agreement_version: t.agreementVersion,
          })),
        )
        .execute();
    },
    async history(
      workspaceId: string,
      leadId: string,
      trx: Kysely<DB> = db,
    ): Promise<TransitionRow[]> {
      const rows = await trx
        .selectFrom("stage_transitions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("lead_id", "=", leadId)
        .orderBy("occurred_at")
        // A lead's arrival comes first, even when a move is dated the same instant.
        .orderBy(sql`from_stage is null`, "desc")
        .orderBy("id")
        .execute();
      return rows.map((t) => ({
        id: t.id,
        workspaceId: t.workspace_id,
        leadId: t.lead_id,
        // The creation row has no from-stage; callers see it as entering `lead`.
        fromStage: (t.from_stage ?? null) as Stage,
        toStage: t.to_stage as Stage,
        occurredAt: t.occurred_at,
        actorType: t.actor_type as TransitionRecord["actorType"],
        actorId: t.actor_id,
        rule: t.rule,
        reason: t.reason,
        note: t.note,
        agreementVersion: t.agreement_version,
      }));
    },
  };
}
export type LeadsRepository = ReturnType<typeof createLeadsRepository>;
