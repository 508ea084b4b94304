import type { Kysely } from "kysely";
import { createAccountsRepository } from "./modules/accounts/accounts.repository.ts";
import { createAccountsService } from "./modules/accounts/accounts.service.ts";
import { createAgreementRepository } from "./modules/agreement/agreement.repository.ts";
import { createAgreementService } from "./modules/agreement/agreement.service.ts";
import { createAuditRepository } from "./modules/audit/audit.repository.ts";
import { createApiKeysRepository } from "./modules/auth/api-keys.repository.ts";
import { createApiKeysService } from "./modules/auth/api-keys.service.ts";
import { createSessionsRepository } from "./modules/auth/sessions.repository.ts";
import { createSessionsService } from "./modules/auth/sessions.service.ts";
import { createEventsRepository } from "./modules/events/events.repository.ts";
import { createIngestService } from "./modules/events/ingest.service.ts";
import { createLeadsRepository } from "./modules/leads/leads.repository.ts";
import { createLeadsService } from "./modules/leads/leads.service.ts";
import { createScoringService } from "./modules/scoring/scoring.service.ts";
import { createTeamsRepository } from "./modules/users/teams.repository.ts";
import { createTeamsService } from "./modules/users/teams.service.ts";
import { createUsersRepository } from "./modules/users/users.repository.ts";
import { createUsersService } from "./modules/users/users.service.ts";
import { createWorkspacesRepository } from "./modules/workspaces/workspaces.repository.ts";
import { createWorkspacesService } from "./modules/workspaces/workspaces.service.ts";
import type { DB } from "./platform/db/schema.ts";
import { newId as defaultNewId } from "./platform/ids.ts";

export type ServiceOptions = {
  db: Kysely<DB>;
  clock?: () => Date;
  newId?: () => string;
  /** Most events one ingestion transaction takes. */
  ingestBatch?: number;
  /** Partitioned ingestion writers (transactions in flight at once); 1 on PGlite. */
  ingestConcurrency?: number;
  /** Events waiting to be stored beyond which new event requests are turned away. */
  ingestMaxQueued?: number;
};

/** The composition root: every repository and service, wired once, shared by HTTP, CLI and tests. */
export function createServices(options: ServiceOptions) {
  const db = options.db;
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? defaultNewId;
  const base = { db, clock, newId };

  const repos = {
    accounts: createAccountsRepository(db),
    agreements: createAgreementRepository(db),
    apiKeys: createApiKeysRepository(db),
    audit: createAuditRepository(db),
    events: createEventsRepository(db),
    leads: createLeadsRepository(db),
    sessions: createSessionsRepository(db),
    teams: createTeamsRepository(db),
    users: createUsersRepository(db),
    workspaces: createWorkspacesRepository(db),
  };
  const agreement = createAgreementService({ ...base, agreements: repos.agreements });
  const apiKeys = createApiKeysService({
    ...base,
    apiKeys: repos.apiKeys,
    audit: repos.audit,
    agreement,
  });

  const accounts = createAccountsService({ ...base, ...repos });
  const leads = createLeadsService({ ...base, ...repos, agreement });
  const users = createUsersService({ ...base, users: repos.users, audit: repos.audit });
  const ingest = createIngestService({
    ...base,
    events: repos.events,
    agreement,
    maxBatch: options.ingestBatch,
    concurrency: options.ingestConcurrency,
    maxQueued: options.ingestMaxQueued,
  });
  const teams = createTeamsService({
    ...base,
    teams: repos.teams,
    users: repos.users,
    audit: repos.audit,
  });
  const scoring = createScoringService({ ...base, ...repos, agreement });
  const sessions = createSessionsService({
    clock,
    sessions: repos.sessions,
    users: repos.users,
    audit: repos.audit,
  });
  const workspaces = createWorkspacesService({ ...base, workspaces: repos.workspaces, agreement });
  return {
    ...base,
    repos,
    agreement,
    apiKeys,
    accounts,
    ingest,
    leads,
    scoring,
    sessions,
    teams,
    users,
    workspaces,
  };
}
export type Services = ReturnType<typeof createServices>;
