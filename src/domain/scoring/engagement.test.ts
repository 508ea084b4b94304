import { describe, expect, it } from "vitest";
import type { ScoringModel } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { compileModel } from "./compile-model.ts";
import {
  addEvent,
  buildEngagementState,
  decayFactor,
  type EngagementState,
  emptyEngagementState,
  engagementFromState,
  engagementRefreshAt,
  engagementTimeline,
  REFRESH_TOLERANCE,
  type ScoringEvent,
  scoreEngagement,
  signalFor,
} from "./engagement.ts";

const DAY = 86_400_000;
const now = new Date("2025-06-02T12:00:00.000Z");
const model: ScoringModel = {
  ...defaultAgreement.scoring,
  eventTypeAliases: { "Page Viewed": "page_view", pageview: "page_view", demo: "demo_request" },
};

let seq = 0;
function ev(type: string, daysAgo: number, url?: string): ScoringEvent {
  seq += 1;
  return {
    id: `e${seq}`,
    type,
    occurredAt: new Date(now.getTime() - daysAgo * DAY),
    url: url ?? null,
  };
}

function signalIdFor(type: string, url?: string): string | null {
  return signalFor({ type, url: url ?? null }, model)?.id ?? null;
}

describe("signalFor", () => {
  it.each([
    [
      "a pricing page view counts in the pricing group, not as a plain page view",
      "page_view",
      "https://acme.com/pricing?x=1",
      "pricing_view",
    ],
    [
      "a product page view counts as a product view",
      "page_view",
      "/features/scoring",
      "product_view",
    ],
    ["a page view in no group is a plain page view", "page_view", "/about", "page_view"],
    ["a page view without a URL is a plain page view", "page_view", undefined, "page_view"],
    ["a careers page view counts against the lead", "page_view", "/careers", "careers_view"],
    ["an alias resolves to its event type", "Page Viewed", "/pricing", "pricing_view"],
    ["aliases ignore case", "PAGEVIEW", "/blog/x", "blog_view"],
    ["an aliased hand-raiser event still scores", "demo", undefined, "demo_request"],
    ["event types ignore case", "Email_Click", undefined, "email_click"],
    ["an unknown event type scores nothing", "tweet_liked", undefined, null],
    [
      "a URL does not matter for types without page-group signals",
      "email_click",
      "/pricing",
      "email_click",
    ],
  ])("%s", (_rule, type, url, signalId) => {
    expect(signalIdFor(type, url)).toBe(signalId);
  });

  it("a page view in a group with no signal of its own and no plain signal scores nothing", () => {
    const onlyPricing: ScoringModel = {
      ...model,
      engagement: {
        ...model.engagement,
        signals: model.engagement.signals.filter((s) => s.id === "pricing_view"),
      },
    };
    expect(signalFor({ type: "page_view", url: "/blog/x" }, onlyPricing)).toBeNull();
    expect(signalFor({ type: "page_view", url: "/pricing" }, onlyPricing)?.id).toBe("pricing_view");
  });
});

describe("decay", () => {
  it.each([
    ["an event now counts in full", 0, 14, 1],
    ["a signal's points halve after one half-life", 14, 14, 0.5],
    ["and quarter after two", 28, 14, 0.25],
    ["an event in the future counts in full", -3, 14, 1],
  ])("%s", (_rule, ageDays, halfLife, factor) => {
    expect(decayFactor(ageDays * DAY, halfLife)).toBeCloseTo(factor, 12);
  });
});

describe("scoreEngagement", () => {
  it.each<[string, ScoringEvent[], number, Record<string, [number, boolean]>]>([
    ["no events score 0", [], 0, {}],
    [
      "a signal's points halve after one half-life",
      [ev("page_view", 14, "/pricing")],
      7.5,
      { pricing_view: [7.5, false] },
    ],
    [
      "caps bound a signal's total",
      [0, 0, 0, 0, 0].map((d) => ev("page_view", d, "/pricing")),
      45,
      { pricing_view: [45, true] },
    ],
    [
      "a signal exactly at its cap is not marked capped",
      [0, 0, 0].map((d) => ev("page_view", d, "/pricing")),
      45,
      { pricing_view: [45, false] },
    ],
    [
      "caps apply after decay: old views leave room under the cap",
      [14, 14, 14, 14, 0].map((d) => ev("page_view", d, "/pricing")),
      45,
      { pricing_view: [45, false] },
    ],
    [
      "caps bound the magnitude of negative signals",
      [ev("demo_request", 0), ...[0, 0, 0, 0].map((d) => ev("page_view", d, "/careers"))],
      30,
      { demo_request: [60, false], careers_view: [-30, true] },
    ],
    [
      "the total never goes below 0",
      [ev("unsubscribe", 0), ev("email_click", 0)],
      0,
      { email_click: [5, false], unsubscribe: [-30, false] },
    ],
    [
      "the score is rounded to one decimal",
      [ev("email_click", 3)],
      Math.round(5 * 0.5 ** (3 / 10) * 10) / 10,
      { email_click: [5 * 0.5 ** (3 / 10), false] },
    ],
    ["unknown event types score nothing", [ev("tweet_liked", 0)], 0, {}],
  ])("%s", (_rule, events, score, bySignal) => {
    const result = scoreEngagement(events, model, now);
    expect(result.score).toBe(score);
    const got = Object.fromEntries(
      result.contributions.map((c) => [c.signalId, [c.decayedPoints, c.capped]]),
    );
    expect(Object.keys(got)).toEqual(Object.keys(bySignal));
    for (const [id, [points, capped]] of Object.entries(bySignal)) {
      expect(got[id]?.[0]).toBeCloseTo(points, 9);
      expect(got[id]?.[1]).toBe(capped);
    }
  });

  it("explains each signal and each event", () => {
    const click = ev("email_click", 10);
    const other = ev("page_view", 0, "/about");
    const ignored = ev("tweet_liked", 0);
    const result = scoreEngagement([click, other, click, ignored], model, now);
    expect(result.contributions).toEqual([
      {
        signalId: "page_view",
        label: "Other page view",
        events: 1,
        rawPoints: 1,
        decayedPoints: 1,
        capped: false,
      },
      {
        signalId: "email_click",
        label: "Email click",
        events: 2,
        rawPoints: 10,
        decayedPoints: 5,
        capped: false,
      },
    ]);
    expect(result.events).toEqual([
      { eventId: click.id, signalId: "email_click", points: 2.5 },
      { eventId: other.id, signalId: "page_view", points: 1 },
      { eventId: click.id, signalId: "email_click", points: 2.5 },
    ]);
    expect(result.score).toBe(6);
  });

  it("accepts a precompiled model and gives the same result", () => {
    const events = [ev("demo_request", 5), ev("page_view", 1, "/pricing")];
    expect(scoreEngagement(events, compileModel(model), now)).toEqual(
      scoreEngagement(events, model, now),
    );
  });
});

/** Numerical Recipes LCG: deterministic, no Math.random. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const types = [
  "page_view",
  "page_view",
  "page_view",
  "Page Viewed",
  "email_click",
  "email_open",
  "content_download",
  "demo_request",
  "webinar_attended",
  "unsubscribe",
  "form_submit",
  "tweet_liked",
];
const urls = [
  "/pricing",
  "/pricing/enterprise",
  "/blog/a",
  "/features/x",
  "/careers",
  "/about",
  "https://acme.com/",
  null,
];

describe("incremental engagement state", () => {
  it.each([1, 42, 20250602])(
    "adding events one by one, out of order, equals recomputing from all of them (seed %i)",
    (seed) => {
      const rand = lcg(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const start = Date.parse("2025-01-01T00:00:00Z");
      const compiled = compileModel(model);

      let state: EngagementState = emptyEngagementState;
      let clock = start;
      const seen: ScoringEvent[] = [];
      for (let i = 0; i < 300; i++) {
        // Events arrive late and out of order, but never before they happened.
        const occurredAt = start + rand() * 150 * DAY;
        clock = Math.max(clock, occurredAt) + rand() * 2 * DAY;
        const event: ScoringEvent = {
          id: `r${i}`,
          type: pick(types),
          occurredAt: new Date(occurredAt),
          url: pick(urls),
        };
        const at = new Date(clock);
        state = addEvent(state, event, compiled, at);
        seen.push(event);

        const incremental = engagementFromState(state, compiled, at);
        const full = scoreEngagement(seen, compiled, at);
        expect(incremental.contributions.map((c) => c.signalId)).toEqual(
          full.contributions.map((c) => c.signalId),
        );
        incremental.contributions.forEach((c, j) => {
          const f = full.contributions[j]!;
          expect(c.events).toBe(f.events);
          expect(c.rawPoints).toBe(f.rawPoints);
          expect(c.capped).toBe(f.capped);
          expect(c.decayedPoints).toBeCloseTo(f.decayedPoints, 9);
        });
        expect(incremental.score).toBeCloseTo(full.score, 9);
      }

      // Read much later, after everything has decayed a long way.
      const later = new Date(clock + 90 * DAY);
      expect(engagementFromState(state, compiled, later).score).toBeCloseTo(
        scoreEngagement(seen, compiled, later).score,
        9,
      );
      // Rebuilding from history gives the same state.
      const rebuilt = buildEngagementState(seen, compiled, new Date(clock));
      expect(engagementFromState(rebuilt, compiled, later)).toEqual(
        engagementFromState(state, compiled, later),
      );
    },
  );

  it("an event that counts for no signal returns the same state object", () => {
    const state = addEvent(emptyEngagementState, ev("email_click", 1), model, now);
    expect(addEvent(state, ev("tweet_liked", 0), model, now)).toBe(state);
  });

  it("adding an event does not change the previous state", () => {
    const before = addEvent(emptyEngagementState, ev("email_click", 1), model, now);
    const snapshot = structuredClone(before);
    addEvent(before, ev("email_click", 0), model, now);
    expect(before).toEqual(snapshot);
  });

  it("the state is valued at the latest event and decays from there", () => {
    const state = addEvent(
      addEvent(emptyEngagementState, ev("content_download", 30), model, now),
      ev("content_download", 0),
      model,
      now,
    );
    expect(state.content_download).toEqual({ sum: 15 * 0.5 + 15, at: now.toISOString(), count: 2 });
    const monthLater = new Date(now.getTime() + 30 * DAY);
    expect(engagementFromState(state, model, monthLater).score).toBe(11.3);
  });

  it("an event dated after now counts in full at once and decays from when it was received", () => {
    const state = addEvent(emptyEngagementState, ev("email_click", -5), model, now);
    expect(state.email_click?.at).toBe(now.toISOString());
    expect(engagementFromState(state, model, now).score).toBe(5);
    expect(scoreEngagement([ev("email_click", -5)], model, now).score).toBe(5);
  });

  it("a state valued after now is read as it stands, not grown back", () => {
    const state = addEvent(emptyEngagementState, ev("email_click", 0), model, now);
    expect(engagementFromState(state, model, new Date(now.getTime() - 10 * DAY)).score).toBe(5);
  });

  it("signals the model no longer has score nothing", () => {
    const state: EngagementState = {
      retired_signal: { sum: 99, at: now.toISOString(), count: 3 },
      email_click: { sum: 5, at: now.toISOString(), count: 1 },
    };
    expect(engagementFromState(state, model, now).score).toBe(5);
  });

  it("caps are applied when the state is read, not when events are added", () => {
    let state = emptyEngagementState;
    for (let i = 0; i < 10; i++) state = addEvent(state, ev("email_click", 0), model, now);
    expect(state.email_click?.sum).toBe(50);
    expect(engagementFromState(state, model, now).contributions).toEqual([
      {
        signalId: "email_click",
        label: "Email click",
        events: 10,
        rawPoints: 50,
        decayedPoints: 20,
        capped: true,
      },
    ]);
    // 50 decays below the cap of 20 after two half-lives (12.5), so the cap stops binding.
    const later = new Date(now.getTime() + 20 * DAY);
    expect(engagementFromState(state, model, later).contributions[0]).toMatchObject({
      decayedPoints: 12.5,
      capped: false,
    });
  });

  it("a signal id that is also an Object prototype key is handled as data", () => {
    const odd: ScoringModel = {
      ...model,
      engagement: {
        ...model.engagement,
        signals: [
          {
            id: "constructor",
            label: "Odd",
            eventType: "odd",
            points: 2,
            halfLifeDays: 7,
            cap: 10,
          },
        ],
      },
    };
    const state = addEvent(emptyEngagementState, ev("odd", 0), odd, now);
    expect(state.constructor).toEqual({ sum: 2, at: now.toISOString(), count: 1 });
    expect(engagementFromState(state, odd, now).score).toBe(2);
  });
});

describe("engagementTimeline", () => {
  it("gives a point after each burst of events, valued then, ending at today's state", () => {
    const events = [
      ev("email_click", 30),
      ev("page_view", 10, "https://acme.test/pricing"),
      // Minutes after the pricing view: the same burst.
      { ...ev("content_download", 10), occurredAt: new Date(now.getTime() - 10 * DAY + 600_000) },
      ev("demo", 2),
    ];
    const points = engagementTimeline([...events].reverse(), model, now);
    expect(points.map((p) => p.at.toISOString())).toEqual([
      events[0]!.occurredAt.toISOString(),
      events[2]!.occurredAt.toISOString(),
      events[3]!.occurredAt.toISOString(),
    ]);
    expect(points.map((p) => p.types)).toEqual([
      ["email_click"],
      ["content_download", "page_view"],
      ["demo_request"],
    ]);
    // Each point is the score of the events so far, valued at that moment.
    points.forEach((p, i) => {
      const upTo = events.filter((e) => e.occurredAt <= p.at);
      expect(p.engagement).toBe(
        engagementFromState(buildEngagementState(upTo, model, now), model, p.at).score,
      );
      expect(upTo.length).toBe([1, 3, 4][i]);
    });
    // Valued today, the last point's state is the lead's state.
    expect(
      engagementFromState(buildEngagementState(events, model, now), model, now).score,
    ).toBeLessThanOrEqual(points[2]!.engagement);
    expect(engagementTimeline([], model, now)).toEqual([]);
  });
});

describe("engagementRefreshAt", () => {
  const value = (state: EngagementState, at: Date) => engagementFromState(state, model, at).score;
  const kinds: [string, string | undefined][] = [
    ["page_view", "/pricing"],
    ["page_view", "/blog/x"],
    ["page_view", "/careers"],
    ["email_click", undefined],
    ["content_download", undefined],
    ["webinar_attended", undefined],
    ["demo_request", undefined],
    ["unsubscribe", undefined],
  ];

  it("never comes later than the first moment the score is the tolerance off", () => {
    let rnd = 7;
    const next = () => {
      rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
      return rnd / 4294967296;
    };
    for (let lead = 0; lead < 200; lead++) {
      const events = Array.from({ length: 1 + Math.floor(next() * 12) }, () => {
        const [type, url] = kinds[Math.floor(next() * kinds.length)]!;
        return ev(type, next() * 40 - 1, url); // a day in the future to 39 days ago
      });
      const state = buildEngagementState(events, model, now);
      const due = engagementRefreshAt(state, model, now);
      const start = value(state, now);
      if (due === null) {
        expect(value(state, new Date(now.getTime() + 365 * DAY))).toBe(start);
        continue;
      }
      expect(due.getTime()).toBeGreaterThan(now.getTime());
      // Up to the refresh time the score stays within the tolerance (plus the tenths kept).
      for (let k = 1; k <= 20; k++) {
        const at = new Date(now.getTime() + ((due.getTime() - now.getTime()) * k) / 20);
        expect(Math.abs(value(state, at) - start)).toBeLessThanOrEqual(REFRESH_TOLERANCE + 0.1);
      }
    }
  });

  it("is about as late as it may be for one fading signal, and sooner for a hotter lead", () => {
    const one = buildEngagementState([ev("email_click", 0)], model, now);
    const due = engagementRefreshAt(one, model, now)!;
    const waitMs = due.getTime() - now.getTime();
    const unrounded = (at: Date) =>
      engagementFromState(one, model, at).contributions[0]!.decayedPoints;
    const drift = unrounded(now) - unrounded(due);
    // The bound is the fade's starting slope, so the drift at the refresh time is just under it.
    expect(drift).toBeLessThanOrEqual(REFRESH_TOLERANCE);
    expect(drift).toBeGreaterThan(REFRESH_TOLERANCE * 0.99);
    const hotter = buildEngagementState(
      [ev("email_click", 0), ev("email_click", 0), ev("content_download", 0)],
      model,
      now,
    );
    expect(engagementRefreshAt(hotter, model, now)!.getTime() - now.getTime()).toBeLessThan(waitMs);
  });

  it("is null when nothing fades", () => {
    expect(engagementRefreshAt(emptyEngagementState, model, now)).toBeNull();
    // A signal the model no longer has scores nothing, so it cannot fade either.
    expect(
      engagementRefreshAt({ retired: { sum: 40, at: now.toISOString(), count: 2 } }, model, now),
    ).toBeNull();
  });
});
