/**
 * Where an ingestion batch spends its time:
 *   npm run bench:ingest-breakdown [-- --batches 40 --only pglite|postgres --size 1000 --import]
 *
 * Calls the ingest service directly (no HTTP) with 1,000-event batches of the benchmark's
 * events, after a warm-up that creates the 20,000 bench people as leads, and prints the
 * milliseconds per batch of each statement of the events repository, and of the whole batch
 * (Node included). It is the table in ARCHITECTURE.md "Ingestion speed". PGlite runs on disk in
 * a temporary folder; PostgreSQL (DATABASE_URL, or a server on 127.0.0.1:5432) in a database of
 * its own that is dropped afterwards. With `--import`, every measured event names a person never
 * seen before, as a first import of past activity does: each batch creates 1,000 leads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { EventsRepository } from "../src/modules/events/events.repository.ts";
import { openDatabase } from "../src/platform/db/database.ts";
import { migrateToLatest } from "../src/platform/db/migrate.ts";
import { createServices } from "../src/services.ts";
import { eventGenerator } from "./events.ts";

const { values: args } = parseArgs({
  options: {
    batches: { type: "string", default: "40" },
    warmup: { type: "string", default: "60" },
    only: { type: "string" },
    // Events per measured batch (the warm-up always uses 1,000): 48 shows a transaction's fixed
    // cost, as single-event requests make it.
    size: { type: "string", default: "1000" },
    import: { type: "boolean", default: false },
  },
});
const BATCHES = Number(args.batches);
const WARMUP = Number(args.warmup);
const SIZE = Number(args.size);
const runId = `bd${Date.now().toString(36)}`;

async function breakdown(name: string, options: { url?: string; dataDir?: string }) {
  const database = await openDatabase(options);
  try {
    await migrateToLatest(database.db);
    const services = createServices({ db: database.db, ingestBatch: 1000 });
    const workspace = await services.workspaces.create({ slug: runId, name: "Breakdown" });
    // Every repository call is timed where the service makes it.
    const spent = new Map<string, number>();
    const repository = services.repos.events as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    for (const key of Object.keys(repository) as (keyof EventsRepository)[]) {
      const original = repository[key]!;
      repository[key] = async (...a: unknown[]) => {
        const start = performance.now();
        try {
          return await original(...a);
        } finally {
          spent.set(key, (spent.get(key) ?? 0) + performance.now() - start);
        }
      };
    }
    const { makeBatch } = eventGenerator(runId);
    const actor = { type: "system", id: null } as const;
    let person = 0;
    const run = async (n: number, size = 1000, fresh = false) => {
      for (let i = 0; i < n; i++) {
        const batch = makeBatch(size);
        const events = fresh
          ? batch.map((e) => ({ ...e, email: `new${person++}@co${person % 3000}.example` }))
          : batch;
        const outcomes = await services.ingest.ingest(workspace.id, actor, events);
        if (outcomes.some((o) => o.status === "rejected")) throw new Error("an event was rejected");
      }
    };
    await run(WARMUP);
    spent.clear();
    const start = performance.now();
    await run(BATCHES, SIZE, args.import);
    const total = (performance.now() - start) / BATCHES;
    const rows = [...spent]
      .map(([statement, ms]) => ({ statement, "ms per batch": (ms / BATCHES).toFixed(1) }))
      .filter((r) => r["ms per batch"] !== "0.0");
    const database_ = [...spent.values()].reduce((a, b) => a + b, 0) / BATCHES;
    console.log(
      `\n== ${name}: ${BATCHES} batches of ${SIZE.toLocaleString("en")} events${args.import ? ", each about a new person (an import)," : ""} after ${WARMUP} of 1,000 to warm up`,
    );
    console.table([
      ...rows,
      { statement: "(all statements)", "ms per batch": database_.toFixed(1) },
      { statement: "(whole batch, Node included)", "ms per batch": total.toFixed(1) },
    ]);
    console.log(
      `${Math.round(SIZE / (total / 1000)).toLocaleString("en")} events/s called directly`,
    );
  } finally {
    await database.close();
  }
}

async function postgresUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `accord_breakdown_${runId}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPostgres(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

if (!args.only || args.only === "pglite") {
  const dataDir = mkdtempSync(path.join(tmpdir(), "accord-breakdown-"));
  try {
    await breakdown("pglite", { dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
if (!args.only || args.only === "postgres") {
  const url = await postgresUrl();
  if (!url) console.log("\n== postgres: no server answered (set DATABASE_URL); skipped");
  else {
    try {
      await breakdown("postgres", { url });
    } finally {
      await dropPostgres(url);
    }
  }
}
