import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import type { UsersRepository } from "../users/users.repository.ts";
import { hashPassword, verifyPassword } from "../users/users.service.ts";
import type { Principal, Role } from "./access.ts";
import type { SessionsRepository } from "./sessions.repository.ts";

export type SessionsServiceDeps = {
  clock: () => Date;
  sessions: SessionsRepository;
  users: UsersRepository;
  audit: AuditRepository;
};

/** Sessions last a working week of inactivity; each use extends them. */
const SESSION_MS = 7 * 24 * 3600 * 1000;
/** Extend the expiry at most this often, so reads do not write on every request. */
const TOUCH_MS = 5 * 60 * 1000;
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

// Verified for unknown emails too, so a wrong email takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
};

export type SignedIn = {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string; role: Role; workspaceId: string };
};

export function createSessionsService(deps: SessionsServiceDeps) {
  // Failed sign-ins are kept in the database, per email tried, so the limit holds across
  // every API process and restart.
  function limited(failures: Date[], now: Date): AppError {
    // Turned away among many attempts at once, all of which took theirs back.
    if (failures.length < MAX_FAILURES)
      return new AppError(
        "RATE_LIMITED",
        "Too many sign-ins for this email at once. Try again in a minute.",
      );
    // Open again when the oldest failure that still counts leaves the window (attempts made
    // meanwhile on other processes are dated by their own clock: at most the window).
    const oldest = failures[failures.length - MAX_FAILURES]!.getTime();
    const windowMinutes = FAILURE_WINDOW_MS / 60000;
    const retryIn = Math.min(
      windowMinutes,
      Math.max(1, Math.ceil((FAILURE_WINDOW_MS - (now.getTime() - oldest)) / 60000)),
    );
    return new AppError(
      "RATE_LIMITED",
      `Too many failed sign-ins for this email. Try again in ${retryIn} minute${retryIn === 1 ? "" : "s"}.`,
    );
  }

  return {
    async signIn(emailInput: string, password: string): Promise<SignedIn> {
      const email = emailInput.trim().toLowerCase();
      const now = deps.clock();
      const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
      const recent = await deps.sessions.failuresSince(email, windowStart);
      if (recent.length >= MAX_FAILURES) throw limited(recent, now);
      // The attempt counts as a failure before the password is checked (a slow hash), so that
      // attempts in flight at once, on any process, see each other: however many come
      // together, at most MAX_FAILURES passwords are tried per window. A success clears them.
      await deps.sessions.recordFailure(email, now, windowStart);
      const counted = await deps.sessions.failuresSince(email, windowStart);
      if (counted.length > MAX_FAILURES) {
        await deps.sessions.withdrawFailure(email, now);
        throw limited(await deps.sessions.failuresSince(email, windowStart), now);
      }
      const user = await deps.users.findCredentials(email);
      const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
      if (!user || !ok || !user.passwordHash || user.disabledAt) {
        throw new AppError("INVALID_CREDENTIALS", "Wrong email or password.");
      }
      await deps.sessions.clearFailures(email);
      const token = randomBytes(32).toString("base64url");
      const csrfToken = randomBytes(24).toString("base64url");
      const expiresAt = new Date(now.getTime() + SESSION_MS);
      await deps.sessions.insert({
        tokenHash: hashToken(token),
        workspaceId: user.workspaceId,
        userId: user.id,
        csrfToken,
        now,
        expiresAt,
      });
      await deps.audit.append([
        {
          workspaceId: user.workspaceId,
          at: now,
          actorType: "user",
          actorId: user.id,
          action: "user.signed_in",
          entityType: "user",
          entityId: user.id,
        },
      ]);
      return {
        token,
        csrfToken,
        expiresAt,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          workspaceId: user.workspaceId,
        },
      };
    },

    async signOut(token: string): Promise<void> {
      await deps.sessions.delete(hashToken(token));
    },

    /** The signed-in user of a session cookie, or null when it is unknown or expired. */
    async resolve(
      token: string,
    ): Promise<{ principal: Principal & { kind: "user" }; csrfToken: string } | null> {
      const now = deps.clock();
      const tokenHash = hashToken(token);
      const session = await deps.sessions.find(tokenHash, now);
      if (!session || session.user.disabledAt) return null;
      if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_MS) {
        await deps.sessions.touch(tokenHash, now, new Date(now.getTime() + SESSION_MS));
      }
      return {
        principal: {
          kind: "user",
          workspaceId: session.workspaceId,
          userId: session.userId,
          role: session.user.role,
          name: session.user.name,
          email: session.user.email,
        },
        csrfToken: session.csrfToken,
      };
    },
  };
}
export type SessionsService = ReturnType<typeof createSessionsService>;

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
