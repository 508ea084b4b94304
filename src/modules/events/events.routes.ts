import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError } from "../../domain/errors.ts";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { actorOf, keyHasScope } from "../auth/access.ts";
import {
  eventsBodySchema,
  type IngestReply,
  ingestReplySchema,
  MAX_BATCH,
} from "./events.schemas.ts";
import type { IngestService } from "./ingest.service.ts";

export const EVENTS_BODY_LIMIT = 5 * 1024 * 1024;

export function eventsRoutes(service: IngestService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/events",
      {
        config: {
          access: { scope: "ingest", roles: ["admin", "marketing", "marketing_lead"] },
          itemLevelValidation: true,
        },
        bodyLimit: EVENTS_BODY_LIMIT,
        // The schema documents the body; items are validated one by one below, so a bad item
        // is reported and the rest kept, and a large batch is not validated twice.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
        // The reply is built here from counts and ids; plain JSON keeps big batches cheap.
        serializerCompiler: () => (data: unknown) => JSON.stringify(data),
        schema: {
          tags: ["Events"],
          summary: "Ingest engagement events",
          description:
            "One event, or `{\"events\": [...]}` with up to 1,000. Answers 202 only after the events are durably stored, with counts of accepted, duplicate and rejected items and a reason per rejected item; valid items are kept when others are invalid. An event id is counted once, ever. Each accepted event rescores its lead and applies the agreement's automatic moves in the same transaction; an event moves a lead (a hand raised such as a demo request, a re-qualification, a stage's entry criteria met) only if it happened within the last 7 days (for a recycled lead, after its recycling) and not at a competitor; a recycled lead within the recycle policy's nurture days returns only by a hand-raiser or, when the policy says so and its fit still qualifies, a pricing-page visit. Bodies over 5 MiB (5,242,880 bytes) answer 413.",
          body: eventsBodySchema,
          response: {
            202: ingestReplySchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            413: errorResponseSchema,
            415: errorResponseSchema.meta({
              description:
                "The body is not application/json in UTF-8, or is compressed (nothing is taken).",
            }),
            503: errorResponseSchema.meta({
              description:
                "Too many events are waiting to be stored (ACCORD_INGEST_MAX_QUEUED); nothing of the request was taken. Send it again after Retry-After seconds.",
            }),
          },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        let raw: unknown[];
        if (body && typeof body === "object" && !Array.isArray(body) && "events" in body) {
          const extra = Object.keys(body).filter((k) => k !== "events");
          if (extra.length) {
            throw new AppError(
              "VALIDATION_FAILED",
              `Unknown field ${extra.join(", ")} next to events.`,
              extra.map((k) => ({ path: k, message: "unknown field" })),
            );
          }
          const events = (body as { events: unknown }).events;
          if (!Array.isArray(events) || events.length === 0) {
            throw new AppError("VALIDATION_FAILED", "events must be a non-empty array.", [
              { path: "events", message: "expected a non-empty array" },
            ]);
          }
          if (events.length > MAX_BATCH) {
            throw new AppError(
              "VALIDATION_FAILED",
              `A batch holds at most ${MAX_BATCH} events; split it.`,
              [{ path: "events", message: `more than ${MAX_BATCH} items` }],
            );
          }
          raw = events;
        } else if (body && typeof body === "object" && !Array.isArray(body)) {
          raw = [body];
        } else {
          throw new AppError("VALIDATION_FAILED", 'Send one event object or {"events": [...]}.', [
            { path: "body", message: "expected an object" },
          ]);
        }
        const principal = principalOf(request);
        const outcomes = await service.ingest(
          principal.workspaceId,
          actorOf(principal),
          raw,
          principal.kind === "api_key" ? (principal.eventTypes ?? null) : null,
        );
        // An ingest-only key (the tracker's is public, in every page of a website) is not told
        // which leads exist: a lead id is a UUIDv7 and would show since when a person is known.
        const mayReadLeads = principal.kind === "user" || keyHasScope(principal.scopes, "read");
        const leadIds: (string | null)[] = [];
        const result: IngestReply = {
          accepted: 0,
          duplicates: 0,
          rejected: 0,
          errors: [],
          ...(mayReadLeads ? { leadIds } : {}),
        };
        outcomes.forEach((o, index) => {
          if (o.status === "rejected") {
            result.rejected++;
            const id = (raw[index] as { id?: unknown } | null)?.id;
            result.errors.push({
              index,
              id: typeof id === "string" ? id : null,
              code: o.code,
              message: o.message,
              ...(o.fields ? { fields: o.fields } : {}),
            });
            leadIds.push(null);
          } else {
            if (o.status === "accepted") result.accepted++;
            else result.duplicates++;
            leadIds.push(o.leadId);
          }
        });
        return reply.status(202).send(result);
      },
    );
  };
}
