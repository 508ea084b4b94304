import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // Failed sign-ins, by the email tried (lower case), so the throttle holds across every API
  // process sharing the database. Rows older than the window are pruned as new ones arrive.
  `create table sign_in_failures (
      email text not null,
      at timestamptz not null
    )`,
  "create index sign_in_failures_email_idx on sign_in_failures (email, at)",
  "create index sign_in_failures_at_idx on sign_in_failures (at)",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
