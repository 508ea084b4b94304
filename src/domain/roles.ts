import { isRejection, type Stage } from "./lifecycle.ts";

export const roles = [
  "admin",
  "marketing",
  "marketing_lead",
  "sdr",
  "ae",
  "sales_lead",
  "exec",
] as const;
export type Role = (typeof roles)[number];

export const salesRoles: readonly Role[] = ["sdr", "ae", "sales_lead"];
export const marketingRoles: readonly Role[] = ["marketing", "marketing_lead"];

/** Moves that only sales may make: accepting, qualifying, rejecting and closing leads. */
export function needsSalesRole(from: Stage, to: Stage): boolean {
  return isRejection(from, to) || ["sal", "sql", "opportunity", "customer", "lost"].includes(to);
}

/** Whether a person in `role` may move a lead from `from` to `to` (the lifecycle still applies). */
export function roleMayMove(role: Role, from: Stage, to: Stage): boolean {
  if (role === "exec") return false;
  return needsSalesRole(from, to) ? salesRoles.includes(role) : true;
}
