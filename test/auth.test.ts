import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.ts";
import { createServices } from "../src/services.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  return t.request({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    key: null,
    payload: { email, password },
    headers,
  });
}

describe("sign-in and sessions", () => {
  it("signs in with email and password and sets an httpOnly, SameSite=Lax session cookie", async () => {
    const user = await t.createUser("sdr");
    const res = await signIn(user.email.toUpperCase(), user.password);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      email: user.email,
      role: "sdr",
      workspaceId: t.workspaceId,
    });
    const cookie = res.cookies.find((c) => c.name === "accord_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeFalsy();

    const session = await t.request({
      method: "GET",
      url: "/api/v1/auth/session",
      key: null,
      headers: { cookie: `accord_session=${cookie?.value}` },
    });
    expect(session.json().user.id).toBe(user.id);
  });

  it("marks the cookie Secure behind an HTTPS proxy", async () => {
    const user = await t.createUser("ae");
    const proxied = await buildApp({ services: t.services, trustProxy: true });
    try {
      const res = await proxied.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "x-forwarded-proto": "https" },
        payload: { email: user.email, password: user.password },
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies[0]).toMatchObject({
        name: "accord_session",
        secure: true,
        httpOnly: true,
      });
    } finally {
      await proxied.close();
    }
  });

  it("refuses a wrong password with 401 INVALID_CREDENTIALS and a clear message", async () => {
    const user = await t.createUser("marketing");
    const res = await signIn(user.email, "not-the-password");
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({
      code: "INVALID_CREDENTIALS",
      message: "Wrong email or password.",
    });
    const unknown = await signIn("nobody@nowhere.dev", "whatever-password");
    expect(unknown.json().error.code).toBe("INVALID_CREDENTIALS");
  });

  it("throttles after 5 failed sign-ins for an email, even with the right password", async () => {
    const user = await t.createUser("exec");
    for (let i = 0; i < 5; i++)
      expect((await signIn(user.email, `wrong-${i}`)).statusCode).toBe(401);
    const blocked = await signIn(user.email, user.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("RATE_LIMITED");
    expect(blocked.json().error.message).toMatch(/Try again in \d+ minutes?/);
  });

  it("holds the sign-in limit across API processes sharing the database, for the window only", async () => {
    const user = await t.createUser("ae");
    // Two servers over one database (two processes behind a load balancer), with one clock.
    let now = new Date("2026-06-01T09:00:00Z");
    const [a, b] = [0, 1].map(() =>
      buildApp({ services: createServices({ db: t.database.db, clock: () => now }) }),
    );
    const [appA, appB] = await Promise.all([a!, b!]);
    const attempt = (app: typeof appA, password: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        payload: { email: user.email, password },
      });
    try {
      // Failures on either server count together: the sixth attempt is refused on both.
      for (let i = 0; i < 5; i++) {
        now = new Date(now.getTime() + 60_000);
        expect((await attempt(i % 2 ? appA : appB, `wrong-${i}`)).statusCode).toBe(401);
      }
      expect((await attempt(appA, user.password)).statusCode).toBe(429);
      const blocked = await attempt(appB, user.password);
      expect(blocked.statusCode).toBe(429);
      // The first failure (at 09:01) leaves the window at 09:16: 11 minutes from 09:05.
      expect(blocked.json().error.message).toBe(
        "Too many failed sign-ins for this email. Try again in 11 minutes.",
      );
      now = new Date("2026-06-01T09:15:59Z");
      expect((await attempt(appA, user.password)).statusCode).toBe(429);
      // At 09:16 exactly the 09:01 failure is 15 minutes old and no longer counts: one more try
      // is allowed, and a success clears the count.
      now = new Date("2026-06-01T09:16:00Z");
      expect((await attempt(appB, user.password)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++)
        expect((await attempt(appA, `wrong-again-${i}`)).statusCode).toBe(401);
      expect((await attempt(appB, user.password)).statusCode).toBe(200);
    } finally {
      await Promise.all([appA.close(), appB.close()]);
    }
  });

  it("tries at most 5 passwords for an email however many attempts come at once", async () => {
    const user = await t.createUser("sdr");
    // Twelve guesses sent together: each one is counted before its (slow) password check, so
    // the ones in flight see each other.
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(user.email, `parallel-${i}`)),
    );
    // Attempts that all counted before any checked may all be turned away: none guesses then.
    const tried = statuses.filter((r) => r.statusCode === 401).length;
    expect(tried).toBeLessThanOrEqual(5);
    expect(statuses.filter((r) => r.statusCode === 429).length).toBe(12 - tried);
    const rows = await t.database.db
      .selectFrom("sign_in_failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", user.email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(tried);
  });

  it("counts an email however it is written, forgets old failures, and names when to retry", async () => {
    const user = await t.createUser("sales_lead");
    const variants = [
      user.email.toUpperCase(),
      `  ${user.email} `,
      user.email.replace(/^./, (c) => c.toUpperCase()),
    ];
    for (let i = 0; i < 5; i++)
      expect((await signIn(variants[i % 3]!, `wrong-${i}`)).statusCode).toBe(401);
    expect((await signIn(user.email, user.password)).statusCode).toBe(429);

    // Six failures stored for another email, the oldest two 14 and 12 minutes ago: the limit
    // opens when the second oldest leaves the window (the sixth may go, five still count).
    const email = `stored-${Date.now()}@example.com`;
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await t.database.db
      .insertInto("sign_in_failures")
      .values([14, 12, 5, 4, 3, 2].map((m) => ({ email, at: ago(m) })))
      .execute();
    const blocked = await signIn(email, "whatever-password");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toContain("Try again in 3 minutes");

    // A failure more than 15 minutes old is gone once any new failure is recorded.
    await t.database.db
      .insertInto("sign_in_failures")
      .values({ email: "old@example.com", at: ago(16) })
      .execute();
    expect((await signIn(`fresh-${Date.now()}@example.com`, "whatever-password")).statusCode).toBe(
      401,
    );
    const old = await t.database.db
      .selectFrom("sign_in_failures")
      .select("email")
      .where("at", "<=", ago(15))
      .execute();
    expect(old).toEqual([]);
  });

  it("refuses a cookie-authenticated write without the CSRF token", async () => {
    const user = await t.createUser("marketing");
    const res = await signIn(user.email, user.password);
    const cookie = `accord_session=${res.cookies[0]?.value}`;
    const without = await t.request({
      method: "POST",
      url: "/api/v1/leads",
      key: null,
      headers: { cookie },
      payload: { email: "csrf@example.com" },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe("CSRF_FAILED");
    const wrong = await t.request({
      method: "POST",
      url: "/api/v1/leads",
      key: null,
      headers: { cookie, "x-csrf-token": "nope" },
      payload: { email: "csrf@example.com" },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.request({
      method: "POST",
      url: "/api/v1/leads",
      key: null,
      headers: { cookie, "x-csrf-token": res.json().csrfToken },
      payload: { email: "csrf@example.com" },
    });
    expect(ok.statusCode).toBe(201);
    // Reads need no token.
    const read = await t.request({
      method: "GET",
      url: "/api/v1/leads",
      key: null,
      headers: { cookie },
    });
    expect(read.statusCode).toBe(200);
  });

  it("signing out ends the session", async () => {
    const user = await t.createUser("ae");
    const res = await signIn(user.email, user.password);
    const cookie = `accord_session=${res.cookies[0]?.value}`;
    expect(
      (
        await t.request({
          method: "POST",
          url: "/api/v1/auth/sign-out",
          key: null,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(204);
    const after = await t.request({
      method: "GET",
      url: "/api/v1/leads",
      key: null,
      headers: { cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it("stores passwords as argon2id hashes, never in clear", async () => {
    const user = await t.createUser("sdr");
    const row = await t.database.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(user.password);
  });
});

describe("API keys", () => {
  it("an admin creates a scoped key shown once, stored hashed; revoking it locks it out", async () => {
    const created = await t.request({
      method: "POST",
      url: "/api/v1/api-keys",
      payload: { name: "CRM sync", scopes: ["read"] },
    });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    const row = await t.database.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).not.toBe(key);
    expect(JSON.stringify(row)).not.toContain(key);

    expect((await t.request({ method: "GET", url: "/api/v1/leads", key })).statusCode).toBe(200);
    expect(
      (
        await t.request({
          method: "POST",
          url: "/api/v1/leads",
          key,
          payload: { email: "ro@example.com" },
        })
      ).statusCode,
    ).toBe(403);

    const list = (await t.request({ method: "GET", url: "/api/v1/api-keys" })).json();
    expect(list.items.find((k: { id: string }) => k.id === id)).toMatchObject({
      name: "CRM sync",
      scopes: ["read"],
      revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(key);

    expect((await t.request({ method: "DELETE", url: `/api/v1/api-keys/${id}` })).statusCode).toBe(
      204,
    );
    // Verified keys are cached briefly; revocation clears the cache in this process.
    expect((await t.request({ method: "GET", url: "/api/v1/leads", key })).statusCode).toBe(401);
  });

  it("the Bearer scheme is case-insensitive", async () => {
    const key = await t.keyWithScopes(["read"]);
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const res = await t.request({
        method: "GET",
        url: "/api/v1/leads?limit=1",
        key: null,
        headers: { authorization: `${scheme} ${key}` },
      });
      expect(res.statusCode, scheme).toBe(200);
    }
  });

  it("a malformed Bearer header is no credential", async () => {
    for (const authorization of ["Bearer", "Bearer a b", "bearer "]) {
      const res = await t.request({
        method: "GET",
        url: "/api/v1/leads?limit=1",
        key: null,
        headers: { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it("an unknown bearer key answers 401", async () => {
    expect(
      (await t.request({ method: "GET", url: "/api/v1/leads", key: "acc_not_a_real_key_123456" }))
        .statusCode,
    ).toBe(401);
  });
});

describe("audit log", () => {
  it("records every write with who, what, when, before and after, readable by admins", async () => {
    const lead = (
      await t.request({
        method: "POST",
        url: "/api/v1/leads",
        payload: { email: "audited@example.com" },
      })
    ).json();
    await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: { title: "CFO" },
    });
    await t.request({
      method: "POST",
      url: `/api/v1/leads/${lead.id}/transitions`,
      payload: { to: "mql" },
    });
    const res = await t.request({ method: "GET", url: `/api/v1/audit?entityId=${lead.id}` });
    expect(res.statusCode).toBe(200);
    const actions = res.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["lead.transitioned", "lead.updated", "lead.created"]);
    const update = res.json().items[1];
    expect(update.before.title).toBeNull();
    expect(update.after.title).toBe("CFO");
    expect(update.actorType).toBe("api_key");
    expect(new Date(update.at).getTime()).toBeGreaterThan(0);
  });

  it("pages through the log with a cursor", async () => {
    const first = (await t.request({ method: "GET", url: "/api/v1/audit?limit=2" })).json();
    expect(first.items).toHaveLength(2);
    const second = (
      await t.request({ method: "GET", url: `/api/v1/audit?limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
  });
});
