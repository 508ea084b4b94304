import { type Stage, stages } from "@domain/lifecycle.ts";
import { useEffect, useState } from "react";
import { type LeadFilters, type LeadSort, leadSorts } from "./leads.types.ts";

/** Sources known today; the list becomes the workspace's distinct values when the API has them. */
export const leadSources = [
  "website",
  "paid_search",
  "paid_social",
  "webinar",
  "content",
  "event",
  "email",
  "organic_search",
  "outbound",
  "referral",
  "partner",
] as const;

/**
 * "Hot now": the most engaged leads not yet with sales. Recycled leads are not among them:
 * marketing nurtures them, and their score is mostly what they had when sales recycled them;
 * one that re-engages comes back as an MQL.
 */
export const hotStages: Stage[] = ["lead", "mrl", "mql"];
/** Engagement a lead needs to be in Hot now: the cold tail (0 points) is not hot. */
export const HOT_MIN_ENGAGEMENT = 1;

const isStage = (s: string): s is Stage => (stages as readonly string[]).includes(s);
const isSort = (s: string): s is LeadSort => (leadSorts as readonly string[]).includes(s);

export function filtersFromParams(params: URLSearchParams): LeadFilters {
  const sort = params.get("sort") ?? "";
  return {
    stages: (params.get("stage") ?? "").split(",").filter(isStage),
    ownerId: params.get("owner") || undefined,
    source: params.get("source") || undefined,
    campaign: params.get("campaign") || undefined,
    minEngagement: minEngagementOf(params.get("minEngagement")),
    q: params.get("q") || undefined,
    sort: isSort(sort) ? sort : "createdAt",
    order: params.get("order") === "asc" ? "asc" : "desc",
  };
}

function minEngagementOf(value: string | null): number | undefined {
  const n = value ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The list's address with some parameters set (a value) or removed (null). Filters, search and
 * sorting refine the current view: Hot now filtered by stage, owner or source, or sorted another
 * way, is still Hot now. Only turning Hot now off (`hotParams`) or clearing filters leaves it.
 */
export function withParams(
  prev: URLSearchParams,
  changes: Record<string, string | null>,
): URLSearchParams {
  const next = new URLSearchParams(prev);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

/** The address with one stage chip switched on or off (stages kept in funnel order). */
export function toggleStageParams(prev: URLSearchParams, stage: Stage): URLSearchParams {
  const set = new Set(filtersFromParams(prev).stages);
  if (set.has(stage)) set.delete(stage);
  else set.add(stage);
  return withParams(prev, { stage: stages.filter((s) => set.has(s)).join(",") || null });
}

/** The address sorted by a column: descending first, the other way on a second click. */
export function sortParams(prev: URLSearchParams, sort: LeadSort): URLSearchParams {
  const current = filtersFromParams(prev);
  const order = current.sort === sort && current.order === "desc" ? "asc" : "desc";
  return withParams(prev, { sort, order });
}

/**
 * The address with Hot now switched on (its stages, minimum engagement and order) or off (back
 * to every stage in the default order; search, owner, source and campaign stay).
 */
export function hotParams(prev: URLSearchParams, on: boolean): URLSearchParams {
  return on
    ? withParams(prev, {
        view: "hot",
        stage: hotStages.join(","),
        minEngagement: String(HOT_MIN_ENGAGEMENT),
        sort: "engagementScore",
        order: "desc",
      })
    : withParams(prev, { view: null, minEngagement: null, stage: null, sort: null, order: null });
}

/** Ways to sort the list, for the phone layout's sort menu (the table sorts by its headers). */
export const sortChoices: { sort: LeadSort; order: "asc" | "desc"; label: string }[] = [
  { sort: "createdAt", order: "desc", label: "Newest first" },
  { sort: "createdAt", order: "asc", label: "Oldest first" },
  { sort: "engagementScore", order: "desc", label: "Most engaged" },
  { sort: "engagementScore", order: "asc", label: "Least engaged" },
  { sort: "fitScore", order: "desc", label: "Best fit" },
  { sort: "fitScore", order: "asc", label: "Weakest fit" },
  { sort: "stageEnteredAt", order: "desc", label: "Newest in stage" },
  { sort: "stageEnteredAt", order: "asc", label: "Longest in stage" },
];

export function hasFilters(f: LeadFilters): boolean {
  return Boolean(
    f.stages.length || f.ownerId || f.source || f.campaign || f.q || f.minEngagement !== undefined,
  );
}

/**
 * A text filter that follows the URL but writes to it only after the person pauses typing,
 * so each keystroke does not cost a request.
 */
export function useDebouncedParam(
  urlValue: string,
  write: (value: string) => void,
  delayMs = 300,
): [string, (value: string) => void] {
  const [value, setValue] = useState(urlValue);
  const [seen, setSeen] = useState(urlValue);
  // The URL changed from outside (clear filters, back button): show what it says.
  if (urlValue !== seen) {
    setSeen(urlValue);
    setValue(urlValue);
  }
  useEffect(() => {
    if (value === urlValue) return;
    const timer = setTimeout(() => write(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, urlValue, write, delayMs]);
  return [value, setValue];
}
