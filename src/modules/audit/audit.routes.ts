import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { decodeCursor, encodeCursor } from "../../http/schema-helpers.ts";
import { adminsOnly } from "../auth/access.ts";
import type { UsersRepository } from "../users/users.repository.ts";
import type { AuditRepository } from "./audit.repository.ts";

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: "AuditEntry" });

export function auditRoutes(deps: {
  audit: AuditRepository;
  users: UsersRepository;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/audit",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["Audit"],
          summary: "The audit log: every write, who made it, before and after",
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().max(200).optional(),
            entityType: z.string().max(50).optional(),
            entityId: z.string().max(100).optional(),
          }),
          response: {
            200: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const { workspaceId } = principalOf(request);
        const { limit, cursor, entityType, entityId } = request.query;
        const beforeId = cursor
          ? decodeCursor(cursor, z.object({ id: z.number().int() })).id
          : undefined;
        const rows = await deps.audit.list(workspaceId, {
          limit: limit + 1,
          beforeId,
          entityType,
          entityId,
        });
        const page = rows.slice(0, limit);
        const names = new Map((await deps.users.list(workspaceId)).map((u) => [u.id, u.name]));
        const last = page[page.length - 1];
        return {
          items: page.map((e) => ({
            id: e.id,
            at: e.at.toISOString(),
            actorType: e.actorType,
            actorId: e.actorId,
            actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
            action: e.action,
            entityType: e.entityType,
            entityId: e.entityId,
            before: e.before,
            after: e.after,
          })),
          nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null,
        };
      },
    );
  };
}
