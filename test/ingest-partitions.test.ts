import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IngestReply } from "../src/modules/events/events.schemas.ts";
import { SCORE_HISTORY_INTERVAL_MS } from "../src/modules/events/ingest.service.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

// Ingestion as production runs it on PostgreSQL: several writers, events partitioned by who
// they are about. On PGlite the same code runs, its transactions taking turns on one connection.
let t: TestApp;
let now = new Date("2026-06-01T12:00:00Z");

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, ingestConcurrency: 4 });
});
afterAll(async () => {
  await t?.close();
});

/** The body of a 202 from POST /events. */
type Reply = IngestReply;
const ingest = async (events: unknown[]): Promise<Reply> => {
  const res = await t.request({ method: "POST", url: "/api/v1/events", payload: { events } });
  expect(res.statusCode).toBe(202);
  return res.json();
};
const at = (offsetMs = 0) => new Date(now.getTime() - offsetMs).toISOString();

/** Per lead: events stored with a signal, and the events its engagement state has counted. */
async function countsPerLead() {
  const r = await sql<{ id: string; stored: number; counted: number }>`
    select l.id,
      (select count(*)::int from events e
        where e.workspace_id = l.workspace_id and e.lead_id = l.id and e.signal_id is not null) as stored,
      coalesce((select sum((v->>'count')::int)::int from jsonb_each(l.engagement_state) as s(k, v)), 0) as counted
    from leads l where l.workspace_id = ${t.workspaceId}`.execute(t.database.db);
  return r.rows;
}

describe("partitioned ingestion", () => {
  it("splits a request across writers, answers for every item in order, and loses no update", async () => {
    // 60 people at 12 companies plus free-mail addresses: every partition gets work.
    const emails = Array.from({ length: 60 }, (_, i) =>
      i % 5 === 0 ? `person${i}@gmail.com` : `person${i}@company${i % 12}.test`,
    );
    const first = await ingest(
      emails.map((email, i) => ({
        id: `p-${i}`,
        type: "page_view",
        occurredAt: at(1000),
        email,
        properties: { url: "https://www.example.com/blog/post" },
      })),
    );
    expect(first).toMatchObject({ accepted: 60, duplicates: 0, rejected: 0 });
    // Each answer is the lead of that item, in the request's order.
    const leadIdByEmail = new Map(emails.map((e, i) => [e, first.leadIds![i]!]));
    expect(new Set(first.leadIds).size).toBe(60);

    // Eight concurrent requests: the same lead reached by email and by id (two partitions),
    // ids repeated across requests, an unknown lead, a visitor-only event.
    const requests = Array.from({ length: 8 }, (_, r) =>
      Array.from({ length: 50 }, (_, i): Record<string, unknown> => {
        const k = (r * 7 + i) % 60;
        const email = emails[k]!;
        const shared = i < 10; // the first ten items of every request carry the same ids
        return {
          id: shared ? `shared-${i}` : `r${r}-${i}`,
          type: i % 3 === 0 ? "email_click" : "page_view",
          occurredAt: at(i * 1000),
          ...(i % 2 === 0 ? { email } : { leadId: leadIdByEmail.get(email) }),
          properties: { url: "https://www.example.com/pricing" },
        };
      }).concat([
        {
          id: `unknown-${r}`,
          type: "page_view",
          occurredAt: at(),
          leadId: "00000000-0000-4000-8000-000000000000",
          properties: { url: "/" },
        },
        { id: `anon-${r}`, type: "page_view", occurredAt: at(), visitorId: `visitor-000${r}` },
      ]),
    );
    const replies = await Promise.all(requests.map(ingest));

    // The repeated ids count once over all replies, however the partitions met them.
    const accepted = replies.reduce((a, r) => a + r.accepted, 0);
    const duplicates = replies.reduce((a, r) => a + r.duplicates, 0);
    expect(accepted).toBe(8 * 40 + 10 + 8);
    expect(duplicates).toBe(7 * 10);
    for (const reply of replies) {
      expect(reply.rejected).toBe(1);
      expect(reply.errors).toEqual([
        expect.objectContaining({ index: 50, code: "LEAD_NOT_FOUND" }),
      ]);
      expect(reply.leadIds).toHaveLength(52);
      expect(reply.leadIds![50]).toBeNull();
      expect(reply.leadIds![51]).toBeNull();
    }
    const stored = await t.database.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("workspace_id", "=", t.workspaceId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(60 + accepted);

    // No lost update: every lead's state counted exactly the events stored for it.
    const counts = await countsPerLead();
    expect(counts).toHaveLength(60);
    for (const c of counts) expect(c.counted).toBe(c.stored);
  });

  it("drain waits for every writer", async () => {
    const pending = t.services.ingest.ingest(
      t.workspaceId,
      { type: "system", id: null },
      Array.from({ length: 40 }, (_, i) => ({
        id: `drain-${i}`,
        type: "page_view",
        occurredAt: at(),
        email: `drain${i}@drain${i % 8}.test`,
      })),
    );
    // The agreement is cached by now, so one macrotask later the events are queued.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await t.services.ingest.drain();
    const stored = await t.database.db
      .selectFrom("events")
      .select("event_id")
      .where("workspace_id", "=", t.workspaceId)
      .where("event_id", "like", "drain-%")
      .execute();
    expect(stored).toHaveLength(40);
    expect((await pending).every((o) => o.status === "accepted")).toBe(true);
  });
});

describe("score history", () => {
  const email = "history@history-co.test";
  const historyOf = async () => {
    const lead = await t.database.db
      .selectFrom("leads")
      .select("id")
      .where("workspace_id", "=", t.workspaceId)
      .where(sql`lower(email)`, "=", email)
      .executeTakeFirstOrThrow();
    const res = await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}/score` });
    return res.json().history as { at: string; engagementScore: number; cause: string }[];
  };
  const view = (id: string, url = "https://www.example.com/blog/a") =>
    ingest([{ id, type: "page_view", occurredAt: at(), email, properties: { url } }]);

  it("records a point for a new lead, at most one a minute after that, and one at every stage change", async () => {
    // A fitting company (grade B), so a demo request makes the lead an MQL at once.
    const account = await t.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: {
        name: "History Co",
        domain: "history-co.test",
        industry: "Software",
        employees: 800,
      },
    });
    expect(account.statusCode).toBe(201);
    await view("h-1");
    expect(await historyOf()).toHaveLength(1);

    // A burst inside the minute moves the live score but writes no point.
    now = new Date(now.getTime() + 10_000);
    await view("h-2");
    await view("h-3");
    const live = await t.request({
      method: "GET",
      url: `/api/v1/leads/${(await t.database.db.selectFrom("leads").select("id").where(sql`lower(email)`, "=", email).executeTakeFirstOrThrow()).id}/score`,
    });
    expect(live.json().engagement.signals[0].events).toBe(3);
    expect(await historyOf()).toHaveLength(1);

    // Once the minute is over, the next event records the score it reached.
    now = new Date(now.getTime() + SCORE_HISTORY_INTERVAL_MS);
    await view("h-4");
    const history = await historyOf();
    expect(history).toHaveLength(2);
    expect(history[1]!.engagementScore).toBeGreaterThan(history[0]!.engagementScore);

    // A stage change is always recorded, even inside the minute.
    now = new Date(now.getTime() + 5_000);
    await ingest([{ id: "h-5", type: "demo_request", occurredAt: at(), email }]);
    const after = await historyOf();
    expect(after).toHaveLength(3);
    expect(after[2]!.cause).toBe("demo_request");
  });
});

describe("planner statistics", () => {
  it("are refreshed as soon as ingestion has doubled a table, so lookups keep their index plans", async () => {
    const reltuples = async (table: string) => {
      const r = await sql<{ n: number }>`
        select reltuples::float8 as n from pg_class where relname = ${table} and relkind = 'r'`.execute(
        t.database.db,
      );
      return Number(r.rows[0]?.n);
    };
    for (let part = 0; part < 2; part++) {
      await ingest(
        Array.from({ length: 750 }, (_, i) => ({
          id: `stats-${part}-${i}`,
          type: "page_view",
          occurredAt: at(),
          email: `stats${part}-${i}@stats${i % 40}.test`,
        })),
      );
    }
    // The refresh runs right after the batch that crossed the line; drain waits for it.
    await t.services.ingest.drain();
    expect(await reltuples("leads")).toBeGreaterThanOrEqual(1000);
    expect(await reltuples("events")).toBeGreaterThanOrEqual(1000);
  });
});
