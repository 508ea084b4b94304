import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // One row per accepted event. The sender's id is the idempotency key: the primary key makes
  // "counted once, ever" a property of the table, not of the code.
  `
    create table events (
      workspace_id uuid not null references workspaces(workspace_id),
      event_id text not null,
      lead_id uuid references leads(id),
      visitor_id text,
      type text not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null,
      campaign text,
      url text,
      properties jsonb not null default '{}',
      signal_id text,
      primary key (workspace_id, event_id)
    )
  `,
  `create index events_lead_idx on events (workspace_id, lead_id, occurred_at) where lead_id is not null`,
  `create index events_visitor_idx on events (workspace_id, visitor_id) where visitor_id is not null and lead_id is null`,
  `
    create table score_history (
      workspace_id uuid not null references workspaces(workspace_id),
      lead_id uuid not null references leads(id),
      at timestamptz not null,
      fit_score real not null,
      fit_grade text not null,
      engagement_score real not null,
      cause text not null
    )
  `,
  `create index score_history_lead_idx on score_history (workspace_id, lead_id, at)`,
  // Per-signal decayed sums, valued at an instant: the score at any later time follows
  // without reading the events again.
  `alter table leads add column engagement_state jsonb not null default '{}'`,
  `alter table leads add column fit_breakdown jsonb not null default '[]'`,
  `create index leads_engagement_idx on leads (workspace_id, engagement_score desc, id desc)`,
  `create index leads_fit_idx on leads (workspace_id, fit_score desc, id desc)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
