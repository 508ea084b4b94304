import type { InjectOptions } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/test-app.ts";

/**
 * Row-level tenancy: every table carries workspace_id and every query filters on the caller's
 * workspace. Workspace B's credentials must never see or change workspace A's rows.
 */

const t = await createTestApp();
afterAll(async () => {
  await t.close();
});

type Lead = { id: string; email: string; accountId: string | null; stage: string };
type Account = { id: string; name: string; domain: string | null };

const a = { key: t.adminKey, workspaceId: t.workspaceId };
const b = await t.otherWorkspace();

const as = (key: string) => (options: Omit<InjectOptions, "payload"> & { payload?: unknown }) =>
  t.request({ ...options, payload: options.payload as InjectOptions["payload"], key });
const asA = as(a.key);
const asB = as(b.adminKey);

const leadA: Lead = (
  await asA({
    method: "POST",
    url: "/api/v1/leads",
    payload: { email: "alice@shared-domain.com", firstName: "Alice", company: "Shared Co" },
  })
).json();
const accountA: Account = (
  await asA({
    method: "POST",
    url: "/api/v1/accounts",
    payload: { name: "Acme Alpha", domain: "acme-alpha.com" },
  })
).json();
await asA({ method: "POST", url: `/api/v1/leads/${leadA.id}/transitions`, payload: { to: "mql" } });
const leadB: Lead = (
  await asB({ method: "POST", url: "/api/v1/leads", payload: { email: "bob@b-only.com" } })
).json();

/** What A sees of its own rows: must be identical after B's attempts. */
async function stateOfA() {
  const lead = (await asA({ method: "GET", url: `/api/v1/leads/${leadA.id}` })).json();
  const account = (await asA({ method: "GET", url: `/api/v1/accounts/${accountA.id}` })).json();
  const audit = (await asA({ method: "GET", url: "/api/v1/audit?limit=200" })).json();
  return { lead, account, auditCount: audit.items.length };
}

describe("a key of workspace B", () => {
  it("cannot read A's lead or account: 404, as if they did not exist", async () => {
    for (const url of [`/api/v1/leads/${leadA.id}`, `/api/v1/accounts/${accountA.id}`]) {
      const res = await asB({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe("NOT_FOUND");
    }
  });

  it("does not see A's leads in its list, whatever the filter", async () => {
    const all = (await asB({ method: "GET", url: "/api/v1/leads?limit=200&total=true" })).json();
    expect(all.items.map((l: Lead) => l.id)).toEqual([leadB.id]);
    expect(all.total).toBe(1);
    for (const query of [
      `q=${encodeURIComponent(leadA.email)}`,
      "stage=mql",
      `accountId=${leadA.accountId}`,
      "source=website",
    ]) {
      const res = await asB({ method: "GET", url: `/api/v1/leads?${query}` });
      expect(res.statusCode, query).toBe(200);
      expect(
        res.json().items.map((l: Lead) => l.id),
        query,
      ).not.toContain(leadA.id);
    }
  });

  it("does not see A's accounts in its list", async () => {
    const all = (await asB({ method: "GET", url: "/api/v1/accounts?limit=200" })).json();
    const ids = all.items.map((x: Account) => x.id);
    expect(ids).not.toContain(accountA.id);
    expect(ids).not.toContain(leadA.accountId);
    const byName = (await asB({ method: "GET", url: "/api/v1/accounts?q=acme" })).json();
    expect(byName.items).toEqual([]);
  });

  it("cannot update or move A's lead, nor update A's account, and nothing of A changes", async () => {
    const before = await stateOfA();
    const attempts = [
      { method: "PATCH", url: `/api/v1/leads/${leadA.id}`, payload: { title: "Hijacked" } },
      { method: "POST", url: `/api/v1/leads/${leadA.id}/transitions`, payload: { to: "sal" } },
      {
        method: "POST",
        url: `/api/v1/leads/${leadA.id}/transitions`,
        payload: { to: "disqualified", reason: "wrong_fit", expectedStage: "mql" },
      },
      { method: "PATCH", url: `/api/v1/accounts/${accountA.id}`, payload: { name: "Hijacked" } },
    ] as const;
    for (const attempt of attempts) {
      const res = await asB(attempt);
      expect(res.statusCode, `${attempt.method} ${attempt.url}: ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe("NOT_FOUND");
    }
    expect(await stateOfA()).toEqual(before);
  });

  it("cannot attach its lead to A's account or give it A's user as owner", async () => {
    const userA = await t.createUser("sdr");
    const withAccount = await asB({
      method: "POST",
      url: "/api/v1/leads",
      payload: { email: "carol@b-only.com", accountId: accountA.id },
    });
    expect(withAccount.statusCode).toBe(400);
    expect(withAccount.json().error.fields[0].path).toBe("accountId");
    const withOwner = await asB({
      method: "PATCH",
      url: `/api/v1/leads/${leadB.id}`,
      payload: { ownerId: userA.id },
    });
    expect(withOwner.statusCode).toBe(400);
    expect(withOwner.json().error.fields[0].path).toBe("ownerId");
    const accountOwner = await asB({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "B Owned", ownerId: userA.id },
    });
    expect(accountOwner.statusCode).toBe(400);
  });

  it("does not see A's people or A's audit log", async () => {
    const userA = await t.createUser("ae");
    const users = (await asB({ method: "GET", url: "/api/v1/users" })).json();
    expect(users.items.map((u: { id: string }) => u.id)).not.toContain(userA.id);
    const audit = (await asB({ method: "GET", url: "/api/v1/audit?limit=200" })).json();
    const entities = audit.items.map((e: { entityId: string | null }) => e.entityId);
    expect(entities).not.toContain(leadA.id);
    expect(entities).not.toContain(accountA.id);
  });

  it("cannot revoke A's API keys", async () => {
    const keys = (await asA({ method: "GET", url: "/api/v1/api-keys" })).json();
    const keyA = keys.items[0] as { id: string };
    const res = await asB({ method: "DELETE", url: `/api/v1/api-keys/${keyA.id}` });
    expect(res.statusCode).toBe(404);
    const still = await asA({ method: "GET", url: `/api/v1/leads/${leadA.id}` });
    expect(still.statusCode).toBe(200);
  });

  it("has its own email and domain namespace: the same email and domain create B's own rows", async () => {
    const lead = await asB({
      method: "POST",
      url: "/api/v1/leads",
      payload: { email: "ALICE@shared-domain.com" },
    });
    expect(lead.statusCode, lead.body).toBe(201);
    expect(lead.json().id).not.toBe(leadA.id);
    expect(lead.json().accountId).not.toBe(leadA.accountId);
    const account = await asB({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Acme in B", domain: "acme-alpha.com" },
    });
    expect(account.statusCode, account.body).toBe(201);
    const upsert = await asB({
      method: "POST",
      url: "/api/v1/leads?upsert=true",
      payload: { email: "alice@shared-domain.com", title: "B's title" },
    });
    expect(upsert.statusCode).toBe(200);
    const aLead = (await asA({ method: "GET", url: `/api/v1/leads/${leadA.id}` })).json();
    expect(aLead.lead.title).toBeNull();
  });

  it("cannot score or move A's lead by posting events that name it", async () => {
    const before = await stateOfA();
    const res = await asB({
      method: "POST",
      url: "/api/v1/events",
      payload: {
        id: "cross-workspace-1",
        type: "demo_request",
        occurredAt: new Date().toISOString(),
        leadId: leadA.id,
      },
    });
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode < 300) expect(res.json().accepted).toBe(0);
    expect(await stateOfA()).toEqual(before);
  });
});

describe("a session of a person in workspace B", () => {
  it("cannot read A's lead either", async () => {
    const res = await t.request({
      method: "POST",
      url: "/api/v1/users",
      key: b.adminKey,
      payload: {
        email: "sdr@workspace-b.com",
        name: "B SDR",
        role: "sdr",
        password: "long-enough-password",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const signIn = await t.request({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      key: null,
      payload: { email: "sdr@workspace-b.com", password: "long-enough-password" },
    });
    expect(signIn.statusCode).toBe(200);
    const cookie = `accord_session=${signIn.cookies.find((c) => c.name === "accord_session")?.value}`;
    const headers = { cookie, "x-csrf-token": signIn.json().csrfToken };
    const read = await t.request({
      method: "GET",
      url: `/api/v1/leads/${leadA.id}`,
      key: null,
      headers,
    });
    expect(read.statusCode).toBe(404);
    const move = await t.request({
      method: "POST",
      url: `/api/v1/leads/${leadA.id}/transitions`,
      key: null,
      headers,
      payload: { to: "sal" },
    });
    expect(move.statusCode).toBe(404);
  });
});

const protectedRoutes = t.app.accessRules
  .filter((r) => !("public" in r.access))
  .map((r) => ({
    key: `${r.method} ${r.url}`,
    method: r.method as InjectOptions["method"],
    url: r.url.replace(/:\w+/g, leadA.id),
  }));

describe("credentials", () => {
  it("there are protected routes to check", () => {
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(15);
  });

  it.each(protectedRoutes.map((r) => [r.key, r] as const))(
    "%s without a key answers 401 UNAUTHENTICATED",
    async (_key, route) => {
      const res = await t.request({ method: route.method, url: route.url, key: null });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe("UNAUTHENTICATED");
    },
  );

  it.each(protectedRoutes.map((r) => [r.key, r] as const))(
    "%s with an unknown key answers 401 UNAUTHENTICATED",
    async (_key, route) => {
      const res = await t.request({
        method: route.method,
        url: route.url,
        key: "acc_this-key-was-never-issued-by-accord",
      });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe("UNAUTHENTICATED");
    },
  );

  it.each([
    ["a Basic header", `Basic ${Buffer.from("admin:admin").toString("base64")}`],
    ["an empty bearer", "Bearer "],
    ["a bearer without the space", `Bearer${t.adminKey}`],
    ["a key with a suffix", `Bearer ${t.adminKey}x`],
    ["a truncated key", `Bearer ${t.adminKey.slice(0, -1)}`],
  ])("%s answers 401", async (_case, authorization) => {
    const res = await t.request({
      method: "GET",
      url: "/api/v1/leads",
      key: null,
      headers: { authorization },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("UNAUTHENTICATED");
  });

  it("a revoked key answers 401 at once", async () => {
    const key = await t.keyWithScopes(["read"]);
    expect((await t.request({ method: "GET", url: "/api/v1/leads", key })).statusCode).toBe(200);
    const keys = (await asA({ method: "GET", url: "/api/v1/api-keys" })).json();
    const id = keys.items.find((k: { name: string }) => k.name === "read").id;
    expect((await asA({ method: "DELETE", url: `/api/v1/api-keys/${id}` })).statusCode).toBe(204);
    const res = await t.request({ method: "GET", url: "/api/v1/leads", key });
    expect(res.statusCode).toBe(401);
  });

  it("nothing was written by the refused requests", async () => {
    const lead = (await asA({ method: "GET", url: `/api/v1/leads/${leadA.id}` })).json();
    expect(lead.lead).toMatchObject({ stage: "mql", title: null, firstName: "Alice" });
    expect(lead.history.map((h: { toStage: string }) => h.toStage)).toEqual(["lead", "mql"]);
  });
});
