import type { Signal } from "../agreement.ts";
import {
  type CompiledModel,
  compiled,
  type ModelInput,
  resolveEventType,
} from "./compile-model.ts";
import { matchPageGroup } from "./page-groups.ts";

/** An activity as the scoring engine sees it. */
export type ScoringEvent = {
  id: string;
  type: string;
  occurredAt: Date;
  url?: string | null;
};

export type SignalContribution = {
  signalId: string;
  label: string;
  /** How many events the signal counted. */
  events: number;
  /** Points before decay and cap: events × the signal's points. */
  rawPoints: number;
  /** Points the signal adds to the score: decayed, then capped. */
  decayedPoints: number;
  /** True when the cap bound the signal's decayed total. */
  capped: boolean;
};

export type EventContribution = { eventId: string; signalId: string; points: number };

export type EngagementSummary = {
  /** Sum over signals, floored at 0, rounded to one decimal. */
  score: number;
  /** Signals that counted at least one event, in the model's order. */
  contributions: SignalContribution[];
};

export type EngagementResult = EngagementSummary & {
  /** Events that matched a signal, in input order, with their decayed (uncapped) points. */
  events: EventContribution[];
};

/**
 * An uncapped decayed sum for one signal, valued at the instant `at`. Because every event of a
 * signal decays at the same rate, the sum at a later instant t is `sum × 0.5^((t − at) / h)`:
 * one number per signal replaces the signal's whole event history.
 */
export type SignalAccumulator = { sum: number; at: string; count: number };

/**
 * Incremental engagement, by signal id. Valid only for the scoring model it was built under:
 * when the agreement changes, rebuild it with `buildEngagementState` from the stored events.
 */
export type EngagementState = Readonly<Record<string, SignalAccumulator>>;

export const emptyEngagementState: EngagementState = Object.freeze({});

const DAY_MS = 86_400_000;

/** Weight of an event `ageMs` old; events not yet in the past count in full. */
export function decayFactor(ageMs: number, halfLifeDays: number): number {
  return ageMs <= 0 ? 1 : 0.5 ** (ageMs / (halfLifeDays * DAY_MS));
}

/**
 * The signal an event counts for, or null. For an event type with page-group signals, a
 * signal for the URL's group wins over the type's signal without a group.
 */
export function signalFor(
  event: Pick<ScoringEvent, "type" | "url">,
  model: ModelInput,
): Signal | null {
  const c = compiled(model);
  const entry = c.signalsByType.get(resolveEventType(event.type, c));
  if (!entry) return null;
  if (entry.byPageGroup.size > 0 && event.url) {
    const group = matchPageGroup(event.url, c.pageGroups);
    const grouped = group === null ? undefined : entry.byPageGroup.get(group);
    if (grouped) return grouped;
  }
  return entry.plain;
}

type Sum = { sum: number; count: number };

function summarize(sums: ReadonlyMap<string, Sum>, c: CompiledModel): EngagementSummary {
  let total = 0;
  const contributions: SignalContribution[] = [];
  for (const signal of c.signalsById.values()) {
    const s = sums.get(signal.id);
    if (!s || s.count === 0) continue;
    // All events of a signal share its sign, so the cap bounds the magnitude either way.
    const capped = Math.abs(s.sum) > signal.cap;
    const points = capped ? Math.sign(s.sum) * signal.cap : s.sum;
    total += points;
    contributions.push({
      signalId: signal.id,
      label: signal.label,
      events: s.count,
      rawPoints: s.count * signal.points,
      decayedPoints: points,
      capped,
    });
  }
  return { score: Math.round(Math.max(0, total) * 10) / 10, contributions };
}

/** Engagement from the full event history, with a per-event breakdown. */
export function scoreEngagement(
  events: readonly ScoringEvent[],
  model: ModelInput,
  now: Date,
): EngagementResult {
  const c = compiled(model);
  const nowMs = now.getTime();
  const sums = new Map<string, Sum>();
  const perEvent: EventContribution[] = [];
  for (const event of events) {
    const t = event.occurredAt.getTime();
    if (Number.isNaN(t)) continue;
    const signal = signalFor(event, c);
    if (!signal) continue;
    const points = signal.points * decayFactor(nowMs - t, signal.halfLifeDays);
    const s = sums.get(signal.id);
    if (s) {
      s.sum += points;
      s.count += 1;
    } else {
      sums.set(signal.id, { sum: points, count: 1 });
    }
    perEvent.push({ eventId: event.id, signalId: signal.id, points });
  }
  return { ...summarize(sums, c), events: perEvent };
}

function accumulate(
  prev: SignalAccumulator | undefined,
  signal: Signal,
  t: number,
): SignalAccumulator {
  const prevAt = prev ? Date.parse(prev.at) : Number.NaN;
  if (!prev || Number.isNaN(prevAt)) {
    return { sum: signal.points, at: new Date(t).toISOString(), count: 1 };
  }
  // Value the sum at the later instant so that no counted event lies in its future: only then
  // does decaying the sum equal decaying each event.
  const at = Math.max(prevAt, t);
  return {
    sum:
      prev.sum * decayFactor(at - prevAt, signal.halfLifeDays) +
      signal.points * decayFactor(at - t, signal.halfLifeDays),
    at: at === prevAt ? prev.at : new Date(at).toISOString(),
    count: prev.count + 1,
  };
}

/**
 * The instant an event is accumulated at. An event dated after `now` (clock skew, bad data) is
 * taken as happening at `now`: it counts in full today, as in `scoreEngagement`, but cannot
 * push the signal's reference instant into the future and so decay its older events away.
 */
function effectiveTime(event: ScoringEvent, now: Date): number {
  return Math.min(event.occurredAt.getTime(), now.getTime());
}

/**
 * Add one event to the state. Returns the same state object when the event counts for no
 * signal, so callers can skip the write. Events may arrive in any order.
 */
export function addEvent(
  state: EngagementState,
  event: ScoringEvent,
  model: ModelInput,
  now: Date,
): EngagementState {
  const t = effectiveTime(event, now);
  if (Number.isNaN(t)) return state;
  const signal = signalFor(event, model);
  if (!signal) return state;
  const prev = Object.hasOwn(state, signal.id) ? state[signal.id] : undefined;
  return { ...state, [signal.id]: accumulate(prev, signal, t) };
}

/** The state for a whole event history, e.g. after the scoring model changed. */
export function buildEngagementState(
  events: readonly ScoringEvent[],
  model: ModelInput,
  now: Date,
): EngagementState {
  const c = compiled(model);
  const state: Record<string, SignalAccumulator> = {};
  for (const event of events) {
    const t = effectiveTime(event, now);
    if (Number.isNaN(t)) continue;
    const signal = signalFor(event, c);
    if (!signal) continue;
    state[signal.id] = accumulate(
      Object.hasOwn(state, signal.id) ? state[signal.id] : undefined,
      signal,
      t,
    );
  }
  return state;
}

/**
 * Score and per-signal breakdown at `now`, caps applied. Equals `scoreEngagement` over the
 * same events whenever `now` is at or after every accumulator's `at`; a state valued after
 * `now` is read as it stands rather than grown back.
 */
export function engagementFromState(
  state: EngagementState,
  model: ModelInput,
  now: Date,
): EngagementSummary {
  const c = compiled(model);
  const nowMs = now.getTime();
  const sums = new Map<string, Sum>();
  for (const [signalId, acc] of Object.entries(state)) {
    const signal = c.signalsById.get(signalId);
    const at = Date.parse(acc.at);
    // Signals the model no longer has, or corrupt entries, score nothing.
    if (!signal || Number.isNaN(at)) continue;
    sums.set(signalId, {
      sum: acc.sum * decayFactor(nowMs - at, signal.halfLifeDays),
      count: acc.count,
    });
  }
  return summarize(sums, c);
}

/** The score alone, valued at `now`: what `engagementFromState` returns as `score`, cheaper. */
export function engagementScoreFromState(
  state: EngagementState,
  model: ModelInput,
  now: Date,
): number {
  const c = compiled(model);
  const nowMs = now.getTime();
  let total = 0;
  for (const signalId in state) {
    const acc = state[signalId]!;
    const signal = c.signalsById.get(signalId);
    const at = Date.parse(acc.at);
    if (!signal || Number.isNaN(at) || acc.count === 0) continue;
    const sum = acc.sum * decayFactor(nowMs - at, signal.halfLifeDays);
    total += Math.abs(sum) > signal.cap ? Math.sign(sum) * signal.cap : sum;
  }
  return Math.round(Math.max(0, total) * 10) / 10;
}

/**
 * How far a stored engagement score may drift from the live one before the decay sweep
 * revalues it, in points (scores are kept to tenths).
 */
export const REFRESH_TOLERANCE = 0.1;
/** Later than this, a stored score is left alone: nothing it holds fades noticeably. */
const REFRESH_HORIZON_MS = 3650 * DAY_MS;

/**
 * When a score valued from `state` at `now` may first be `tolerance` points off the live
 * score, or null if never (nothing fades, or not within ten years). Each signal's sum fades
 * at most at |sum|·ln 2 / half-life per unit of time, and only ever shrinks, so the score (a
 * capped, floored sum of them) moves at most at the total of those rates from `now` on; the
 * answer is `now` plus the time that rate needs to cover the tolerance. It never comes late,
 * and it comes early when caps hold a signal still or signals fade in opposite directions.
 */
export function engagementRefreshAt(
  state: EngagementState,
  model: ModelInput,
  now: Date,
  tolerance = REFRESH_TOLERANCE,
): Date | null {
  const c = compiled(model);
  const nowMs = now.getTime();
  let rate = 0; // points per ms
  for (const signalId in state) {
    const acc = state[signalId]!;
    const signal = c.signalsById.get(signalId);
    const at = Date.parse(acc.at);
    if (!signal || Number.isNaN(at) || acc.count === 0) continue;
    const sum = Math.abs(acc.sum * decayFactor(nowMs - at, signal.halfLifeDays));
    rate += (sum * Math.LN2) / (signal.halfLifeDays * DAY_MS);
  }
  if (rate === 0) return null;
  const wait = tolerance / rate;
  return wait > REFRESH_HORIZON_MS ? null : new Date(nowMs + Math.floor(wait));
}

/** The engagement a lead had after one burst of its events. */
export type TimelinePoint = { at: Date; engagement: number; types: string[] };

/**
 * Engagement as it stood after each burst of events (events within `burstMs` of the burst's
 * first one), valued at the burst's last event: the score history of a lead whose events were
 * loaded at once, as `accord demo` does. Events may come in any order.
 */
export function engagementTimeline(
  events: readonly ScoringEvent[],
  model: ModelInput,
  now: Date,
  burstMs = 3_600_000,
): TimelinePoint[] {
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const points: TimelinePoint[] = [];
  let state: EngagementState = emptyEngagementState;
  let burstStart = Number.NaN;
  let last = Number.NaN;
  let types = new Set<string>();
  const close = () => {
    if (types.size === 0) return;
    const at = new Date(Math.min(last, now.getTime()));
    points.push({
      at,
      engagement: engagementScoreFromState(state, model, at),
      types: [...types].sort(),
    });
    types = new Set();
  };
  for (const event of sorted) {
    const t = event.occurredAt.getTime();
    if (Number.isNaN(t)) continue;
    if (!(t - burstStart <= burstMs)) {
      close();
      burstStart = t;
    }
    state = addEvent(state, event, model, now);
    types.add(resolveEventType(event.type, compiled(model)));
    last = t;
  }
  close();
  return points;
}
