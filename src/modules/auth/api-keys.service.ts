import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { isKnownEventType } from "../../domain/scoring/index.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AgreementService } from "../agreement/agreement.service.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import { actorOf, keyHasScope, type Principal, type Scope } from "./access.ts";
import type { ApiKeyRow, ApiKeysRepository } from "./api-keys.repository.ts";

export type ApiKeysServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  apiKeys: ApiKeysRepository;
  audit: AuditRepository;
  agreement: AgreementService;
};

// Keys carry 192 bits of randomness, so a fast hash is enough to store them: unlike passwords
// they cannot be guessed from a dictionary.
export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

export const MIN_KEY_LENGTH = 20;

/** How long a verified key is trusted without asking the database again. Bounds revocation lag. */
const CACHE_MS = 5_000;

export function createApiKeysService(deps: ApiKeysServiceDeps) {
  const cache = new Map<string, { principal: Principal | null; until: number }>();

  return {
    async create(
      actor: Principal | { kind: "system"; workspaceId: string },
      input: {
        name: string;
        scopes: Scope[];
        value?: string | undefined;
        /** The only event types the key may send (a public website key); unset: any. */
        eventTypes?: string[] | null | undefined;
      },
    ): Promise<{ key: string; apiKey: ApiKeyRow }> {
      const key = input.value ?? `acc_${randomBytes(24).toString("base64url")}`;
      if (key.length < MIN_KEY_LENGTH || /\s/.test(key)) {
        throw new AppError(
          "VALIDATION_FAILED",
          `An API key must be at least ${MIN_KEY_LENGTH} characters, without spaces.`,
          [{ path: "value", message: "too short or contains spaces" }],
        );
      }
      if (input.scopes.length === 0) {
        throw new AppError("VALIDATION_FAILED", "Give the key at least one scope.", [
          { path: "scopes", message: "empty" },
        ]);
      }
      const eventTypes = input.eventTypes?.length ? [...new Set(input.eventTypes)].sort() : null;
      if (eventTypes && !keyHasScope(input.scopes, "ingest")) {
        throw new AppError(
          "VALIDATION_FAILED",
          "Event types limit what a key may send: give it the ingest scope too.",
          [{ path: "eventTypes", message: "needs the ingest scope" }],
        );
      }
      if (eventTypes) {
        // A misspelt type would make the key refuse what it is meant to send, silently for a
        // website tracker: only types the agreement knows (not aliases) are taken.
        const model = (await deps.agreement.active(actor.workspaceId)).document.scoring;
        const unknown = eventTypes.filter(
          (t) => !isKnownEventType(t, model) || t in model.eventTypeAliases,
        );
        if (unknown.length) {
          throw new AppError(
            "VALIDATION_FAILED",
            `The agreement has no event type ${unknown.map((t) => `"${t}"`).join(", ")}; use its types, like page_view and form_submit.`,
            [{ path: "eventTypes", message: `unknown event type ${unknown.join(", ")}` }],
          );
        }
      }
      const id = deps.newId();
      const now = deps.clock();
      // A lookup of this value may have been cached as unknown a moment ago.
      cache.delete(hashApiKey(key));
      const a = actor.kind === "system" ? { type: "system" as const, id: null } : actorOf(actor);
      await deps.db.transaction().execute(async (trx) => {
        await deps.apiKeys.insert(
          {
            id,
            workspaceId: actor.workspaceId,
            name: input.name,
            prefix: key.slice(0, 8),
            keyHash: hashApiKey(key),
            scopes: input.scopes,
            eventTypes,
            createdBy: a.type === "user" ? a.id : null,
          },
          trx,
        );
        await deps.audit.append(
          [
            {
              workspaceId: actor.workspaceId,
              at: now,
              actorType: a.type,
              actorId: a.id,
              action: "api_key.created",
              entityType: "api_key",
              entityId: id,
              after: {
                name: input.name,
                scopes: input.scopes,
                eventTypes,
                prefix: key.slice(0, 8),
              },
            },
          ],
          trx,
        );
      });
      return {
        key,
        apiKey: {
          id,
          workspaceId: actor.workspaceId,
          name: input.name,
          prefix: key.slice(0, 8),
          scopes: input.scopes,
          eventTypes,
          createdAt: now,
          revokedAt: null,
          lastUsedAt: null,
        },
      };
    },

    async revoke(principal: Principal, id: string): Promise<ApiKeyRow> {
      const now = deps.clock();
      const revoked = await deps.db.transaction().execute(async (trx) => {
        const row = await deps.apiKeys.revoke(principal.workspaceId, id, now, trx);
        if (!row)
          throw new AppError("NOT_FOUND", "No active API key with this id in this workspace.");
        const a = actorOf(principal);
        await deps.audit.append(
          [
            {
              workspaceId: principal.workspaceId,
              at: now,
              actorType: a.type,
              actorId: a.id,
              action: "api_key.revoked",
              entityType: "api_key",
              entityId: id,
              before: { revokedAt: null },
              after: { revokedAt: now },
            },
          ],
          trx,
        );
        return row;
      });
      cache.clear();
      return revoked;
    },

    list: (principal: Principal) => deps.apiKeys.list(principal.workspaceId),

    /** The principal a bearer key stands for, or null for unknown and revoked keys. */
    async authenticate(key: string): Promise<Principal | null> {
      const hash = hashApiKey(key);
      const now = Date.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.principal;
      const row = await deps.apiKeys.findActiveByHash(hash);
      const principal: Principal | null = row
        ? {
            kind: "api_key",
            workspaceId: row.workspaceId,
            keyId: row.id,
            scopes: row.scopes,
            eventTypes: row.eventTypes,
          }
        : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { principal, until: now + CACHE_MS });
      return principal;
    },
  };
}
export type ApiKeysService = ReturnType<typeof createApiKeysService>;
