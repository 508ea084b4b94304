import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import * as m001 from "../migrations/001-foundation.ts";
import * as m002 from "../migrations/002-sessions.ts";
import * as m003 from "../migrations/003-events-scoring.ts";
import * as m004 from "../migrations/004-ingest-speed.ts";
import * as m005 from "../migrations/005-visitors.ts";
import * as m006 from "../migrations/006-lead-search.ts";
import * as m007 from "../migrations/007-score-history-interval.ts";
import * as m008 from "../migrations/008-leads-by-workspace.ts";
import * as m009 from "../migrations/009-key-event-types.ts";
import * as m010 from "../migrations/010-score-refresh.ts";
import * as m011 from "../migrations/011-sign-in-failures.ts";
import * as m012 from "../migrations/012-recycle-authority-change.ts";
import type { DB } from "./schema.ts";

// Listed in code, not read from a folder, so the CLI works the same from any directory.
const migrations: Record<string, Migration> = {
  "001-foundation": m001,
  "002-sessions": m002,
  "003-events-scoring": m003,
  "004-ingest-speed": m004,
  "005-visitors": m005,
  "006-lead-search": m006,
  "007-score-history-interval": m007,
  "008-leads-by-workspace": m008,
  "009-key-event-types": m009,
  "010-score-refresh": m010,
  "011-sign-in-failures": m011,
  "012-recycle-authority-change": m012,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type MigrationReport = { applied: string[]; current: string | null };

/** Applies every pending migration in order, inside one transaction each; forward only. */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  const names = Object.keys(migrations).sort();
  const latest = names[names.length - 1] ?? null;
  // Fast path: the migrator introspects the whole catalog, which takes seconds on PGlite.
  try {
    const r = await sql<{ name: string }>`select max(name) as name from accord_migrations`.execute(
      db,
    );
    if (r.rows[0]?.name === latest) return { applied: [], current: latest };
  } catch {
    // No migration table yet: a fresh database.
  }
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "accord_migrations",
    migrationLockTableName: "accord_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  return { applied, current: latest };
}
