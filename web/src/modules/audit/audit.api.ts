import { api } from "../../api.ts";
import { useAppQuery } from "../../query.ts";

export type AuditEntry = {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
};

export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };

export const AUDIT_PAGE_SIZE = 50;

export function useAuditLog(cursor: string | undefined) {
  return useAppQuery<AuditPage>({
    key: ["audit", cursor ?? null],
    fetch: (signal) => api("/audit", { signal, query: { limit: AUDIT_PAGE_SIZE, cursor } }),
    keepPrevious: true,
  });
}
