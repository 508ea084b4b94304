import { type Kysely, sql } from "kysely";
import type { DB } from "../../platform/db/schema.ts";
import type { Role } from "../auth/access.ts";

export type UserRecord = {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  createdAt: Date;
  disabledAt: Date | null;
};

const columns = [
  "id",
  "workspace_id",
  "email",
  "name",
  "role",
  "team_id",
  "created_at",
  "disabled_at",
] as const;

function toUser(r: {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  team_id: string | null;
  created_at: Date;
  disabled_at: Date | null;
}): UserRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    teamId: r.team_id,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export function createUsersRepository(db: Kysely<DB>) {
  return {
    async insert(
      u: {
        id: string;
        workspaceId: string;
        email: string;
        name: string;
        role: Role;
        teamId?: string | null;
        passwordHash: string | null;
      },
      trx: Kysely<DB> = db,
    ): Promise<UserRecord> {
      const r = await trx
        .insertInto("users")
        .values({
          id: u.id,
          workspace_id: u.workspaceId,
          email: u.email,
          name: u.name,
          role: u.role,
          team_id: u.teamId ?? null,
          password_hash: u.passwordHash,
        })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toUser(r);
    },
    async findById(
      workspaceId: string,
      id: string,
      trx: Kysely<DB> = db,
    ): Promise<UserRecord | undefined> {
      const r = await trx
        .selectFrom("users")
        .select(columns)
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toUser(r);
    },
    /** For sign-in: the user and password hash, across workspaces (emails are global). */
    async findCredentials(
      email: string,
    ): Promise<(UserRecord & { passwordHash: string | null }) | undefined> {
      const r = await db
        .selectFrom("users")
        .select([...columns, "password_hash"])
        .where(sql`lower(email)`, "=", email.trim().toLowerCase())
        .executeTakeFirst();
      return r && { ...toUser(r), passwordHash: r.password_hash };
    },
    async list(
      workspaceId: string,
      options: { roles?: Role[] | undefined } = {},
    ): Promise<UserRecord[]> {
      let q = db
        .selectFrom("users")
        .select(columns)
        .where("workspace_id", "=", workspaceId)
        .orderBy("name");
      if (options.roles?.length) q = q.where("role", "in", options.roles);
      return (await q.execute()).map(toUser);
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
