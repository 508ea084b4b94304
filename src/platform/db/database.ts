import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { DB } from "./schema.ts";

export type DatabaseKind = "pglite" | "postgres";

export type Database = {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** A human-readable location: the data folder, ":memory:" or the server URL without password. */
  location: string;
  close: () => Promise<void>;
};

export type DatabaseOptions = {
  /** postgres://… selects PostgreSQL; otherwise PGlite. */
  url?: string | undefined;
  /** PGlite data folder; ignored for PostgreSQL. */
  dataDir?: string | undefined;
  /** PGlite in memory (a throwaway database). */
  memory?: boolean | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number | undefined;
};

const INT8 = 20;
const NUMERIC = 1700;

// Counts and bigint columns come back as strings from node-postgres and as bigint from PGlite;
// every value Accord stores in them fits in a double, so both drivers return numbers.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection the server closed must not crash the process; the pool opens a new one.
    pool.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01")
        console.warn(`accord: database connection lost: ${error.message}`);
    });
    // Fail fast with a clear message when the server is not there.
    const client = await pool.connect();
    client.release();
    return {
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      kind: "postgres",
      location: redactUrl(options.url),
      close: async () => {
        await pool.end();
      },
    };
  }
  const location = options.memory ? ":memory:" : (options.dataDir ?? ".accord");
  const client = new PGlite({
    ...(options.memory ? {} : { dataDir: location }),
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
  });
  await client.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: "pglite",
    location,
    close: async () => {
      await db.destroy();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}
