import { z } from "zod";
import { EMAIL_PATTERN } from "../../domain/email.ts";

const primitive = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()], {
  error:
    "a property's value must be a string of up to 2,000 characters, a finite number, true, false or null (no objects or lists)",
});

const DATE_TIME_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** One event as senders post it. Validated item by item so one bad item never sinks a batch. */
export const eventItemSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: "The sender's idempotency key: an id is counted once, ever" }),
    type: z.string().min(1).max(64).meta({
      description:
        "page_view, email_click, content_download, webinar_registered, webinar_attended, form_submit, demo_request, social_engagement, unsubscribe, … or an alias the agreement maps",
    }),
    occurredAt: z.iso.datetime({
      offset: true,
      error: (issue) =>
        typeof issue.input === "string" && DATE_TIME_FORM.test(issue.input)
          ? `${issue.input} is not a real date and time (check the day of the month, the hour and the offset)`
          : "expected an ISO 8601 date and time with seconds and a time zone, like 2026-11-24T09:30:00Z or 2026-11-24T10:30:00+01:00",
    }),
    email: z
      .email({
        pattern: EMAIL_PATTERN,
        error: "expected an email address like jane@acme.com (no spaces around it)",
      })
      .max(254)
      .optional()
      .meta({ description: "Identifies the lead; an unknown email creates one" }),
    leadId: z.uuid().optional(),
    visitorId: z
      .string()
      .min(8)
      .max(100)
      .optional()
      .meta({ description: "Anonymous visitor; stitched to the lead when an event carries both" }),
    campaign: z.string().max(200).optional(),
    properties: z
      .record(z.string().max(100), primitive, {
        error: (issue) =>
          issue.code === "invalid_key" ? "property names are at most 100 characters" : undefined,
      })
      .refine((p) => Object.keys(p).length <= 50, "at most 50 properties")
      .optional()
      .meta({
        description:
          "For example url, title, topic, utm_source. At most 50, named in up to 100 characters; each value a string of up to 2,000 characters, a number, a boolean or null",
      }),
  })
  .refine((e) => e.email || e.leadId || e.visitorId, {
    message: "needs email, leadId or visitorId",
    path: ["email"],
  })
  .meta({
    id: "Event",
    description:
      "An engagement event. It names its lead by email or leadId, or an anonymous visitorId.",
  });
export type EventItem = z.infer<typeof eventItemSchema>;

export const MAX_BATCH = 1000;

export const eventsBodySchema = z.union([
  eventItemSchema,
  z.strictObject({ events: z.array(eventItemSchema).min(1).max(MAX_BATCH) }),
]);

export const ingestReplySchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(
      z.object({
        index: z.number().int(),
        id: z.string().nullable(),
        code: z.string(),
        message: z.string(),
        fields: z
          .array(z.object({ path: z.string(), message: z.string() }))
          .optional()
          .meta({ description: "The item's fields at fault, as dotted paths (properties.url)" }),
      }),
    ),
    leadIds: z.array(z.uuid().nullable()).optional().meta({
      description:
        "The lead of each item, in order (null when rejected or anonymous); a duplicate names the lead its event was counted for, whatever email the copy carries. Only for callers who may read leads: a key with the ingest scope alone, such as the tracker's public key, is not told which leads exist.",
    }),
  })
  .meta({ id: "IngestReply" });
export type IngestReply = z.infer<typeof ingestReplySchema>;
