import http from "node:http";
import net from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
let now = new Date("2026-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
let n = 0;
const id = () => `evt-${n++}`;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

const ingest = (payload: unknown, key?: string) =>
  t.request({ method: "POST", url: "/api/v1/events", payload: payload as object, key });
const at = (offsetMs = 0) => new Date(now.getTime() + offsetMs).toISOString();

async function leadByEmail(email: string) {
  const list = (
    await t.request({ method: "GET", url: `/api/v1/leads?q=${encodeURIComponent(email)}` })
  ).json();
  const lead = list.items[0];
  return (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
}

/** An account that makes its people fit grade B (core industry, mid-size) or C (core industry only). */
async function companyWithFit(domain: string, grade: "B" | "C") {
  const res = await t.request({
    method: "POST",
    url: "/api/v1/accounts",
    payload: {
      name: domain,
      domain,
      industry: "Software",
      ...(grade === "B" ? { employees: 800 } : {}),
    },
  });
  expect(res.statusCode).toBe(201);
}

describe("ingestion", () => {
  it("accepts one event with 202 and stores it before answering; an unknown email creates a lead", async () => {
    const res = await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email: "New.Person@fresh-co.io",
      properties: { url: "https://acme.test/blog/post" },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0, errors: [] });
    const stored = await t.database.db
      .selectFrom("events")
      .selectAll()
      .where("lead_id", "=", res.json().leadIds[0])
      .execute();
    expect(stored).toHaveLength(1);
    const detail = await leadByEmail("new.person@fresh-co.io");
    expect(detail.lead.stage).toBe("lead");
    expect(detail.lead.accountId).not.toBeNull();
    expect(detail.history[0]).toMatchObject({
      fromStage: null,
      toStage: "lead",
      rule: "event:new_lead",
    });
  });

  it("keeps the valid items of a batch and gives a reason for each rejected one", async () => {
    const good = id();
    const res = await ingest({
      events: [
        { id: good, type: "email_click", occurredAt: at(), email: "batch@batch-co.io" },
        { id: id(), type: "telepathy", occurredAt: at(), email: "batch@batch-co.io" },
        { id: id(), type: "page_view", occurredAt: "yesterday", email: "batch@batch-co.io" },
        { id: id(), type: "page_view", occurredAt: at() },
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          leadId: "00000000-0000-4000-8000-000000000000",
        },
        "not an object",
      ],
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 5 });
    expect(body.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [1, "UNKNOWN_EVENT_TYPE"],
      [2, "INVALID_EVENT"],
      [3, "INVALID_EVENT"],
      [4, "LEAD_NOT_FOUND"],
      [5, "INVALID_EVENT"],
    ]);
    expect(body.errors[1].message).toMatch(/occurredAt/);
    // Each names its fields at fault, as the request-level errors do.
    expect(body.errors.map((e: { fields?: { path: string }[] }) => e.fields?.[0]?.path)).toEqual([
      "type",
      "occurredAt",
      "email",
      "leadId",
      "event",
    ]);
    const stored = await t.database.db
      .selectFrom("events")
      .select("event_id")
      .where("event_id", "=", good)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it("a lead created from campaign traffic is marketing-sourced, with its UTM parameters kept", async () => {
    const res = await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email: "ad-click@utm-co.io",
      properties: { url: "/pricing", utm_source: "google", utm_medium: "cpc", utm_campaign: "q4" },
    });
    const lead = (
      await t.request({ method: "GET", url: `/api/v1/leads/${res.json().leadIds[0]}` })
    ).json().lead;
    expect(lead).toMatchObject({
      source: "paid_search",
      sourcedBy: "marketing",
      attributes: { utm_source: "google", utm_medium: "cpc", utm_campaign: "q4" },
    });
  });

  it("a key limited to event types (a website's public key) cannot send others", async () => {
    const created = await t.request({
      method: "POST",
      url: "/api/v1/api-keys",
      payload: { name: "Website", scopes: ["ingest"], eventTypes: ["page_view", "form_submit"] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().eventTypes).toEqual(["form_submit", "page_view"]);
    const listed = (await t.request({ method: "GET", url: "/api/v1/api-keys" })).json();
    expect(listed.items.find((k: { id: string }) => k.id === created.json().id).eventTypes).toEqual(
      ["form_submit", "page_view"],
    );
    const email = "someone-else@limited-co.io";
    const res = await ingest(
      {
        events: [
          { id: id(), type: "page_view", occurredAt: at(), email },
          { id: id(), type: "demo_request", occurredAt: at(), email },
        ],
      },
      created.json().key,
    );
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: 1,
      errors: [
        {
          index: 1,
          code: "EVENT_TYPE_NOT_ALLOWED",
          fields: [{ path: "type", message: "not allowed for this API key" }],
        },
      ],
    });
    expect((await leadByEmail(email)).lead.stage).toBe("lead");
    // Limits need the ingest scope, and name event types.
    for (const payload of [
      { name: "Reader", scopes: ["read"], eventTypes: ["page_view"] },
      { name: "Odd", scopes: ["ingest"], eventTypes: ["Page View"] },
    ]) {
      const bad = await t.request({ method: "POST", url: "/api/v1/api-keys", payload });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].path).toMatch(/^eventTypes/);
    }
  });

  it("matches a leadId whatever its letter case", async () => {
    const lead = (
      await t.request({
        method: "POST",
        url: "/api/v1/leads",
        payload: { email: "case@case-co.io" },
      })
    ).json();
    const res = await ingest({
      id: id(),
      type: "email_click",
      occurredAt: at(),
      leadId: lead.id.toUpperCase(),
    });
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0, leadIds: [lead.id] });
  });

  it("refuses dates before 1970 and says which date-time form it takes", async () => {
    const res = await ingest({
      events: [
        { id: id(), type: "page_view", occurredAt: "0050-06-01T00:00:00Z", email: "old@old-co.io" },
        { id: id(), type: "page_view", occurredAt: "1969-12-31T23:59:59Z", email: "old@old-co.io" },
        { id: id(), type: "page_view", occurredAt: "2026-06-01T10:00Z", email: "old@old-co.io" },
        { id: id(), type: "page_view", occurredAt: "1970-01-01T00:00:00Z", email: "old@old-co.io" },
      ],
    });
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 3 });
    expect(body.errors[0].message).toBe("occurredAt: must be 1970-01-01 or later.");
    expect(body.errors[1].message).toBe("occurredAt: must be 1970-01-01 or later.");
    expect(body.errors[2].message).toMatch(/^occurredAt: expected an ISO 8601 date and time/);
  });

  it("says what is wrong with a date, an email or a property, not just that it is invalid", async () => {
    const base = { type: "page_view", occurredAt: at(), email: "why@why-co.io" };
    const res = await ingest({
      events: [
        { ...base, id: id(), occurredAt: "2026-02-30T10:30:00Z" },
        { ...base, id: id(), email: " why@why-co.io " },
        { ...base, id: id(), properties: { nested: { a: 1 } } },
        { ...base, id: id(), properties: { ["k".repeat(101)]: "v" } },
      ],
    });
    const body = res.json();
    expect(body).toMatchObject({ accepted: 0, rejected: 4 });
    const messages = body.errors.map(
      (e: { fields: { message: string }[] }) => e.fields[0]!.message,
    );
    expect(messages).toEqual([
      "2026-02-30T10:30:00Z is not a real date and time (check the day of the month, the hour and the offset)",
      "expected an email address like jane@acme.com (no spaces around it)",
      "a property's value must be a string of up to 2,000 characters, a finite number, true, false or null (no objects or lists)",
      "property names are at most 100 characters",
    ]);
  });

  it("takes JSON only: text/plain gets 415, unless the body is empty", async () => {
    const post = (payload: string) =>
      t.request({
        method: "POST",
        url: "/api/v1/events",
        headers: { "content-type": "text/plain" },
        payload,
      });
    const text = await post(`{"id":"${id()}","type":"page_view","occurredAt":"${at()}"}`);
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    // An empty body labelled text/plain is read as no body: the route says what it needs.
    const empty = await post("");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe("VALIDATION_FAILED");
  });

  it("names a __proto__ key as the fault instead of calling the JSON malformed", async () => {
    const res = await t.request({
      method: "POST",
      url: "/api/v1/events",
      headers: { "content-type": "application/json" },
      payload: `{"id":"${id()}","type":"page_view","occurredAt":"${at()}","email":"p@proto-co.io","properties":{"__proto__":"x"}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [{ path: "__proto__", message: "property name not allowed" }],
    });
  });

  it("rejects, item by item, events the database could not store, and keeps their batch", async () => {
    const good = { id: id(), type: "page_view", occurredAt: at(), email: "clean@unicode-co.io" };
    const res = await ingest({
      events: [
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          email: "a@unicode-co.io",
          campaign: "spring\ud800",
        },
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          email: "b@unicode-co.io",
          properties: { title: "nul\u0000inside" },
        },
        { id: `lone\udc00-${id()}`, type: "page_view", occurredAt: at(), email: "c@unicode-co.io" },
        {
          id: id(),
          type: "page_view",
          occurredAt: "0000-06-01T00:00:00Z",
          email: "d@unicode-co.io",
        },
        good,
      ],
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 4 });
    expect(body.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [0, "INVALID_EVENT"],
      [1, "INVALID_EVENT"],
      [2, "INVALID_EVENT"],
      [3, "INVALID_EVENT"],
    ]);
    expect(body.errors[0].message).toContain("campaign");
    expect(body.errors[1].message).toContain("properties.title");
    const stored = await t.database.db
      .selectFrom("events")
      .select("event_id")
      .where("event_id", "=", good.id)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it("counts an event id once, ever: resends and repeats within a batch are duplicates", async () => {
    const e = { id: id(), type: "content_download", occurredAt: at(), email: "once@once-co.io" };
    expect((await ingest(e)).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await ingest(e)).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await ingest({ events: [e, e, { ...e, id: id() }] })).json()).toMatchObject({
      accepted: 1,
      duplicates: 2,
    });
    // Concurrent resends of one new id: exactly one is accepted.
    const racing = { ...e, id: id() };
    const replies = await Promise.all([1, 2, 3, 4].map(() => ingest(racing)));
    expect(replies.reduce((sum, r) => sum + r.json().accepted, 0)).toBe(1);
    const detail = await leadByEmail("once@once-co.io");
    const score = (
      await t.request({ method: "GET", url: `/api/v1/leads/${detail.lead.id}/score` })
    ).json();
    const downloads = score.engagement.signals.find(
      (s: { signalId: string }) => s.signalId === "content_download",
    );
    expect(downloads.events).toBe(3);
  });

  it("tells only callers who may read leads which lead each item went to", async () => {
    const email = "known@ids-co.io";
    const event = () => ({ id: id(), type: "email_click", occurredAt: at(), email });
    // An ingest-only key, like the tracker's public one, learns counts and reasons only.
    const ingestOnly = await t.keyWithScopes(["ingest"]);
    const fromTracker = await ingest(event(), ingestOnly);
    expect(fromTracker.statusCode).toBe(202);
    expect(fromTracker.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      errors: [],
    });
    const rejected = await ingest(
      { events: [event(), { ...event(), type: "telepathy" }] },
      ingestOnly,
    );
    expect(rejected.json()).toMatchObject({ accepted: 1, rejected: 1 });
    expect(rejected.json()).not.toHaveProperty("leadIds");
    // A key that can read leads (and a person) gets the lead of each item.
    const lead = (await leadByEmail(email)).lead;
    const readerKey = await t.keyWithScopes(["ingest", "read"]);
    expect((await ingest(event(), readerKey)).json().leadIds).toEqual([lead.id]);
    expect((await ingest(event())).json().leadIds).toEqual([lead.id]);
  });

  it("refuses batches over 1,000 events and bodies over 5 MB without storing anything", async () => {
    const before = await t.database.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const many = Array.from({ length: 1001 }, () => ({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email: "big@big-co.io",
    }));
    const tooMany = await ingest({ events: many });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.fields[0].path).toBe("events");
    const huge = await t.request({
      method: "POST",
      url: "/api/v1/events",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({
        events: [
          {
            id: id(),
            type: "page_view",
            occurredAt: at(),
            email: "big@big-co.io",
            properties: { pad: "x".repeat(5 * 1024 * 1024) },
          },
        ],
      }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toEqual({
      code: "PAYLOAD_TOO_LARGE",
      message: "The body is larger than this endpoint accepts (5,242,880 bytes).",
    });
    const after = await t.database.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("answers 413 over a real socket without breaking the sender's pipe, and goes on serving", async () => {
    // A sender writes its whole body while the answer comes: had the server closed the
    // connection as soon as it refused the body, the rest of the write would fail (EPIPE),
    // which most HTTP clients report as a failed request instead of the 413.
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const count = async () =>
        Number(
          (
            await t.database.db
              .selectFrom("events")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const body = Buffer.from(
        JSON.stringify({
          events: [
            {
              id: id(),
              type: "page_view",
              occurredAt: at(),
              email: "sender@big-co.io",
              properties: { pad: "x".repeat(20 * 1024 * 1024) },
            },
          ],
        }),
      );
      const headers = {
        "content-type": "application/json",
        authorization: `Bearer ${t.adminKey}`,
      };
      // A declared length over the limit: refused before a byte of the body is read.
      const declared = await new Promise<{ status?: number; body: string; errors: string[] }>(
        (resolve) => {
          const errors: string[] = [];
          let status: number | undefined;
          let text = "";
          const req = http.request(
            `${address}/api/v1/events`,
            { method: "POST", headers: { ...headers, "content-length": body.length } },
            (res) => {
              status = res.statusCode;
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => {
                text += chunk;
              });
            },
          );
          req.on("error", (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
          req.on("close", () => resolve({ status, body: text, errors }));
          req.end(body);
        },
      );
      expect(declared.errors).toEqual([]);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body).error).toEqual({
        code: "PAYLOAD_TOO_LARGE",
        message: "The body is larger than this endpoint accepts (5,242,880 bytes).",
      });
      // A streamed body of unknown length, refused once it passes the limit.
      const streamed = await fetch(`${address}/api/v1/events`, {
        method: "POST",
        headers,
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < body.length; i += 64 * 1024)
              controller.enqueue(body.subarray(i, i + 64 * 1024));
            controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect((await streamed.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(await count()).toBe(before);
      const ok = await fetch(`${address}/api/v1/events`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          id: id(),
          type: "page_view",
          occurredAt: at(),
          email: "sender@big-co.io",
        }),
      });
      expect(ok.status).toBe(202);
    } finally {
      await new Promise((resolve) => t.app.server.close(resolve));
    }
  });

  it("answers a sender stalled in a refused body at once when the server closes", async () => {
    // A drain as long as ten minutes: without ending it on close, closing would wait for it.
    const app = await buildApp({ services: t.services, drainTimeoutMs: 10 * 60_000 });
    let refused!: () => void;
    const refusal = new Promise<void>((resolve) => {
      refused = resolve;
    });
    app.addHook("onError", async () => refused());
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address() as { port: number };
    const socket = net.connect(address.port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("error", () => {});
    const ended = new Promise((resolve) => socket.on("close", resolve));
    // A body declared over the limit, of which only a part comes: the sender then stalls.
    socket.write(
      `POST /api/v1/events HTTP/1.1\r\nHost: accord.test\r\nContent-Type: application/json\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Length: ${6 * 1024 * 1024}\r\n\r\n`,
    );
    socket.write(Buffer.alloc(256 * 1024, 0x20));
    await refusal;
    await new Promise((resolve) => setImmediate(resolve));
    await app.close();
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain("PAYLOAD_TOO_LARGE");
  });

  it("accepts an unknown type once the agreement maps it to a known one", async () => {
    await sql`update agreements set document = jsonb_set(document, '{scoring,eventTypeAliases}', '{"ebook_download": "content_download"}')
      where workspace_id = ${t.workspaceId} and status = 'active'`.execute(t.database.db);
    now = new Date(now.getTime() + 10_000); // past the agreement cache
    const res = await ingest({
      id: id(),
      type: "ebook_download",
      occurredAt: at(),
      email: "alias@alias-co.io",
    });
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("an alias never widens what a limited key may send, and a key names known types only", async () => {
    const misspelt = await t.request({
      method: "POST",
      url: "/api/v1/api-keys",
      payload: { name: "Typo", scopes: ["ingest"], eventTypes: ["page_veiw"] },
    });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().error.message).toMatch(/no event type "page_veiw"/);
    const key = (
      await t.request({
        method: "POST",
        url: "/api/v1/api-keys",
        payload: { name: "Site", scopes: ["ingest"], eventTypes: ["page_view", "form_submit"] },
      })
    ).json().key;
    // Marketing maps the contact form to a demo request afterwards...
    await sql`update agreements set document = jsonb_set(document, '{scoring,eventTypeAliases}', '{"form_submit": "demo_request"}')
      where workspace_id = ${t.workspaceId} and status = 'active'`.execute(t.database.db);
    now = new Date(now.getTime() + 10_000); // past the agreement cache
    // ...which the key's form fills now are, and it may not send demo requests.
    const res = await ingest(
      { id: id(), type: "form_submit", occurredAt: at(), email: "widen@alias-co.io" },
      key,
    );
    expect(res.json()).toMatchObject({
      accepted: 0,
      errors: [{ code: "EVENT_TYPE_NOT_ALLOWED" }],
    });
    await sql`update agreements set document = jsonb_set(document, '{scoring,eventTypeAliases}', '{}')
      where workspace_id = ${t.workspaceId} and status = 'active'`.execute(t.database.db);
    now = new Date(now.getTime() + 10_000);
  });
});

describe("scoring and automatic moves", () => {
  it("a demo request from a lead with fit C or better makes an MQL at once, recording the rule", async () => {
    await companyWithFit("handraiser.io", "C");
    await t.request({
      method: "POST",
      url: "/api/v1/leads",
      payload: { email: "vp@handraiser.io", title: "VP Marketing", seniority: "vp" },
    });
    const demoId = id();
    const res = await ingest({
      id: demoId,
      type: "demo_request",
      occurredAt: at(),
      email: "vp@handraiser.io",
    });
    expect(res.json().accepted).toBe(1);
    const detail = await leadByEmail("vp@handraiser.io");
    expect(detail.lead.stage).toBe("mql");
    expect(detail.lead.fitGrade).toBe("C");
    expect(detail.history.at(-1)).toMatchObject({
      fromStage: "lead",
      toStage: "mql",
      actorType: "rule",
      rule: "hand_raiser:demo_request",
    });
    // The transition names the event that raised the hand.
    expect(detail.history.at(-1).note).toContain(`demo_request event "${demoId}"`);
  });

  it("an imported past demo request scores but makes no MQL today; the move's transition is not written", async () => {
    await companyWithFit("backfill.io", "C");
    const existing = "known@backfill.io";
    await t.request({ method: "POST", url: "/api/v1/leads", payload: { email: existing } });
    const res = await ingest({
      events: [
        { id: id(), type: "demo_request", occurredAt: at(-30 * DAY), email: existing },
        // A person Accord first hears of through last month's activity.
        { id: id(), type: "demo_request", occurredAt: at(-30 * DAY), email: "new@backfill.io" },
      ],
    });
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    for (const email of [existing, "new@backfill.io"]) {
      const detail = await leadByEmail(email);
      expect(detail.lead.stage).toBe("lead");
      expect(detail.lead.fitGrade).toBe("C");
      expect(detail.lead.engagementScore).toBeGreaterThan(0);
      expect(detail.history.map((h: { rule: string }) => h.rule)).not.toContain(
        "hand_raiser:demo_request",
      );
    }
    // Yesterday's demo request still raises the hand.
    await ingest({ id: id(), type: "demo_request", occurredAt: at(-DAY), email: existing });
    expect((await leadByEmail(existing)).lead.stage).toBe("mql");
  });

  it("fit D never becomes an MQL by a demo request or by engagement alone", async () => {
    const events = [
      { id: id(), type: "demo_request", occurredAt: at(), email: "someone@gmail.com" },
      ...Array.from({ length: 4 }, () => ({
        id: id(),
        type: "page_view",
        occurredAt: at(),
        email: "someone@gmail.com",
        properties: { url: "/pricing" },
      })),
    ];
    await ingest({ events });
    const detail = await leadByEmail("someone@gmail.com");
    expect(detail.lead.fitGrade).toBe("D");
    expect(detail.lead.engagementScore).toBeGreaterThanOrEqual(50);
    expect(detail.lead.stage).toBe("lead");
  });

  it("engagement ≥ 50 with fit B moves a lead to MQL by the agreement's criteria", async () => {
    await companyWithFit("engaged-co.io", "B");
    const email = "reader@engaged-co.io";
    await ingest({
      events: [
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          email,
          properties: { url: "https://site.test/pricing" },
        },
        {
          id: id(),
          type: "page_view",
          occurredAt: at(),
          email,
          properties: { url: "https://site.test/pricing" },
        },
      ],
    });
    expect((await leadByEmail(email)).lead.stage).toBe("lead");
    await ingest({
      events: [
        { id: id(), type: "content_download", occurredAt: at(), email },
        { id: id(), type: "webinar_attended", occurredAt: at(), email },
      ],
    });
    const detail = await leadByEmail(email);
    expect(detail.lead.engagementScore).toBeGreaterThanOrEqual(50);
    expect(detail.lead.stage).toBe("mql");
    expect(detail.history.at(-1)).toMatchObject({
      toStage: "mql",
      actorType: "rule",
      rule: "criteria:mql",
    });
  });

  it("a recycled lead whose interest rebounds returns to MQL", async () => {
    await companyWithFit("rebound.io", "C");
    const email = "cfo@rebound.io";
    const lead = (
      await t.request({
        method: "POST",
        url: "/api/v1/leads",
        payload: { email, title: "CFO", seniority: "c_level" },
      })
    ).json();
    await t.request({
      method: "POST",
      url: `/api/v1/leads/${lead.id}/transitions`,
      payload: { to: "mql" },
    });
    await t.request({
      method: "POST",
      url: `/api/v1/leads/${lead.id}/transitions`,
      payload: { to: "recycled", reason: "bad_timing" },
    });
    await ingest({ id: id(), type: "demo_request", occurredAt: at(), email });
    const detail = await leadByEmail(email);
    expect(detail.lead.stage).toBe("mql");
    expect(detail.history.at(-1)).toMatchObject({
      fromStage: "recycled",
      toStage: "mql",
      rule: "hand_raiser:demo_request",
    });
  });

  it("explains the score: every fit rule and event with its points, the criteria, and the history", async () => {
    const detail = await leadByEmail("reader@engaged-co.io");
    const res = await t.request({ method: "GET", url: `/api/v1/leads/${detail.lead.id}/score` });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.fit).toMatchObject({ score: 50, grade: "B" });
    expect(s.fit.contributions.map((c: { ruleId: string }) => c.ruleId).sort()).toEqual([
      "industry_core",
      "size_mid",
    ]);
    const pricing = s.engagement.signals.find(
      (x: { signalId: string }) => x.signalId === "pricing_view",
    );
    expect(pricing).toMatchObject({ events: 2, decayedPoints: 30, halfLifeDays: 14 });
    expect(s.engagement.events).toHaveLength(4);
    expect(s.engagement.events.every((e: { points: number }) => e.points > 0)).toBe(true);
    const sum = s.engagement.signals.reduce(
      (a: number, x: { decayedPoints: number }) => a + x.decayedPoints,
      0,
    );
    expect(Math.round(sum * 10)).toBe(Math.round(s.engagement.score * 10));
    expect(s.criteria.find((c: { stage: string }) => c.stage === "mql").met).toBe(true);
    expect(s.history.length).toBe(2);
    expect(s.history[1].engagementScore).toBeGreaterThan(s.history[0].engagementScore);
  });

  it("shows signal points that add up to the score, to the tenth", async () => {
    // Three signals whose decayed values each end in about .04: rounded one by one they
    // would show 0.1 less than the score.
    const signals = [
      { type: "page_view", url: "/pricing", points: 15, halfLifeDays: 14 },
      { type: "page_view", url: "/product/routing", points: 5, halfLifeDays: 14 },
      { type: "email_click", url: undefined, points: 5, halfLifeDays: 10 },
    ];
    const email = "rounding@tenths-co.io";
    let roundedOneByOne = 0;
    let exactSum = 0;
    for (const signal of signals) {
      let hours = 1;
      const valueAt = (h: number) => signal.points * 0.5 ** (h / (signal.halfLifeDays * 24));
      for (;;) {
        const tenths = valueAt(hours) * 10;
        if (tenths - Math.floor(tenths) >= 0.35 && tenths - Math.floor(tenths) < 0.45) break;
        hours++;
      }
      roundedOneByOne += Math.round(valueAt(hours) * 10);
      exactSum += valueAt(hours);
      await ingest({
        id: id(),
        type: signal.type,
        occurredAt: at(-hours * 3600 * 1000),
        email,
        ...(signal.url ? { properties: { url: signal.url } } : {}),
      });
    }
    expect(Math.round(exactSum * 10)).toBe(roundedOneByOne + 1);
    const detail = await leadByEmail(email);
    const s = (
      await t.request({ method: "GET", url: `/api/v1/leads/${detail.lead.id}/score` })
    ).json();
    expect(s.engagement.signals).toHaveLength(3);
    const shown = s.engagement.signals.reduce(
      (a: number, x: { decayedPoints: number }) => a + Math.round(x.decayedPoints * 10),
      0,
    );
    expect(shown).toBe(Math.round(s.engagement.score * 10));
    expect(shown).toBe(Math.round(exactSum * 10));
  });

  it("draws a lead's history up to its late events (an import) by when they happened", async () => {
    const email = "importer@import-co.io";
    const pricing = (offsetMs: number) => ({
      id: id(),
      type: "page_view",
      occurredAt: at(offsetMs),
      email,
      properties: { url: "/pricing" },
    });
    const historyOf = async () => {
      const detail = await leadByEmail(email);
      const s = (
        await t.request({ method: "GET", url: `/api/v1/leads/${detail.lead.id}/score` })
      ).json();
      return s.history as { at: string; engagementScore: number; source: string; cause: string }[];
    };
    // Events that arrive as they happen are drawn as recorded.
    await ingest(pricing(0));
    expect((await historyOf()).map((h) => h.source)).toEqual(["recorded"]);
    // Then an import of the six days before, received now: two bursts of pricing views. The
    // record (stamped at arrival, 15 now) would squeeze them into this instant; up to their
    // arrival the history is rebuilt from every event received by then, the one that arrived
    // as it happened included, one point per burst, at the burst's last event.
    const imported = await ingest({
      events: [pricing(-6 * DAY), pricing(-6 * DAY + 10 * 60_000), pricing(-3 * DAY)],
    });
    expect(imported.json()).toMatchObject({ accepted: 3 });
    const history = await historyOf();
    expect(history.map((h) => h.source)).toEqual(["events", "events", "events"]);
    expect(history.map((h) => h.at)).toEqual([at(-6 * DAY + 10 * 60_000), at(-3 * DAY), at(0)]);
    // Valued when each burst ended: two fresh pricing views are worth 30 (15 each, 10 minutes
    // of a 14-day half-life apart); the view three days later adds 15 to what has faded since,
    // and today's view 15 more, up to the signal's cap of 45.
    expect(history[0]!.engagementScore).toBe(30);
    const third = 30 * 0.5 ** (3 / 14) + 15;
    expect(history[1]!.engagementScore).toBeCloseTo(third, 0);
    expect(third * 0.5 ** (3 / 14) + 15).toBeGreaterThan(45);
    expect(history[2]!.engagementScore).toBe(45);
    expect(history.every((h) => h.cause === "page_view")).toBe(true);
    // A lead whose events arrived as they happened keeps its recorded points.
    const live = await leadByEmail("reader@engaged-co.io");
    const liveHistory = (
      await t.request({ method: "GET", url: `/api/v1/leads/${live.lead.id}/score` })
    ).json().history;
    expect(liveHistory.length).toBeGreaterThan(0);
    expect(liveHistory.every((h: { source: string }) => h.source === "recorded")).toBe(true);
  });

  it("scores fade with each signal's half-life; what the API returns is valued now", async () => {
    const email = "fader@fade-co.io";
    await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email,
      properties: { url: "/pricing" },
    });
    const before = (await leadByEmail(email)).lead.engagementScore;
    expect(before).toBe(15);
    now = new Date(now.getTime() + 14 * DAY); // one pricing half-life later
    const after = await leadByEmail(email);
    expect(after.lead.engagementScore).toBeCloseTo(7.5, 1);
    const list = (await t.request({ method: "GET", url: `/api/v1/leads?q=${email}` })).json();
    expect(list.items[0].engagementScore).toBeCloseTo(7.5, 1);
    // The stored copy used for sorting catches up at the next sweep.
    await t.services.scoring.refreshDecayedScores();
    const row = await t.database.db
      .selectFrom("leads")
      .select("engagement_score")
      .where("id", "=", after.lead.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.engagement_score)).toBeCloseTo(7.5, 1);
  });

  it("shows a capped signal's events at their share of the cap, so they add up to it", async () => {
    const email = "capped@cap-co.io";
    for (let i = 0; i < 4; i++)
      await ingest({ id: id(), type: "content_download", occurredAt: at(), email });
    const lead = (await leadByEmail(email)).lead;
    const s = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}/score` })).json();
    const signal = s.engagement.signals.find(
      (x: { signalId: string }) => x.signalId === "content_download",
    );
    expect(signal).toMatchObject({ capped: true, decayedPoints: 45, events: 4 });
    const points: number[] = s.engagement.events.map((e: { points: number }) => e.points);
    // Each worth 11.25: rounded together, so the four add up to the signal's 45.
    expect([...points].sort()).toEqual([11.2, 11.2, 11.3, 11.3]);
    expect(points.reduce((a, b) => a + b, 0)).toBeCloseTo(45, 5);
  });

  it("stitches a visitor's anonymous page views to the lead a form identifies", async () => {
    const visitorId = "visitor-0123456789";
    const anon = await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      visitorId,
      properties: { url: "https://site.test/pricing" },
    });
    expect(anon.json()).toMatchObject({ accepted: 1, leadIds: [null] });
    await ingest({
      id: id(),
      type: "form_submit",
      occurredAt: at(1000),
      visitorId,
      email: "anon@stitch-co.io",
    });
    const detail = await leadByEmail("anon@stitch-co.io");
    const s = (
      await t.request({ method: "GET", url: `/api/v1/leads/${detail.lead.id}/score` })
    ).json();
    expect(s.engagement.signals.map((x: { signalId: string }) => x.signalId).sort()).toEqual([
      "form_submit",
      "pricing_view",
    ]);
    expect(detail.lead.engagementScore).toBe(25);
  });

  it("sorts leads by engagement for the hot-now view once the sweep revalued the stored scores", async () => {
    await t.services.scoring.refreshDecayedScores();
    const list = (
      await t.request({
        method: "GET",
        url: "/api/v1/leads?sort=engagementScore&order=desc&limit=3",
      })
    ).json();
    const scores = list.items.map((l: { engagementScore: number }) => l.engagementScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(0);
  });

  it("filters by a minimum engagement, as the Hot now view does", async () => {
    await t.services.scoring.refreshDecayedScores();
    const all = (
      await t.request({ method: "GET", url: "/api/v1/leads?limit=200&total=true" })
    ).json();
    const engaged = all.items.filter((l: { engagementScore: number }) => l.engagementScore >= 1);
    expect(engaged.length).toBeGreaterThan(0);
    expect(engaged.length).toBeLessThan(all.items.length);
    const hot = (
      await t.request({
        method: "GET",
        url: "/api/v1/leads?minEngagement=1&sort=engagementScore&order=desc&limit=200&total=true",
      })
    ).json();
    expect(hot.total).toBe(engaged.length);
    expect(hot.items.every((l: { engagementScore: number }) => l.engagementScore >= 1)).toBe(true);
    const bad = await t.request({ method: "GET", url: "/api/v1/leads?minEngagement=-1" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe("query.minEngagement");
  });

  it("runs one decay sweep at a time: a call made during a sweep gets that sweep's result", async () => {
    const first = t.services.scoring.refreshDecayedScores();
    const during = t.services.scoring.refreshDecayedScores();
    expect(during).toBe(first);
    const result = await first;
    expect(result.workspaces).toBeGreaterThan(0);
    const next = t.services.scoring.refreshDecayedScores();
    expect(next).not.toBe(first);
    await next;
  });

  it("events of one workspace never touch another's leads", async () => {
    const other = await t.otherWorkspace();
    const res = await ingest(
      { id: "shared-id-1", type: "page_view", occurredAt: at(), email: "reader@engaged-co.io" },
      other.adminKey,
    );
    expect(res.json().accepted).toBe(1);
    const mine = await leadByEmail("reader@engaged-co.io");
    expect(res.json().leadIds[0]).not.toBe(mine.lead.id);
    // The same event id in this workspace is new here.
    expect(
      (
        await ingest({ id: "shared-id-1", type: "page_view", occurredAt: at(), email: "x@y-co.io" })
      ).json().accepted,
    ).toBe(1);
  });
});

describe("body encoding", () => {
  it("takes UTF-8 however it is labelled, and refuses other bytes instead of merging ids", async () => {
    const event = (eventId: string) =>
      `{"id":"${eventId}","type":"page_view","occurredAt":"${at()}","email":"enc@encoding-co.io"}`;
    const post = (contentType: string, payload: string | Buffer) =>
      t.request({
        method: "POST",
        url: "/api/v1/events",
        headers: { "content-type": contentType },
        payload,
      });
    const labelled = await post("application/json; charset=UTF-8", event("caf\u00e9-utf8"));
    expect(labelled.statusCode).toBe(202);
    expect(labelled.json().accepted).toBe(1);
    // Plain ASCII reads the same in any ASCII-based charset, whatever the label says.
    const ascii = await post("application/json; charset=us-ascii", event("plain-ascii"));
    expect(ascii.statusCode).toBe(202);
    // UTF-7 is 7-bit too, but reads "+AOk-" as é: it is refused, not stored as the wrong text.
    const utf7 = await post("application/json; charset=utf-7", event("caf+AOk-"));
    expect(utf7.statusCode).toBe(415);
    // Two ids that differ only in a Latin-1 byte used to decode to the same replacement
    // character: the second was answered as a duplicate and lost.
    for (const [byte, contentType] of [
      ["\xe9", "application/json; charset=iso-8859-1"],
      ["\xfc", "application/json"],
    ] as const) {
      const res = await post(contentType, Buffer.from(event(`caf${byte}-1`), "latin1"));
      expect(res.statusCode).toBe(contentType.includes("iso") ? 415 : 400);
    }
    const stored = await sql<{ event_id: string }>`select event_id from events
      where event_id like 'caf%'`.execute(t.database.db);
    expect(stored.rows.map((r) => r.event_id)).toEqual(["caf\u00e9-utf8"]);
    expect(ascii.json().accepted).toBe(1);
  });
});

describe("recycle policy", () => {
  /** A new lead taken to MQL and recycled by hand, with the agreement's reason. */
  async function recycledLead(email: string, reason: string) {
    const lead = (
      await t.request({ method: "POST", url: "/api/v1/leads", payload: { email } })
    ).json();
    for (const payload of [{ to: "mql" }, { to: "recycled", reason }]) {
      const res = await t.request({
        method: "POST",
        url: `/api/v1/leads/${lead.id}/transitions`,
        payload,
      });
      expect(res.statusCode).toBe(200);
    }
    return lead as { id: string };
  }

  it("a recycled lead back on the pricing page is an MQL again when its fit still qualifies", async () => {
    await companyWithFit("pricing-return.io", "B");
    const email = "returner@pricing-return.io";
    await recycledLead(email, "bad_timing");
    // A blog visit is not enough...
    await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email,
      properties: { url: "https://site.test/blog/post" },
    });
    expect((await leadByEmail(email)).lead.stage).toBe("recycled");
    // ...the pricing page is the agreed re-qualification trigger.
    await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email,
      properties: { url: "https://site.test/pricing" },
    });
    const detail = await leadByEmail(email);
    expect(detail.lead.stage).toBe("mql");
    expect(detail.history.at(-1)).toMatchObject({
      fromStage: "recycled",
      toStage: "mql",
      rule: "requalify:pricing_visit",
    });
  });

  it("a lead sales just recycled is not sent back by the score it still has, on a click or an edit", async () => {
    await companyWithFit("ping-pong.io", "B");
    const email = "rebound@ping-pong.io";
    for (const type of [
      "content_download",
      "content_download",
      "content_download",
      "content_download",
      "email_click",
    ])
      await ingest({ id: id(), type, occurredAt: at(), email });
    const mql = await leadByEmail(email);
    expect(mql.lead.stage).toBe("mql");
    const recycle = await t.request({
      method: "POST",
      url: `/api/v1/leads/${mql.lead.id}/transitions`,
      payload: { to: "recycled", reason: "bad_timing" },
    });
    expect(recycle.statusCode).toBe(200);
    await ingest({ id: id(), type: "email_open", occurredAt: at(60_000), email });
    const edited = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${mql.lead.id}`,
      payload: { phone: "+1 555 0100" },
    });
    expect(edited.statusCode).toBe(200);
    const after = await leadByEmail(email);
    expect(after.lead.engagementScore).toBeGreaterThanOrEqual(50);
    expect(after.lead.stage).toBe("recycled");
    expect(after.history.at(-1)).toMatchObject({ fromStage: "mql", toStage: "recycled" });
  });

  it("a recycled lead whose seniority rises is an MQL again when its fit then qualifies, even in nurture", async () => {
    await companyWithFit("promoted.io", "C");
    const create = async (email: string, fields: object) => {
      const lead = (
        await t.request({ method: "POST", url: "/api/v1/leads", payload: { email, ...fields } })
      ).json();
      for (const payload of [{ to: "mql" }, { to: "recycled", reason: "no_authority" }]) {
        const res = await t.request({
          method: "POST",
          url: `/api/v1/leads/${lead.id}/transitions`,
          payload,
        });
        expect(res.statusCode).toBe(200);
      }
      return lead.id as string;
    };
    const edit = async (leadId: string, payload: object) => {
      const res = await t.request({ method: "PATCH", url: `/api/v1/leads/${leadId}`, payload });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    // Core industry and core country: fit 35, grade C, with an analyst's title.
    const promoted = await create("ana@promoted.io", { title: "Data Analyst", country: "US" });
    // A new title at the same level is no authority change.
    expect((await edit(promoted, { title: "Senior Data Analyst" })).stage).toBe("recycled");
    // A VP's title adds the decision maker's 20 points: grade B, and back as an MQL at once,
    // although the lead is within its 90 days of nurture.
    const vp = await edit(promoted, { title: "VP of Data" });
    expect(vp).toMatchObject({ stage: "mql", fitGrade: "B" });
    const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${promoted}` })).json();
    expect(detail.history.at(-1)).toMatchObject({
      fromStage: "recycled",
      toStage: "mql",
      actorType: "rule",
      rule: "requalify:authority_change",
      note: "Seniority rose from individual contributor to VP (title “VP of Data”).",
    });
    // A rise that leaves the fit short of the MQL's grade B changes nothing.
    const manager = await create("max@promoted.io", { title: "Data Analyst" });
    const edited = await edit(manager, { title: "Data Manager" });
    expect(edited).toMatchObject({ stage: "recycled", fitGrade: "C" });
    // A seniority given outright (a CRM's field) counts over the title; the note names no title
    // that was not the evidence.
    const given = await create("gil@promoted.io", { title: "Data Analyst", country: "US" });
    expect(await edit(given, { seniority: "vp" })).toMatchObject({ stage: "mql" });
    const history = (await t.request({ method: "GET", url: `/api/v1/leads/${given}` })).json()
      .history;
    expect(history.at(-1)).toMatchObject({
      rule: "requalify:authority_change",
      note: "Seniority rose from individual contributor to VP.",
    });
  });

  it("a recycled lead whose fit no longer qualifies stays recycled on a pricing visit", async () => {
    const email = "low-fit@gmail.com";
    await recycledLead(email, "no_need");
    await ingest({
      id: id(),
      type: "page_view",
      occurredAt: at(),
      email,
      properties: { url: "https://site.test/pricing" },
    });
    expect((await leadByEmail(email)).lead.stage).toBe("recycled");
  });
});
