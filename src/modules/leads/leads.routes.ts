import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError } from "../../domain/errors.ts";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { decodeCursor, encodeCursor, idParams } from "../../http/schema-helpers.ts";
import { toAccountResponse } from "../accounts/accounts.schemas.ts";
import { everyone, writers } from "../auth/access.ts";
import type { leadSortKeys } from "./leads.repository.ts";
import {
  leadCreateQuery,
  leadCreateSchema,
  leadCursor,
  leadDetailSchema,
  leadListQuery,
  leadPageSchema,
  leadPatchSchema,
  leadSchema,
  toLeadResponse,
  toTransitionResponse,
  transitionCreateSchema,
  transitionResultSchema,
} from "./leads.schemas.ts";
import type { LeadsService } from "./leads.service.ts";

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export function leadsRoutes(service: LeadsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/leads",
      {
        config: { access: { scope: "write", roles: writers } },
        schema: {
          tags: ["Leads"],
          summary: "Create a lead",
          description:
            "Emails are unique per workspace, case-insensitively: a duplicate answers 409 unless `upsert=true`. A lead without an account joins the account of its company email domain (never a free-mail domain).",
          querystring: leadCreateQuery,
          body: leadCreateSchema,
          response: { 200: leadSchema, 201: leadSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { lead, created } = await service.create(principalOf(request), request.body, {
          upsert: request.query.upsert,
        });
        return reply.status(created ? 201 : 200).send(toLeadResponse(lead));
      },
    );

    app.get(
      "/leads",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Leads"],
          summary: "List leads",
          description:
            "Filter by stage, owner, source, campaign, account, minimum engagement and text; keyset pagination with `cursor`.",
          querystring: leadListQuery,
          response: { 200: leadPageSchema, ...errors },
        },
      },
      async (request) => {
        const { cursor, ownerId, stage, total, ...rest } = request.query;
        const after = cursor ? decodeCursor(cursor, leadCursor) : undefined;
        if (after && (after.s !== rest.sort || after.o !== rest.order)) {
          throw new AppError(
            "VALIDATION_FAILED",
            "This cursor belongs to another sort order; start again without it.",
            [{ path: "query.cursor", message: "issued for another sort order" }],
          );
        }
        const query = {
          ...rest,
          stages: stage,
          ownerId: ownerId === "none" ? null : ownerId,
          after: after ? { value: after.v, id: after.id } : undefined,
        };
        const page = await service.list(principalOf(request), query, { withTotal: total });
        const last = page.items[page.items.length - 1];
        const sortValue = (l: NonNullable<typeof last>) => {
          const v = l[rest.sort as keyof typeof leadSortKeys];
          return v instanceof Date ? v.toISOString() : v;
        };
        return {
          items: page.items.map(toLeadResponse),
          nextCursor:
            page.hasMore && last
              ? encodeCursor({ v: sortValue(last), id: last.id, s: rest.sort, o: rest.order })
              : null,
          total: page.total,
        };
      },
    );

    app.get(
      "/leads/:id",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Leads"],
          summary: "Get a lead with its account, stage definition and stage history",
          params: idParams,
          response: { 200: leadDetailSchema, ...errors },
        },
      },
      async (request) => {
        const detail = await service.get(principalOf(request), request.params.id);
        return {
          lead: toLeadResponse(detail.lead),
          account: detail.account ? toAccountResponse(detail.account) : null,
          stageDefinition: detail.stageDefinition,
          agreementVersion: detail.agreementVersion,
          history: detail.history.map((t) => ({
            ...toTransitionResponse(t),
            actorName: t.actorName,
          })),
        };
      },
    );

    app.patch(
      "/leads/:id",
      {
        config: { access: { scope: "write", roles: writers } },
        schema: {
          tags: ["Leads"],
          summary: "Update a lead's fields",
          description:
            "A person moves a lead's stage with the transitions endpoint, never here. An edit rescores the lead and applies the agreement's automatic moves, recorded as the rule's transitions: a lead whose data now meets a stage's entry criteria enters it, and a recycled lead whose seniority rises (its title or seniority edited) is an MQL again when the recycle policy re-qualifies on an authority change and its fit meets the MQL's fit conditions.",
          params: idParams,
          body: leadPatchSchema,
          response: { 200: leadSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request) =>
        toLeadResponse(await service.update(principalOf(request), request.params.id, request.body)),
    );

    app.post(
      "/leads/:id/transitions",
      {
        config: { access: { scope: "write", roles: writers } },
        schema: {
          tags: ["Leads"],
          summary: "Move a lead to another stage",
          description:
            "Applies the active agreement: 422 with a code (TRANSITION_NOT_ALLOWED, REASON_REQUIRED, REASON_NOT_IN_AGREEMENT, QUALIFICATION_INCOMPLETE, MEETING_REQUIRED) when the move is refused; 409 STAGE_CONFLICT when the lead moved meanwhile. Accepting, qualifying, rejecting and closing are for SDRs, AEs and sales leads.",
          params: idParams,
          body: transitionCreateSchema,
          response: {
            200: transitionResultSchema,
            409: errorResponseSchema,
            422: errorResponseSchema,
            ...errors,
          },
        },
      },
      async (request) => {
        const { lead, transition } = await service.transition(
          principalOf(request),
          request.params.id,
          request.body,
        );
        return { lead: toLeadResponse(lead), transition: toTransitionResponse(transition) };
      },
    );
  };
}
