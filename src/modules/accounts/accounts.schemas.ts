import { z } from "zod";
import { text } from "../../http/schema-helpers.ts";
import type { AccountRecord } from "./accounts.repository.ts";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a domain like example.com");

export const accountCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domain: domain.nullable().optional(),
  industry: text(100),
  employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
  annualRevenue: z.number().min(0).max(1e13).nullable().optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code, e.g. US")
    .nullable()
    .optional(),
  technologies: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  ownerId: z.uuid().nullable().optional(),
});

export const accountPatchSchema = accountCreateSchema.partial();

export const accountListQuery = z.strictObject({
  q: z.string().trim().max(200).optional().meta({ description: "Matches name or domain" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const accountSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    annualRevenue: z.number().nullable(),
    country: z.string().nullable(),
    technologies: z.array(z.string()),
    ownerId: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Account" });

export const accountPageSchema = z.object({
  items: z.array(accountSchema),
  nextCursor: z.string().nullable(),
});

export const accountCursor = z.object({ name: z.string(), id: z.uuid() });

export function toAccountResponse(a: AccountRecord): z.infer<typeof accountSchema> {
  return {
    id: a.id,
    name: a.name,
    domain: a.domain,
    industry: a.industry,
    employees: a.employees,
    annualRevenue: a.annualRevenue,
    country: a.country,
    technologies: a.technologies,
    ownerId: a.ownerId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
