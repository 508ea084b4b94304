import type { ModelInput } from "./compile-model.ts";
import {
  type EngagementState,
  engagementScoreFromState,
  type TimelinePoint,
} from "./engagement.ts";

/** One point of a lead's score history, as `score_history` keeps it. */
export type RecordedPoint = {
  at: Date;
  fitScore: number;
  fitGrade: string;
  engagementScore: number;
  cause: string;
};
export type HistoryPoint = RecordedPoint & { source: "recorded" | "events" | "decay" };

/**
 * An event received this long after it happened came late (an import, a delayed sync); events
 * within this long of each other form one point of a rebuilt history.
 */
export const LATE_MS = 3_600_000;

/**
 * The score history to show. Accord records the score as events arrive, stamped at arrival,
 * which draws an import of past activity into the seconds it took. Up to the last late arrival
 * the history is therefore the `rebuilt` timeline (every event received by then, the on-time
 * ones of that request included, replayed by when they happened), each point with the fit last
 * recorded by then (the first recorded one before any, or `fitNow`); the points recorded after
 * that arrival stand.
 */
export function scoreHistory(
  recorded: readonly RecordedPoint[],
  late: { arrival: Date; rebuilt: readonly TimelinePoint[] } | null,
  fitNow: { score: number; grade: string },
): HistoryPoint[] {
  const asRecorded = (p: RecordedPoint): HistoryPoint => ({ ...p, source: "recorded" });
  if (!late) return recorded.map(asRecorded);
  let fitIndex = 0;
  const rebuilt = late.rebuilt.map((p): HistoryPoint => {
    // Both lists are oldest first: the fit in force walks forward with the points.
    while (fitIndex + 1 < recorded.length && recorded[fitIndex + 1]!.at <= p.at) fitIndex++;
    const fit = recorded[fitIndex];
    return {
      at: p.at,
      fitScore: fit ? fit.fitScore : fitNow.score,
      fitGrade: fit ? fit.fitGrade : fitNow.grade,
      engagementScore: p.engagement,
      cause: p.types.join(","),
      source: "events",
    };
  });
  return [...rebuilt, ...recorded.filter((h) => h.at > late.arrival).map(asRecorded)];
}

/** Points drawn along the fade after a lead's last event, when it is longer than FADE_MIN_MS. */
export const FADE_SAMPLES = 24;
export const FADE_MIN_MS = 3_600_000;

/**
 * The course after the last point: with no new events each signal decays at its own half-life
 * (engagement falls, or rises again as a negative signal fades while a capped one holds), and
 * the lead's state values it exactly at any instant after its last event.
 * Without these points a chart would join the last point to the value of now by a straight
 * line, showing a lead that went cold in a week as cooling for months. The fit stays as last
 * recorded (the live value of now follows on the page). Points fall at even steps between the
 * later of the last point and the last event, and `now` (excluded).
 */
export function fadingTail(
  last: RecordedPoint | undefined,
  state: EngagementState,
  model: ModelInput,
  now: Date,
): HistoryPoint[] {
  if (!last) return [];
  let latest = last.at.getTime();
  let signals = 0;
  for (const id in state) {
    signals++;
    const at = Date.parse(state[id]!.at);
    if (at > latest) latest = at;
  }
  const span = now.getTime() - latest;
  if (signals === 0 || span < FADE_MIN_MS) return [];
  return Array.from({ length: FADE_SAMPLES - 1 }, (_, i) => {
    const at = new Date(latest + (span * (i + 1)) / FADE_SAMPLES);
    return {
      at,
      fitScore: last.fitScore,
      fitGrade: last.fitGrade,
      engagementScore: engagementScoreFromState(state, model, at),
      cause: "",
      source: "decay" as const,
    };
  });
}
