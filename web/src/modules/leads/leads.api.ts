import { api } from "../../api.ts";
import { useAppMutation, useAppQuery, useCache } from "../../query.ts";
import type { LeadDetail, LeadFilters, LeadPage, MoveInput, Transition } from "./leads.types.ts";

export const PAGE_SIZE = 50;

function listParams(filters: LeadFilters) {
  return {
    stage: filters.stages.join(","),
    ownerId: filters.ownerId,
    source: filters.source,
    campaign: filters.campaign,
    q: filters.q,
    sort: filters.sort,
    order: filters.order,
  };
}

/** One page of leads. The server filters, sorts and pages; the browser never holds them all. */
export function useLeads(filters: LeadFilters, cursor: string | undefined) {
  return useAppQuery<LeadPage>({
    key: ["leads", "list", filters, cursor ?? null],
    fetch: (signal) =>
      api("/leads", {
        signal,
        query: { ...listParams(filters), limit: PAGE_SIZE, cursor },
      }),
    keepPrevious: true,
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

export function useMoveLead(id: string) {
  const cache = useCache();
  return useAppMutation<MoveInput, { transition: Transition }>({
    run: (body) => api(`/leads/${encodeURIComponent(id)}/transitions`, { method: "POST", body }),
    onSuccess: async () => {
      await cache.invalidate(["leads"]);
    },
  });
}

export function useReloadLead(id: string): () => Promise<void> {
  const cache = useCache();
  return () => cache.invalidate(["leads", "detail", id]);
}
