import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/domain/lifecycle.ts";
import { buildApp } from "../src/http/app.ts";
import { createEventsRepository } from "../src/modules/events/events.repository.ts";
import type { IngestReply } from "../src/modules/events/events.schemas.ts";
import { createIngestService } from "../src/modules/events/ingest.service.ts";
import { newId } from "../src/platform/ids.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

// Inputs that once failed a whole batch, created leads nobody asked for, or answered with the
// wrong lead or the wrong author.
let t: TestApp;
const now = new Date("2026-06-01T12:00:00Z");
let n = 0;
const id = () => `edge-${n++}`;
const at = () => now.toISOString();

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

/** The body of a 202 from POST /events. */
type Reply = IngestReply;
const ingest = async (payload: unknown, expected = 202): Promise<Reply> => {
  const res = await t.request({
    method: "POST",
    url: "/api/v1/events",
    payload: payload as object,
  });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json();
};
/**
 * An ingest service of its own over an app's real database, agreement and clock, with
 * `events` (the real repository, or one that wraps it) and other options changed.
 */
const ingestServiceOver = (
  app: TestApp,
  options: Partial<Parameters<typeof createIngestService>[0]> = {},
) =>
  createIngestService({
    db: app.database.db,
    clock: () => now,
    newId,
    agreement: app.services.agreement,
    events: createEventsRepository(app.database.db),
    ...options,
  });

const leadsWithEmail = async (email: string) =>
  (
    await sql<{ id: string; source: string | null }>`
      select id, source from leads where workspace_id = ${t.workspaceId} and lower(email) = ${email}`.execute(
      t.database.db,
    )
  ).rows;

describe("ingestion edge cases", () => {
  it("cuts a long source without splitting a character, so the new lead is stored", async () => {
    const reply = await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email: "emoji.source@edge-one.test",
      properties: { url: "https://acme.test/", source: `${"a".repeat(63)}😀` },
    });
    expect(reply).toMatchObject({ accepted: 1, rejected: 0 });
    const [lead] = await leadsWithEmail("emoji.source@edge-one.test");
    expect(lead?.source).toBe("a".repeat(63));
  });

  it("answers a deeply nested body with a 4xx naming the field, never a 500", async () => {
    // Written by hand: JSON.stringify itself cannot go this deep.
    const deep = `${"[".repeat(20_000)}"x"${"]".repeat(20_000)}`;
    const post = (url: string, body: string) =>
      t.request({
        method: "POST",
        url,
        payload: body,
        headers: { "content-type": "application/json" },
      });
    const events = await post(
      "/api/v1/events",
      `{"id":"${id()}","type":"page_view","occurredAt":"${at()}","email":"deep@edge-one.test","properties":{"nested":${deep}}}`,
    );
    expect(events.statusCode).toBe(202);
    const reply = events.json() as Reply;
    expect(reply).toMatchObject({ accepted: 0, rejected: 1 });
    expect(reply.errors[0]).toMatchObject({ code: "INVALID_EVENT" });
    expect(reply.errors[0]!.message).toContain("properties.nested");

    const lead = await post(
      "/api/v1/leads",
      `{"email":"deep-lead@edge-one.test","firstName":${deep}}`,
    );
    expect(lead.statusCode).toBe(400);
    expect(lead.json().error.code).toBe("VALIDATION_FAILED");
  });

  it("takes internationalised domains in their ASCII form, and still refuses what is no email", async () => {
    const reply = await ingest({
      events: [
        { id: id(), type: "page_view", occurredAt: at(), email: "ivan@xn--e1afmkfd.xn--p1ai" },
        { id: id(), type: "page_view", occurredAt: at(), email: "someone@localhost" },
        { id: id(), type: "page_view", occurredAt: at(), email: "not-an-email" },
      ],
    });
    expect(reply).toMatchObject({ accepted: 1, rejected: 2 });
    expect(reply.errors.map((e) => [e.index, e.code])).toEqual([
      [1, "INVALID_EVENT"],
      [2, "INVALID_EVENT"],
    ]);
    const created = await t.request({
      method: "POST",
      url: "/api/v1/leads",
      payload: { email: "olga@xn--80aswg.xn--p1ai" },
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  it("creates no lead from the email of an item whose leadId is unknown", async () => {
    const reply = await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      leadId: randomUUID(),
      email: "ghost@edge-one.test",
    });
    expect(reply).toMatchObject({ accepted: 0, rejected: 1 });
    expect(reply.errors[0]!.code).toBe("LEAD_NOT_FOUND");
    expect(await leadsWithEmail("ghost@edge-one.test")).toEqual([]);
  });

  it("leaves no lead behind for an email only duplicates name (a resend after an email change, a reused id)", async () => {
    const countOf = async (table: "leads" | "accounts" | "stage_transitions") =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
            where workspace_id = ${t.workspaceId}`.execute(t.database.db)
        ).rows[0]!.n,
      );
    const first = {
      id: id(),
      type: "email_click",
      occurredAt: at(),
      email: "old.address@moved-co.test",
    };
    expect(await ingest(first)).toMatchObject({ accepted: 1 });
    const [lead] = await leadsWithEmail("old.address@moved-co.test");
    const renamed = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead!.id}`,
      payload: { email: "new.address@moved-co.test" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const before = {
      leads: await countOf("leads"),
      accounts: await countOf("accounts"),
      transitions: await countOf("stage_transitions"),
    };
    // The sender resends the stored event, still with the old address; another reuses its id
    // for a person nobody knows, at a company nobody knows, next to one genuinely new event.
    const resend = await ingest({
      events: [
        first,
        { ...first, email: "stranger@unknown-co.test" },
        { id: id(), type: "page_view", occurredAt: at(), email: "fresh@new-co.test" },
      ],
    });
    expect(resend).toMatchObject({ accepted: 1, duplicates: 2, rejected: 0 });
    // Both duplicates name the lead the event was counted for, whatever email they carry.
    expect(resend.leadIds?.slice(0, 2)).toEqual([lead!.id, lead!.id]);
    expect(resend.leadIds?.[2]).toEqual(expect.any(String));
    expect(await leadsWithEmail("old.address@moved-co.test")).toEqual([]);
    expect(await leadsWithEmail("stranger@unknown-co.test")).toEqual([]);
    expect(await leadsWithEmail("fresh@new-co.test")).toHaveLength(1);
    // Only the genuinely new person (and their company) was added, with its one transition.
    expect(await countOf("leads")).toBe(before.leads + 1);
    expect(await countOf("accounts")).toBe(before.accounts + 1);
    expect(await countOf("stage_transitions")).toBe(before.transitions + 1);
    const accounts = await sql<{ domain: string }>`select domain from accounts
      where workspace_id = ${t.workspaceId} and domain in ('unknown-co.test', 'new-co.test')`.execute(
      t.database.db,
    );
    expect(accounts.rows.map((a) => a.domain)).toEqual(["new-co.test"]);
  });

  it("removes a lead it made when another writer stored the same id after its check", async () => {
    const first = { id: id(), type: "email_click", occurredAt: at(), email: "one@race-co.test" };
    const stored = await ingest(first);
    expect(stored).toMatchObject({ accepted: 1 });
    // The check for stored ids ran before the other writer's commit: it saw nothing.
    const real = createEventsRepository(t.database.db);
    const late = ingestServiceOver(t, {
      events: { ...real, storedEventIds: async () => new Set<string>() },
    });
    const actor: Actor = { type: "api_key", id: null };
    const [reused, fresh] = await late.ingest(t.workspaceId, actor, [
      { ...first, email: "two@race-other.test" },
      { id: id(), type: "page_view", occurredAt: at(), email: "three@race-other.test" },
    ]);
    expect(reused).toEqual({ status: "duplicate", leadId: stored.leadIds?.[0] });
    expect(fresh).toMatchObject({ status: "accepted", leadId: expect.any(String) });
    expect(await leadsWithEmail("two@race-other.test")).toEqual([]);
    expect(await leadsWithEmail("three@race-other.test")).toHaveLength(1);
    const arrivals = await sql<{ email: string }>`
      select l.email from stage_transitions t join leads l on l.id = t.lead_id
      where t.workspace_id = ${t.workspaceId} and t.from_stage is null
        and l.email like '%@race-other.test'`.execute(t.database.db);
    expect(arrivals.rows).toEqual([{ email: "three@race-other.test" }]);
  });

  it("runs a batch again when a new lead's email is taken while it runs, and cannot lose that race twice", async () => {
    // New leads are written last on a batch's first attempt: another writer may take an email
    // first. The retry writes its new leads first, where a taken email is waited for and read.
    const emails = ["x@race-twice.test", "y@race-twice.test", "z@race-twice.test"];
    const real = createEventsRepository(t.database.db);
    let attempts = 0;
    const taken = new Map<string, string>();
    const service = ingestServiceOver(t, {
      events: {
        ...real,
        // Runs after the batch looked its leads up and before it writes any: each attempt, one
        // more of the emails is taken by someone else.
        storedEventIds: async (trx, workspaceId, ids) => {
          const email = emails[attempts++]!;
          const leadId = randomUUID();
          taken.set(email, leadId);
          // On PostgreSQL another connection, committed at once; PGlite has one connection, so
          // there the batch's own transaction (rolled back with a failed attempt).
          const other = process.env.DATABASE_URL ? t.database.db : trx;
          await other
            .insertInto("leads")
            .values({
              id: leadId,
              workspace_id: workspaceId,
              email,
              sourced_by: "sales",
              stage: "lead",
              stage_entered_at: now,
              created_at: now,
              updated_at: now,
            })
            .execute();
          return real.storedEventIds(trx, workspaceId, ids);
        },
      },
    });
    const actor: Actor = { type: "api_key", id: null };
    const outcomes = await service.ingest(
      t.workspaceId,
      actor,
      emails.map((email) => ({ id: id(), type: "page_view", occurredAt: at(), email })),
    );
    // The first attempt lost x; the second wrote its new leads first and read y as taken.
    expect(attempts).toBe(2);
    expect(outcomes.map((o) => o.status)).toEqual(["accepted", "accepted", "accepted"]);
    for (const [i, email] of emails.entries()) {
      const leads = await leadsWithEmail(email);
      expect(leads).toHaveLength(1);
      expect(outcomes[i]).toMatchObject({ leadId: leads[0]!.id });
      const events = await sql<{ n: number }>`select count(*)::int as n from events
        where workspace_id = ${t.workspaceId} and lead_id = ${leads[0]!.id}`.execute(t.database.db);
      expect(events.rows[0]!.n).toBe(1);
    }
    // The other writer's y is the lead y's event went to.
    expect((await leadsWithEmail(emails[1]!))[0]!.id).toBe(taken.get(emails[1]!));
  });

  it("answers a repeated id like its first copy when that one was rejected", async () => {
    const missing = randomUUID();
    const repeated = id();
    const reply = await ingest({
      events: [
        { id: repeated, type: "page_view", occurredAt: at(), leadId: missing },
        { id: repeated, type: "page_view", occurredAt: at(), leadId: missing },
      ],
    });
    expect(reply).toMatchObject({ accepted: 0, duplicates: 0, rejected: 2 });
    expect(reply.errors.map((e) => [e.index, e.code])).toEqual([
      [0, "LEAD_NOT_FOUND"],
      [1, "LEAD_NOT_FOUND"],
    ]);
  });

  it("answers anonymous items a form in the same request identified, and repeated ids, with their lead", async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const repeated = id();
    const reply = await ingest({
      events: [
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          visitorId,
          properties: { url: "https://acme.test/pricing" },
        },
        { id: id(), type: "form_submit", occurredAt: at(), visitorId, email: "form@edge-two.test" },
        { id: repeated, type: "email_click", occurredAt: at(), email: "clicker@edge-two.test" },
        { id: repeated, type: "email_click", occurredAt: at(), email: "clicker@edge-two.test" },
      ],
    });
    expect(reply).toMatchObject({ accepted: 3, duplicates: 1, rejected: 0 });
    const [formLead] = await leadsWithEmail("form@edge-two.test");
    const [clicker] = await leadsWithEmail("clicker@edge-two.test");
    expect(reply.leadIds).toEqual([formLead!.id, formLead!.id, clicker!.id, clicker!.id]);
    // The anonymous page view is stored with the lead it was answered with.
    const stored = await sql<{ lead_id: string }>`
      select lead_id from events where workspace_id = ${t.workspaceId} and visitor_id = ${visitorId}`.execute(
      t.database.db,
    );
    expect(stored.rows.map((r) => r.lead_id)).toEqual([formLead!.id, formLead!.id]);
  });
});

describe("requests merged into one batch", () => {
  const event = (email: string) => ({
    id: id(),
    type: "page_view",
    occurredAt: at(),
    email,
    properties: { url: "https://acme.test/" },
  });

  it("credit each new lead to the request that named it", async () => {
    const a: Actor = { type: "api_key", id: randomUUID() };
    const b: Actor = { type: "api_key", id: randomUUID() };
    // Queued in the same turn, so one writer stores both in one transaction.
    const [ra, rb] = await Promise.all([
      t.services.ingest.ingest(t.workspaceId, a, [event("first@merged-one.test")]),
      t.services.ingest.ingest(t.workspaceId, b, [event("second@merged-two.test")]),
    ]);
    expect(ra[0]).toMatchObject({ status: "accepted" });
    expect(rb[0]).toMatchObject({ status: "accepted" });
    const creators = await sql<{ email: string; actor_id: string }>`
      select l.email, t.actor_id from stage_transitions t join leads l on l.id = t.lead_id
      where t.workspace_id = ${t.workspaceId} and t.rule = 'event:new_lead'
        and l.email in ('first@merged-one.test', 'second@merged-two.test') order by l.email`.execute(
      t.database.db,
    );
    expect(creators.rows).toEqual([
      { email: "first@merged-one.test", actor_id: a.id },
      { email: "second@merged-two.test", actor_id: b.id },
    ]);
  });

  it("answer a repeated id like the copy that was stored, when an earlier copy was rejected", async () => {
    const a: Actor = { type: "api_key", id: null };
    const shared = id();
    const copy = (extra: object) => ({ id: shared, type: "page_view", occurredAt: at(), ...extra });
    const [rejected, stored, repeat] = await Promise.all([
      t.services.ingest.ingest(t.workspaceId, a, [copy({ leadId: randomUUID() })]),
      t.services.ingest.ingest(t.workspaceId, a, [copy({ email: "kept@merged-four.test" })]),
      t.services.ingest.ingest(t.workspaceId, a, [copy({ email: "kept@merged-four.test" })]),
    ]);
    const [lead] = await leadsWithEmail("kept@merged-four.test");
    expect(rejected[0]).toMatchObject({ status: "rejected", code: "LEAD_NOT_FOUND" });
    expect(stored[0]).toEqual({ status: "accepted", leadId: lead!.id });
    expect(repeat[0]).toEqual({ status: "duplicate", leadId: lead!.id });
  });

  /**
   * An ingest service over the real repository, refusing an email (or every email ending so)
   * with the given SQLSTATE.
   */
  function refusing(
    email: string,
    code: string | undefined,
    options: { concurrency?: number } = {},
  ) {
    const real = createEventsRepository(t.database.db);
    const calls: string[][] = [];
    const logged: string[] = [];
    // New leads are written by either insert (first bare, or once scored): both refuse.
    const refuse = (rows: { email: string }[]) => {
      calls.push(rows.map((r) => r.email).sort());
      if (rows.some((r) => r.email.endsWith(email)))
        throw Object.assign(new Error("refused"), { code });
    };
    const service = ingestServiceOver(t, {
      ...options,
      logError: (message) => logged.push(message),
      events: {
        ...real,
        insertLeads: async (trx, workspaceId, rows, when) => {
          refuse(rows);
          return real.insertLeads(trx, workspaceId, rows, when);
        },
        insertScoredLeads: async (trx, workspaceId, rows, when) => {
          refuse(rows);
          return real.insertScoredLeads(trx, workspaceId, rows, when);
        },
      },
    });
    return { service, calls, logged };
  }
  const actor: Actor = { type: "api_key", id: null };

  it("fail only the event that fails on its own: the others merged with it are stored", async () => {
    const { service, calls } = refusing("poison@merged-three.test", "22P02");
    // Warm the agreement cache, so the three requests below queue in one turn.
    await service.ingest(t.workspaceId, actor, [event("warm@merged-three.test")]);
    calls.length = 0;
    const results = await Promise.all([
      service.ingest(t.workspaceId, actor, [event("fine@merged-three.test")]),
      service.ingest(t.workspaceId, actor, [event("poison@merged-three.test")]),
      service.ingest(t.workspaceId, actor, [event("also-fine@merged-three.test")]),
    ]);
    expect(results.map((r) => r[0]!.status)).toEqual(["accepted", "rejected", "accepted"]);
    expect(results[1]![0]).toMatchObject({ code: "NOT_STORED" });
    // One merged batch first, then each request alone.
    expect(calls).toEqual([
      ["also-fine@merged-three.test", "fine@merged-three.test", "poison@merged-three.test"],
      ["fine@merged-three.test"],
      ["poison@merged-three.test"],
      ["also-fine@merged-three.test"],
    ]);
    expect(await leadsWithEmail("fine@merged-three.test")).toHaveLength(1);
    expect(await leadsWithEmail("also-fine@merged-three.test")).toHaveLength(1);
    expect(await leadsWithEmail("poison@merged-three.test")).toEqual([]);
  });

  it("split a request that fails on its own until the event at fault is found: the rest are stored", async () => {
    const { service, calls, logged } = refusing("poison@split-co.test", "22P02");
    const events = [
      event("one@split-co.test"),
      event("two@split-co.test"),
      event("poison@split-co.test"),
      event("three@split-co.test"),
    ];
    const outcomes = await service.ingest(t.workspaceId, actor, events);
    expect(outcomes.map((o) => o.status)).toEqual(["accepted", "accepted", "rejected", "accepted"]);
    expect(outcomes[2]).toMatchObject({ code: "NOT_STORED" });
    expect(logged).toEqual([`event "${events[2]!.id}" could not be stored`]);
    for (const email of ["one", "two", "three"])
      expect(await leadsWithEmail(`${email}@split-co.test`)).toHaveLength(1);
    expect(await leadsWithEmail("poison@split-co.test")).toEqual([]);
    // The whole request, then it alone, then halves until the event at fault stands alone.
    expect(calls.length).toBeLessThanOrEqual(6);
    const stored = await sql<{ n: number }>`select count(*)::int as n from events
      where workspace_id = ${t.workspaceId} and event_id in (${sql.join(events.map((e) => e.id))})`.execute(
      t.database.db,
    );
    expect(stored.rows[0]!.n).toBe(3);
  });

  it("fail a request when more than ten of its events fail on their own: that is Accord's fault", async () => {
    const { service } = refusing("@poison-many.test", "22P02");
    const events = [
      ...Array.from({ length: 11 }, (_, i) => event(`p${i}@poison-many.test`)),
      event("fine@poison-few.test"),
    ];
    await expect(service.ingest(t.workspaceId, actor, events)).rejects.toThrow("refused");
  });

  it("count the ten across every writer a request was split among", async () => {
    // Four writers, each taking the events of some companies: the cap is the request's.
    const { service } = refusing(".poison-spread.test", "22P02", { concurrency: 4 });
    const events = Array.from({ length: 12 }, (_, i) => event(`p@c${i}.poison-spread.test`));
    await expect(service.ingest(t.workspaceId, actor, events)).rejects.toThrow("refused");
  });

  it("never answer an event as NOT_STORED for an error without a SQLSTATE, such as a lost connection", async () => {
    const { service, logged } = refusing("lost@connection-co.test", undefined);
    await expect(
      service.ingest(t.workspaceId, actor, [
        event("kept@connection-co.test"),
        event("lost@connection-co.test"),
      ]),
    ).rejects.toThrow("refused");
    expect(logged).toEqual([]);
  });

  it("fail together, without a retry each, when the database itself fails", async () => {
    const { service, calls } = refusing("down@merged-four.test", "08006");
    await service.ingest(t.workspaceId, actor, [event("warm@merged-four.test")]);
    calls.length = 0;
    const results = await Promise.allSettled([
      service.ingest(t.workspaceId, actor, [event("a@merged-four.test")]),
      service.ingest(t.workspaceId, actor, [event("down@merged-four.test")]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toHaveLength(1);
    expect(await leadsWithEmail("a@merged-four.test")).toEqual([]);
  });
});

describe("stitching a visitor", () => {
  it("attaches at most the stitch limit of anonymous events per identification; the rest on the next", async () => {
    const ingestService = ingestServiceOver(t, {
      events: createEventsRepository(t.database.db, { stitchLimit: 3 }),
    });
    const actor: Actor = { type: "api_key", id: null };
    const visitorId = `visitor-${randomUUID()}`;
    const view = () => ({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      visitorId,
      properties: { url: "https://acme.test/pricing" },
    });
    await ingestService.ingest(t.workspaceId, actor, Array.from({ length: 5 }, view));
    const form = () => ({
      id: id(),
      type: "form_submit",
      occurredAt: at(),
      visitorId,
      email: "stitched@edge-three.test",
    });
    const attached = async () => {
      const r = await sql<{ lead_id: string | null; n: number }>`
        select lead_id, count(*)::int as n from events
        where workspace_id = ${t.workspaceId} and visitor_id = ${visitorId} and type = 'page_view'
        group by lead_id order by lead_id nulls last`.execute(t.database.db);
      return r.rows.map((x) => [x.lead_id === null ? "anonymous" : "lead", x.n]);
    };
    await ingestService.ingest(t.workspaceId, actor, [form()]);
    expect(await attached()).toEqual([
      ["lead", 3],
      ["anonymous", 2],
    ]);
    await ingestService.ingest(t.workspaceId, actor, [form()]);
    expect(await attached()).toEqual([["lead", 5]]);
    // Every page view counted once for the lead's engagement, as it was attached.
    const [lead] = await leadsWithEmail("stitched@edge-three.test");
    const state = await sql<{ counted: number }>`
      select coalesce(sum((v->>'count')::int), 0)::int as counted
      from leads l, jsonb_each(l.engagement_state) as s(k, v)
      where l.id = ${lead!.id} and k = 'pricing_view'`.execute(t.database.db);
    expect(state.rows[0]!.counted).toBe(5);
  });
});

describe("a full ingestion queue", () => {
  let small: TestApp;
  let app: FastifyInstance;
  // Batches wait at this gate while it is closed, so what is queued is known.
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  let reached = () => {};
  /** Closes the gate; resolves once a batch waits at it. */
  const hold = () => {
    gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    return new Promise<void>((resolve) => {
      reached = resolve;
    });
  };
  beforeAll(async () => {
    small = await createTestApp({ clock: () => now });
    const real = createEventsRepository(small.database.db);
    const ingest = ingestServiceOver(small, {
      maxQueued: 10,
      events: {
        ...real,
        insertEvents: async (...args) => {
          reached();
          await gate;
          return real.insertEvents(...args);
        },
      },
    });
    app = await buildApp({ services: { ...small.services, ingest } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await small?.close();
  });
  const batch = (prefix: string, size: number) => ({
    events: Array.from({ length: size }, (_, i) => ({
      id: `${prefix}-${i}`,
      type: "page_view",
      occurredAt: at(),
      email: `${prefix}-${i}@queue-full.test`,
    })),
  });
  const send = (payload: object) =>
    app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload,
      headers: { authorization: `Bearer ${small.adminKey}` },
    });

  it("turns a request away with 503 and Retry-After, storing none of it, and takes it once there is room", async () => {
    const waiting = hold();
    const first = send(batch("one", 8));
    // Eight events wait at the gate; eight more would pass the limit of 10.
    await waiting;
    const second = await send(batch("two", 8));
    expect(second.statusCode).toBe(503);
    expect(second.headers["retry-after"]).toBe("1");
    expect(second.json().error.code).toBe("OVERLOADED");
    open();
    expect((await first).statusCode).toBe(202);
    const stored = await sql<{ n: number }>`
      select count(*)::int as n from events
      where workspace_id = ${small.workspaceId} and event_id like 'two-%'`.execute(
      small.database.db,
    );
    expect(stored.rows[0]!.n).toBe(0);
    // The queue drained: the same request is taken now.
    const again = await send(batch("two", 8));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ accepted: 8 });
  });

  it("always takes a request when nothing waits, even one larger than the limit", async () => {
    const res = await send(batch("big", 25));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 25 });
  });
});

describe("writing a batch's scores (writeScores)", () => {
  it("records a rule's move only if it applied; arrivals and history points always", async () => {
    const [moved, arrived] = [
      (await ingest({ id: id(), type: "page_view", occurredAt: at(), email: "guard@ws-co.io" }))
        .leadIds![0]!,
      (await ingest({ id: id(), type: "page_view", occurredAt: at(), email: "new@ws-co.io" }))
        .leadIds![0]!,
    ];
    const count = async (table: "stage_transitions" | "score_history", leadId: string) =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("lead_id", "=", leadId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = {
      moves: await count("stage_transitions", moved),
      arrivals: await count("stage_transitions", arrived),
      history: await count("score_history", moved),
    };
    const rule = (leadId: string, from: "lead" | "mrl", to: "mrl" | "mql") => ({
      id: randomUUID(),
      leadId,
      fromStage: from,
      toStage: to,
      occurredAt: now,
      actorType: "rule" as const,
      actorId: null,
      rule: `criteria:${to}`,
      note: null,
      agreementVersion: 1,
    });
    const events = createEventsRepository(t.database.db);
    const applied = await t.database.db.transaction().execute((trx) =>
      events.writeScores(
        trx,
        t.workspaceId,
        {
          leads: [
            // The rules saw an MRL, but the lead is a lead (a person moved it meanwhile).
            {
              id: moved,
              state: {},
              engagement: 60,
              fromStage: "mrl",
              stage: "mql",
              recorded: true,
            },
            // This one moves.
            {
              id: arrived,
              state: {},
              engagement: 5,
              fromStage: "lead",
              stage: "mrl",
              recorded: false,
            },
          ],
          transitions: [
            rule(moved, "mrl", "mql"),
            { ...rule(arrived, "lead", "mrl"), fromStage: "lead" },
            // An arrival (from no stage) is recorded whatever the stage written.
            {
              ...rule(moved, "lead", "mrl"),
              fromStage: null,
              toStage: "lead",
              rule: "event:new_lead",
              actorType: "system" as const,
            },
          ],
          history: [{ leadId: moved, fit: 0, fitGrade: "D", engagement: 60, cause: "page_view" }],
        },
        now,
      ),
    );
    expect([...applied]).toEqual([arrived]);
    const stages = await t.database.db
      .selectFrom("leads")
      .select(["id", "stage"])
      .where("id", "in", [moved, arrived])
      .execute();
    expect(Object.fromEntries(stages.map((l) => [l.id, l.stage]))).toEqual({
      [moved]: "lead",
      [arrived]: "mrl",
    });
    // The move that did not apply left no transition; the arrival and the history point did.
    expect(await count("stage_transitions", moved)).toBe(before.moves + 1);
    expect(await count("stage_transitions", arrived)).toBe(before.arrivals + 1);
    expect(await count("score_history", moved)).toBe(before.history + 1);
    const last = await t.database.db
      .selectFrom("stage_transitions")
      .select(["from_stage", "to_stage"])
      .where("lead_id", "=", moved)
      .orderBy("occurred_at", "desc")
      .orderBy("from_stage", "asc")
      .execute();
    expect(last.some((r) => r.from_stage === "mrl")).toBe(false);
  });
});
