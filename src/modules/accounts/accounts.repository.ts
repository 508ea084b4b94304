import { type Kysely, sql } from "kysely";
import type { DB } from "../../platform/db/schema.ts";

export type AccountRecord = {
  id: string;
  workspaceId: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  country: string | null;
  technologies: string[];
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type AccountFields = Omit<AccountRecord, "id" | "workspaceId" | "createdAt" | "updatedAt">;

type Row = DB["accounts"] extends infer T ? { [K in keyof T]: unknown } : never;

function toRecord(r: Record<keyof Row, unknown>): AccountRecord {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    name: r.name as string,
    domain: r.domain as string | null,
    industry: r.industry as string | null,
    employees: r.employees as number | null,
    annualRevenue: r.annual_revenue as number | null,
    country: r.country as string | null,
    technologies: (r.technologies as string[] | null) ?? [],
    ownerId: r.owner_id as string | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

const columnOf = {
  name: "name",
  domain: "domain",
  industry: "industry",
  employees: "employees",
  annualRevenue: "annual_revenue",
  country: "country",
  technologies: "technologies",
  ownerId: "owner_id",
} as const;

function toColumns(fields: Partial<AccountFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columnOf)) {
    const value = fields[key as keyof AccountFields];
    if (value === undefined) continue;
    out[column] = key === "technologies" ? JSON.stringify(value) : value;
  }
  return out;
}

export function createAccountsRepository(db: Kysely<DB>) {
  return {
    async insert(
      a: { id: string; workspaceId: string; now: Date } & Partial<AccountFields> & { name: string },
      trx: Kysely<DB> = db,
    ): Promise<AccountRecord> {
      const r = await trx
        .insertInto("accounts")
        .values({
          ...(toColumns(a) as { name: string }),
          id: a.id,
          workspace_id: a.workspaceId,
          created_at: a.now,
          updated_at: a.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(r);
    },
    /** The account that owns `domain`, created on first sight. Safe under concurrent callers. */
    async ensureForDomain(
      a: { id: string; workspaceId: string; domain: string; name: string; now: Date },
      trx: Kysely<DB> = db,
    ): Promise<{ account: AccountRecord; created: boolean }> {
      const inserted = await trx
        .insertInto("accounts")
        .values({
          id: a.id,
          workspace_id: a.workspaceId,
          name: a.name,
          domain: a.domain,
          created_at: a.now,
          updated_at: a.now,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "domain"]).where("domain", "is not", null).doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { account: toRecord(inserted), created: true };
      const existing = await trx
        .selectFrom("accounts")
        .selectAll()
        .where("workspace_id", "=", a.workspaceId)
        .where("domain", "=", a.domain)
        .executeTakeFirstOrThrow();
      return { account: toRecord(existing), created: false };
    },
    async findById(
      workspaceId: string,
      id: string,
      trx: Kysely<DB> = db,
    ): Promise<AccountRecord | undefined> {
      const r = await trx
        .selectFrom("accounts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toRecord(r);
    },
    async findByDomain(
      workspaceId: string,
      domain: string,
      trx: Kysely<DB> = db,
    ): Promise<AccountRecord | undefined> {
      const r = await trx
        .selectFrom("accounts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("domain", "=", domain)
        .executeTakeFirst();
      return r && toRecord(r);
    },
    async list(
      workspaceId: string,
      options: {
        q?: string | undefined;
        limit: number;
        after?: { name: string; id: string } | undefined;
      },
    ): Promise<AccountRecord[]> {
      let q = db
        .selectFrom("accounts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy(sql`lower(name)`)
        .orderBy("id")
        .limit(options.limit);
      if (options.q) {
        const like = `%${escapeLike(options.q)}%`;
        q = q.where((eb) => eb.or([eb("name", "ilike", like), eb("domain", "ilike", like)]));
      }
      if (options.after) {
        const { name, id } = options.after;
        q = q.where(sql<boolean>`(lower(name), id) > (lower(${name}), ${id})`);
      }
      return (await q.execute()).map(toRecord);
    },
    async update(
      workspaceId: string,
      id: string,
      fields: Partial<AccountFields>,
      now: Date,
      trx: Kysely<DB> = db,
    ): Promise<AccountRecord | undefined> {
      const r = await trx
        .updateTable("accounts")
        .set({ ...toColumns(fields), updated_at: now })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return r && toRecord(r);
    },
  };
}
export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
