import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  "create extension if not exists pg_trgm",
  // What the lead list's search box matches, in one lower-cased column with a trigram index,
  // so "smith" finds names, emails and companies without reading every lead.
  `alter table leads add column search_text text generated always as (
     lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, ''))
   ) stored`,
  "create index leads_search_idx on leads using gin (search_text gin_trgm_ops)",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
