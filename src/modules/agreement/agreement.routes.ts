import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { agreementDocumentSchema, agreementStatuses } from "../../domain/agreement.ts";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { isoOrNull } from "../../http/schema-helpers.ts";
import { everyone } from "../auth/access.ts";
import type { AgreementService } from "./agreement.service.ts";

export const agreementSchema = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    status: z.enum(agreementStatuses),
    activatedAt: z.string().nullable(),
    document: agreementDocumentSchema,
  })
  .meta({ id: "Agreement" });

export function agreementRoutes(service: AgreementService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/agreement",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Agreement"],
          summary: "The agreement in force",
          description:
            "Stage definitions (plain language and entry criteria), reason lists, BANT(M) requirements, SLAs, recycle policy, sourcing rule, scoring model and goals of the active version.",
          response: { 200: agreementSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => {
        const a = await service.active(principalOf(request).workspaceId);
        return {
          id: a.id,
          version: a.version,
          status: a.status,
          activatedAt: isoOrNull(a.activatedAt),
          document: a.document,
        };
      },
    );
  };
}
