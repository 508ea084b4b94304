import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/test-app.ts";

/**
 * Every write route, found from the routes Fastify has, gets bad payloads derived from its
 * OpenAPI request schema. Each must answer 4xx with the one error shape and write nothing: the
 * full content of every table is compared before and after each request.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
};
type Operation = {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { in: string; name: string }[];
};
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

const MiB = 1024 * 1024;
/** Routes with their own body limit; every other route takes at most 1 MiB. */
const bodyLimits: Record<string, number> = { "POST /api/v1/events": 5 * MiB };
/**
 * Routes that validate the items of a well-formed body one by one and report each rejected
 * item in a 202 answer (event ingestion keeps the good items of a batch). For them, a bad field
 * may answer 202 with every item rejected, as long as nothing is written.
 */
const itemValidatedRoutes = new Set(["POST /api/v1/events"]);
/** Tables that must exist and stay untouched; any other table is compared too. */
const coreTables = [
  "leads",
  "accounts",
  "stage_transitions",
  "audit_log",
  "agreements",
  "users",
  "api_keys",
  "workspaces",
];

const t = await createTestApp();
afterAll(async () => {
  await t.close();
});

const targetLead = (
  await t.request({
    method: "POST",
    url: "/api/v1/leads",
    payload: { email: "target@target-co.com", firstName: "Tara", company: "Target Co" },
  })
).json() as { id: string; accountId: string };
const targetAccount = (
  await t.request({ method: "POST", url: "/api/v1/accounts", payload: { name: "Other Target" } })
).json() as { id: string };
await t.keyWithScopes(["read"]);
const keys = (await t.request({ method: "GET", url: "/api/v1/api-keys" })).json() as {
  items: { id: string; name: string }[];
};
const targetKeyId = keys.items.find((k) => k.name === "read")?.id ?? "";

/** The row a route with a path parameter acts on, by the route's `/…/:id` prefix. */
const targets: Record<string, { table: string; id: string }> = {
  "/api/v1/leads/:id": { table: "leads", id: targetLead.id },
  "/api/v1/accounts/:id": { table: "accounts", id: targetAccount.id },
  "/api/v1/api-keys/:id": { table: "api_keys", id: targetKeyId },
};

const openapi = (await t.request({ method: "GET", url: "/api/openapi.json" })).json() as OpenApi;

type WriteRoute = {
  key: string;
  method: string;
  url: string;
  /** The URL with its path parameter filled in, or null when no target row is known. */
  target: { url: string; table: string; id: string } | null;
  operation: Operation | undefined;
  bodySchema: JsonSchema | undefined;
  bodyLimit: number;
};

const writeRoutes: WriteRoute[] = t.app.accessRules
  .filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method))
  .map((r) => {
    const key = `${r.method} ${r.url}`;
    const prefix = r.url.match(/^(.*?\/:\w+)/)?.[1];
    const row = prefix ? targets[prefix] : undefined;
    const operation = openapi.paths[r.url.replace(/:(\w+)/g, "{$1}")]?.[r.method.toLowerCase()];
    const schema = operation?.requestBody?.content?.["application/json"]?.schema;
    return {
      key,
      method: r.method,
      url: r.url,
      target: prefix
        ? row
          ? { url: r.url.replace(/:\w+/, row.id), ...row }
          : null
        : { url: r.url, table: "", id: "" },
      operation,
      bodySchema: schema && resolve(schema),
      bodyLimit: bodyLimits[key] ?? MiB,
    };
  })
  .sort((a, b) => a.key.localeCompare(b.key));

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const found = openapi.components?.schemas?.[name];
  if (!found) throw new Error(`unresolvable ${schema.$ref}`);
  return resolve(found);
}

/** Every variant a schema allows (anyOf/oneOf flattened, refs resolved). */
function variants(schema: JsonSchema): JsonSchema[] {
  const s = resolve(schema);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.flatMap(variants);
  if (s.allOf) return s.allOf.flatMap(variants);
  return [s];
}

function allowedTypes(schema: JsonSchema): Set<string> | null {
  const types = new Set<string>();
  for (const v of variants(schema)) {
    if (v.type === undefined && v.enum === undefined) return null; // anything goes
    for (const type of [v.type ?? []].flat()) types.add(type);
    for (const value of v.enum ?? []) types.add(value === null ? "null" : typeof value);
  }
  if (types.has("integer")) types.add("number");
  return types;
}

/** A JSON value of a type the schema does not allow, or undefined when it allows any. */
function wrongTypeFor(schema: JsonSchema): unknown {
  const types = allowedTypes(schema);
  if (!types) return undefined;
  const candidates: [string, unknown][] = [
    ["number", 12345],
    ["string", "not-the-right-type"],
    ["boolean", true],
    ["array", ["x"]],
    ["object", { x: 1 }],
  ];
  return candidates.find(([type]) => !types.has(type))?.[1];
}

function bodyProperties(schema: JsonSchema): [string, JsonSchema][] {
  const seen = new Map<string, JsonSchema>();
  for (const v of variants(schema))
    for (const [name, prop] of Object.entries(v.properties ?? {}))
      if (!seen.has(name)) seen.set(name, prop);
  return [...seen];
}

type BadRequest = {
  name: string;
  kind:
    | "malformed JSON"
    | "not an object"
    | "wrong type"
    | "invalid value"
    | "unknown field"
    | "unstorable string"
    | "too large"
    | "wrong content type"
    | "bad parameter";
  payload?: string | Buffer;
  contentType?: string | null;
  /** More request headers. */
  headers?: Record<string, string>;
  url?: string;
  /** The field the error must name (in `fields`, or in an item's error for item-validated routes). */
  field?: string;
  status?: number;
  code?: string;
};

function json(value: unknown): string {
  return JSON.stringify(value);
}

function badRequestsFor(route: WriteRoute): BadRequest[] {
  const out: BadRequest[] = [
    {
      name: "malformed JSON",
      kind: "malformed JSON",
      payload: '{"email": "a@b.com",',
      status: 400,
      code: "MALFORMED_JSON",
    },
    {
      name: "a body whose bytes are not UTF-8",
      kind: "malformed JSON",
      payload: Buffer.from('{"name": "caf\xe9"}', "latin1"),
      status: 400,
      code: "MALFORMED_JSON",
    },
    {
      name: "a JSON body declared in another charset, with bytes that differ in it",
      kind: "wrong content type",
      payload: Buffer.from('{"name": "Latin \xe9"}', "latin1"),
      contentType: "application/json; charset=iso-8859-1",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      name: "a compressed JSON body",
      kind: "wrong content type",
      payload: json({ name: "Zipped" }),
      headers: { "content-encoding": "gzip" },
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      name: "an empty body declared as JSON",
      kind: "malformed JSON",
      payload: "",
      status: 400,
      code: "MALFORMED_JSON",
    },
    {
      name: `a JSON body 1 byte over the ${route.bodyLimit / MiB} MiB limit`,
      kind: "too large",
      payload: json({ padding: "x".repeat(route.bodyLimit - 13) }),
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
  ];
  if (route.operation?.parameters?.some((p) => p.in === "path")) {
    out.push({
      name: "a path id that is not a UUID",
      kind: "bad parameter",
      url: route.url.replace(/:\w+/, "not-a-uuid"),
      payload: "{}",
      status: 400,
      code: "VALIDATION_FAILED",
      field: "params.id",
    });
    out.push({
      name: "a path with bad percent-encoding",
      kind: "bad parameter",
      url: route.url.replace(/:\w+/, "%zz"),
      payload: "{}",
      status: 400,
      code: "BAD_REQUEST",
    });
  }
  if (route.operation?.parameters?.some((p) => p.in === "query")) {
    out.push({
      name: "an unknown query parameter",
      kind: "bad parameter",
      url: `${route.target?.url}?zzUnknownParam=1`,
      payload: "{}",
      status: 400,
      // The body is validated before the query string, so only the code is certain here.
      code: "VALIDATION_FAILED",
    });
  }
  const schema = route.bodySchema;
  if (!schema) return out;

  for (const [name, payload] of [
    ["a JSON array", "[]"],
    ["a JSON array of objects", '[{"name": "x"}]'],
    ["a JSON string", '"hello"'],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["JSON true", "true"],
  ] as const) {
    out.push({
      name: `${name} instead of an object`,
      kind: "not an object",
      payload,
      status: 400,
      code: "VALIDATION_FAILED",
      field: "body",
    });
  }
  out.push(
    {
      name: "an unknown field",
      kind: "unknown field",
      payload: json({ zzUnknownField: 1 }),
      field: "zzUnknownField",
    },
    {
      name: "a field named like a prototype key",
      kind: "unknown field",
      payload: '{"__proto__": {"admin": true}}',
      status: 400,
      code: "VALIDATION_FAILED",
    },
    {
      name: "a body sent as text/plain",
      kind: "wrong content type",
      payload: json({ name: "Plain", email: "plain@example.com" }),
      contentType: "text/plain",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      name: "a body sent as a form",
      kind: "wrong content type",
      payload: "name=Form&email=form%40example.com",
      contentType: "application/x-www-form-urlencoded",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      name: "a body sent as XML",
      kind: "wrong content type",
      payload: "<lead><email>x@example.com</email></lead>",
      contentType: "application/xml",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      name: "a JSON body without a content type",
      kind: "wrong content type",
      payload: json({ name: "Nameless" }),
      contentType: null,
    },
  );
  for (const [field, prop] of bodyProperties(schema)) {
    const wrong = wrongTypeFor(prop);
    if (wrong !== undefined) {
      out.push({
        name: `${field} of the wrong type (${json(wrong)})`,
        kind: "wrong type",
        payload: json({ [field]: wrong }),
        field,
      });
    }
    if (allowedTypes(prop)?.has("string")) {
      out.push({
        name: `${field} holding a NUL character`,
        kind: "unstorable string",
        payload: json({ [field]: "zz\u0000zz" }),
        field,
      });
    }
    const values = variants(prop);
    const enumValues = values.flatMap((v) => v.enum ?? []);
    if (enumValues.length > 0 && values.every((v) => v.enum || v.type === "null")) {
      out.push({
        name: `${field} outside its allowed values`,
        kind: "invalid value",
        payload: json({ [field]: "zz_not_allowed" }),
        field,
      });
    }
    for (const v of values) {
      if (v.type === "object" && v.additionalProperties === false && v.properties) {
        out.push({
          name: `an unknown field inside ${field}`,
          kind: "unknown field",
          payload: json({ [field]: { zzNested: 1 } }),
          field: `${field}.zzNested`,
        });
      }
      const item = v.type === "array" && v.items ? resolve(v.items) : undefined;
      if (item?.type === "object" && item.additionalProperties === false) {
        out.push({
          name: `an unknown field inside an item of ${field}`,
          kind: "unknown field",
          payload: json({ [field]: [{ zzNested: 1 }] }),
          field: `${field}.0.zzNested`,
        });
      }
    }
  }
  return out;
}

async function tableNames(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(t.services.db);
  return rows.map((r) => r.name);
}

type Snapshot = { counts: Record<string, number>; rows: Record<string, string> };

/** Every row of every table, so any write anywhere shows up as a difference. */
async function snapshot(): Promise<Snapshot> {
  const counts: Record<string, number> = {};
  const rows: Record<string, string> = {};
  for (const table of await tableNames()) {
    const { rows: all } = await sql<Record<string, unknown>>`select * from ${sql.table(
      table,
    )}`.execute(t.services.db);
    counts[table] = all.length;
    rows[table] = json(all.map((r) => json(r)).sort());
  }
  return { counts, rows };
}

async function targetRow(route: WriteRoute): Promise<unknown> {
  if (!route.target?.table) return null;
  const { rows } = await sql`select * from ${sql.table(route.target.table)} where id = ${
    route.target.id
  }`.execute(t.services.db);
  return rows[0] ?? null;
}

function expectErrorShape(res: LightMyRequestResponse, context: string) {
  expect(res.headers["content-type"], context).toMatch(/^application\/json/);
  const body = res.json() as { error: Record<string, unknown> };
  expect(Object.keys(body), context).toEqual(["error"]);
  expect(body.error.code, context).toEqual(expect.stringMatching(/^[A-Z][A-Z_]+$/));
  expect(body.error.message, context).toEqual(expect.stringMatching(/\S/));
  for (const key of Object.keys(body.error))
    expect(["code", "message", "fields"], context).toContain(key);
  if (body.error.fields !== undefined) {
    expect(body.error.fields, context).toEqual(
      expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]),
    );
    for (const f of body.error.fields as unknown[])
      expect(f, context).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
  return body.error as { code: string; message: string; fields?: { path: string }[] };
}

function send(route: WriteRoute, bad: BadRequest): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...bad.headers };
  if (bad.contentType !== null) headers["content-type"] = bad.contentType ?? "application/json";
  const options: InjectOptions = {
    method: route.method as InjectOptions["method"],
    url: bad.url ?? route.target?.url ?? route.url,
    headers,
    ...(bad.payload !== undefined ? { payload: bad.payload } : {}),
  };
  return t.request(options);
}

describe("discovery", () => {
  it("finds the known write routes among the routes Fastify has", () => {
    const found = writeRoutes.map((r) => r.key);
    for (const known of [
      "POST /api/v1/leads",
      "PATCH /api/v1/leads/:id",
      "POST /api/v1/leads/:id/transitions",
      "POST /api/v1/accounts",
      "PATCH /api/v1/accounts/:id",
    ])
      expect(found).toContain(known);
  });

  it("knows the target row of every write route with a path parameter", () => {
    const missing = writeRoutes.filter((r) => r.target === null).map((r) => r.key);
    expect(missing, "add the route's /…/:id prefix to `targets`").toEqual([]);
    for (const row of Object.values(targets)) expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(writeRoutes.map((r) => [r.key, r] as const))(
    "%s is documented and gets every kind of bad payload",
    (_key, route) => {
      expect(route.operation, "every write route is in the OpenAPI document").toBeDefined();
      const kinds = new Set(badRequestsFor(route).map((b) => b.kind));
      const required: BadRequest["kind"][] = ["malformed JSON", "too large"];
      // A route that takes no body has no fields to get wrong; it still parses what it is sent.
      if (route.bodySchema)
        required.push("not an object", "wrong type", "unknown field", "wrong content type");
      for (const kind of required) expect([...kinds], `${route.key}: ${kind}`).toContain(kind);
    },
  );

  it("compares every table the brief names", async () => {
    const names = await tableNames();
    for (const table of coreTables) expect(names).toContain(table);
  });
});

describe.each(writeRoutes.map((r) => [r.key, r] as const))("%s", (_key, route) => {
  it.each(badRequestsFor(route).map((b) => [b.name, b] as const))(
    "%s: answers 4xx with the error shape and writes nothing",
    async (_name, bad) => {
      const context = `${route.key} with ${bad.name}`;
      const before = await snapshot();
      const rowBefore = await targetRow(route);
      const res = await send(route, bad);

      const itemReport = itemValidatedRoutes.has(route.key) && res.statusCode === 202;
      if (
        itemReport &&
        (bad.kind === "wrong type" ||
          bad.kind === "unknown field" ||
          bad.kind === "unstorable string")
      ) {
        // Every item was refused and reported, naming the field at fault.
        const reply = res.json() as {
          accepted: number;
          duplicates: number;
          rejected: number;
          errors: { message: string }[];
        };
        expect(reply, context).toMatchObject({ accepted: 0, duplicates: 0 });
        expect(reply.rejected, context).toBeGreaterThan(0);
        if (bad.field) expect(json(reply.errors), context).toContain(bad.field.split(".").at(-1));
      } else {
        expect(res.statusCode, `${context}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${context}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (bad.status)
          expect(res.statusCode, `${context}: ${res.body.slice(0, 300)}`).toBe(bad.status);
        const error = expectErrorShape(res, context);
        if (bad.code) expect(error.code, context).toBe(bad.code);
        if (bad.field && !itemValidatedRoutes.has(route.key)) {
          expect(error.code, context).toBe("VALIDATION_FAILED");
          const paths = (error.fields ?? []).flatMap((f) => f.path.split(", "));
          expect(paths, `${context}: ${res.body}`).toContain(bad.field);
        }
      }

      const after = await snapshot();
      expect(after.counts, `${context}: row counts`).toEqual(before.counts);
      expect(await targetRow(route), `${context}: target row`).toEqual(rowBefore);
      expect(after.rows, `${context}: table contents`).toEqual(before.rows);
    },
  );
});

describe("the target rows survived every bad request", () => {
  it("the lead is unchanged, still in stage lead with only its creation in history", async () => {
    const detail = (
      await t.request({ method: "GET", url: `/api/v1/leads/${targetLead.id}` })
    ).json();
    expect(detail.lead).toMatchObject({ email: "target@target-co.com", stage: "lead" });
    expect(detail.history).toHaveLength(1);
  });

  it("the account and the API key are unchanged", async () => {
    const account = (
      await t.request({ method: "GET", url: `/api/v1/accounts/${targetAccount.id}` })
    ).json();
    expect(account).toMatchObject({ name: "Other Target", industry: null });
    const list = (await t.request({ method: "GET", url: "/api/v1/api-keys" })).json() as {
      items: { id: string; revokedAt: string | null }[];
    };
    expect(list.items.find((k) => k.id === targetKeyId)?.revokedAt).toBeNull();
  });
});

describe.runIf(writeRoutes.some((r) => r.key === "POST /api/v1/events"))(
  "POST /api/v1/events batch envelope",
  () => {
    it("an unknown field beside the events array is refused with 400, and nothing is written", async () => {
      const before = await snapshot();
      const res = await t.request({
        method: "POST",
        url: "/api/v1/events",
        payload: {
          events: [
            {
              id: "envelope-1",
              type: "page_view",
              occurredAt: new Date().toISOString(),
              email: "envelope@envelope-co.com",
            },
          ],
          zzUnknownField: 1,
        },
      });
      // The OpenAPI document declares the envelope with additionalProperties: false.
      expect(res.statusCode, `unknown envelope field must be refused: ${res.body}`).toBe(400);
      const after = await snapshot();
      expect(after.counts).toEqual(before.counts);
      expect(after.rows).toEqual(before.rows);
    });
  },
);
