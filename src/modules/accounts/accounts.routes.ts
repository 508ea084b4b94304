import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { decodeCursor, encodeCursor, idParams } from "../../http/schema-helpers.ts";
import { everyone, writers } from "../auth/access.ts";
import {
  accountCreateSchema,
  accountCursor,
  accountListQuery,
  accountPageSchema,
  accountPatchSchema,
  accountSchema,
  toAccountResponse,
} from "./accounts.schemas.ts";
import type { AccountsService } from "./accounts.service.ts";

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export function accountsRoutes(service: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/accounts",
      {
        config: { access: { scope: "write", roles: writers } },
        schema: {
          tags: ["Accounts"],
          summary: "Create an account",
          description: "Domains are unique per workspace (409 DUPLICATE_DOMAIN).",
          body: accountCreateSchema,
          response: { 201: accountSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(toAccountResponse(await service.create(principalOf(request), request.body))),
    );

    app.get(
      "/accounts",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Accounts"],
          summary: "List accounts by name",
          querystring: accountListQuery,
          response: { 200: accountPageSchema, ...errors },
        },
      },
      async (request) => {
        const { cursor, ...rest } = request.query;
        const after = cursor ? decodeCursor(cursor, accountCursor) : undefined;
        const page = await service.list(principalOf(request), { ...rest, after });
        const last = page.items[page.items.length - 1];
        return {
          items: page.items.map(toAccountResponse),
          nextCursor: page.hasMore && last ? encodeCursor({ name: last.name, id: last.id }) : null,
        };
      },
    );

    app.get(
      "/accounts/:id",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Accounts"],
          summary: "Get an account",
          params: idParams,
          response: { 200: accountSchema, ...errors },
        },
      },
      async (request) =>
        toAccountResponse(await service.get(principalOf(request), request.params.id)),
    );

    app.patch(
      "/accounts/:id",
      {
        config: { access: { scope: "write", roles: writers } },
        schema: {
          tags: ["Accounts"],
          summary: "Update an account",
          params: idParams,
          body: accountPatchSchema,
          response: { 200: accountSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request) =>
        toAccountResponse(
          await service.update(principalOf(request), request.params.id, request.body),
        ),
    );
  };
}
