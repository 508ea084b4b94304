import type { Kysely } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AgreementService } from "../agreement/agreement.service.ts";
import type { Workspace, WorkspacesRepository } from "./workspaces.repository.ts";

export type WorkspacesServiceDeps = {
  db: Kysely<DB>;
  newId: () => string;
  clock: () => Date;
  workspaces: WorkspacesRepository;
  agreement: AgreementService;
};

export function createWorkspacesService(deps: WorkspacesServiceDeps) {
  return {
    /** A new workspace starts with the default agreement active, so every move has rules. */
    async create(input: { slug: string; name: string }): Promise<Workspace> {
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) {
        throw new AppError(
          "VALIDATION_FAILED",
          "A workspace slug is 2–63 lower-case letters, digits or dashes.",
          [{ path: "slug", message: "invalid slug" }],
        );
      }
      if (await deps.workspaces.findBySlug(input.slug)) {
        throw new AppError("CONFLICT", `A workspace named ${input.slug} already exists.`, [
          { path: "slug", message: "taken" },
        ]);
      }
      const id = deps.newId();
      await deps.db.transaction().execute(async (trx) => {
        await deps.workspaces.insert({ id, slug: input.slug, name: input.name }, trx);
        await deps.agreement.installDefault(id, trx);
      });
      return { id, slug: input.slug, name: input.name, createdAt: deps.clock() };
    },
    findBySlug: (slug: string) => deps.workspaces.findBySlug(slug),
  };
}
export type WorkspacesService = ReturnType<typeof createWorkspacesService>;
