import type { Kysely } from "kysely";
import type { DB } from "../../platform/db/schema.ts";

export type Workspace = { id: string; slug: string; name: string; createdAt: Date };

export function createWorkspacesRepository(db: Kysely<DB>) {
  const toWorkspace = (r: {
    workspace_id: string;
    slug: string;
    name: string;
    created_at: Date;
  }): Workspace => ({
    id: r.workspace_id,
    slug: r.slug,
    name: r.name,
    createdAt: r.created_at,
  });
  return {
    async insert(
      w: { id: string; slug: string; name: string },
      trx: Kysely<DB> = db,
    ): Promise<void> {
      await trx
        .insertInto("workspaces")
        .values({ workspace_id: w.id, slug: w.slug, name: w.name })
        .execute();
    },
    async findBySlug(slug: string): Promise<Workspace | undefined> {
      const r = await db
        .selectFrom("workspaces")
        .selectAll()
        .where("slug", "=", slug)
        .executeTakeFirst();
      return r && toWorkspace(r);
    },
    async findById(id: string): Promise<Workspace | undefined> {
      const r = await db
        .selectFrom("workspaces")
        .selectAll()
        .where("workspace_id", "=", id)
        .executeTakeFirst();
      return r && toWorkspace(r);
    },
  };
}
export type WorkspacesRepository = ReturnType<typeof createWorkspacesRepository>;
