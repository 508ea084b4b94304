import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // The decay sweep walks one workspace's leads in id order, a chunk at a time. Without this
  // index it walks the primary key through every workspace's leads to find one workspace's.
  "create index leads_workspace_id_idx on leads (workspace_id, id)",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
