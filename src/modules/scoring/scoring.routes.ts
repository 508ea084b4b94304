import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { idParams } from "../../http/schema-helpers.ts";
import { everyone } from "../auth/access.ts";
import type { ScoringService } from "./scoring.service.ts";

export const scoreSchema = z
  .object({
    leadId: z.uuid(),
    at: z.string().meta({ description: "The instant the scores are valued at (now)" }),
    agreementVersion: z.number().int(),
    fit: z.object({
      score: z
        .number()
        .describe(
          "The contributions' points added up and kept between 0 and 100 (so they add up to the score unless the sum lies outside).",
        ),
      grade: z.enum(["A", "B", "C", "D"]),
      thresholds: z.object({ A: z.number(), B: z.number(), C: z.number() }),
      contributions: z.array(
        z.object({
          ruleId: z.string(),
          label: z.string(),
          attribute: z.string(),
          value: z.union([z.string(), z.number()]),
          points: z.number(),
        }),
      ),
    }),
    engagement: z.object({
      score: z.number().describe("The signals' decayed points added up; never below 0."),
      signals: z.array(
        z.object({
          signalId: z.string(),
          label: z.string(),
          events: z.number().int(),
          rawPoints: z.number(),
          decayedPoints: z
            .number()
            .describe(
              "What the signal is worth now, after decay and cap, in tenths rounded so that the signals add up to the score (unless negative signals took the sum below zero, where the score is 0).",
            ),
          capped: z.boolean(),
          halfLifeDays: z.number().nullable(),
          cap: z.number().nullable(),
        }),
      ),
      events: z.array(
        z.object({
          eventId: z.string(),
          type: z.string(),
          occurredAt: z.string(),
          url: z.string().nullable(),
          campaign: z.string().nullable(),
          signalId: z.string().nullable(),
          signalLabel: z.string().nullable(),
          points: z.number().meta({
            description:
              "What the event is worth now, after decay; when its signal is capped, its share of the cap (its points in proportion), so a signal's events add up to the signal's points",
          }),
        }),
      ),
    }),
    criteria: z.array(
      z.object({
        stage: z.enum(["mrl", "mql"]),
        met: z.boolean(),
        conditions: z.array(
          z.object({ description: z.string(), met: z.boolean(), detail: z.string() }),
        ),
      }),
    ),
    history: z.array(
      z.object({
        at: z.string(),
        fitScore: z.number(),
        fitGrade: z.string(),
        engagementScore: z.number(),
        cause: z.string(),
        source: z
          .enum(["recorded", "events", "decay"])
          .describe(
            "decay: after the last event, the fade of engagement as the lead's signals decay (23 points at even steps up to now, when that is over an hour; the fit as last recorded; cause empty). recorded: the score as Accord recorded it when events reached it (at most once a minute, and at every automatic stage change; cause is then the event types), or when an edit of the lead changed its fit or let a rule move it (cause profile_update). events: rebuilt from the lead's events by when they happened, for the time up to the last arrival of events received more than an hour after they happened (an import of past activity, a delayed sync): one point per burst of events within an hour, from the latest 1,000 events of that time, valued under the current agreement with the fit recorded by then. Recorded points up to that arrival are left out.",
          ),
      }),
    ),
  })
  .meta({ id: "LeadScore" });

export function scoringRoutes(service: ScoringService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/leads/:id/score",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Leads"],
          summary: "Why a lead has its score",
          description:
            "Fit and engagement valued now, with every contributing fit rule, signal and recent event and its points, the agreement's entry criteria for mrl and mql with which hold, and the score history.",
          params: idParams,
          response: {
            200: scoreSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const s = await service.explain(principalOf(request), request.params.id);
        return {
          ...s,
          at: s.at.toISOString(),
          engagement: {
            ...s.engagement,
            events: s.engagement.events.map((e) => ({
              ...e,
              occurredAt: e.occurredAt.toISOString(),
            })),
          },
          history: s.history.map((h) => ({ ...h, at: h.at.toISOString() })),
        };
      },
    );
  };
}
