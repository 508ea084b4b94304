import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

// The score history of a lead whose events arrived late (an import of past activity): rebuilt
// from the events up to that arrival, recorded as it happened afterwards.
let t: TestApp;
let now = new Date("2026-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

const view = (email: string, occurredAt: Date, url = "/pricing") => ({
  id: `hist-${n++}`,
  type: "page_view",
  occurredAt: occurredAt.toISOString(),
  email,
  properties: { url },
});
const ingest = async (events: object[]) => {
  const res = await t.request({ method: "POST", url: "/api/v1/events", payload: { events } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json();
};
type Point = { at: string; engagementScore: number; source: string; cause: string };
const historyOf = async (leadId: string): Promise<Point[]> =>
  (await t.request({ method: "GET", url: `/api/v1/leads/${leadId}/score` })).json().history;

describe("score history after an import", () => {
  it("is rebuilt from the imported events up to their arrival, and recorded after it", async () => {
    const email = "imported@history-co.io";
    const importedAt = now;
    const reply = await ingest([
      view(email, new Date(importedAt.getTime() - 9 * DAY)),
      view(email, new Date(importedAt.getTime() - 4 * DAY), "/blog/lead-scoring"),
    ]);
    const leadId = reply.leadIds[0] as string;
    // Two days later the person is back on the site; this event arrives as it happens.
    now = new Date(importedAt.getTime() + 2 * DAY);
    await ingest([view(email, now)]);
    const history = await historyOf(leadId);
    expect(history.map((h) => [h.source, h.at])).toEqual([
      ["events", new Date(importedAt.getTime() - 9 * DAY).toISOString()],
      ["events", new Date(importedAt.getTime() - 4 * DAY).toISOString()],
      // The point recorded at the import (squeezing nine days into an instant) is left out.
      ["recorded", now.toISOString()],
    ]);
    expect(history[0]!.engagementScore).toBe(15);
    // The pricing view has faded for five days of its 14-day half-life; the blog view adds 2.
    expect(history[1]!.engagementScore).toBeCloseTo(15 * 0.5 ** (5 / 14) + 2, 1);
    expect(history[2]!.engagementScore).toBeGreaterThan(15);
  });

  it("a request mixing a late event with on-time ones keeps the on-time ones in the history", async () => {
    const email = "mixed@history-co.io";
    const reply = await ingest([
      view(email, now, "/blog/mql"),
      view(email, new Date(now.getTime() - 14 * 3600_000)),
    ]);
    const leadId = reply.leadIds[0] as string;
    const history = await historyOf(leadId);
    const score = (await t.request({ method: "GET", url: `/api/v1/leads/${leadId}/score` })).json();
    // Both events are replayed by when they happened: the history ends at the score of now.
    expect(history.map((h) => h.source)).toEqual(["events", "events"]);
    expect(history.at(-1)!.at).toBe(now.toISOString());
    expect(history.at(-1)!.engagementScore).toBeCloseTo(score.engagement.score, 1);
  });

  it("stays as recorded for a lead whose events all arrived as they happened", async () => {
    const email = "live@history-co.io";
    const reply = await ingest([view(email, new Date(now.getTime() - 60_000))]);
    now = new Date(now.getTime() + DAY);
    await ingest([view(email, now, "/blog/mql")]);
    const history = await historyOf(reply.leadIds[0]);
    expect(history.map((h) => h.source)).toEqual(["recorded", "recorded"]);
  });
});

describe("score history of a lead people edit", () => {
  it("gets a point when an edit changes the fit, and none when it does not", async () => {
    await t.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Edited Co", domain: "edited-co.io", industry: "Software" },
    });
    const lead = (
      await t.request({
        method: "POST",
        url: "/api/v1/leads",
        payload: { email: "edited@edited-co.io" },
      })
    ).json();
    const before = await historyOf(lead.id);
    now = new Date(now.getTime() + 60_000);
    // A phone number changes no score...
    await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: { phone: "+1 555 0100" },
    });
    expect(await historyOf(lead.id)).toHaveLength(before.length);
    // ...a title that makes the person a VP does.
    now = new Date(now.getTime() + 60_000);
    const edited = (
      await t.request({
        method: "PATCH",
        url: `/api/v1/leads/${lead.id}`,
        payload: { title: "VP Marketing", seniority: "vp" },
      })
    ).json();
    expect(edited.fitScore).toBeGreaterThan(lead.fitScore);
    const after = await historyOf(lead.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      at: now.toISOString(),
      cause: "profile_update",
      source: "recorded",
    });
    expect((after.at(-1) as Point & { fitScore: number }).fitScore).toBe(edited.fitScore);
  });
});

describe("score history of a lead gone quiet", () => {
  it("ends with the fade since its last event, down to the score of now", async () => {
    const email = "quiet@history-co.io";
    const reply = await ingest([view(email, now)]);
    const leadId = reply.leadIds[0] as string;
    const lastEvent = now;
    now = new Date(now.getTime() + 28 * DAY);
    const score = (await t.request({ method: "GET", url: `/api/v1/leads/${leadId}/score` })).json();
    const history = score.history as Point[];
    expect(history[0]).toMatchObject({ source: "recorded", engagementScore: 15 });
    const fade = history.slice(1);
    expect(fade.length).toBeGreaterThan(10);
    expect(fade.every((p) => p.source === "decay" && p.cause === "")).toBe(true);
    expect(Date.parse(fade[0]!.at)).toBeGreaterThan(lastEvent.getTime());
    expect(Date.parse(fade.at(-1)!.at)).toBeLessThan(now.getTime());
    // The pricing view halves every 14 days: a week in it is worth 15 / √2, and it only falls.
    const week = fade.find((p) => Date.parse(p.at) === lastEvent.getTime() + 7 * DAY);
    expect(week?.engagementScore).toBeCloseTo(15 / Math.SQRT2, 1);
    for (let i = 1; i < fade.length; i++)
      expect(fade[i]!.engagementScore).toBeLessThanOrEqual(fade[i - 1]!.engagementScore);
    expect(fade.at(-1)!.engagementScore).toBeGreaterThanOrEqual(score.engagement.score);
    expect(score.engagement.score).toBeCloseTo(15 / 4, 1);
  });
});
