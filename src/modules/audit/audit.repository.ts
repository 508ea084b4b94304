import type { Kysely } from "kysely";
import type { DB } from "../../platform/db/schema.ts";

export type AuditEntry = {
  workspaceId: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
};

export type AuditRecord = Required<AuditEntry> & { id: number };

export function createAuditRepository(db: Kysely<DB>) {
  return {
    /** Written in the same transaction as the change it records. */
    async append(entries: AuditEntry[], trx: Kysely<DB> = db): Promise<void> {
      if (entries.length === 0) return;
      await trx
        .insertInto("audit_log")
        .values(
          entries.map((e) => ({
            workspace_id: e.workspaceId,
            at: e.at,
            actor_type: e.actorType,
            actor_id: e.actorId,
            action: e.action,
            entity_type: e.entityType,
            entity_id: e.entityId,
            before: e.before === undefined ? null : JSON.stringify(e.before),
            after: e.after === undefined ? null : JSON.stringify(e.after),
          })),
        )
        .execute();
    },
    async list(
      workspaceId: string,
      options: {
        limit: number;
        beforeId?: number | undefined;
        entityType?: string | undefined;
        entityId?: string | undefined;
      },
    ): Promise<AuditRecord[]> {
      let q = db
        .selectFrom("audit_log")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id", "desc")
        .limit(options.limit);
      if (options.beforeId !== undefined) q = q.where("id", "<", options.beforeId);
      if (options.entityType) q = q.where("entity_type", "=", options.entityType);
      if (options.entityId) q = q.where("entity_id", "=", options.entityId);
      const rows = await q.execute();
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspace_id,
        at: r.at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
