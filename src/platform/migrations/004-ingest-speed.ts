import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // Events and score history are written in bulk by ingestion, which resolves and locks the
  // leads in the same transaction; a per-row foreign-key check would cost more than the insert.
  `alter table events drop constraint events_lead_id_fkey`,
  `alter table events drop constraint events_workspace_id_fkey`,
  `alter table score_history drop constraint score_history_lead_id_fkey`,
  `alter table score_history drop constraint score_history_workspace_id_fkey`,
  // Room on each page for in-place (HOT) updates of scores, which touch no index.
  `alter table leads set (fillfactor = 80)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
