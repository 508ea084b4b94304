import type { Kysely } from "kysely";
import type { Agreement, AgreementDocument, AgreementStatus } from "../../domain/agreement.ts";
import type { DB } from "../../platform/db/schema.ts";

export function createAgreementRepository(db: Kysely<DB>) {
  const toAgreement = (r: {
    id: string;
    version: number;
    status: string;
    document: unknown;
    activated_at: Date | null;
  }): Agreement => ({
    id: r.id,
    version: r.version,
    status: r.status as AgreementStatus,
    // Stored documents were validated on the way in; migrations keep them valid.
    document: r.document as AgreementDocument,
    activatedAt: r.activated_at,
  });
  return {
    async findActive(workspaceId: string, trx: Kysely<DB> = db): Promise<Agreement | undefined> {
      const r = await trx
        .selectFrom("agreements")
        .select(["id", "version", "status", "document", "activated_at"])
        .where("workspace_id", "=", workspaceId)
        .where("status", "=", "active")
        .executeTakeFirst();
      return r && toAgreement(r);
    },
    async insert(
      a: {
        id: string;
        workspaceId: string;
        version: number;
        status: AgreementStatus;
        document: AgreementDocument;
        createdBy: string | null;
        activatedAt: Date | null;
      },
      trx: Kysely<DB> = db,
    ): Promise<void> {
      await trx
        .insertInto("agreements")
        .values({
          id: a.id,
          workspace_id: a.workspaceId,
          version: a.version,
          status: a.status,
          document: JSON.stringify(a.document),
          created_by: a.createdBy,
          activated_at: a.activatedAt,
        })
        .execute();
    },
  };
}
export type AgreementRepository = ReturnType<typeof createAgreementRepository>;
