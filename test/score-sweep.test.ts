import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgreementDocument } from "../src/domain/agreement.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

// The decay sweep keeps the stored engagement score (the sort key of the lead list and the
// Hot now view) near the live one. After its first pass it reads only the leads due.
let t: TestApp;
let now = new Date("2026-06-01T12:00:00Z");
const MINUTE = 60_000;
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

async function view(email: string, url: string): Promise<string> {
  const res = await t.request({
    method: "POST",
    url: "/api/v1/events",
    payload: {
      id: `sweep-${n++}`,
      type: "page_view",
      occurredAt: now.toISOString(),
      email,
      properties: { url },
    },
  });
  expect(res.statusCode).toBe(202);
  return res.json().leadIds[0];
}

async function stored(leadId: string) {
  const r = await t.database.db
    .selectFrom("leads")
    .select(["engagement_score", "score_refresh_at"])
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
  return {
    score: Number(r.engagement_score),
    refreshAt: r.score_refresh_at === null ? null : new Date(r.score_refresh_at),
  };
}

async function live(leadId: string): Promise<number> {
  const res = await t.request({ method: "GET", url: `/api/v1/leads/${leadId}` });
  return res.json().lead.engagementScore;
}

/** Supersedes the workspace's active agreement with `document`, as its next version. */
async function activate(document: AgreementDocument): Promise<void> {
  const active = await t.services.agreement.active(t.workspaceId);
  await sql`update agreements set status = 'superseded' where id = ${active.id}`.execute(
    t.database.db,
  );
  await t.services.repos.agreements.insert({
    id: randomUUID(),
    workspaceId: t.workspaceId,
    version: active.version + 1,
    status: "active",
    document,
    createdBy: null,
    activatedAt: now,
  });
}

const sweep = () => t.services.scoring.refreshDecayedScores();

describe("the decay sweep", () => {
  let a: string;
  let b: string;
  let c: string;

  it("reads every engaged lead in a process's first sweep, then only the leads due", async () => {
    a = await view("ada@sweep-co.io", "/pricing");
    b = await view("bo@sweep-co.io", "/pricing");
    c = await view("cy@sweep-co.io", "/blog/post");
    // Ingestion writes the state, not the sort key: it marks the lead due instead.
    expect(await stored(a)).toEqual({ score: 0, refreshAt: now });
    expect(await live(a)).toBe(15);

    expect(await sweep()).toEqual({ workspaces: 1, fullPasses: 1, examined: 3, updated: 3 });
    expect((await stored(a)).score).toBe(15);
    expect((await stored(c)).score).toBe(2);
    // 15 points fading with a 14-day half-life lose a tenth of a point in about 3.2 hours.
    const due = (await stored(a)).refreshAt!;
    expect(due.getTime() - now.getTime()).toBeGreaterThan(3 * 60 * MINUTE);
    expect(due.getTime() - now.getTime()).toBeLessThan(3.5 * 60 * MINUTE);

    // Nothing was ingested and nothing has faded: the next sweep reads no lead.
    expect(await sweep()).toEqual({ workspaces: 1, fullPasses: 0, examined: 0, updated: 0 });

    now = new Date(now.getTime() + MINUTE);
    await view("bo@sweep-co.io", "/pricing");
    expect((await stored(b)).score).toBe(15);
    expect(await live(b)).toBeCloseTo(30, 0);
    expect(await sweep()).toEqual({ workspaces: 1, fullPasses: 0, examined: 1, updated: 1 });
    expect((await stored(b)).score).toBe(await live(b));
  });

  it("revalues a lead when its score may have faded a tenth of a point, and not before", async () => {
    const due = (await stored(a)).refreshAt!;
    now = new Date(due.getTime() - MINUTE);
    await sweep();
    // Not due yet: left alone, and still within the tolerance of the live score.
    expect((await stored(a)).refreshAt).toEqual(due);
    expect(Math.abs((await stored(a)).score - (await live(a)))).toBeLessThanOrEqual(0.2);

    now = new Date(now.getTime() + 13 * 24 * 60 * MINUTE);
    const result = await sweep();
    expect(result.examined).toBe(3);
    for (const lead of [a, b, c]) {
      const s = await stored(lead);
      expect(s.score).toBe(await live(lead));
      expect(s.refreshAt!.getTime()).toBeGreaterThan(now.getTime());
    }
    expect((await stored(a)).score).toBeLessThan(8);
  });

  it("reads every engaged lead again under a new agreement, valued with its signals", async () => {
    const active = await t.services.agreement.active(t.workspaceId);
    const scoring = active.document.scoring;
    const document: AgreementDocument = {
      ...active.document,
      scoring: {
        ...scoring,
        engagement: {
          ...scoring.engagement,
          // Pricing views fade in a day; blog views no longer count.
          signals: scoring.engagement.signals
            .filter((s) => s.id !== "blog_view")
            .map((s) => (s.id === "pricing_view" ? { ...s, halfLifeDays: 1 } : s)),
        },
      },
    };
    await activate(document);
    const result = await sweep();
    expect(result).toMatchObject({ fullPasses: 1, examined: 3 });
    for (const lead of [a, b, c]) expect((await stored(lead)).score).toBe(await live(lead));
    // A lead whose only signal is gone has nothing left to fade.
    expect(await stored(c)).toEqual({ score: 0, refreshAt: null });
    expect(await sweep()).toMatchObject({ fullPasses: 0, examined: 0 });
  });

  it("gives the same result paced as unpaced", async () => {
    now = new Date(now.getTime() + 2 * 24 * 60 * MINUTE);
    const d = await view("di@sweep-co.io", "/pricing");
    const result = await t.services.scoring.refreshDecayedScores({ pace: 1 });
    expect(result.examined).toBeGreaterThanOrEqual(1);
    for (const lead of [a, b, d]) expect((await stored(lead)).score).toBe(await live(lead));
  });
});

describe("the decay sweep, racing other writers", () => {
  /** A sweep that runs `meanwhile` once, between reading its first chunk and writing it. */
  const racingSweep = (meanwhile: () => Promise<void>) => {
    let armed = true;
    return {
      refreshDecayedScores: () =>
        t.services.scoring.refreshDecayedScores({
          beforeWrite: async () => {
            if (!armed) return;
            armed = false;
            await meanwhile();
          },
        }),
    };
  };

  it("leaves a lead written meanwhile due, so the next sweep revalues what it holds", async () => {
    now = new Date(now.getTime() + 60 * 24 * 60 * MINUTE);
    const lead = await view("racer@sweep-race.io", "/pricing");
    const scoring = racingSweep(async () => {
      await view("racer@sweep-race.io", "/pricing");
    });
    await scoring.refreshDecayedScores();
    // The sweep valued one view; the lead now holds two. It stays due instead of waiting hours.
    const s = await stored(lead);
    expect(s.refreshAt!.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(await live(lead)).toBe(30);
    await scoring.refreshDecayedScores();
    expect((await stored(lead)).score).toBe(30);
    expect((await stored(lead)).refreshAt!.getTime()).toBeGreaterThan(now.getTime());
  });

  it("writes nothing once the agreement it valued with is replaced, and passes again in full", async () => {
    const lead = await view("swapper@sweep-race.io", "/pricing");
    const active = await t.services.agreement.active(t.workspaceId);
    const scoring = racingSweep(() => activate(active.document));
    const before = await stored(lead);
    const result = await scoring.refreshDecayedScores();
    expect(result.fullPasses).toBe(0);
    expect(await stored(lead)).toEqual(before);
    expect(await scoring.refreshDecayedScores()).toMatchObject({ fullPasses: 1 });
    expect((await stored(lead)).score).toBe(await live(lead));
  });

  it("goes on past a chunk whose leads were all deleted meanwhile", async () => {
    expect(await sweep()).toMatchObject({ fullPasses: 0 });
    // 130 engaged leads, due: the sweep's first chunk holds 100 of them, its second the rest.
    // Written directly, without history: leads are never deleted today (stage transitions
    // are append-only), and this test deletes some, as an erasure or a merge would.
    const engaged = await view("template@sweep-gone.io", "/pricing");
    const { engagement_state: state } = await t.database.db
      .selectFrom("leads")
      .select("engagement_state")
      .where("id", "=", engaged)
      .executeTakeFirstOrThrow();
    // The lowest ids of the workspace, so that the first chunk is 100 of them.
    const ids = Array.from(
      { length: 130 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    await t.database.db
      .insertInto("leads")
      .values(
        ids.map((id, i) => ({
          id,
          workspace_id: t.workspaceId,
          email: `gone-${i}@sweep-gone.io`,
          sourced_by: "marketing" as const,
          stage: "lead" as const,
          stage_entered_at: now,
          engagement_state: JSON.stringify(state),
          score_refresh_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const due = await sql<{ id: string }>`select id from leads
      where workspace_id = ${t.workspaceId} and score_refresh_at <= ${now}
      order by id`.execute(t.database.db);
    expect(due.rows.slice(0, 130).map((r) => r.id)).toEqual(ids);
    const [first, rest] = [ids.slice(0, 100), ids.slice(100)];
    // Between reading the first chunk and writing it, all its leads are deleted: the write
    // touches no row, yet the agreement is still active, and the pass must go on.
    const scoring = racingSweep(async () => {
      await t.database.db.deleteFrom("leads").where("id", "in", first).execute();
    });
    const result = await scoring.refreshDecayedScores();
    expect(result.examined).toBe(due.rows.length);
    for (const lead of rest) {
      const s = await stored(lead);
      expect(s.refreshAt!.getTime()).toBeGreaterThan(now.getTime());
      expect(s.score).toBeGreaterThan(0);
    }
  });

  it("passes in full again when the clock was stepped back", async () => {
    expect(await sweep()).toMatchObject({ fullPasses: 0 });
    now = new Date(now.getTime() - 24 * 60 * MINUTE);
    expect(await sweep()).toMatchObject({ fullPasses: 1 });
    now = new Date(now.getTime() + 24 * 60 * MINUTE);
  });
});

describe("the decay sweep and lead edits", () => {
  it("revalues a lead at the next sweep after an edit", async () => {
    const lead = await view("editor@sweep-edit.io", "/pricing");
    await sweep();
    expect((await stored(lead)).refreshAt!.getTime()).toBeGreaterThan(now.getTime());
    const edited = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead}`,
      payload: { title: "VP Marketing" },
    });
    expect(edited.statusCode).toBe(200);
    // Due at once: an edit may race a sweep, which then leaves the lead to the next one.
    expect((await stored(lead)).refreshAt!.getTime()).toBeLessThanOrEqual(now.getTime());
    const result = await sweep();
    expect(result.examined).toBeGreaterThanOrEqual(1);
    expect((await stored(lead)).refreshAt!.getTime()).toBeGreaterThan(now.getTime());
  });
});
