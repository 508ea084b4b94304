import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // Which lead an anonymous website visitor turned out to be, once a form named them: their
  // later page views count for that lead straight away.
  `
    create table visitors (
      workspace_id uuid not null references workspaces(workspace_id),
      visitor_id text not null,
      lead_id uuid not null references leads(id),
      identified_at timestamptz not null,
      primary key (workspace_id, visitor_id)
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
