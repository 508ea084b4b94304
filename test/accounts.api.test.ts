import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Account = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  country: string | null;
  technologies: string[];
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
};
type Page = { items: Account[]; nextCursor: string | null };

const post = (payload: unknown, key?: string) =>
  t.request({ method: "POST", url: "/api/v1/accounts", payload: payload as object, key });
const patch = (id: string, payload: unknown, key?: string) =>
  t.request({ method: "PATCH", url: `/api/v1/accounts/${id}`, payload: payload as object, key });
const get = (url: string, key?: string) => t.request({ method: "GET", url, key });

async function createAccount(payload: Record<string, unknown>): Promise<Account> {
  const res = await post(payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function listAll(query: string): Promise<{ items: Account[]; pages: number }> {
  const items: Account[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await get(
      `/api/v1/accounts?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page: Page = res.json();
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
    expect(pages, "pagination must end").toBeLessThan(50);
  } while (cursor);
  return { items, pages };
}

const unknownId = "00000000-0000-4000-8000-000000000000";

describe("creating accounts", () => {
  it("creates an account with 201 and answers with every field, normalised", async () => {
    const res = await post({
      name: "  Initech  ",
      domain: "  InITech.COM ",
      industry: "Software",
      employees: 420,
      annualRevenue: 12_500_000,
      country: "us",
      technologies: ["Salesforce", "Slack"],
    });
    expect(res.statusCode, res.body).toBe(201);
    const account: Account = res.json();
    expect(account).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Initech",
      domain: "initech.com",
      industry: "Software",
      employees: 420,
      annualRevenue: 12_500_000,
      country: "US",
      technologies: ["Salesforce", "Slack"],
      ownerId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Date(account.createdAt).toISOString()).toBe(account.createdAt);
  });

  it("creates an account with only a name", async () => {
    const account = await createAccount({ name: "Nameless Domainless" });
    expect(account).toMatchObject({ domain: null, country: null, technologies: [] });
  });

  it("records the creation in the audit log", async () => {
    const account = await createAccount({ name: "Audited", domain: "audited.io" });
    const audit = (await get(`/api/v1/audit?entityType=account&entityId=${account.id}`)).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: "account.created", actorType: "api_key" });
  });

  it("refuses a second account with the same domain, case-insensitively, with 409 DUPLICATE_DOMAIN", async () => {
    await createAccount({ name: "Globex", domain: "globex.com" });
    const dup = await post({ name: "Globex Again", domain: "GLOBEX.com" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({
      code: "DUPLICATE_DOMAIN",
      fields: [{ path: "domain", message: expect.any(String) }],
    });
    const list: Page = (await get("/api/v1/accounts?q=globex")).json();
    expect(list.items.map((a) => a.name)).toEqual(["Globex"]);
  });

  it("allows any number of accounts without a domain", async () => {
    await createAccount({ name: "No Domain One", domain: null });
    await createAccount({ name: "No Domain Two", domain: null });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a domain without a dot", { name: "X", domain: "localhost" }, "domain"],
    ["a domain with a scheme", { name: "X", domain: "https://acme.com" }, "domain"],
    ["a domain with a path", { name: "X", domain: "acme.com/about" }, "domain"],
    ["a domain with spaces inside", { name: "X", domain: "ac me.com" }, "domain"],
    ["an email instead of a domain", { name: "X", domain: "jane@acme.com" }, "domain"],
    ["a three-letter country", { name: "X", country: "USA" }, "country"],
    ["a numeric country", { name: "X", country: "12" }, "country"],
    ["a blank name", { name: "   " }, "name"],
    ["no name", { domain: "noname.com" }, "name"],
    ["negative employees", { name: "X", employees: -1 }, "employees"],
    ["fractional employees", { name: "X", employees: 1.5 }, "employees"],
    ["an owner id that is not a UUID", { name: "X", ownerId: "bob" }, "ownerId"],
    ["an empty technology", { name: "X", technologies: [""] }, "technologies.0"],
  ])("refuses %s with 400 naming the field", async (_case, payload, field) => {
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe("VALIDATION_FAILED");
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe("owners", () => {
  it("accepts a user of the workspace as owner", async () => {
    const ae = await t.createUser("ae");
    const account = await createAccount({ name: "Owned", ownerId: ae.id });
    expect(account.ownerId).toBe(ae.id);
  });

  it("refuses an owner id that is no user, with 400 naming ownerId, and writes nothing", async () => {
    const res = await post({ name: "Ghost Owned", domain: "ghost-owned.com", ownerId: unknownId });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [{ path: "ownerId" }],
    });
    const list: Page = (await get("/api/v1/accounts?q=ghost-owned")).json();
    expect(list.items).toEqual([]);
  });

  it("refuses a user of another workspace as owner, on create and on update", async () => {
    const other = await t.otherWorkspace();
    const res = await t.request({
      method: "POST",
      url: "/api/v1/users",
      key: other.adminKey,
      payload: {
        email: "stranger@elsewhere.com",
        name: "Stranger",
        role: "ae",
        password: "long-enough-password",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const stranger = res.json();
    const created = await post({ name: "Foreign Owned", ownerId: stranger.id });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.fields[0].path).toBe("ownerId");

    const account = await createAccount({ name: "Keeps Its Owner" });
    const updated = await patch(account.id, { ownerId: stranger.id });
    expect(updated.statusCode).toBe(400);
    expect(updated.json().error.fields[0].path).toBe("ownerId");
    expect((await get(`/api/v1/accounts/${account.id}`)).json().ownerId).toBeNull();
  });
});

describe("reading accounts", () => {
  it("gets an account by id", async () => {
    const account = await createAccount({ name: "Readable", domain: "readable.dev" });
    const res = await get(`/api/v1/accounts/${account.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(account);
  });

  it("answers 404 NOT_FOUND for an unknown id", async () => {
    const res = await get(`/api/v1/accounts/${unknownId}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("NOT_FOUND");
  });

  it("answers 400 naming params.id for an id that is not a UUID", async () => {
    const res = await get("/api/v1/accounts/not-a-uuid");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe("params.id");
  });

  it("finds accounts by name or domain with q, case-insensitively", async () => {
    await createAccount({ name: "Hooli", domain: "hooli.xyz" });
    await createAccount({ name: "Hooli Labs", domain: "labs-h.io" });
    await createAccount({ name: "Pied Piper", domain: "piedpiper-hooli.com" });
    const byName: Page = (await get("/api/v1/accounts?q=HOOLI%20L")).json();
    expect(byName.items.map((a) => a.name)).toEqual(["Hooli Labs"]);
    const both: Page = (await get("/api/v1/accounts?q=hooli")).json();
    expect(both.items.map((a) => a.name).sort()).toEqual(["Hooli", "Hooli Labs", "Pied Piper"]);
    const byDomain: Page = (await get("/api/v1/accounts?q=labs-h.io")).json();
    expect(byDomain.items.map((a) => a.name)).toEqual(["Hooli Labs"]);
  });

  it("treats % and _ in q as plain characters, not wildcards", async () => {
    await createAccount({ name: "100% Juice Co" });
    await createAccount({ name: "100 Juice Co" });
    await createAccount({ name: "snake_case Inc" });
    await createAccount({ name: "snakeXcase Inc" });
    const percent: Page = (await get("/api/v1/accounts?q=100%25")).json();
    expect(percent.items.map((a) => a.name)).toEqual(["100% Juice Co"]);
    const underscore: Page = (await get("/api/v1/accounts?q=snake_case")).json();
    expect(underscore.items.map((a) => a.name)).toEqual(["snake_case Inc"]);
  });

  it("walks every page with the cursor, each account exactly once, in name order", async () => {
    const names = Array.from({ length: 11 }, (_, i) => `Pager ${String(i).padStart(2, "0")}`);
    // Created out of order, so the order of the answer comes from the sort, not from insertion.
    for (const name of [...names].reverse()) await createAccount({ name });
    const { items, pages } = await listAll("q=pager&limit=3");
    expect(pages).toBe(4);
    expect(items.map((a) => a.name)).toEqual(names);
    expect(new Set(items.map((a) => a.id)).size).toBe(11);
  });

  it("pages through accounts that share a name without losing or repeating any", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await createAccount({ name: i % 2 ? "Twin Corp" : "twin corp" })).id);
    const { items } = await listAll("q=twin%20corp&limit=2");
    expect(items.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(new Set(items.map((a) => a.id)).size).toBe(7);
  });

  it("lists everything when walked without q, and the last page has no cursor", async () => {
    const { items } = await listAll("limit=200");
    expect(items.length).toBeGreaterThan(20);
    expect(new Set(items.map((a) => a.id)).size).toBe(items.length);
    const first: Page = (await get("/api/v1/accounts?limit=1")).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ["a cursor it never issued", "cursor=garbage", "query.cursor"],
    ["limit 0", "limit=0", "query.limit"],
    ["limit over 200", "limit=201", "query.limit"],
    ["an unknown parameter", "colour=red", "query"],
  ])("refuses %s with 400", async (_case, query, path) => {
    const res = await get(`/api/v1/accounts?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields[0].path).toContain(path);
  });
});

describe("updating accounts", () => {
  it("patches the given fields, leaves the others, clears with null and moves updatedAt", async () => {
    const account = await createAccount({
      name: "Umbrella",
      domain: "umbrella.com",
      industry: "Pharma",
      employees: 5000,
      country: "GB",
    });
    await new Promise((r) => setTimeout(r, 5));
    const res = await patch(account.id, {
      industry: "Healthcare IT",
      country: "de",
      employees: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated: Account = res.json();
    expect(updated).toMatchObject({
      id: account.id,
      name: "Umbrella",
      domain: "umbrella.com",
      industry: "Healthcare IT",
      country: "DE",
      employees: null,
      createdAt: account.createdAt,
    });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(
      new Date(account.updatedAt).getTime(),
    );
    expect((await get(`/api/v1/accounts/${account.id}`)).json()).toEqual(updated);
  });

  it("records the change in the audit log with before and after", async () => {
    const account = await createAccount({ name: "Before Name" });
    await patch(account.id, { name: "After Name" });
    const audit = (await get(`/api/v1/audit?entityType=account&entityId=${account.id}`)).json();
    const entry = audit.items.find((e: { action: string }) => e.action === "account.updated");
    expect(entry.before).toMatchObject({ name: "Before Name" });
    expect(entry.after).toMatchObject({ name: "After Name" });
  });

  it("refuses to take another account's domain with 409 DUPLICATE_DOMAIN", async () => {
    await createAccount({ name: "Stark", domain: "stark.com" });
    const wayne = await createAccount({ name: "Wayne", domain: "wayne.com" });
    const res = await patch(wayne.id, { domain: "STARK.com" });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("DUPLICATE_DOMAIN");
    expect((await get(`/api/v1/accounts/${wayne.id}`)).json().domain).toBe("wayne.com");
  });

  it("answers 404 for an unknown id", async () => {
    const res = await patch(unknownId, { name: "Nobody" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("NOT_FOUND");
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an invalid domain", { domain: "not a domain" }, "domain"],
    ["an invalid country", { country: "Germany" }, "country"],
    ["a blank name", { name: "" }, "name"],
    ["an unknown field", { website: "https://x.com" }, "website"],
  ])("refuses %s with 400 naming the field and changes nothing", async (_case, payload, field) => {
    const account = await createAccount({ name: "Unchanged", country: "FR" });
    const res = await patch(account.id, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect((await get(`/api/v1/accounts/${account.id}`)).json()).toEqual(account);
  });

  it("executives read accounts but may not create or change them", async () => {
    const exec = await t.createUser("exec");
    const signIn = await t.request({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      key: null,
      payload: { email: exec.email, password: exec.password },
    });
    const cookie = `accord_session=${signIn.cookies.find((c) => c.name === "accord_session")?.value}`;
    const headers = { cookie, "x-csrf-token": signIn.json().csrfToken };
    const account = await createAccount({ name: "Exec Visible" });
    const read = await t.request({
      method: "GET",
      url: `/api/v1/accounts/${account.id}`,
      key: null,
      headers,
    });
    expect(read.statusCode).toBe(200);
    const write = await t.request({
      method: "PATCH",
      url: `/api/v1/accounts/${account.id}`,
      key: null,
      headers,
      payload: { name: "Exec Edit" },
    });
    expect(write.statusCode).toBe(403);
  });
});
