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
  /**
   * The scores just before an event that raised them (at its time, less a millisecond): between
   * events a score only decays, so the line runs level to the event and jumps there, instead
   * of climbing toward it days early. Drawn without a dot; the cause is the event that follows.
   */
  held: boolean;
};

/** Points closer than this are joined straight: a level run and a jump would look the same. */
const HOLD_AFTER_MS = 3_600_000;

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
    held: false,
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
      held: false,
    });
  }
  return withHolds(points);
}

/** The series with a held point before each recorded change that came after a quiet spell. */
function withHolds(points: ScoreSeriesPoint[]): ScoreSeriesPoint[] {
  const out: ScoreSeriesPoint[] = [];
  for (const point of points) {
    const before = out[out.length - 1];
    // The live value and the fade are valued from the signals: decay is already in them.
    const recorded = !point.fading && point.cause !== null;
    if (
      before &&
      recorded &&
      point.t - before.t > HOLD_AFTER_MS &&
      // A fall between events is decay, gradual: only a rise (or a fit edit) is a jump.
      (before.fit !== point.fit || point.engagement > before.engagement)
    ) {
      out.push({ ...before, t: point.t - 1, cause: point.cause, fading: false, held: true });
    }
    out.push(point);
  }
  return out;
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
