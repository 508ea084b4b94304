import type { Kysely } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import { actorOf, type Principal } from "../auth/access.ts";
import type { TeamRecord, TeamsRepository } from "./teams.repository.ts";
import type { UsersRepository } from "./users.repository.ts";

export type TeamsServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  teams: TeamsRepository;
  users: UsersRepository;
  audit: AuditRepository;
};

/** Teams group people under a manager, who is told when a member breaches an SLA. */
export function createTeamsService(deps: TeamsServiceDeps) {
  return {
    async create(
      actor: Principal | { kind: "system"; workspaceId: string },
      input: {
        name: string;
        managerId?: string | null | undefined;
        memberIds?: string[] | undefined;
      },
    ): Promise<TeamRecord> {
      const { workspaceId } = actor;
      return deps.db.transaction().execute(async (trx) => {
        const people = [...(input.managerId ? [input.managerId] : []), ...(input.memberIds ?? [])];
        for (const id of people) {
          if (!(await deps.users.findById(workspaceId, id, trx))) {
            throw new AppError("VALIDATION_FAILED", `No user ${id} in this workspace.`, [
              { path: "memberIds", message: `unknown user ${id}` },
            ]);
          }
        }
        const team = await deps.teams.insert(
          {
            id: deps.newId(),
            workspaceId,
            name: input.name.trim(),
            managerId: input.managerId ?? null,
          },
          trx,
        );
        await deps.teams.setMembers(workspaceId, team.id, people, trx);
        const a = actor.kind === "system" ? { type: "system", id: null } : actorOf(actor);
        await deps.audit.append(
          [
            {
              workspaceId,
              at: deps.clock(),
              actorType: a.type,
              actorId: a.id,
              action: "team.created",
              entityType: "team",
              entityId: team.id,
              after: {
                name: team.name,
                managerId: team.managerId,
                memberIds: input.memberIds ?? [],
              },
            },
          ],
          trx,
        );
        return team;
      });
    },
    list: (principal: Principal) => deps.teams.list(principal.workspaceId),
  };
}
export type TeamsService = ReturnType<typeof createTeamsService>;
