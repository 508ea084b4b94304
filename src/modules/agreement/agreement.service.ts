import type { Kysely } from "kysely";
import type { Agreement } from "../../domain/agreement.ts";
import { agreementDocumentSchema, agreementProblems } from "../../domain/agreement.ts";
import { defaultAgreement } from "../../domain/default-agreement.ts";
import { AppError } from "../../domain/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AgreementRepository } from "./agreement.repository.ts";

export type AgreementServiceDeps = {
  agreements: AgreementRepository;
  clock: () => Date;
  newId: () => string;
};

export function createAgreementService(deps: AgreementServiceDeps) {
  return {
    /** The version in force. Every workspace has one from the moment it is created. */
    async active(workspaceId: string, trx?: Kysely<DB>): Promise<Agreement> {
      const a = await deps.agreements.findActive(workspaceId, trx);
      if (!a) throw new AppError("NOT_FOUND", "This workspace has no active agreement.");
      return a;
    },
    /** Version 1, the default B2B agreement, active from the workspace's creation. */
    async installDefault(workspaceId: string, trx?: Kysely<DB>): Promise<void> {
      const document = agreementDocumentSchema.parse(defaultAgreement);
      const problems = agreementProblems(document);
      if (problems.length)
        throw new AppError("INVALID_AGREEMENT", "The default agreement is invalid.", problems);
      await deps.agreements.insert(
        {
          id: deps.newId(),
          workspaceId,
          version: 1,
          status: "active",
          document,
          createdBy: null,
          activatedAt: deps.clock(),
        },
        trx,
      );
    },
  };
}
export type AgreementService = ReturnType<typeof createAgreementService>;
