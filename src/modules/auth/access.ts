import type { Actor } from "../../domain/lifecycle.ts";

import { marketingRoles, type Role, roles, salesRoles } from "../../domain/roles.ts";

export { marketingRoles, type Role, roles, salesRoles };

export const scopes = ["ingest", "read", "write", "admin"] as const;
export type Scope = (typeof scopes)[number];

export type Principal =
  | { kind: "user"; workspaceId: string; userId: string; role: Role; name: string; email: string }
  | {
      kind: "api_key";
      workspaceId: string;
      keyId: string;
      scopes: Scope[];
      /** The only event types the key may send; null or absent: any. */
      eventTypes?: string[] | null;
    };

/**
 * Who may call a route. Every route declares one (the server refuses to start otherwise):
 * `public` routes need nothing; the others need a key with `scope` or a user in `roles`.
 */
export type Access = { public: true } | { scope: Scope; roles: readonly Role[] };

export const everyone: readonly Role[] = roles;
/** Everyone who may change data: executives read and never write. */
export const writers: readonly Role[] = roles.filter((r) => r !== "exec");
/** Agreement changes are reserved for the two team leads and admins. */
export const agreementEditors: readonly Role[] = ["marketing_lead", "sales_lead", "admin"];
export const adminsOnly: readonly Role[] = ["admin"];

// A broader scope includes the narrower ones: admin ⊇ write ⊇ read, write ⊇ ingest.
const implied: Record<Scope, readonly Scope[]> = {
  ingest: ["ingest"],
  read: ["read"],
  write: ["write", "read", "ingest"],
  admin: ["admin", "write", "read", "ingest"],
};

export function keyHasScope(keyScopes: readonly Scope[], needed: Scope): boolean {
  return keyScopes.some((s) => implied[s].includes(needed));
}

export function isAllowed(principal: Principal, access: Access): boolean {
  if ("public" in access) return true;
  return principal.kind === "user"
    ? access.roles.includes(principal.role)
    : keyHasScope(principal.scopes, access.scope);
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === "user"
    ? { type: "user", id: principal.userId }
    : { type: "api_key", id: principal.keyId };
}
