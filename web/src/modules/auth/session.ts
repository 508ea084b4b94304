import type { Role } from "@domain/roles.ts";
import { api, isApiError, setCsrfToken } from "../../api.ts";
import { sessionKey, useAppMutation, useAppQuery, useCache } from "../../query.ts";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string;
};

export type Session = { user: SessionUser; csrfToken: string };

export const roleLabels: Record<Role, string> = {
  admin: "Admin",
  marketing: "Marketing",
  marketing_lead: "Marketing lead",
  sdr: "SDR",
  ae: "Account executive",
  sales_lead: "Sales lead",
  exec: "Executive",
};

/** Executives read everything and change nothing. */
export function isReadOnly(role: Role): boolean {
  return role === "exec";
}

async function fetchSession(signal: AbortSignal): Promise<Session | null> {
  try {
    const session = await api<Session>("/auth/session", { signal });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in person, `null` when nobody is, `undefined` while asking. */
export function useSession() {
  return useAppQuery<Session | null>({
    key: sessionKey,
    fetch: fetchSession,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** For pages behind the session guard, where a person is always signed in. */
export function useCurrentUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error("useCurrentUser outside the signed-in area");
  return data.user;
}

export function useSignIn() {
  const cache = useCache();
  return useAppMutation<{ email: string; password: string }, Session>({
    run: (body) => api<Session>("/auth/sign-in", { method: "POST", body }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      cache.forgetAllButSession();
      cache.set(sessionKey, session);
    },
  });
}

export function useSignOut() {
  const cache = useCache();
  return useAppMutation<void, void>({
    run: () => api<void>("/auth/sign-out", { method: "POST" }),
    onSuccess: () => {
      setCsrfToken(null);
      cache.forgetAllButSession();
      cache.set(sessionKey, null);
    },
  });
}
