import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role, Scope } from "../src/modules/auth/access.ts";
import { roles } from "../src/modules/auth/access.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Who may call what, written out by hand. The test fails when a route exists that is not in
 * this table (so a new route needs a decision here) or when the app disagrees with it.
 */
const ALL: Role[] = [...roles];
const WRITERS: Role[] = ALL.filter((r) => r !== "exec");
const ADMIN: Role[] = ["admin"];
type Expected = { public: true } | { roles: Role[]; scope: Scope };

const expected: Record<string, Expected> = {
  "GET /healthz": { public: true },
  "GET /readyz": { public: true },
  "GET /t.js": { public: true },
  "GET /api/openapi.json": { public: true },
  "POST /api/v1/auth/sign-in": { public: true },
  "POST /api/v1/auth/sign-out": { public: true },
  "GET /api/v1/auth/session": { public: true },
  "GET /api/v1/leads": { roles: ALL, scope: "read" },
  "GET /api/v1/leads/:id": { roles: ALL, scope: "read" },
  "POST /api/v1/leads": { roles: WRITERS, scope: "write" },
  "PATCH /api/v1/leads/:id": { roles: WRITERS, scope: "write" },
  "POST /api/v1/leads/:id/transitions": { roles: WRITERS, scope: "write" },
  "GET /api/v1/accounts": { roles: ALL, scope: "read" },
  "GET /api/v1/accounts/:id": { roles: ALL, scope: "read" },
  "POST /api/v1/accounts": { roles: WRITERS, scope: "write" },
  "PATCH /api/v1/accounts/:id": { roles: WRITERS, scope: "write" },
  "GET /api/v1/agreement": { roles: ALL, scope: "read" },
  "GET /api/v1/users": { roles: ALL, scope: "read" },
  "POST /api/v1/users": { roles: ADMIN, scope: "admin" },
  "GET /api/v1/teams": { roles: ALL, scope: "read" },
  "POST /api/v1/teams": { roles: ADMIN, scope: "admin" },
  "GET /api/v1/api-keys": { roles: ADMIN, scope: "admin" },
  "POST /api/v1/api-keys": { roles: ADMIN, scope: "admin" },
  "DELETE /api/v1/api-keys/:id": { roles: ADMIN, scope: "admin" },
  "GET /api/v1/audit": { roles: ADMIN, scope: "admin" },
  "GET /api/v1/leads/:id/score": { roles: ALL, scope: "read" },
  "POST /api/v1/events": { roles: ["admin", "marketing", "marketing_lead"], scope: "ingest" },
};

const scopeGrants: Record<Scope, Scope[]> = {
  ingest: ["ingest"],
  read: ["read"],
  write: ["write", "read", "ingest"],
  admin: ["admin", "write", "read", "ingest"],
};

let t: TestApp;
let leadId: string;
let accountId: string;
const sessions = new Map<Role, { cookie: string; csrf: string }>();
const keys = new Map<Scope, string>();
let counter = 0;

beforeAll(async () => {
  t = await createTestApp();
  const lead = await t.request({
    method: "POST",
    url: "/api/v1/leads",
    payload: { email: "matrix@matrix-co.com" },
  });
  leadId = lead.json().id;
  accountId = lead.json().accountId;
  for (const role of roles) {
    const user = await t.createUser(role);
    const res = await t.request({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      key: null,
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "accord_session");
    sessions.set(role, { cookie: `accord_session=${cookie?.value}`, csrf: res.json().csrfToken });
  }
  for (const scope of ["ingest", "read", "write", "admin"] as Scope[])
    keys.set(scope, await t.keyWithScopes([scope]));
});
afterAll(async () => {
  await t?.close();
});

function requestFor(route: string): { method: string; url: string; payload?: unknown } {
  const [method, path] = route.split(" ") as [string, string];
  const n = counter++;
  let url = path.replace(":id", path.startsWith("/api/v1/accounts") ? accountId : leadId);
  if (route === "DELETE /api/v1/api-keys/:id")
    url = path.replace(":id", "00000000-0000-4000-8000-000000000000");
  const payloads: Record<string, unknown> = {
    "POST /api/v1/leads": { email: `m${n}@matrix-co.com` },
    "PATCH /api/v1/leads/:id": { title: `Title ${n}` },
    "POST /api/v1/leads/:id/transitions": { to: "mrl" },
    "POST /api/v1/accounts": { name: `Account ${n}` },
    "PATCH /api/v1/accounts/:id": { industry: "Software" },
    "POST /api/v1/users": {
      email: `u${n}@matrix-co.com`,
      name: "U",
      role: "sdr",
      password: "long-enough-pass",
    },
    "POST /api/v1/api-keys": { name: `k${n}`, scopes: ["read"] },
    "POST /api/v1/teams": { name: `Team ${n}` },
    "POST /api/v1/auth/sign-in": { email: "nobody@matrix-co.com", password: "x" },
    "POST /api/v1/events": {
      id: `ev-${n}`,
      type: "page_view",
      occurredAt: new Date().toISOString(),
      email: "matrix@matrix-co.com",
    },
  };
  return { method, url, ...(route in payloads ? { payload: payloads[route] } : {}) };
}

describe("access matrix", () => {
  it("every API route is in the expected table, and every table row is a route", () => {
    const actual = t.app.accessRules.map((r) => `${r.method} ${r.url}`).sort();
    expect(actual).toEqual(Object.keys(expected).sort());
  });

  it("the declared rule of every route matches the table", () => {
    for (const rule of t.app.accessRules) {
      const want = expected[`${rule.method} ${rule.url}`];
      if (!want || "public" in want) {
        expect("public" in rule.access, `${rule.method} ${rule.url}`).toBe(true);
        continue;
      }
      expect(rule.access, `${rule.method} ${rule.url}`).toMatchObject({ scope: want.scope });
      expect([...("roles" in rule.access ? rule.access.roles : [])].sort()).toEqual(
        [...want.roles].sort(),
      );
    }
  });

  const protectedRoutes = Object.entries(expected).filter(([, e]) => !("public" in e)) as [
    string,
    { roles: Role[]; scope: Scope },
  ][];

  it.each(protectedRoutes)("%s without credentials answers 401", async (route) => {
    const res = await t.request({ ...requestFor(route), key: null } as Parameters<
      TestApp["request"]
    >[0]);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("UNAUTHENTICATED");
  });

  it.each(protectedRoutes)("%s admits exactly its roles", async (route, rule) => {
    for (const role of roles) {
      const s = sessions.get(role)!;
      const res = await t.request({
        ...requestFor(route),
        key: null,
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
      } as Parameters<TestApp["request"]>[0]);
      if (rule.roles.includes(role)) {
        expect([401, 403], `${role} on ${route}: ${res.body}`).not.toContain(res.statusCode);
      } else {
        expect(res.statusCode, `${role} on ${route}: ${res.body}`).toBe(403);
      }
    }
  });

  it.each(protectedRoutes)(
    "%s admits exactly the API keys whose scope covers it",
    async (route, rule) => {
      for (const [scope, key] of keys) {
        const res = await t.request({ ...requestFor(route), key } as Parameters<
          TestApp["request"]
        >[0]);
        if (scopeGrants[scope].includes(rule.scope)) {
          expect([401, 403], `${scope} key on ${route}: ${res.body}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${scope} key on ${route}: ${res.body}`).toBe(403);
        }
      }
    },
  );
});
