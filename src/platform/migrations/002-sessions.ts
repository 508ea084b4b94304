import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  `
    create table sessions (
      token_hash text primary key,
      workspace_id uuid not null references workspaces(workspace_id),
      user_id uuid not null references users(id),
      csrf_token text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      last_seen_at timestamptz not null
    )
  `,
  `create index sessions_user_idx on sessions (workspace_id, user_id)`,
  `create index sessions_expiry_idx on sessions (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
