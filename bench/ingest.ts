/**
 * Ingestion benchmark:
 *   npm run bench:ingest [-- --seconds 10 --only pglite|postgres --clients 8 --rounds 1
 *                            --sustained-only | --singles-only]
 * BENCH_SERVER_NODE_ARGS passes Node flags to the server (for example --cpu-prof).
 *
 * For each database (PGlite, and PostgreSQL when DATABASE_URL is set or a server answers on
 * 127.0.0.1:5432) it measures, in one run on fresh storage:
 *   1. a plain batched INSERT of the same event rows (with their lead and signal, as ingestion
 *      stores them) into a copy of the events table with its indexes (the baseline),
 *   2. sustained batched ingestion over HTTP (1,000-event batches, scoring and stage changes),
 *   3. single-event requests per second,
 *   4. at half the sustained load, the time from a 202 to the new score and stage being
 *      readable through the API (p50/p95/p99).
 * The server runs in its own process, as in production; this process only generates load.
 * With --rounds N, steps 1 and 2 are repeated N times, each on fresh storage, and the median
 * ratio is printed (a shared machine's noise moves single runs by 15% or more); steps 3 and 4
 * run in the last round.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { Pool } from "undici";
import { defaultAgreement } from "../src/domain/default-agreement.ts";
import { signalFor } from "../src/domain/scoring/index.ts";
import { openDatabase } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";
import { type BenchEvent, eventGenerator } from "./events.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    only: { type: "string" },
    // Concurrent senders of 1,000-event batches in the sustained phase.
    clients: { type: "string", default: "8" },
    // Measures the sustained batched rate only (quicker, for tuning).
    "sustained-only": { type: "boolean", default: false },
    // Measures single-event requests only, after the warm-up (for tuning and profiling).
    "singles-only": { type: "boolean", default: false },
    // Repeats baseline + sustained ingestion this many times, each on fresh storage.
    rounds: { type: "string", default: "1" },
  },
});
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("--rounds must be a whole number ≥ 1");
const SECONDS = Number(args.seconds);
const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "bin", "accord.mjs");
const runId = Date.now().toString(36);

type Target = {
  name: "pglite" | "postgres";
  env: NodeJS.ProcessEnv;
  dataDir?: string;
  url?: string;
  cleanup: () => Promise<void>;
};

// ---------------------------------------------------------------- event generation
const { makeEvent, makeBatch } = eventGenerator(runId);

// ---------------------------------------------------------------- helpers
function run(argv: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [cli, ...argv], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`accord ${argv.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function startServer(target: Target): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const argv = [
    ...nodeArgs,
    cli,
    "serve",
    "--port",
    "0",
    ...(target.dataDir ? ["--data-dir", target.dataDir] : []),
  ];
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, ...target.env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// ---------------------------------------------------------------- the measurements
async function baseline(
  target: Target,
  rows: BenchEvent[],
  form: "unnest" | "values",
): Promise<number> {
  const database = await openDatabase({ url: target.url, dataDir: target.dataDir });
  await migrateToLatest(database.db);
  const db = database.db;
  // The same table as events, with its indexes: what it costs just to store the rows.
  await sql`create table bench_plain (like events including all)`.execute(db);
  const ws = "00000000-0000-4000-8000-000000000001";
  // The same rows as ingestion stores: each event names its person's lead (one id per bench
  // person, so the lead index fills as it does under ingestion) and its signal.
  const model = defaultAgreement.scoring;
  const leadIds = new Map<string, string>();
  const leadOf = (email: string) => {
    const known = leadIds.get(email);
    if (known) return known;
    const id = randomUUID();
    leadIds.set(email, id);
    return id;
  };
  const stored = rows.map((e) => ({
    ...e,
    leadId: leadOf(e.email),
    url: e.properties?.url ?? null,
    signalId: signalFor({ type: e.type, url: e.properties?.url ?? null }, model)?.id ?? null,
  }));
  const start = performance.now();
  for (let i = 0; i < stored.length; i += 1000) {
    const chunk = stored.slice(i, i + 1000);
    if (form === "values") {
      // The textbook form: one multi-row INSERT … VALUES statement per 1,000 rows.
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto("bench_plain")
        .values(
          chunk.map((e) => ({
            workspace_id: ws,
            event_id: e.id,
            lead_id: e.leadId,
            visitor_id: null,
            type: e.type,
            occurred_at: e.occurredAt,
            received_at: new Date(),
            campaign: null,
            url: e.url,
            properties: JSON.stringify(e.properties ?? {}),
            signal_id: e.signalId,
          })),
        )
        .execute();
      continue;
    }
    await sql`
      insert into bench_plain (workspace_id, event_id, lead_id, visitor_id, type, occurred_at, received_at, campaign, url, properties, signal_id)
      select ${ws}, e.event_id, e.lead_id, null, e.type, e.occurred_at, now(), null, e.url, e.properties, e.signal_id
      from unnest(${chunk.map((e) => e.id)}::text[], ${chunk.map((e) => e.leadId)}::uuid[], ${chunk.map((e) => e.type)}::text[],
        ${chunk.map((e) => e.occurredAt)}::timestamptz[], ${chunk.map((e) => e.url)}::text[],
        ${chunk.map((e) => JSON.stringify(e.properties ?? {}))}::jsonb[], ${chunk.map((e) => e.signalId)}::text[])
        as e(event_id, lead_id, type, occurred_at, url, properties, signal_id)`.execute(db);
  }
  const seconds = (performance.now() - start) / 1000;
  await sql`drop table bench_plain`.execute(db);
  await database.close();
  return rows.length / seconds;
}

async function sustained(
  pool: Pool,
  key: string,
  seconds: number,
  concurrency: number,
  batch: number,
) {
  const bodies = Array.from(
    { length: Math.ceil((seconds * 40_000) / batch) + concurrency * 2 },
    () => JSON.stringify({ events: makeBatch(batch) }),
  );
  let nextBody = 0;
  let accepted = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && nextBody < bodies.length) {
        const body = bodies[nextBody++]!;
        const res = await pool.request({
          method: "POST",
          path: "/api/v1/events",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body,
        });
        const json = (await res.body.json()) as { accepted?: number };
        if (res.statusCode === 202) accepted += json.accepted ?? 0;
        else failures++;
      }
    }),
  );
  return { rate: accepted / ((performance.now() - start) / 1000), failures };
}

async function singles(pool: Pool, key: string, seconds: number, concurrency: number) {
  const bodies = Array.from({ length: seconds * 8000 }, () => JSON.stringify(makeEvent()));
  let nextBody = 0;
  let ok = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && nextBody < bodies.length) {
        const res = await pool.request({
          method: "POST",
          path: "/api/v1/events",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: bodies[nextBody++]!,
        });
        await res.body.dump();
        if (res.statusCode === 202) ok++;
        else failures++;
      }
    }),
  );
  return { rate: ok / ((performance.now() - start) / 1000), failures };
}

/** Open-loop background load at `rate` events/s, while probes time 202 → score readable. */
async function latencyAtLoad(pool: Pool, key: string, rate: number, seconds: number) {
  const batch = 100;
  const interval = (batch / rate) * 1000;
  let stop = false;
  const inflight = new Set<Promise<void>>();
  const background = (async () => {
    let due = performance.now();
    while (!stop) {
      due += interval;
      const body = JSON.stringify({ events: makeBatch(batch) });
      const p = pool
        .request({
          method: "POST",
          path: "/api/v1/events",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body,
        })
        .then((r) => r.body.dump())
        .then(() => undefined);
      inflight.add(p);
      p.finally(() => inflight.delete(p));
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const samples: number[] = [];
  let stale = 0;
  const deadline = performance.now() + seconds * 1000;
  let i = 0;
  while (performance.now() < deadline) {
    const email = `probe-${runId}-${i++}@probe.bench.test`;
    const post = await pool.request({
      method: "POST",
      path: "/api/v1/events",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({
        id: `${runId}-probe-${i}`,
        type: "demo_request",
        occurredAt: new Date().toISOString(),
        email,
      }),
    });
    const reply = (await post.body.json()) as { leadIds: string[] };
    const acked = performance.now();
    // Readable means: the lead's API answer shows the new engagement score.
    for (;;) {
      const res = await pool.request({
        method: "GET",
        path: `/api/v1/leads/${reply.leadIds[0]}`,
        headers: { authorization: `Bearer ${key}` },
      });
      const detail = (await res.body.json()) as { lead?: { engagementScore: number } };
      if ((detail.lead?.engagementScore ?? 0) >= 60) break;
      stale++;
    }
    samples.push(performance.now() - acked);
    await new Promise((r) => setTimeout(r, 20));
  }
  stop = true;
  await background;
  await Promise.all(inflight);
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    n: samples.length,
    stale,
  };
}

// ---------------------------------------------------------------- targets
/** Fresh storage for one round: a PGlite folder, or a PostgreSQL database of its own. */
async function makeTarget(name: Target["name"]): Promise<Target | null> {
  if (args.only && args.only !== name) return null;
  if (name === "pglite") {
    const dataDir = mkdtempSync(path.join(tmpdir(), "accord-bench-"));
    return {
      name: "pglite",
      env: { DATABASE_URL: "" },
      dataDir,
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const server = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: server });
  try {
    await admin.connect();
    const dbName = `accord_bench_${runId}_${++databases}`;
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    const url = u.toString();
    return {
      name: "postgres",
      env: { DATABASE_URL: url },
      url,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      },
    };
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`);
    return null;
  }
}
let databases = 0;

const results: Record<string, Record<string, string>> = {};
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const name of ["pglite", "postgres"] as const) {
  const rounds: { base: number; values: number; rate: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const target = await makeTarget(name);
    if (!target) break;
    const last = round === ROUNDS;
    console.log(`\n== ${target.name}${ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : ""}`);
    try {
      const rows = makeBatch(100_000);
      // The baseline is the fastest plain form we know (arrays unnested into one INSERT … SELECT
      // per 1,000 rows); the textbook multi-row INSERT … VALUES is printed for reference.
      const base = await baseline(target, rows, "unnest");
      const values = await baseline(target, rows, "values");
      console.log(
        `plain batched INSERT (1,000-row unnest batches): ${Math.round(base).toLocaleString()} rows/s (the baseline; multi-row INSERT … VALUES: ${Math.round(values).toLocaleString()} rows/s)`,
      );
      const dataDirArgs = target.dataDir ? ["--data-dir", target.dataDir] : [];
      run(["workspace", "create", "--slug", "bench", ...dataDirArgs], target.env);
      const key = run(
        ["apikey", "create", "--scope", "ingest,read", "--workspace", "bench", ...dataDirArgs],
        target.env,
      );
      const { url, child } = await startServer(target);
      const pool = new Pool(url, { connections: 64, pipelining: 1 });
      try {
        await sustained(pool, key, 3, Number(args.clients), 1000); // warm-up: creates most leads, warms the JIT
        if (args["singles-only"]) {
          const single = await singles(pool, key, SECONDS, 48);
          console.log(
            `single-event requests: ${Math.round(single.rate).toLocaleString()} requests/s (${single.failures} failed)`,
          );
          continue;
        }
        const batched = await sustained(pool, key, SECONDS, Number(args.clients), 1000);
        console.log(
          `sustained batched ingestion over HTTP: ${Math.round(batched.rate).toLocaleString()} events/s (${pct(batched.rate / base)} of plain INSERT, target 25%; ${batched.failures} failed requests)`,
        );
        rounds.push({ base, values, rate: batched.rate });
        const ratios: Record<string, string> = {
          "plain INSERT rows/s": Math.round(median(rounds.map((r) => r.base))).toLocaleString(),
          "ingest events/s": Math.round(median(rounds.map((r) => r.rate))).toLocaleString(),
          "% of plain": pct(median(rounds.map((r) => r.rate / r.base))),
          "% of INSERT … VALUES": pct(median(rounds.map((r) => r.rate / r.values))),
        };
        if (ROUNDS > 1)
          ratios["% of plain per round"] = rounds.map((r) => pct(r.rate / r.base)).join(" ");
        results[target.name] = ratios;
        if (!last || args["sustained-only"]) continue;
        const single = await singles(pool, key, SECONDS, 48);
        console.log(
          `single-event requests: ${Math.round(single.rate).toLocaleString()} requests/s (${single.failures} failed)`,
        );
        const lat = await latencyAtLoad(pool, key, batched.rate / 2, SECONDS);
        console.log(
          `at half load (${Math.round(batched.rate / 2).toLocaleString()} events/s): 202 → new score readable p50 ${lat.p50.toFixed(1)} ms, p95 ${lat.p95.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms over ${lat.n} probes (${lat.stale} stale reads)`,
        );
        results[target.name] = {
          ...ratios,
          "single req/s": Math.round(single.rate).toLocaleString(),
          "p99 202→readable": `${lat.p99.toFixed(1)} ms`,
        };
      } finally {
        await pool.close();
        await stopServer(child);
      }
    } finally {
      await target.cleanup();
    }
  }
}
console.log(
  `\n== summary${ROUNDS > 1 ? ` (medians of ${ROUNDS} rounds)` : ""} (targets: ≥25% of plain INSERT, ≥20,000 events/s on PostgreSQL, ≥3,000 single req/s, p99 ≤ 100 ms)`,
);
console.table(results);
