import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = (url: string, payload: unknown, key?: string) =>
  t.request({ method: "POST", url, payload: payload as object, key });

async function createLead(payload: Record<string, unknown>) {
  const res = await post("/api/v1/leads", payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function moveLead(id: string, body: Record<string, unknown>, key?: string) {
  return post(`/api/v1/leads/${id}/transitions`, body, key);
}

describe("leads", () => {
  it("creates a lead in stage lead, records its creation and joins the account of its email domain", async () => {
    const lead = await createLead({
      email: "Ada@Lovelace-Labs.com",
      firstName: "Ada",
      company: "Lovelace Labs",
    });
    expect(lead.stage).toBe("lead");
    expect(lead.accountId).toBeTruthy();
    const account = (
      await t.request({ method: "GET", url: `/api/v1/accounts/${lead.accountId}` })
    ).json();
    expect(account).toMatchObject({ domain: "lovelace-labs.com", name: "Lovelace Labs" });

    const second = await createLead({ email: "grace@lovelace-labs.com" });
    expect(second.accountId).toBe(lead.accountId);

    const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      fromStage: null,
      toStage: "lead",
      actorType: "api_key",
      agreementVersion: 1,
    });
    expect(detail.stageDefinition.label).toBe("Lead");
    expect(detail.account.id).toBe(lead.accountId);
  });

  it("never joins a free-mail domain to an account", async () => {
    const lead = await createLead({ email: "someone@gmail.com" });
    expect(lead.accountId).toBeNull();
  });

  it("refuses a duplicate email case-insensitively with 409, and upserts with ?upsert=true", async () => {
    await createLead({ email: "dup@example.org", firstName: "First" });
    const dup = await post("/api/v1/leads", { email: "DUP@Example.org" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe("DUPLICATE_EMAIL");

    const up = await post("/api/v1/leads?upsert=true", { email: "Dup@example.org", title: "CTO" });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ email: "dup@example.org", firstName: "First", title: "CTO" });
    const list = (
      await t.request({ method: "GET", url: "/api/v1/leads?q=dup@example.org&total=true" })
    ).json();
    expect(list.total).toBe(1);
  });

  it("updates fields with PATCH but never the stage", async () => {
    const lead = await createLead({ email: "patch@example.net" });
    const ok = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: { title: "VP Marketing", consent: true },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ title: "VP Marketing", consent: true, stage: "lead" });
    const stage = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: { stage: "customer" },
    });
    expect(stage.statusCode).toBe(400);
    expect(stage.json().error.fields[0]).toMatchObject({ path: "stage", message: "unknown field" });
  });

  it("answers 404 for a lead that does not exist", async () => {
    const res = await t.request({
      method: "GET",
      url: "/api/v1/leads/00000000-0000-4000-8000-000000000000",
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("NOT_FOUND");
  });

  it("lists with filters and walks every page with the cursor exactly once", async () => {
    for (let i = 0; i < 7; i++)
      await createLead({
        email: `page${i}@pagination.dev`,
        source: i % 2 ? "webinar" : "paid_search",
      });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/leads?q=pagination.dev&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page: { items: { email: string }[]; nextCursor: string | null } = (
        await t.request({ method: "GET", url })
      ).json();
      seen.push(...page.items.map((l: { email: string }) => l.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const webinar = (
      await t.request({
        method: "GET",
        url: "/api/v1/leads?q=pagination.dev&source=webinar&total=true",
      })
    ).json();
    expect(webinar.total).toBe(3);
    const byStage = (
      await t.request({ method: "GET", url: "/api/v1/leads?stage=customer,lost" })
    ).json();
    expect(byStage.items).toHaveLength(0);
    const bad = await t.request({ method: "GET", url: "/api/v1/leads?stage=nope" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe("query.stage");
  });

  it("filters by owner", async () => {
    const sdr = await t.createUser("sdr");
    const owned = await createLead({ email: "owned@owners.dev", ownerId: sdr.id });
    await createLead({ email: "unowned@owners.dev" });
    const mine = (
      await t.request({ method: "GET", url: `/api/v1/leads?ownerId=${sdr.id}` })
    ).json();
    expect(mine.items.map((l: { id: string }) => l.id)).toEqual([owned.id]);
    const none = (
      await t.request({ method: "GET", url: "/api/v1/leads?ownerId=none&q=owners.dev" })
    ).json();
    expect(none.items.map((l: { email: string }) => l.email)).toEqual(["unowned@owners.dev"]);
  });
});

describe("stage history", () => {
  it("lists a lead's arrival first, even beside a move dated the same instant", async () => {
    const lead = await t.services.repos.leads.insert({
      email: "same-instant@history-co.io",
      firstName: null,
      lastName: null,
      title: null,
      seniority: null,
      department: null,
      company: null,
      phone: null,
      country: null,
      source: null,
      campaign: null,
      sourcedBy: "marketing",
      consent: false,
      accountId: null,
      ownerId: null,
      attributes: {},
      qualification: {},
      id: "ffffffff-0000-7000-8000-000000000001",
      workspaceId: t.workspaceId,
      stage: "mql",
      now: new Date("2026-06-01T12:00:00Z"),
    });
    const at = new Date("2026-06-01T12:00:00Z");
    const row = {
      workspaceId: t.workspaceId,
      leadId: lead.id,
      occurredAt: at,
      actorType: "system" as const,
      actorId: null,
      rule: null,
      reason: null,
      note: null,
      agreementVersion: 1,
    };
    // The move's id sorts before the arrival's: the order must not come from the ids.
    await t.services.repos.leads.insertTransitions([
      { ...row, id: "00000000-0000-7000-8000-000000000002", fromStage: "lead", toStage: "mql" },
      {
        ...row,
        id: "ffffffff-0000-7000-8000-000000000003",
        fromStage: null as unknown as "lead",
        toStage: "lead",
      },
    ]);
    const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
    expect(detail.history.map((h: { fromStage: string | null }) => h.fromStage)).toEqual([
      null,
      "lead",
    ]);
  });
});

describe("transitions", () => {
  it("moves a lead and records who moved it, under which agreement version", async () => {
    const lead = await createLead({ email: "move@example.com" });
    const res = await moveLead(lead.id, { to: "mql", note: "hand-qualified at the booth" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lead.stage).toBe("mql");
    expect(res.json().transition).toMatchObject({
      fromStage: "lead",
      toStage: "mql",
      note: "hand-qualified at the booth",
      agreementVersion: 1,
    });
  });

  it("rejecting an MQL without a reason fails with REASON_REQUIRED and changes nothing", async () => {
    const lead = await createLead({ email: "reject@example.com" });
    await moveLead(lead.id, { to: "mql" });
    const res = await moveLead(lead.id, { to: "recycled" });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: "REASON_REQUIRED" });
    const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
    expect(detail.lead.stage).toBe("mql");
    expect(detail.history).toHaveLength(2);
  });

  it("rejecting with a reason outside the agreement fails with REASON_NOT_IN_AGREEMENT", async () => {
    const lead = await createLead({ email: "badreason@example.com" });
    await moveLead(lead.id, { to: "mql" });
    const res = await moveLead(lead.id, { to: "disqualified", reason: "because" });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe("REASON_NOT_IN_AGREEMENT");
    const ok = await moveLead(lead.id, { to: "disqualified", reason: "wrong_fit" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().transition.reason).toBe("wrong_fit");
  });

  it("refuses a move the lifecycle does not allow with TRANSITION_NOT_ALLOWED", async () => {
    const lead = await createLead({ email: "skip@example.com" });
    const res = await moveLead(lead.id, { to: "customer" });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe("TRANSITION_NOT_ALLOWED");
  });

  it("needs the agreement's BANT(M) fields and a meeting before sql", async () => {
    const lead = await createLead({ email: "bant@example.com" });
    await moveLead(lead.id, { to: "mql" });
    await moveLead(lead.id, { to: "sal" });
    const missing = await moveLead(lead.id, {
      to: "sql",
      qualification: { budget: "$50k approved" },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.code).toBe("QUALIFICATION_INCOMPLETE");
    const noMeeting = await moveLead(lead.id, {
      to: "sql",
      qualification: {
        budget: "$50k",
        authority: "VP signs",
        need: "routing",
        timeframe: "Q1",
        motivation: "SLA misses",
      },
    });
    expect(noMeeting.json().error.code).toBe("MEETING_REQUIRED");
    const patched = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: {
        qualification: {
          budget: "$50k",
          authority: "VP signs",
          need: "routing",
          timeframe: "Q1",
          motivation: "SLA misses",
        },
      },
    });
    expect(patched.json().qualification.authority).toBe("VP signs");
    const ok = await moveLead(lead.id, {
      to: "sql",
      qualification: { meetingAt: "2026-12-01T15:00:00Z" },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().lead.qualification).toMatchObject({
      budget: "$50k",
      meetingAt: "2026-12-01T15:00:00Z",
    });
  });

  it("answers 409 STAGE_CONFLICT when the lead is no longer in the expected stage", async () => {
    const lead = await createLead({ email: "expected@example.com" });
    const res = await moveLead(lead.id, { to: "mql", expectedStage: "mrl" });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("STAGE_CONFLICT");
  });

  it("two SDRs accepting the same MQL at once: exactly one wins, the other gets 409", async () => {
    const sdrKeys = [await t.keyWithScopes(["write"]), await t.keyWithScopes(["write"])];
    for (let round = 0; round < 5; round++) {
      const lead = await createLead({ email: `race${round}@example.com` });
      await moveLead(lead.id, { to: "mql" });
      const results = await Promise.all(
        sdrKeys.map((key) => moveLead(lead.id, { to: "sal", expectedStage: "mql" }, key)),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
      expect(detail.history.filter((h: { toStage: string }) => h.toStage === "sal")).toHaveLength(
        1,
      );
    }
  });

  it("without expectedStage, concurrent accepts still record exactly one move", async () => {
    const lead = await createLead({ email: "race-no-expect@example.com" });
    await moveLead(lead.id, { to: "mql" });
    const results = await Promise.all([1, 2, 3].map(() => moveLead(lead.id, { to: "sal" })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const detail = (await t.request({ method: "GET", url: `/api/v1/leads/${lead.id}` })).json();
    expect(detail.history.filter((h: { toStage: string }) => h.toStage === "sal")).toHaveLength(1);
  });
});
