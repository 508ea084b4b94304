import type { ColumnType, Generated, JSONColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
/** JSON with a database default: optional on insert. */
type JsonD<T extends object | null> = JSONColumnType<T, string | undefined, string>;
/** A column with a database default: optional on insert. */
type D<T> = ColumnType<T, T | undefined, T>;

export type WorkspacesTable = {
  workspace_id: string;
  slug: string;
  name: string;
  created_at: CreatedAt;
};

export type UsersTable = {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  team_id: string | null;
  password_hash: string | null;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
};

export type TeamsTable = {
  id: string;
  workspace_id: string;
  name: string;
  manager_id: string | null;
  created_at: CreatedAt;
};

export type AccountsTable = {
  id: string;
  workspace_id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  country: string | null;
  technologies: JsonD<string[]>;
  owner_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type LeadsTable = {
  id: string;
  workspace_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  company: string | null;
  phone: string | null;
  country: string | null;
  source: string | null;
  campaign: string | null;
  sourced_by: string;
  consent: D<boolean>;
  account_id: string | null;
  owner_id: string | null;
  stage: string;
  stage_entered_at: Timestamp;
  qualification: JsonD<Record<string, string>>;
  attributes: JsonD<Record<string, unknown>>;
  fit_score: D<number>;
  fit_grade: D<string>;
  engagement_score: D<number>;
  score_updated_at: Timestamp | null;
  score_history_at: Timestamp | null;
  score_refresh_at: Timestamp | null;
  engagement_state: JsonD<Record<string, { sum: number; at: string; count: number }>>;
  fit_breakdown: JsonD<unknown[]>;
  search_text: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type EventsTable = {
  workspace_id: string;
  event_id: string;
  lead_id: string | null;
  visitor_id: string | null;
  type: string;
  occurred_at: Timestamp;
  received_at: Timestamp;
  campaign: string | null;
  url: string | null;
  properties: JsonD<Record<string, unknown>>;
  signal_id: string | null;
};

export type ScoreHistoryTable = {
  workspace_id: string;
  lead_id: string;
  at: Timestamp;
  fit_score: number;
  fit_grade: string;
  engagement_score: number;
  cause: string;
};

export type StageTransitionsTable = {
  id: string;
  workspace_id: string;
  lead_id: string;
  from_stage: string | null;
  to_stage: string;
  occurred_at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  rule: string | null;
  reason: string | null;
  note: string | null;
  agreement_version: number;
};

export type AgreementsTable = {
  id: string;
  workspace_id: string;
  version: number;
  status: string;
  document: Json<object>;
  created_at: CreatedAt;
  created_by: string | null;
  activated_at: Timestamp | null;
};

export type AuditLogTable = {
  id: Generated<number>;
  workspace_id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json<object> | null;
  after: Json<object> | null;
};

export type ApiKeysTable = {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: Json<string[]>;
  /** The event types the key may send; null: any. */
  event_types: Json<string[]> | null;
  created_at: CreatedAt;
  created_by: string | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
};

export type SessionsTable = {
  token_hash: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
};

export type SignInFailuresTable = {
  email: string;
  at: Timestamp;
};

export type VisitorsTable = {
  workspace_id: string;
  visitor_id: string;
  lead_id: string;
  identified_at: Timestamp;
};

export type DB = {
  visitors: VisitorsTable;
  events: EventsTable;
  score_history: ScoreHistoryTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  api_keys: ApiKeysTable;
  workspaces: WorkspacesTable;
  users: UsersTable;
  teams: TeamsTable;
  accounts: AccountsTable;
  leads: LeadsTable;
  stage_transitions: StageTransitionsTable;
  agreements: AgreementsTable;
  audit_log: AuditLogTable;
};
