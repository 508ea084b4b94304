import type { TimelinePoint } from "./engagement.ts";

/** One point of a lead's score history, as `score_history` keeps it. */
export type RecordedPoint = {
  at: Date;
  fitScore: number;
  fitGrade: string;
  engagementScore: number;
  cause: string;
};
export type HistoryPoint = RecordedPoint & { source: "recorded" | "events" };

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
