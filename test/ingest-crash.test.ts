import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/platform/db/database.ts";
import { killAllSpawned, runCli, type SpawnedServer, spawnServer } from "./helpers/spawn-server.ts";

// "Nothing lost": SIGKILL the real server in the middle of a load, restart it on the same
// storage, and prove that every event that got a 202 is stored exactly once and scored.

const SENDERS = 8;
const LOAD_MS = 1_500;
// On a busy machine the first batches are slow: keep loading until a fair number were acked.
const MIN_ACKED_BATCHES = 2 * SENDERS;
const MAX_LOAD_MS = 15_000;
const EMAILS = 200;
const BUDGET_MS = 60_000;

type SentEvent = {
  id: string;
  type: string;
  occurredAt: string;
  email: string;
  properties?: Record<string, string>;
};

/** Where the server keeps its data: a PGlite folder, or a fresh database on DATABASE_URL. */
type Storage = {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  open: () => Promise<Database>;
  dispose: () => Promise<void>;
};

async function pgliteStorage(): Promise<Storage> {
  const dir = await mkdtemp(path.join(tmpdir(), "accord-crash-"));
  const dataDir = path.join(dir, "data");
  return {
    label: `PGlite ${dataDir}`,
    args: ["--data-dir", dataDir],
    // An empty DATABASE_URL selects PGlite even if the runner's environment names a server.
    env: { DATABASE_URL: "" },
    open: () => openDatabase({ dataDir }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresStorage(serverUrl: string): Promise<Storage> {
  const name = `accord_crash_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL database ${name}`,
    args: [],
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ url: url.toString(), poolSize: 2 }),
    dispose: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

const pages = ["https://x.test/pricing", "https://x.test/blog/launch", "https://x.test/about"];

function makeEvent(id: string, n: number): SentEvent {
  const k = n % EMAILS;
  const email = `person${k}@company${k % 40}.example`;
  // Dated in the recent past so decay and "in the future" rules play no part.
  const occurredAt = new Date(Date.now() - (n % 600) * 1000).toISOString();
  switch (n % 4) {
    case 0:
      return { id, type: "page_view", occurredAt, email, properties: { url: pages[0]! } };
    case 1:
      return { id, type: "page_view", occurredAt, email, properties: { url: pages[n % 3]! } };
    case 2:
      return { id, type: "email_click", occurredAt, email };
    default:
      return { id, type: "content_download", occurredAt, email, properties: { topic: "roi" } };
  }
}

type IngestReply = { accepted: number; duplicates: number; rejected: number; errors: unknown[] };

async function post(url: string, key: string, events: SentEvent[]) {
  return fetch(`${url}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ events }),
    signal: AbortSignal.timeout(15_000),
  });
}

describe("nothing lost: SIGKILL in the middle of a load", () => {
  let storage: Storage;
  let key: string;
  const servers: SpawnedServer[] = [];

  beforeAll(async () => {
    const url = process.env.DATABASE_URL;
    storage = url ? await postgresStorage(url) : await pgliteStorage();
    // Workspace and key through the CLI, on the storage the server will use.
    await runCli(["workspace", "create", "--slug", "crash", ...storage.args], {
      env: storage.env,
    });
    const created = await runCli(
      ["apikey", "create", "--scope", "ingest", "--workspace", "crash", ...storage.args],
      { env: storage.env },
    );
    key = created.stdout.trim().split("\n").at(-1)!.trim();
    expect(key).toMatch(/^acc_/);
  }, 60_000);

  afterAll(async () => {
    await killAllSpawned();
    await storage?.dispose();
  });

  const start = async () => {
    const server = await spawnServer(storage.args, { env: storage.env });
    servers.push(server);
    return server;
  };

  it(
    "every event that got a 202 is stored exactly once after a restart, and the scores count each once",
    async () => {
      const began = Date.now();
      const timings: Record<string, number> = {};
      const mark = (name: string) => {
        timings[name] = Date.now() - began;
      };

      const first = await start();
      mark("serving");

      // The load: SENDERS loops posting batches of 20–100 new events each, back to back.
      const acked = new Map<string, SentEvent>();
      const replies = { ok: 0, failed: 0, other: 0 };
      const unexpected: IngestReply[] = [];
      let inFlight = 0;
      let inFlightAtKill = 0;
      let stopped = false;
      let seq = 0;
      const sender = async (s: number) => {
        for (let b = 0; !stopped; b++) {
          const size = 20 + ((s * 37 + b * 53) % 81);
          const events = Array.from({ length: size }, (_, i) =>
            makeEvent(`s${s}-b${b}-e${i}`, seq++),
          );
          inFlight++;
          try {
            const res = await post(first.url, key, events);
            if (res.status === 202) {
              const body = (await res.json()) as IngestReply;
              // A reply that arrived in full is an acknowledgement of every item in it.
              for (const e of events) acked.set(e.id, e);
              if (body.accepted !== size) unexpected.push(body);
              replies.ok++;
            } else {
              replies.other++;
            }
          } catch {
            // Cut off by the kill: no acknowledgement, nothing promised.
            replies.failed++;
          } finally {
            inFlight--;
          }
        }
      };
      const load = Array.from({ length: SENDERS }, (_, s) => sender(s));
      const loadStart = Date.now();
      while (Date.now() - loadStart < LOAD_MS || replies.ok < MIN_ACKED_BATCHES || inFlight === 0) {
        if (Date.now() - loadStart > MAX_LOAD_MS) {
          throw new Error(`only ${replies.ok} batches acked in ${MAX_LOAD_MS} ms of load`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      inFlightAtKill = inFlight;
      stopped = true;
      await first.kill();
      await Promise.all(load);
      mark("killed");
      expect(await first.exited).toBe("SIGKILL");
      expect(inFlightAtKill).toBeGreaterThan(0);
      expect(replies.other).toBe(0);
      expect(unexpected).toEqual([]);
      expect(acked.size).toBeGreaterThan(0);

      // Restart on the same storage (crash recovery, migrations), then a graceful stop.
      const second = await start();
      mark("restarted");
      expect(await second.stop()).toBe(0);
      mark("stopped");

      const database = await storage.open();
      try {
        const db = database.db;
        const ids = [...acked.keys()];
        const stored = await sql<{ n: number }>`
          select count(*)::int as n from events where event_id = any(${ids}::text[])`.execute(db);
        expect(stored.rows[0]?.n, "acknowledged events stored").toBe(ids.length);
        const twice = await sql<{ event_id: string; n: number }>`
          select event_id, count(*)::int as n from events group by workspace_id, event_id
          having count(*) > 1`.execute(db);
        expect(twice.rows).toEqual([]);

        // Each stored event with a signal was folded into its lead's state exactly once.
        const mismatches = await sql<{ email: string; stateCount: number; eventCount: number }>`
          select l.email,
            coalesce((select sum((v->>'count')::int) from jsonb_each(l.engagement_state) as s(k, v)), 0)::int
              as "stateCount",
            (select count(*) from events e
              where e.workspace_id = l.workspace_id and e.lead_id = l.id and e.signal_id is not null)::int
              as "eventCount"
          from leads l`.execute(db);
        const leads = mismatches.rows.length;
        expect(leads).toBeGreaterThan(0);
        expect(mismatches.rows.filter((r) => r.stateCount !== r.eventCount)).toEqual([]);
        // The same, signal by signal: no event counted under another signal or left out.
        const bySignal = await sql`
          with st as (
            select l.id as lead_id, s.k as signal_id, (s.v->>'count')::int as n
            from leads l, jsonb_each(l.engagement_state) as s(k, v)
          ), ev as (
            select lead_id, signal_id, count(*)::int as n from events
            where lead_id is not null and signal_id is not null group by lead_id, signal_id
          )
          select coalesce(st.lead_id, ev.lead_id) as lead_id, coalesce(st.signal_id, ev.signal_id)
            as signal_id, st.n as state_count, ev.n as event_count
          from st full join ev on st.lead_id = ev.lead_id and st.signal_id = ev.signal_id
          where st.n is distinct from ev.n`.execute(db);
        expect(bySignal.rows).toEqual([]);
        const total = await sql<{ n: number; anon: number }>`
          select count(*)::int as n, count(*) filter (where lead_id is null)::int as anon
          from events`.execute(db);
        // Every event names a lead by email, so none may be left anonymous.
        expect(total.rows[0]?.anon).toBe(0);
        timings.storedEvents = total.rows[0]?.n ?? 0;
        timings.leads = leads;
      } finally {
        await database.close();
      }
      mark("checked");

      // Resending everything that was acknowledged changes nothing: all duplicates.
      const third = await start();
      const all = [...acked.values()];
      const resent = { accepted: 0, duplicates: 0, rejected: 0 };
      for (let i = 0; i < all.length; i += 1000) {
        const res = await post(third.url, key, all.slice(i, i + 1000));
        expect(res.status).toBe(202);
        const body = (await res.json()) as IngestReply;
        resent.accepted += body.accepted;
        resent.duplicates += body.duplicates;
        resent.rejected += body.rejected;
      }
      expect(resent).toEqual({ accepted: 0, duplicates: all.length, rejected: 0 });
      expect(await third.stop()).toBe(0);
      mark("resent");

      console.info(
        `[ingest-crash] ${storage.label}: acked ${acked.size} events in ${replies.ok} batches, ` +
          `${replies.failed} requests cut off (${inFlightAtKill} in flight at the kill); ` +
          `timings ${JSON.stringify(timings)}`,
      );
      expect(Date.now() - began).toBeLessThan(BUDGET_MS);
    },
    BUDGET_MS,
  );
});
