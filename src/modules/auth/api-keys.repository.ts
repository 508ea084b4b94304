import type { Kysely } from "kysely";
import type { DB } from "../../platform/db/schema.ts";
import type { Scope } from "./access.ts";

export type ApiKeyRow = {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  /** The event types the key may send; null: any. */
  eventTypes: string[] | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

export function createApiKeysRepository(db: Kysely<DB>) {
  const columns = [
    "id",
    "workspace_id",
    "name",
    "prefix",
    "scopes",
    "event_types",
    "created_at",
    "revoked_at",
    "last_used_at",
  ] as const;
  const toRow = (r: {
    id: string;
    workspace_id: string;
    name: string;
    prefix: string;
    scopes: string[];
    event_types: string[] | null;
    created_at: Date;
    revoked_at: Date | null;
    last_used_at: Date | null;
  }): ApiKeyRow => ({
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as Scope[],
    eventTypes: r.event_types,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  });

  return {
    async insert(
      row: {
        id: string;
        workspaceId: string;
        name: string;
        prefix: string;
        keyHash: string;
        scopes: Scope[];
        eventTypes: string[] | null;
        createdBy: string | null;
      },
      trx: Kysely<DB> = db,
    ): Promise<void> {
      await trx
        .insertInto("api_keys")
        .values({
          id: row.id,
          workspace_id: row.workspaceId,
          name: row.name,
          prefix: row.prefix,
          key_hash: row.keyHash,
          scopes: JSON.stringify(row.scopes),
          event_types: row.eventTypes === null ? null : JSON.stringify(row.eventTypes),
          created_by: row.createdBy,
        })
        .execute();
    },
    async findActiveByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
      const r = await db
        .selectFrom("api_keys")
        .select(columns)
        .where("key_hash", "=", keyHash)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return r && toRow(r);
    },
    async list(workspaceId: string): Promise<ApiKeyRow[]> {
      const rows = await db
        .selectFrom("api_keys")
        .select(columns)
        .where("workspace_id", "=", workspaceId)
        .orderBy("created_at", "desc")
        .execute();
      return rows.map(toRow);
    },
    async revoke(
      workspaceId: string,
      id: string,
      at: Date,
      trx: Kysely<DB> = db,
    ): Promise<ApiKeyRow | undefined> {
      const r = await trx
        .updateTable("api_keys")
        .set({ revoked_at: at })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .returning(columns)
        .executeTakeFirst();
      return r && toRow(r);
    },
  };
}
export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
