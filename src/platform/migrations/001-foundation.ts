import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
// One statement per entry: PGlite's extended protocol runs one statement per query.
const statements = [
  `
    create table workspaces (
        workspace_id uuid primary key,
        slug text not null unique,
        name text not null,
        created_at timestamptz not null default now()
      )
  `,
  `
    create table teams (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        name text not null,
        manager_id uuid,
        created_at timestamptz not null default now()
      )
  `,
  `
    create table users (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        email text not null,
        name text not null,
        role text not null check (role in ('admin','marketing','marketing_lead','sdr','ae','sales_lead','exec')),
        team_id uuid references teams(id),
        password_hash text,
        created_at timestamptz not null default now(),
        disabled_at timestamptz
      )
  `,
  `
    -- People sign in by email alone, so an address belongs to one user across workspaces.
      create unique index users_email_key on users (lower(email))
  `,
  `
    create index users_workspace_idx on users (workspace_id, role)
  `,
  `
    create table accounts (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        name text not null,
        domain text,
        industry text,
        employees integer,
        annual_revenue bigint,
        country text,
        technologies jsonb not null default '[]',
        owner_id uuid references users(id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )
  `,
  `
    create unique index accounts_domain_key on accounts (workspace_id, domain) where domain is not null
  `,
  `
    create index accounts_name_idx on accounts (workspace_id, lower(name))
  `,
  `
    create table leads (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        email text not null,
        first_name text,
        last_name text,
        title text,
        seniority text,
        department text,
        company text,
        phone text,
        country text,
        source text,
        campaign text,
        sourced_by text not null check (sourced_by in ('marketing','sales')),
        consent boolean not null default false,
        account_id uuid references accounts(id),
        owner_id uuid references users(id),
        stage text not null check (stage in ('lead','mrl','mql','sal','sql','opportunity','customer','recycled','disqualified','lost')),
        stage_entered_at timestamptz not null,
        qualification jsonb not null default '{}',
        attributes jsonb not null default '{}',
        fit_score real not null default 0,
        fit_grade text not null default 'D',
        engagement_score real not null default 0,
        score_updated_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )
  `,
  `
    create unique index leads_email_key on leads (workspace_id, lower(email))
  `,
  `
    create index leads_list_idx on leads (workspace_id, created_at desc, id desc)
  `,
  `
    create index leads_stage_idx on leads (workspace_id, stage, created_at desc)
  `,
  `
    create index leads_owner_idx on leads (workspace_id, owner_id)
  `,
  `
    create index leads_account_idx on leads (workspace_id, account_id)
  `,
  `
    create index leads_source_idx on leads (workspace_id, source)
  `,
  `
    create table stage_transitions (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        lead_id uuid not null references leads(id),
        from_stage text,
        to_stage text not null,
        occurred_at timestamptz not null,
        actor_type text not null check (actor_type in ('user','api_key','rule','system')),
        actor_id uuid,
        rule text,
        reason text,
        note text,
        agreement_version integer not null
      )
  `,
  `
    create index stage_transitions_lead_idx on stage_transitions (workspace_id, lead_id, occurred_at)
  `,
  `
    create index stage_transitions_time_idx on stage_transitions (workspace_id, occurred_at)
  `,
  `
    create index stage_transitions_to_idx on stage_transitions (workspace_id, to_stage, occurred_at)
  `,
  `
    -- The lifecycle history is evidence both teams rely on: it can only grow.
      create function accord_append_only() returns trigger language plpgsql as $fn$
      begin
        raise exception '% is append-only', tg_table_name;
      end
      $fn$
  `,
  `
    create trigger stage_transitions_append_only before update or delete on stage_transitions
        for each row execute function accord_append_only()
  `,
  `
    create table agreements (
        id uuid primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        version integer not null,
        status text not null check (status in ('draft','proposed','active','superseded','rejected')),
        document jsonb not null,
        created_at timestamptz not null default now(),
        created_by uuid,
        activated_at timestamptz,
        unique (workspace_id, version)
      )
  `,
  `
    create unique index agreements_one_active on agreements (workspace_id) where status = 'active'
  `,
  `
    create table audit_log (
        id bigint generated always as identity primary key,
        workspace_id uuid not null references workspaces(workspace_id),
        at timestamptz not null,
        actor_type text not null,
        actor_id uuid,
        action text not null,
        entity_type text not null,
        entity_id text,
        before jsonb,
        after jsonb
      )
  `,
  `
    create index audit_log_time_idx on audit_log (workspace_id, at desc, id desc)
  `,
  `
    create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function accord_append_only()
  `,
  `
    create table api_keys (
      id uuid primary key,
      workspace_id uuid not null references workspaces(workspace_id),
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      scopes jsonb not null,
      created_at timestamptz not null default now(),
      created_by uuid,
      revoked_at timestamptz,
      last_used_at timestamptz
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
