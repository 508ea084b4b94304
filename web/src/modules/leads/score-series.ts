import { humanize } from "../../ui/format.ts";
import type { LeadScore } from "./leads.types.ts";

export type ScoreSeriesPoint = {
  t: number;
  fit: number;
  grade: string;
  engagement: number;
  /** The event types behind a stored point; null for the live value now. */
  cause: string | null;
  /** Rebuilt from events received after the fact, rather than recorded as they arrived. */
  rebuilt: boolean;
  /** A point of the fade after the last event (no event behind it: drawn without a dot). */
  fading: boolean;
};

/** Points (recorded ones plus the live value now) needed before a line says anything. */
export const MIN_HISTORY_POINTS = 2;

/**
 * The history (rebuilt from imported past events, then as recorded), oldest first, then the
 * live value now: between events engagement only decays, so the line runs on to the present
 * instead of stopping at the last event.
 */
export function scoreSeries(score: LeadScore): ScoreSeriesPoint[] {
  const points: ScoreSeriesPoint[] = score.history.map((h) => ({
    t: Date.parse(h.at),
    fit: h.fitScore,
    grade: h.fitGrade,
    engagement: h.engagementScore,
    cause: h.cause,
    rebuilt: h.source === "events",
    fading: h.source === "decay",
  }));
  const now = Date.parse(score.at);
  const last = points[points.length - 1];
  if (!last || now - last.t >= 1000) {
    points.push({
      t: now,
      fit: score.fit.score,
      grade: score.fit.grade,
      engagement: score.engagement.score,
      cause: null,
      rebuilt: false,
      fading: false,
    });
  }
  return points;
}

/** "content_download,page_view" → "Content download, page view". */
export function causeText(cause: string): string {
  if (cause === "demo") return "Demo data";
  const text = cause
    .split(",")
    .filter(Boolean)
    .map((type) => humanize(type).toLowerCase())
    .join(", ");
  return humanize(text);
}
