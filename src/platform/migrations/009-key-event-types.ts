import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // The event types a key may send (null: any the agreement knows). A website tracker's key is
  // public: limited to page views and form fills, it cannot send a demo request for anyone.
  "alter table api_keys add column event_types jsonb",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
