import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/modules/demo/demo.service.ts";
import { createServices } from "../src/services.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/test-db.ts";

// The demo's score history is what ingestion would have recorded from each lead's events.
let database: TestDatabase;
let services: ReturnType<typeof createServices>;
const now = new Date("2026-06-30T12:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  services = createServices({ db: database.db, clock: () => now });
  await seedDemo(services, { seed: 5, now, leads: 300, accounts: 60, users: [] });
});
afterAll(async () => {
  await database?.dispose();
});

describe("accord demo's score history", () => {
  it("has a point after each burst of a lead's events, at the time of its last event", async () => {
    const perLead = await sql<{
      lead_id: string;
      points: number;
      events: number;
      first_event: Date | null;
      last_event: Date | null;
      first_point: Date;
      last_point: Date;
      causes: string[];
    }>`
      select h.lead_id, count(*)::int as points,
        (select count(*)::int from events e where e.lead_id = h.lead_id) as events,
        (select min(occurred_at) from events e where e.lead_id = h.lead_id) as first_event,
        (select max(occurred_at) from events e where e.lead_id = h.lead_id) as last_event,
        min(h.at) as first_point, max(h.at) as last_point, array_agg(h.cause) as causes
      from score_history h group by h.lead_id`.execute(database.db);
    const withEvents = perLead.rows.filter((r) => r.events > 0);
    expect(withEvents.length).toBeGreaterThan(100);
    // Most engaged leads have a history spanning days, not one point stamped at seeding time.
    const spanning = withEvents.filter((r) => r.points >= 2);
    expect(spanning.length).toBeGreaterThan(withEvents.length / 2);
    for (const r of withEvents) {
      expect(r.points).toBeLessThanOrEqual(r.events);
      // The first burst ends within an hour of the first event.
      const lag = r.first_point.getTime() - r.first_event!.getTime();
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(3_600_000);
      expect(r.last_point.getTime()).toBe(r.last_event!.getTime());
      expect(r.causes.every((c) => c.length > 0 && c !== "demo")).toBe(true);
    }
    // The score endpoint serves that recorded history as it is: nothing to rebuild from events.
    const workspace = await sql<{
      workspace_id: string;
    }>`select workspace_id from leads limit 1`.execute(database.db);
    for (const r of spanning.slice(0, 20)) {
      const score = await services.scoring.explain(
        {
          kind: "api_key",
          workspaceId: workspace.rows[0]!.workspace_id,
          keyId: "00000000-0000-4000-8000-000000000000",
          scopes: ["read"],
        },
        r.lead_id,
      );
      // Followed by the fade since the last event, when that is over an hour ago.
      const recorded = score.history.filter((h) => h.source !== "decay");
      expect(recorded).toHaveLength(r.points);
      expect(recorded.every((h) => h.source === "recorded")).toBe(true);
      const fade = score.history.slice(r.points);
      expect(fade.every((h) => h.source === "decay")).toBe(true);
      if (now.getTime() - r.last_event!.getTime() > 3_600_000)
        expect(fade.length).toBeGreaterThan(0);
    }
    // A lead without events has its score of today.
    for (const r of perLead.rows.filter((x) => x.events === 0)) {
      expect(r.points).toBe(1);
      expect(r.last_point.getTime()).toBe(now.getTime());
    }
  });

  it("dates the agreement's moves at the evidence, not at the moment the demo was made", async () => {
    const moves = await sql<{ lead_id: string; occurred_at: Date; last_event: Date | null }>`
      select t.lead_id, t.occurred_at,
        (select max(occurred_at) from events e where e.lead_id = t.lead_id) as last_event
      from stage_transitions t where t.actor_type = 'rule'`.execute(database.db);
    expect(moves.rows.length).toBeGreaterThan(0);
    const stampedNow = moves.rows.filter(
      (m) => m.occurred_at.getTime() === now.getTime() && m.last_event !== null,
    );
    expect(stampedNow).toEqual([]);
    // Each lead's stage began at its last move.
    const leads = await sql<{ entered: Date; moved: Date }>`
      select l.stage_entered_at as entered, m.moved from leads l
      join (select lead_id, max(occurred_at) as moved from stage_transitions group by lead_id) m
        on m.lead_id = l.id`.execute(database.db);
    expect(leads.rows.length).toBeGreaterThan(0);
    expect(leads.rows.filter((r) => r.entered.getTime() !== r.moved.getTime())).toEqual([]);
  });

  it("begins every lead's stage history with its arrival as a lead, at its creation", async () => {
    const r = await sql<{
      id: string;
      stage: string;
      arrivals: number;
      first_from: string | null;
      ok: boolean;
    }>`
      select l.id, l.stage,
        (select count(*)::int from stage_transitions t
          where t.lead_id = l.id and t.from_stage is null) as arrivals,
        (select t.from_stage from stage_transitions t where t.lead_id = l.id
          order by t.occurred_at, t.from_stage nulls first limit 1) as first_from,
        exists (select 1 from stage_transitions t where t.lead_id = l.id and t.from_stage is null
          and t.to_stage = 'lead' and t.occurred_at = l.created_at) as ok
      from leads l`.execute(database.db);
    expect(r.rows.length).toBe(300);
    expect(r.rows.filter((x) => x.arrivals !== 1 || x.first_from !== null || !x.ok)).toEqual([]);
    // So a lead that never moved still shows where it came from.
    expect(r.rows.some((x) => x.stage === "lead")).toBe(true);
    // The history the API reads begins with it, even when the first move is dated the same
    // instant (a lead an SDR accepted at once).
    const workspaceId = (
      await sql<{ id: string }>`select workspace_id as id from leads limit 1`.execute(database.db)
    ).rows[0]!.id;
    for (const lead of r.rows) {
      const history = await services.repos.leads.history(workspaceId, lead.id);
      expect(history[0], lead.id).toMatchObject({ fromStage: null, toStage: "lead" });
    }
  });
});
