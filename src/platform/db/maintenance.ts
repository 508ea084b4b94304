import { type Kysely, sql } from "kysely";
import type { DatabaseKind } from "./database.ts";
import type { DB } from "./schema.ts";

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: without this, its
 * planner keeps the statistics of an empty database and dead row versions pile up. PostgreSQL
 * does this itself, so there only the statistics are refreshed after bulk loads.
 */
export async function maintainDatabase(db: Kysely<DB>, kind: DatabaseKind): Promise<void> {
  if (kind === "pglite") await sql`vacuum (analyze)`.execute(db);
  else await sql`analyze`.execute(db);
}
