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

/** "Hot now": the most engaged leads not yet with sales. */
export const hotStages: Stage[] = ["lead", "mrl", "mql", "recycled"];
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
