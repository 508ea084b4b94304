/**
 * Ticks for a time axis at round instants (every 5 minutes, every day, every week …) with labels
 * that say as much as the span needs: seconds when points are seconds apart, dates when days.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const steps = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  61 * DAY,
  91 * DAY,
  365 * DAY,
];

export type TimeAxis = { ticks: number[]; format: (t: number) => string };

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const month = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" });

/** The first tick at or after `from`: a multiple of the step in the viewer's own time zone. */
function firstTick(from: number, step: number): number {
  if (step >= DAY) {
    const d = new Date(from);
    d.setHours(0, 0, 0, 0);
    if (step >= 30 * DAY) d.setDate(1);
    while (d.getTime() < from) {
      if (step >= 30 * DAY) d.setMonth(d.getMonth() + Math.round(step / (30 * DAY)));
      else d.setDate(d.getDate() + 1);
    }
    return d.getTime();
  }
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  return Math.ceil((from - offset) / step) * step + offset;
}

function advance(t: number, step: number): number {
  if (step < DAY) return t + step;
  // Calendar arithmetic, so a daylight-saving change does not shift ticks off midnight.
  const d = new Date(t);
  if (step >= 30 * DAY) d.setMonth(d.getMonth() + Math.round(step / (30 * DAY)));
  else d.setDate(d.getDate() + Math.round(step / DAY));
  return d.getTime();
}

export function timeAxis(from: number, to: number, maxTicks = 6): TimeAxis {
  const span = Math.max(to - from, SECOND);
  const step = steps.find((s) => span / s <= maxTicks) ?? steps[steps.length - 1]!;
  const ticks: number[] = [];
  for (let t = firstTick(from, step); t <= to && ticks.length < 50; t = advance(t, step)) {
    ticks.push(t);
  }
  // A span shorter than the step (points seconds apart) still gets labelled at both ends.
  const ends = ticks.length < 2;
  if (ends) ticks.splice(0, ticks.length, from, to);
  const sameDay = new Date(from).toDateString() === new Date(to).toDateString();
  const format = (t: number): string => {
    const d = new Date(t);
    if (step < MINUTE || (ends && span < 10 * MINUTE)) return clockSeconds.format(d);
    if (step < DAY) {
      if (sameDay) return clock.format(d);
      // Across days, midnight ticks name the day and the others the time.
      return d.getHours() === 0 && d.getMinutes() === 0 ? day.format(d) : clock.format(d);
    }
    if (step < 30 * DAY) return day.format(d);
    return month.format(d);
  };
  return { ticks, format };
}
