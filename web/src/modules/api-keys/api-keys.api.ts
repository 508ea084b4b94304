import { api } from "../../api.ts";
import { useAppMutation, useAppQuery, useCache } from "../../query.ts";

export const scopes = ["ingest", "read", "write", "admin"] as const;
export type Scope = (typeof scopes)[number];

export type ApiKey = {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it; the rest is never shown again. */
  prefix: string;
  scopes: Scope[];
  /** The only event types the key may send; null: any. */
  eventTypes: string[] | null;
  createdAt: string;
  revokedAt: string | null;
};

export type CreatedApiKey = ApiKey & { key: string };

const keysKey = ["api-keys"] as const;

export function useApiKeys() {
  return useAppQuery<{ items: ApiKey[] }>({
    key: keysKey,
    fetch: (signal) => api("/api-keys", { signal }),
  });
}

export function useCreateApiKey() {
  const cache = useCache();
  return useAppMutation<
    { name: string; scopes: Scope[]; eventTypes?: string[] | undefined },
    CreatedApiKey
  >({
    run: (body) => api("/api-keys", { method: "POST", body }),
    onSuccess: () => cache.invalidate(keysKey),
  });
}

export function useRevokeApiKey() {
  const cache = useCache();
  return useAppMutation<string, void>({
    run: (id) => api(`/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => cache.invalidate(keysKey),
  });
}
