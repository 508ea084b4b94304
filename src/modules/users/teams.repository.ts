import type { Kysely } from "kysely";
import type { DB } from "../../platform/db/schema.ts";

export type TeamRecord = {
  id: string;
  workspaceId: string;
  name: string;
  managerId: string | null;
  createdAt: Date;
};

export function createTeamsRepository(db: Kysely<DB>) {
  const toTeam = (r: {
    id: string;
    workspace_id: string;
    name: string;
    manager_id: string | null;
    created_at: Date;
  }): TeamRecord => ({
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    managerId: r.manager_id,
    createdAt: r.created_at,
  });
  return {
    async insert(
      t: { id: string; workspaceId: string; name: string; managerId: string | null },
      trx: Kysely<DB> = db,
    ): Promise<TeamRecord> {
      const r = await trx
        .insertInto("teams")
        .values({ id: t.id, workspace_id: t.workspaceId, name: t.name, manager_id: t.managerId })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTeam(r);
    },
    async findById(
      workspaceId: string,
      id: string,
      trx: Kysely<DB> = db,
    ): Promise<TeamRecord | undefined> {
      const r = await trx
        .selectFrom("teams")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toTeam(r);
    },
    async list(workspaceId: string): Promise<TeamRecord[]> {
      return (
        await db
          .selectFrom("teams")
          .selectAll()
          .where("workspace_id", "=", workspaceId)
          .orderBy("name")
          .execute()
      ).map(toTeam);
    },
    async setMembers(
      workspaceId: string,
      teamId: string,
      userIds: string[],
      trx: Kysely<DB> = db,
    ): Promise<void> {
      if (userIds.length === 0) return;
      await trx
        .updateTable("users")
        .set({ team_id: teamId })
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", userIds)
        .execute();
    },
  };
}
export type TeamsRepository = ReturnType<typeof createTeamsRepository>;
