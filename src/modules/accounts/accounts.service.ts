import type { Kysely } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { isUniqueViolation } from "../../platform/db/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import { actorOf, type Principal } from "../auth/access.ts";
import type { UsersRepository } from "../users/users.repository.ts";
import type { AccountFields, AccountRecord, AccountsRepository } from "./accounts.repository.ts";

export type AccountsServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  accounts: AccountsRepository;
  users: UsersRepository;
  audit: AuditRepository;
};

export type AccountInput = Partial<AccountFields> & { name: string };

export function createAccountsService(deps: AccountsServiceDeps) {
  const { db, accounts, audit } = deps;

  const duplicateDomain = (domain: string | null | undefined) =>
    new AppError("DUPLICATE_DOMAIN", `An account with the domain ${domain} already exists.`, [
      { path: "domain", message: "already used by another account in this workspace" },
    ]);

  async function checkOwner(
    workspaceId: string,
    ownerId: string | null | undefined,
    trx: Kysely<DB>,
  ) {
    if (ownerId && !(await deps.users.findById(workspaceId, ownerId, trx))) {
      throw new AppError("VALIDATION_FAILED", "The owner is not a user of this workspace.", [
        { path: "ownerId", message: "no such user" },
      ]);
    }
  }

  return {
    async create(principal: Principal, input: AccountInput): Promise<AccountRecord> {
      const { workspaceId } = principal;
      try {
        return await db.transaction().execute(async (trx) => {
          await checkOwner(workspaceId, input.ownerId, trx);
          const now = deps.clock();
          const account = await accounts.insert(
            {
              ...input,
              domain: input.domain?.toLowerCase() ?? null,
              id: deps.newId(),
              workspaceId,
              now,
            },
            trx,
          );
          const actor = actorOf(principal);
          await audit.append(
            [
              {
                workspaceId,
                at: now,
                actorType: actor.type,
                actorId: actor.id,
                action: "account.created",
                entityType: "account",
                entityId: account.id,
                after: account,
              },
            ],
            trx,
          );
          return account;
        });
      } catch (error) {
        if (isUniqueViolation(error, "accounts_domain_key")) throw duplicateDomain(input.domain);
        throw error;
      }
    },

    async get(principal: Principal, id: string): Promise<AccountRecord> {
      const account = await accounts.findById(principal.workspaceId, id);
      if (!account) throw new AppError("NOT_FOUND", "No account with this id in this workspace.");
      return account;
    },

    async list(
      principal: Principal,
      options: {
        q?: string | undefined;
        limit: number;
        after?: { name: string; id: string } | undefined;
      },
    ): Promise<{ items: AccountRecord[]; hasMore: boolean }> {
      const page = await accounts.list(principal.workspaceId, {
        ...options,
        limit: options.limit + 1,
      });
      return { items: page.slice(0, options.limit), hasMore: page.length > options.limit };
    },

    async update(
      principal: Principal,
      id: string,
      patch: Partial<AccountFields>,
    ): Promise<AccountRecord> {
      const { workspaceId } = principal;
      try {
        return await db.transaction().execute(async (trx) => {
          const before = await accounts.findById(workspaceId, id, trx);
          if (!before)
            throw new AppError("NOT_FOUND", "No account with this id in this workspace.");
          await checkOwner(workspaceId, patch.ownerId, trx);
          const now = deps.clock();
          const fields = {
            ...patch,
            ...(patch.domain ? { domain: patch.domain.toLowerCase() } : {}),
          };
          const after = await accounts.update(workspaceId, id, fields, now, trx);
          if (!after) throw new AppError("NOT_FOUND", "No account with this id in this workspace.");
          const actor = actorOf(principal);
          await audit.append(
            [
              {
                workspaceId,
                at: now,
                actorType: actor.type,
                actorId: actor.id,
                action: "account.updated",
                entityType: "account",
                entityId: id,
                before,
                after,
              },
            ],
            trx,
          );
          return after;
        });
      } catch (error) {
        if (isUniqueViolation(error, "accounts_domain_key")) throw duplicateDomain(patch.domain);
        throw error;
      }
    },
  };
}
export type AccountsService = ReturnType<typeof createAccountsService>;
