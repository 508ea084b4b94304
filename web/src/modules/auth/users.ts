import type { Role } from "@domain/roles.ts";
import { useMemo } from "react";
import { api } from "../../api.ts";
import { useAppQuery } from "../../query.ts";

export type User = { id: string; email: string; name: string; role: Role; teamId: string | null };

export function useUsers() {
  return useAppQuery<{ items: User[] }>({
    key: ["users"],
    fetch: (signal) => api("/users", { signal }),
    staleTime: 5 * 60_000,
  });
}

/** Id → name of the workspace's people, for owner columns; undefined while loading. */
export function useUserNames(): Map<string, string> | undefined {
  const { data } = useUsers();
  return useMemo(() => (data ? new Map(data.items.map((u) => [u.id, u.name])) : undefined), [data]);
}
