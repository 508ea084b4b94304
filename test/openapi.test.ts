import { afterAll, describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/test-app.ts";

type Response = { content?: Record<string, { schema?: { $ref?: string } }> };
type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses?: Record<string, Response>;
};
type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

const t = await createTestApp();
afterAll(async () => {
  await t.close();
});

const docResponse = await t.request({ method: "GET", url: "/api/openapi.json", key: null });
const doc = docResponse.json() as OpenApi;

const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");
/** Routes Fastify has, as "METHOD /path/{param}", with whether they are public. */
const appRoutes = t.app.accessRules.map((r) => ({
  key: `${r.method} ${toOpenApiPath(r.url)}`,
  public: "public" in r.access,
}));
const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
);
const v1Operations = documented.filter((d) => d.key.split(" ")[1]?.startsWith("/api/v1/"));
const isPublic = (key: string) => appRoutes.find((r) => r.key === key)?.public ?? false;

describe("GET /api/openapi.json", () => {
  it("is public JSON in OpenAPI 3.1", () => {
    expect(docResponse.statusCode).toBe(200);
    expect(docResponse.headers["content-type"]).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: "Accord API", version: expect.any(String) });
  });

  it("documents every /api/v1 route Fastify has, and only those", () => {
    const registered = appRoutes
      .map((r) => r.key)
      .filter((k) => k.split(" ")[1]?.startsWith("/api/v1/"))
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(13);
    expect(v1Operations.map((d) => d.key).sort()).toEqual(registered);
  });

  it("includes the lead, account, transition and agreement operations", () => {
    const keys = v1Operations.map((d) => d.key);
    for (const key of [
      "POST /api/v1/leads",
      "GET /api/v1/leads",
      "GET /api/v1/leads/{id}",
      "PATCH /api/v1/leads/{id}",
      "POST /api/v1/leads/{id}/transitions",
      "POST /api/v1/accounts",
      "GET /api/v1/accounts",
      "GET /api/v1/accounts/{id}",
      "PATCH /api/v1/accounts/{id}",
      "GET /api/v1/agreement",
    ])
      expect(keys).toContain(key);
  });

  it("documents the health checks", () => {
    expect(doc.paths["/healthz"]?.get).toBeDefined();
    expect(doc.paths["/readyz"]?.get).toBeDefined();
  });

  it("documents the one error shape as a shared schema", () => {
    expect(doc.components?.schemas?.Error).toMatchObject({
      type: "object",
      properties: {
        error: {
          type: "object",
          properties: {
            code: { type: "string" },
            message: { type: "string" },
            fields: { type: "array" },
          },
          required: expect.arrayContaining(["code", "message"]),
        },
      },
    });
  });

  it("declares bearer API keys as the security scheme", () => {
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(JSON.stringify(doc)).toContain('"scheme":"bearer"');
  });
});

describe.each(documented.map((d) => [d.key, d.op] as const))("%s", (key, op) => {
  const path = key.split(" ")[1] ?? "";
  const responses = op.responses ?? {};
  const statuses = Object.keys(responses);
  const takesInput = Boolean(op.requestBody) || (op.parameters ?? []).length > 0;
  const hasPathParam = (op.parameters ?? []).some((p) => p.in === "path");

  it("has a summary and a tag", () => {
    expect(op.summary?.trim()).toBeTruthy();
    expect(op.tags?.length).toBeGreaterThan(0);
  });

  it("declares a success response", () => {
    expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
  });

  if (path.startsWith("/api/v1/") && !isPublic(key)) {
    it("declares 401 and 403, since it needs a key or a session", () => {
      expect(statuses).toEqual(expect.arrayContaining(["401", "403"]));
    });
  }

  if (takesInput) {
    it("declares 400, since it validates its input", () => {
      expect(statuses, `${key} takes parameters or a body`).toContain("400");
    });
  }

  if (hasPathParam) {
    it("declares 404, since it addresses one row", () => {
      expect(statuses).toContain("404");
    });
  }

  if (isPublic(key)) {
    it("is documented as needing no credentials", () => {
      expect(op.security, `${key} is public but the document asks for an API key`).toEqual([]);
    });
  }

  it("describes every 4xx answer with the Error schema", () => {
    for (const status of statuses.filter((s) => /^4\d\d$/.test(s))) {
      const schema = responses[status]?.content?.["application/json"]?.schema;
      expect(schema, `${key} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
    }
  });
});

describe("the documented error answers are the ones the API gives", () => {
  it("a validation failure answers 400 with the documented shape", async () => {
    const res = await t.request({ method: "POST", url: "/api/v1/leads", payload: { email: 5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: "VALIDATION_FAILED",
        message: expect.any(String),
        fields: [{ path: "email", message: expect.any(String) }],
      },
    });
  });

  it("an unknown route answers 404 with the error shape", async () => {
    const res = await t.request({ method: "GET", url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: "NOT_FOUND", message: expect.any(String) });
  });
});

describe("GET /api/docs", () => {
  it("redirects to /api/docs/, which serves HTML that loads the reference for our document", async () => {
    const first = await t.request({ method: "GET", url: "/api/docs", key: null });
    let page = first;
    if (first.statusCode >= 300 && first.statusCode < 400) {
      expect(first.headers.location).toBe("/api/docs/");
      page = await t.request({ method: "GET", url: String(first.headers.location), key: null });
    }
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("/api/openapi.json");

    const script = page.body.match(/<script[^>]+src="([^"]+)"/)?.[1];
    expect(script, "the page loads the reference script").toBeTruthy();
    const scriptUrl = new URL(script ?? "", "http://local/api/docs/").pathname;
    const js = await t.request({ method: "GET", url: scriptUrl, key: null });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toMatch(/javascript/);
    expect(js.body.length).toBeGreaterThan(1000);
  });
});

describe("health", () => {
  it("GET /healthz answers 200 {status: ok} without credentials", async () => {
    const res = await t.request({ method: "GET", url: "/healthz", key: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 once the database answers, without credentials", async () => {
    const res = await t.request({ method: "GET", url: "/readyz", key: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready" });
  });
});
