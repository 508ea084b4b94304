import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // When the stored engagement score (the sort key) must next be revalued: ingestion sets it to
  // the event's time, the decay sweep to when the score may have faded a tenth of a point. Null:
  // not due (no engagement, or not yet seen by a sweep, whose first pass in a process reads every
  // engaged lead). Not indexed, so writing it keeps ingestion's updates in place (HOT).
  "alter table leads add column score_refresh_at timestamptz",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
