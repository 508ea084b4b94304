import { type Kysely, sql } from "kysely";
import { generateDemoEvents } from "../../domain/demo-events.ts";
import { type DemoTransition, generateDemoHistory } from "../../domain/demo-history.ts";
import type { Stage } from "../../domain/lifecycle-stages.ts";
import {
  applyEvents,
  buildEngagementState,
  compileModel,
  engagementFromState,
  engagementRefreshAt,
  engagementTimeline,
  fitProfileOf,
  type LeadForScoring,
  ruleMoveRecords,
  type ScoringEvent,
  scoreFit,
  signalFor,
} from "../../domain/scoring/index.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { Services } from "../../services.ts";
import type { Role } from "../auth/access.ts";

export type DemoUser = { email: string; name: string; role: Role; password: string };

export type DemoResult = {
  workspaceId: string;
  created: boolean;
  counts: { accounts: number; leads: number; transitions: number; events?: number };
  apiKey: string | null;
  users: DemoUser[];
};

const CHUNK = 1000;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export const DEMO_SLUG = "demo";

/**
 * Creates the demo workspace with a year of synthetic funnel history, deterministic by seed.
 * Runs once per database: a second call finds the workspace and returns its counts.
 */
export async function seedDemo(
  services: Services,
  options: {
    seed: number;
    now: Date;
    apiKey?: string | undefined;
    users?: DemoUser[] | undefined;
    leads?: number;
    accounts?: number;
  },
): Promise<DemoResult> {
  const db: Kysely<DB> = services.db;
  const existing = await services.workspaces.findBySlug(DEMO_SLUG);
  if (existing) {
    const count = async (table: "accounts" | "leads" | "stage_transitions") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("workspace_id", "=", existing.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    let apiKey: string | null = null;
    if (options.apiKey) apiKey = await ensureKey(services, existing.id, options.apiKey);
    return {
      workspaceId: existing.id,
      created: false,
      counts: {
        accounts: await count("accounts"),
        leads: await count("leads"),
        transitions: await count("stage_transitions"),
      },
      apiKey,
      users: [],
    };
  }

  const workspace = await services.workspaces.create({ slug: DEMO_SLUG, name: "Demo Co" });
  const ws = workspace.id;
  const users = options.users ?? [];
  const createdUsers = [] as { id: string; role: Role }[];
  for (const u of users) {
    const record = await services.users.create({ kind: "system", workspaceId: ws }, u);
    createdUsers.push({ id: record.id, role: record.role });
  }
  // Two teams, each under its lead: marketing, and sales (SDRs and AEs).
  const idsOf = (...roles: Role[]) =>
    createdUsers.filter((u) => roles.includes(u.role)).map((u) => u.id);
  const system = { kind: "system" as const, workspaceId: ws };
  if (createdUsers.length) {
    await services.teams.create(system, {
      name: "Marketing",
      managerId: idsOf("marketing_lead")[0] ?? null,
      memberIds: idsOf("marketing"),
    });
    await services.teams.create(system, {
      name: "Sales",
      managerId: idsOf("sales_lead")[0] ?? null,
      memberIds: idsOf("sdr", "ae"),
    });
  }
  const history = generateDemoHistory({
    seed: options.seed,
    now: options.now,
    accounts: options.accounts,
    leads: options.leads,
    agreementVersion: 1,
    users: {
      sdrs: createdUsers.filter((u) => u.role === "sdr").map((u) => u.id),
      aes: createdUsers.filter((u) => u.role === "ae").map((u) => u.id),
    },
  });

  // Engagement comes from real events through the real scoring model, so the demo's scores,
  // breakdowns and decay behave exactly like ingested ones.
  const agreement = await services.agreement.active(ws);
  const model = compileModel(agreement.document.scoring);
  const events = generateDemoEvents(history.leads, options.seed, options.now);
  const eventsByLead = new Map<string, ScoringEvent[]>();
  for (const e of events) {
    const list = eventsByLead.get(e.leadId) ?? [];
    list.push({ id: e.id, type: e.type, occurredAt: e.occurredAt, url: e.url });
    eventsByLead.set(e.leadId, list);
  }
  const accountById = new Map(history.accounts.map((a) => [a.id, a]));
  const scored = new Map(
    history.leads.map((l) => {
      const state = buildEngagementState(eventsByLead.get(l.id) ?? [], model, options.now);
      const fit = scoreFit(
        fitProfileOf(l, l.accountId ? accountById.get(l.accountId) : null),
        model,
      );
      return [
        l.id,
        { state, fit, engagement: engagementFromState(state, model, options.now).score },
      ] as const;
    }),
  );

  // The agreement is enforced on the demo too: a lead whose engagement now meets the MQL
  // criteria (a recycled lead whose interest rebounded, say) moves, as a rule. The move is
  // dated right after the lead's last event (or at its stage entry, if later), as ingestion
  // would have made it, when the same moves held then too; otherwise now.
  for (const l of history.leads) {
    const sc = scored.get(l.id)!;
    const lead: LeadForScoring = {
      stage: l.stage,
      state: sc.state,
      fit: sc.fit.score,
      fitGrade: sc.fit.grade,
      fields: l,
      consent: l.consent,
      competitor: false,
      stageEnteredAt: l.stageEnteredAt,
    };
    const applied = applyEvents(lead, [], agreement.document, options.now);
    const lastEvent = Math.max(
      0,
      ...(eventsByLead.get(l.id) ?? []).map((e) => e.occurredAt.getTime()),
    );
    const evidenceAt = new Date(
      Math.min(options.now.getTime(), Math.max(lastEvent, l.stageEnteredAt.getTime())),
    );
    const movesOf = (r: typeof applied) => r.moves.map((m) => `${m.to}:${m.rule}`).join();
    const then =
      applied.moves.length > 0 ? applyEvents(lead, [], agreement.document, evidenceAt) : applied;
    const movedAt = movesOf(then) === movesOf(applied) ? evidenceAt : options.now;
    for (const record of ruleMoveRecords(applied.moves, agreement.version)) {
      record.occurredAt = movedAt;
      history.transitions.push({ ...record, id: services.newId(), leadId: l.id });
      l.stage = record.toStage;
      l.stageEnteredAt = record.occurredAt;
    }
  }

  // Every lead's stage history begins with its arrival, as the API and ingestion record it:
  // sales-sourced leads were entered by their owner, the others arrived through marketing.
  const arrivals: DemoTransition[] = history.leads.map((l) => ({
    id: services.newId(),
    leadId: l.id,
    fromStage: null as unknown as Stage,
    toStage: "lead",
    occurredAt: l.createdAt,
    actorType: l.sourcedBy === "sales" && l.ownerId ? "user" : "system",
    actorId: l.sourcedBy === "sales" ? l.ownerId : null,
    rule: null,
    reason: null,
    note: null,
    agreementVersion: agreement.version,
  }));
  for (const arrival of arrivals) history.transitions.push(arrival);

  await db.transaction().execute(async (trx) => {
    await insertChunks(history.accounts, (chunk) =>
      trx
        .insertInto("accounts")
        .values(
          chunk.map((a) => ({
            id: a.id,
            workspace_id: ws,
            name: a.name,
            domain: a.domain,
            industry: a.industry,
            employees: a.employees,
            annual_revenue: a.annualRevenue,
            country: a.country,
            technologies: JSON.stringify(a.technologies),
            created_at: a.createdAt,
            updated_at: a.createdAt,
          })),
        )
        .execute(),
    );
    await insertChunks(history.leads, (chunk) =>
      trx
        .insertInto("leads")
        .values(
          chunk.map((l) => ({
            id: l.id,
            workspace_id: ws,
            email: l.email,
            first_name: l.firstName,
            last_name: l.lastName,
            title: l.title,
            seniority: l.seniority,
            department: l.department,
            company: l.company,
            phone: l.phone,
            country: l.country,
            source: l.source,
            campaign: l.campaign,
            sourced_by: l.sourcedBy,
            consent: l.consent,
            account_id: l.accountId,
            owner_id: l.ownerId,
            stage: l.stage,
            stage_entered_at: l.stageEnteredAt,
            qualification: JSON.stringify(l.qualification),
            attributes: JSON.stringify({}),
            fit_score: scored.get(l.id)!.fit.score,
            fit_grade: scored.get(l.id)!.fit.grade,
            fit_breakdown: JSON.stringify(scored.get(l.id)!.fit.contributions),
            engagement_score: scored.get(l.id)!.engagement,
            engagement_state: JSON.stringify(scored.get(l.id)!.state),
            score_updated_at: options.now,
            score_refresh_at: engagementRefreshAt(scored.get(l.id)!.state, model, options.now),
            created_at: l.createdAt,
            updated_at: l.stageEnteredAt,
          })),
        )
        .execute(),
    );
    await insertChunks(events, (chunk) =>
      trx
        .insertInto("events")
        .values(
          chunk.map((e) => ({
            workspace_id: ws,
            event_id: e.id,
            lead_id: e.leadId,
            type: e.type,
            occurred_at: e.occurredAt,
            received_at: e.occurredAt,
            campaign: e.campaign,
            url: e.url,
            signal_id: signalFor({ type: e.type, url: e.url }, model)?.id ?? null,
          })),
        )
        .execute(),
    );
    // Score history as ingestion would have recorded it: a point after each burst of a lead's
    // events (a lead without events gets its score today), so the lead page's chart has a past.
    const historyRows = history.leads.flatMap((l) => {
      const sc = scored.get(l.id)!;
      const timeline = engagementTimeline(eventsByLead.get(l.id) ?? [], model, options.now);
      const points = timeline.length
        ? timeline.map((p) => ({ at: p.at, engagement: p.engagement, cause: p.types.join(",") }))
        : [{ at: options.now, engagement: sc.engagement, cause: "demo" }];
      return points.map((p) => ({
        workspace_id: ws,
        lead_id: l.id,
        at: p.at,
        fit_score: sc.fit.score,
        fit_grade: sc.fit.grade,
        engagement_score: p.engagement,
        cause: p.cause,
      }));
    });
    await insertChunks(historyRows, (chunk) =>
      trx.insertInto("score_history").values(chunk).execute(),
    );
    await insertChunks(history.transitions, (chunk) =>
      services.repos.leads.insertTransitions(
        chunk.map((t) => ({ ...t, workspaceId: ws })),
        trx,
      ),
    );
  });

  // Fresh statistics after the bulk load, so the first queries get index plans.
  await sql`analyze`.execute(db);
  const apiKey = options.apiKey ? await ensureKey(services, ws, options.apiKey) : null;
  return {
    workspaceId: ws,
    created: true,
    counts: {
      accounts: history.accounts.length,
      leads: history.leads.length,
      transitions: history.transitions.length,
    },
    apiKey,
    users,
  };
}

async function ensureKey(services: Services, workspaceId: string, value: string): Promise<string> {
  if (await services.apiKeys.authenticate(value)) return value;
  const { key } = await services.apiKeys.create(
    { kind: "system", workspaceId },
    { name: "Demo admin key", scopes: ["admin"], value },
  );
  return key;
}
