import { describe, expect, it } from "vitest";
import { defaultAgreement } from "../default-agreement.ts";
import {
  applyEvents,
  type LeadForScoring,
  ruleMoveRecords,
  TRIGGER_MAX_AGE_MS,
} from "./apply-events.ts";
import type { ScoringEvent } from "./engagement.ts";

const now = new Date("2026-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(now.getTime() - ms);
let n = 0;
const event = (type: string, occurredAt: Date, url: string | null = null): ScoringEvent => ({
  id: `e${n++}`,
  type,
  occurredAt,
  url,
});

/**
 * A lead in `stage` since `enteredAt`, with no engagement yet: of fit grade C by default (a
 * demo request makes it an MQL, engagement alone does not), B when a pricing visit should
 * re-qualify it.
 */
const lead = (
  stage: LeadForScoring["stage"],
  enteredAt: Date | null,
  grade: "B" | "C" = "C",
): LeadForScoring => ({
  stage,
  state: {},
  fit: grade === "B" ? 55 : 30,
  fitGrade: grade,
  fields: { email: "jane@acme.com" },
  consent: false,
  competitor: false,
  stageEnteredAt: enteredAt,
});

describe("applyEvents: which events may raise a hand", () => {
  it("a demo request of today makes an MQL; the move names the event", () => {
    const demo = event("demo_request", ago(3600_000));
    const r = applyEvents(lead("lead", ago(30 * DAY)), [demo], defaultAgreement, now);
    expect(r.stage).toBe("mql");
    expect(r.moves).toEqual([
      {
        from: "lead",
        to: "mql",
        rule: "hand_raiser:demo_request",
        at: now,
        event: { id: demo.id, type: "demo_request", occurredAt: demo.occurredAt },
      },
    ]);
    expect(ruleMoveRecords(r.moves, 3)[0]).toMatchObject({
      actorType: "rule",
      rule: "hand_raiser:demo_request",
      note: `Prompted by the demo_request event "${demo.id}" of 2026-06-01T11:00:00.000Z.`,
      agreementVersion: 3,
    });
  });

  it("a demo request older than the trigger window scores but moves nobody", () => {
    const r = applyEvents(
      lead("lead", ago(400 * DAY)),
      [event("demo_request", new Date(now.getTime() - TRIGGER_MAX_AGE_MS - 60_000))],
      defaultAgreement,
      now,
    );
    expect(r.stage).toBe("lead");
    expect(r.moves).toEqual([]);
    expect(r.engagement).toBeGreaterThan(0);
    // Just inside the window it still counts.
    const inside = applyEvents(
      lead("lead", ago(400 * DAY)),
      [event("demo_request", new Date(now.getTime() - TRIGGER_MAX_AGE_MS + 60_000))],
      defaultAgreement,
      now,
    );
    expect(inside.stage).toBe("mql");
  });

  it("a recycled lead's event from before its recycling belongs to the previous round", () => {
    // Recycled two days ago; a pricing visit and a demo request of three days ago arrive now.
    const demo = applyEvents(
      lead("recycled", ago(2 * DAY)),
      [event("demo_request", ago(3 * DAY))],
      defaultAgreement,
      now,
    );
    expect(demo.stage).toBe("recycled");
    const pricing = applyEvents(
      lead("recycled", ago(2 * DAY), "B"),
      [event("page_view", ago(3 * DAY), "https://site.test/pricing")],
      defaultAgreement,
      now,
    );
    expect(pricing.stage).toBe("recycled");
    // The same pricing visit after the recycling re-qualifies.
    const after = applyEvents(
      lead("recycled", ago(2 * DAY), "B"),
      [event("page_view", ago(DAY), "https://site.test/pricing")],
      defaultAgreement,
      now,
    );
    expect(after.moves.map((m) => m.rule)).toEqual(["requalify:pricing_visit"]);
  });

  it("a lead new to its stage, or created by the events, takes recent hands as raised", () => {
    const added = applyEvents(
      lead("lead", ago(60_000)),
      [event("demo_request", ago(2 * DAY))],
      defaultAgreement,
      now,
    );
    expect(added.stage).toBe("mql");
    const r = applyEvents(
      lead("lead", null),
      [event("demo_request", ago(2 * DAY))],
      defaultAgreement,
      now,
    );
    expect(r.stage).toBe("mql");
  });

  it("after a move in the same batch, later events still trigger", () => {
    // The first event moves the lead to mrl (criteria), the later demo request to mql.
    const ready: LeadForScoring = {
      ...lead("lead", ago(10 * DAY)),
      fields: { email: "jane@acme.com", firstName: "Jane", lastName: "Doe", company: "Acme" },
      consent: true,
    };
    const r = applyEvents(
      ready,
      [event("email_click", ago(2 * 3600_000)), event("demo_request", ago(3600_000))],
      defaultAgreement,
      now,
    );
    expect(r.moves.map((m) => `${m.from}>${m.to}:${m.rule}`)).toEqual([
      "lead>mrl:criteria:mrl",
      "mrl>mql:hand_raiser:demo_request",
    ]);
  });

  it("a competitor's demo request neither scores nor raises a hand", () => {
    const r = applyEvents(
      { ...lead("lead", ago(DAY)), competitor: true },
      [event("demo_request", ago(60_000))],
      defaultAgreement,
      now,
    );
    expect(r.stage).toBe("lead");
    expect(r.engagement).toBe(0);
  });
});

describe("applyEvents: when the score moves a lead", () => {
  const interest = (at: Date) =>
    ["webinar_attended", "webinar_attended", "content_download", "content_download"].map((t) =>
      event(t, at),
    );

  it("an import of past activity scores its people but makes no MQL until a current event", () => {
    const imported = applyEvents(
      lead("lead", ago(60 * DAY), "B"),
      [...interest(ago(20 * DAY)), event("content_download", ago(20 * DAY))],
      defaultAgreement,
      now,
    );
    expect(imported.engagement).toBeGreaterThanOrEqual(50);
    expect(imported.stage).toBe("lead");
    expect(imported.moves).toEqual([]);
    // Their next sign of interest finds the score meeting the MQL's criteria.
    const later = applyEvents(
      { ...lead("lead", ago(60 * DAY), "B"), state: imported.state },
      [event("email_open", ago(60_000))],
      defaultAgreement,
      now,
    );
    expect(later.moves.map((m) => m.rule)).toEqual(["criteria:mql"]);
  });

  it("a recycled lead is not sent straight back by the score it had when sales recycled it", () => {
    const mql = applyEvents(
      lead("lead", ago(30 * DAY), "B"),
      interest(ago(DAY)),
      defaultAgreement,
      now,
    );
    expect(mql.stage).toBe("mql");
    // Sales recycles it an hour ago; a click today would still find the score above 50.
    const recycled = { ...lead("recycled", ago(3600_000), "B"), state: mql.state };
    const click = applyEvents(recycled, [event("email_click", ago(60_000))], defaultAgreement, now);
    expect(click.engagement).toBeGreaterThanOrEqual(50);
    expect(click.stage).toBe("recycled");
    // An edit (no event) does not either.
    expect(applyEvents(recycled, [], defaultAgreement, now).moves).toEqual([]);
    // A hand raised, or a pricing visit, brings it back at once.
    expect(
      applyEvents(recycled, [event("demo_request", ago(60_000))], defaultAgreement, now).moves.map(
        (m) => m.rule,
      ),
    ).toEqual(["hand_raiser:demo_request"]);
    expect(
      applyEvents(
        recycled,
        [event("page_view", ago(60_000), "https://site.test/pricing")],
        defaultAgreement,
        now,
      ).moves.map((m) => m.rule),
    ).toEqual(["requalify:pricing_visit"]);
  });

  it("a recycled lead nurtured for the agreement's nurture days returns when its score meets the criteria", () => {
    const days = defaultAgreement.recycle.nurtureDays;
    const fresh = applyEvents(lead("lead", null, "B"), interest(ago(DAY)), defaultAgreement, now);
    const nurtured = { ...lead("recycled", ago((days + 1) * DAY), "B"), state: fresh.state };
    const r = applyEvents(nurtured, [event("email_open", ago(60_000))], defaultAgreement, now);
    expect(r.moves.map((m) => `${m.from}>${m.to}:${m.rule}`)).toEqual([
      "recycled>mql:criteria:mql",
    ]);
    // A day before the nurture period ends, the same score does not.
    const nurturing = { ...nurtured, stageEnteredAt: ago((days - 1) * DAY) };
    expect(
      applyEvents(nurturing, [event("email_open", ago(60_000))], defaultAgreement, now).stage,
    ).toBe("recycled");
  });
});
