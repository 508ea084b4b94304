import { api } from "../../api.ts";
import { useAppMutation, useAppQuery, useCache } from "../../query.ts";
import type {
  LeadDetail,
  LeadFilters,
  LeadPage,
  LeadScore,
  MoveInput,
  Transition,
} from "./leads.types.ts";

export const PAGE_SIZE = 50;

function listParams(filters: LeadFilters) {
  return {
    stage: filters.stages.join(","),
    ownerId: filters.ownerId,
    source: filters.source,
    campaign: filters.campaign,
    minEngagement: filters.minEngagement,
    q: filters.q,
    sort: filters.sort,
    order: filters.order,
  };
}

/**
 * How often a score-ordered list asks again. The server re-ranks stored engagement every 30 s
 * (scores decay between events); asking more often would only show the same order.
 */
export const SCORE_ORDER_REFRESH_MS = 30_000;

/** One page of leads. The server filters, sorts and pages; the browser never holds them all. */
export function useLeads(
  filters: LeadFilters,
  cursor: string | undefined,
  options: { refetchEveryMs?: number } = {},
) {
  return useAppQuery<LeadPage>({
    key: ["leads", "list", filters, cursor ?? null],
    fetch: (signal) =>
      api("/leads", {
        signal,
        query: { ...listParams(filters), limit: PAGE_SIZE, cursor },
      }),
    keepPrevious: true,
    refetchEveryMs: options.refetchEveryMs,
  });
}

/** How many leads match, counted once per filter set rather than on every page. */
export function useLeadCount(filters: LeadFilters) {
  const { sort: _sort, order: _order, ...counted } = filters;
  return useAppQuery<number | null>({
    key: ["leads", "count", counted],
    fetch: async (signal) => {
      const page = await api<LeadPage>("/leads", {
        signal,
        query: { ...listParams(filters), limit: 1, total: true },
      });
      return page.total;
    },
    keepPrevious: true,
    staleTime: 60_000,
  });
}

export function useLead(id: string) {
  return useAppQuery<LeadDetail>({
    key: ["leads", "detail", id],
    fetch: (signal) => api(`/leads/${encodeURIComponent(id)}`, { signal }),
  });
}

/**
 * Why the lead scores what it does. Engagement decays by the minute, so an open page asks again
 * every minute, as fresh as the API promises to be.
 */
export function useLeadScore(id: string) {
  return useAppQuery<LeadScore>({
    key: scoreKey(id),
    fetch: (signal) => api(`/leads/${encodeURIComponent(id)}/score`, { signal }),
    staleTime: 30_000,
    refetchEveryMs: 60_000,
  });
}

const scoreKey = (id: string) => ["leads", "score", id] as const;

export function useMoveLead(id: string) {
  const cache = useCache();
  return useAppMutation<MoveInput, { transition: Transition }>({
    run: (body) => api(`/leads/${encodeURIComponent(id)}/transitions`, { method: "POST", body }),
    onSuccess: async () => {
      // Everything under "leads" changed: the list, the lead, and its score (the score key sits
      // under it too, so the MQL checklist follows the new stage).
      await cache.invalidate(["leads"]);
    },
  });
}

export function useReloadLead(id: string): () => Promise<void> {
  const cache = useCache();
  return async () => {
    await Promise.all([cache.invalidate(["leads", "detail", id]), cache.invalidate(scoreKey(id))]);
  };
}
