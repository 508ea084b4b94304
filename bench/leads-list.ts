/**
 * Lead list benchmark: `npm run bench:leads-list [-- --leads 100000 --only pglite|postgres]`.
 * Seeds a workspace with N synthetic leads (the demo generator) and times the list queries the
 * web app makes, through the HTTP app in-process (inject), median and p95 of 20 runs each.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { buildApp } from "../src/http/app.ts";
import { seedDemo } from "../src/modules/demo/demo.service.ts";
import { openDatabase } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";
import { createServices } from "../src/services.ts";

const { values: args } = parseArgs({
  options: { leads: { type: "string", default: "100000" }, only: { type: "string" } },
});
const LEADS = Number(args.leads);

async function measure(label: string, run: () => Promise<{ statusCode: number }>) {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const res = await run();
    if (res.statusCode !== 200) throw new Error(`${label}: HTTP ${res.statusCode}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} median ${times[10]!.toFixed(1).padStart(6)} ms   p95 ${times[18]!.toFixed(1).padStart(6)} ms`,
  );
}

async function runOn(name: string, url?: string) {
  console.log(`\n== ${name}: ${LEADS.toLocaleString()} leads`);
  const database = await openDatabase({ url, memory: !url });
  await migrateToLatest(database.db);
  const services = createServices({ db: database.db });
  const key = `bench-${randomBytes(12).toString("hex")}`;
  const t0 = performance.now();
  await seedDemo(services, {
    seed: 7,
    now: new Date(),
    apiKey: key,
    leads: LEADS,
    accounts: Math.max(200, LEADS / 5),
  });
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const app = await buildApp({ services });
  const get = (path: string) => () =>
    app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } });
  await measure("first page, newest first", get("/api/v1/leads?limit=50"));
  await measure("first page with total count", get("/api/v1/leads?limit=50&total=true"));
  await measure(
    "stage filter (mql,sal) with total",
    get("/api/v1/leads?stage=mql,sal&limit=50&total=true"),
  );
  await measure(
    "hot now (stages, sort by engagement)",
    get("/api/v1/leads?stage=lead,mrl,mql,recycled&sort=engagementScore&order=desc&limit=50"),
  );
  await measure("sort by fit", get("/api/v1/leads?sort=fitScore&order=desc&limit=50"));
  await measure("text search 'smith' with total", get("/api/v1/leads?q=smith&limit=50&total=true"));
  const page = (await get("/api/v1/leads?limit=50")()).json() as { nextCursor: string };
  await measure("next page by cursor", get(`/api/v1/leads?limit=50&cursor=${page.nextCursor}`));
  await app.close();
  await database.close();
}

if (!args.only || args.only === "pglite") await runOn("pglite");
if (!args.only || args.only === "postgres") {
  const server = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `accord_bench_list_${Date.now().toString(36)}`;
  try {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    try {
      await runOn("postgres", u.toString());
    } finally {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    }
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`);
  }
}
