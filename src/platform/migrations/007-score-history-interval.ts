import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // When ingestion last recorded a score-history point for the lead: history is kept at most
  // once a minute per lead (plus every stage change), so a lead that receives a burst of
  // events does not write a history row per event.
  "alter table leads add column score_history_at timestamptz",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
