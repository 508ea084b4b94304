import { type Kysely, sql } from "kysely";

// Forward-only: never edit a migration once committed; add a new file instead.
const statements = [
  // The recycle policy gained `requalifyOnAuthorityChange`. Agreements written before it say
  // nothing about it: they get it switched off, which is how they behaved when people signed
  // them (the API answers stored documents as they are, so each must carry every field).
  `update agreements
      set document = jsonb_set(document, '{recycle,requalifyOnAuthorityChange}', 'false'::jsonb)
    where document ? 'recycle' and not (document->'recycle' ? 'requalifyOnAuthorityChange')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
