/**
 * The web app's types of API answers are written by hand (the browser bundle must not pull in
 * server code); this file makes `npm run typecheck` fail when one of them drifts from the
 * schema the server answers with. Each line is a compile-time check, nothing runs.
 */
import type { z } from "zod";
import type { accountSchema } from "../../src/modules/accounts/accounts.schemas.ts";
import type { agreementSchema } from "../../src/modules/agreement/agreement.routes.ts";
import type { auditEntrySchema } from "../../src/modules/audit/audit.routes.ts";
import type { apiKeySchema, sessionSchema } from "../../src/modules/auth/auth.routes.ts";
import type {
  leadDetailSchema,
  leadPageSchema,
  leadSchema,
  transitionSchema,
} from "../../src/modules/leads/leads.schemas.ts";
import type { scoreSchema } from "../../src/modules/scoring/scoring.routes.ts";
import type { userSchema } from "../../src/modules/users/users.routes.ts";
import type { Agreement } from "../../web/src/modules/agreement/agreement.api.ts";
import type { ApiKey } from "../../web/src/modules/api-keys/api-keys.api.ts";
import type { AuditEntry } from "../../web/src/modules/audit/audit.api.ts";
import type { Session } from "../../web/src/modules/auth/session.ts";
import type { User } from "../../web/src/modules/auth/users.ts";
import type {
  Account,
  Lead,
  LeadDetail,
  LeadPage,
  LeadScore,
  Transition,
} from "../../web/src/modules/leads/leads.types.ts";

/** The type written out as plain objects and arrays (`X & Y` becomes one object type). */
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T]: Plain<T[K]> }
    : T;
/** true only when A and B are the same type (not merely assignable one way). */
type Same<A, B> =
  (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false;
type Answer<S extends z.ZodType> = z.output<S>;

export const contract: {
  lead: Same<Lead, Answer<typeof leadSchema>>;
  account: Same<Account, Answer<typeof accountSchema>>;
  transition: Same<Transition, Answer<typeof transitionSchema>>;
  leadDetail: Same<LeadDetail, Answer<typeof leadDetailSchema>>;
  leadPage: Same<LeadPage, Answer<typeof leadPageSchema>>;
  leadScore: Same<LeadScore, Answer<typeof scoreSchema>>;
  agreement: Same<Agreement, Answer<typeof agreementSchema>>;
  apiKey: Same<ApiKey, Answer<typeof apiKeySchema>>;
  auditEntry: Same<AuditEntry, Answer<typeof auditEntrySchema>>;
  session: Same<Session, Answer<typeof sessionSchema>>;
  // The web reads a person's id, name, role and team; it does not need when they joined.
  user: Same<User, Omit<Answer<typeof userSchema>, "createdAt">>;
} = {
  lead: true,
  account: true,
  transition: true,
  leadDetail: true,
  leadPage: true,
  leadScore: true,
  agreement: true,
  apiKey: true,
  auditEntry: true,
  session: true,
  user: true,
};
