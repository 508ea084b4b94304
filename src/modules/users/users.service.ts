import { hash, verify } from "@node-rs/argon2";
import type { Kysely } from "kysely";
import { EMAIL_PATTERN } from "../../domain/email.ts";
import { AppError } from "../../domain/errors.ts";
import { isUniqueViolation } from "../../platform/db/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import { actorOf, type Principal, type Role, roles } from "../auth/access.ts";
import type { UserRecord, UsersRepository } from "./users.repository.ts";

export type UsersServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  users: UsersRepository;
  audit: AuditRepository;
};

export const MIN_PASSWORD_LENGTH = 10;

/** argon2id with the library's defaults (19 MiB, t=2): OWASP's recommended minimum. */
export const hashPassword = (password: string): Promise<string> => hash(password);
export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password).catch(() => false);

export type UserInput = {
  email: string;
  name: string;
  role: Role;
  password: string;
  teamId?: string | null | undefined;
};

export function createUsersService(deps: UsersServiceDeps) {
  return {
    async create(
      actor: Principal | { kind: "system"; workspaceId: string },
      input: UserInput,
    ): Promise<UserRecord> {
      const email = input.email.trim();
      if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
        throw new AppError("VALIDATION_FAILED", `"${email}" is not an email address.`, [
          { path: "email", message: "must be an email address" },
        ]);
      }
      if (!roles.includes(input.role)) {
        throw new AppError(
          "VALIDATION_FAILED",
          `Unknown role "${input.role}"; use one of ${roles.join(", ")}.`,
          [{ path: "role", message: "unknown role" }],
        );
      }
      if (input.password.length < MIN_PASSWORD_LENGTH) {
        throw new AppError(
          "VALIDATION_FAILED",
          `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
          [{ path: "password", message: "too short" }],
        );
      }
      const passwordHash = await hashPassword(input.password);
      const now = deps.clock();
      try {
        return await deps.db.transaction().execute(async (trx) => {
          const user = await deps.users.insert(
            {
              id: deps.newId(),
              workspaceId: actor.workspaceId,
              email,
              name: input.name.trim() || email,
              role: input.role,
              teamId: input.teamId ?? null,
              passwordHash,
            },
            trx,
          );
          const a = actor.kind === "system" ? { type: "system", id: null } : actorOf(actor);
          await deps.audit.append(
            [
              {
                workspaceId: actor.workspaceId,
                at: now,
                actorType: a.type,
                actorId: a.id,
                action: "user.created",
                entityType: "user",
                entityId: user.id,
                after: { email: user.email, name: user.name, role: user.role },
              },
            ],
            trx,
          );
          return user;
        });
      } catch (error) {
        if (isUniqueViolation(error, "users_email_key")) {
          throw new AppError("CONFLICT", `A user with the email ${email} already exists.`, [
            { path: "email", message: "taken" },
          ]);
        }
        throw error;
      }
    },
    list: (principal: Principal, roleFilter?: Role[]) =>
      deps.users.list(principal.workspaceId, { roles: roleFilter }),
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
