import { z } from "zod";
import { EMAIL_PATTERN } from "../../domain/email.ts";
import { stages } from "../../domain/lifecycle.ts";
import { isoDate, isoOrNull, text } from "../../http/schema-helpers.ts";
import { accountSchema } from "../accounts/accounts.schemas.ts";
import type { LeadRecord, TransitionRow } from "./leads.repository.ts";
import { leadSortKeys } from "./leads.repository.ts";

const stageEnum = z.enum(stages);

const bantAnswer = z.string().trim().max(1000).optional();
const qualificationInput = z.strictObject({
  budget: bantAnswer,
  authority: bantAnswer,
  need: bantAnswer,
  timeframe: bantAnswer,
  motivation: bantAnswer,
  meetingAt: z.union([isoDate, z.literal("")]).optional(),
});

export const leadCreateSchema = z.strictObject({
  email: z.email({ pattern: EMAIL_PATTERN, error: "must be an email address" }).max(254),
  firstName: text(100),
  lastName: text(100),
  title: text(200),
  seniority: z.enum(["c_level", "vp", "director", "manager", "individual"]).nullable().optional(),
  department: text(100),
  company: text(200),
  phone: text(50),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code, e.g. US")
    .nullable()
    .optional(),
  source: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,64}$/, "lower-case code, e.g. paid_search")
    .nullable()
    .optional(),
  campaign: text(200),
  sourcedBy: z.enum(["marketing", "sales"]).optional(),
  consent: z.boolean().optional(),
  accountId: z.uuid().nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  attributes: z
    .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
    .refine((r) => Object.keys(r).length <= 100, "at most 100 attributes")
    .optional(),
});

export const leadPatchSchema = leadCreateSchema.partial().extend({
  qualification: qualificationInput
    .optional()
    .meta({ description: 'BANT(M) answers, merged over the saved ones; "" clears one' }),
});

export const leadCreateQuery = z.strictObject({
  upsert: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .meta({ description: "Update the lead with the same email instead of answering 409" }),
});

export const transitionCreateSchema = z.strictObject({
  to: stageEnum,
  reason: z
    .string()
    .trim()
    .max(64)
    .optional()
    .meta({ description: "A reason code from the agreement's lists" }),
  note: z.string().trim().max(2000).optional(),
  expectedStage: stageEnum.optional().meta({
    description: "The stage you saw; if the lead has moved since, the answer is 409 STAGE_CONFLICT",
  }),
  qualification: qualificationInput
    .optional()
    .meta({ description: "BANT(M) answers and the booked meeting" }),
});

export const leadListQuery = z.strictObject({
  stage: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const list = v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.filter((s) => !(stages as readonly string[]).includes(s));
      if (bad.length) {
        ctx.addIssue({
          code: "custom",
          message: `unknown stage ${bad.join(", ")}; use ${stages.join(", ")}`,
        });
        return z.NEVER;
      }
      return list as (typeof stages)[number][];
    })
    .meta({ description: "One stage or several, comma-separated" }),
  ownerId: z
    .union([z.uuid(), z.literal("none")])
    .optional()
    .meta({ description: "A user id, or 'none' for unowned leads" }),
  accountId: z.uuid().optional(),
  source: z.string().max(64).optional(),
  campaign: z.string().max(200).optional(),
  minEngagement: z.coerce.number().min(0).max(100_000).optional().meta({
    description:
      "Only leads whose engagement score is at least this (the stored sort key, revalued every 30 s)",
  }),
  q: z.string().trim().max(200).optional().meta({ description: "Matches email, name or company" }),
  sort: z.enum(Object.keys(leadSortKeys) as [keyof typeof leadSortKeys]).default("createdAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  total: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .meta({ description: "Also count all matching leads" }),
});

export const leadCursor = z.object({
  v: z.union([z.string(), z.number()]),
  id: z.uuid(),
  s: z.string(),
  o: z.string(),
});

export const leadSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable(),
    seniority: z.string().nullable(),
    department: z.string().nullable(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
    country: z.string().nullable(),
    source: z.string().nullable(),
    campaign: z.string().nullable(),
    sourcedBy: z.enum(["marketing", "sales"]),
    consent: z.boolean(),
    accountId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    stage: stageEnum,
    stageEnteredAt: z.string(),
    qualification: z.record(z.string(), z.string()),
    attributes: z.record(z.string(), z.unknown()),
    fitScore: z.number(),
    fitGrade: z.string(),
    engagementScore: z.number(),
    scoreUpdatedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Lead" });

export const transitionSchema = z
  .object({
    id: z.uuid(),
    leadId: z.uuid(),
    fromStage: stageEnum.nullable(),
    toStage: stageEnum,
    occurredAt: z.string(),
    actorType: z.enum(["user", "api_key", "rule", "system"]),
    actorId: z.uuid().nullable(),
    rule: z.string().nullable(),
    reason: z.string().nullable(),
    note: z.string().nullable(),
    agreementVersion: z.number().int(),
  })
  .meta({ id: "StageTransition" });

export const leadDetailSchema = z.object({
  lead: leadSchema,
  account: accountSchema.nullable(),
  stageDefinition: z.object({ label: z.string(), definition: z.string() }),
  agreementVersion: z.number().int(),
  history: z.array(transitionSchema.extend({ actorName: z.string().nullable() })),
});

export const leadPageSchema = z.object({
  items: z.array(leadSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().nullable(),
});

export const transitionResultSchema = z.object({ lead: leadSchema, transition: transitionSchema });

export function toLeadResponse(l: LeadRecord): z.infer<typeof leadSchema> {
  return {
    id: l.id,
    email: l.email,
    firstName: l.firstName,
    lastName: l.lastName,
    title: l.title,
    seniority: l.seniority,
    department: l.department,
    company: l.company,
    phone: l.phone,
    country: l.country,
    source: l.source,
    campaign: l.campaign,
    sourcedBy: l.sourcedBy,
    consent: l.consent,
    accountId: l.accountId,
    ownerId: l.ownerId,
    stage: l.stage,
    stageEnteredAt: l.stageEnteredAt.toISOString(),
    qualification: l.qualification as Record<string, string>,
    attributes: l.attributes,
    fitScore: Math.round(l.fitScore * 10) / 10,
    fitGrade: l.fitGrade,
    engagementScore: Math.round(l.engagementScore * 10) / 10,
    scoreUpdatedAt: isoOrNull(l.scoreUpdatedAt),
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

export function toTransitionResponse(t: TransitionRow): z.infer<typeof transitionSchema> {
  return {
    id: t.id,
    leadId: t.leadId,
    fromStage: t.fromStage ?? null,
    toStage: t.toStage,
    occurredAt: t.occurredAt.toISOString(),
    actorType: t.actorType,
    actorId: t.actorId,
    rule: t.rule,
    reason: t.reason,
    note: t.note,
    agreementVersion: t.agreementVersion,
  };
}
