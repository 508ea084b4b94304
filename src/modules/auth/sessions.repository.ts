import { type Kysely, sql } from "kysely";
import type { DB } from "../../platform/db/schema.ts";
import type { Role } from "./access.ts";

export type SessionWithUser = {
  workspaceId: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { email: string; name: string; role: Role; disabledAt: Date | null };
};

export function createSessionsRepository(db: Kysely<DB>) {
  return {
    async insert(s: {
      tokenHash: string;
      workspaceId: string;
      userId: string;
      csrfToken: string;
      now: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db
        .insertInto("sessions")
        .values({
          token_hash: s.tokenHash,
          workspace_id: s.workspaceId,
          user_id: s.userId,
          csrf_token: s.csrfToken,
          created_at: s.now,
          expires_at: s.expiresAt,
          last_seen_at: s.now,
        })
        .execute();
    },
    async find(tokenHash: string, now: Date): Promise<SessionWithUser | undefined> {
      const r = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          "sessions.workspace_id",
          "sessions.user_id",
          "sessions.csrf_token",
          "sessions.expires_at",
          "sessions.last_seen_at",
          "users.email",
          "users.name",
          "users.role",
          "users.disabled_at",
        ])
        .where("sessions.token_hash", "=", tokenHash)
        .where("sessions.expires_at", ">", now)
        .executeTakeFirst();
      return (
        r && {
          workspaceId: r.workspace_id,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          expiresAt: r.expires_at,
          lastSeenAt: r.last_seen_at,
          user: { email: r.email, name: r.name, role: r.role as Role, disabledAt: r.disabled_at },
        }
      );
    },
    async touch(tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
      await db
        .updateTable("sessions")
        .set({ last_seen_at: now, expires_at: expiresAt })
        .where("token_hash", "=", tokenHash)
        .execute();
    },
    async delete(tokenHash: string): Promise<void> {
      await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
    },
    async deleteExpired(now: Date): Promise<void> {
      await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
    },

    /** When sign-ins with this email failed since `since`, the oldest first. */
    async failuresSince(email: string, since: Date): Promise<Date[]> {
      const rows = await db
        .selectFrom("sign_in_failures")
        .select("at")
        .where("email", "=", email)
        .where("at", ">", since)
        .orderBy("at")
        .execute();
      return rows.map((r) => new Date(r.at));
    },

    /** Records a failed sign-in, and forgets every failure at or before `forgetUntil`. */
    async recordFailure(email: string, at: Date, forgetUntil: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("sign_in_failures").where("at", "<=", forgetUntil).execute();
        await trx.insertInto("sign_in_failures").values({ email, at }).execute();
      });
    },

    /** Takes back one failure recorded at `at` (an attempt turned away before its check). */
    async withdrawFailure(email: string, at: Date): Promise<void> {
      // Rows of attempts made in the same millisecond are alike: each withdrawal locks one of
      // them, skipping those others are withdrawing, so each takes back a row of its own.
      await sql`delete from sign_in_failures where ctid = (
        select ctid from sign_in_failures where email = ${email} and at = ${at}
        limit 1 for update skip locked)`.execute(db);
    },

    async clearFailures(email: string): Promise<void> {
      await db.deleteFrom("sign_in_failures").where("email", "=", email).execute();
    },
  };
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
