import type {} from "@fastify/cookie";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { roles } from "../../domain/roles.ts";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { idParams } from "../../http/schema-helpers.ts";
import { adminsOnly, type Scope, scopes } from "./access.ts";
import type { ApiKeysService } from "./api-keys.service.ts";
import type { SessionsService } from "./sessions.service.ts";

export const SESSION_COOKIE = "accord_session";

const sessionUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    workspaceId: z.uuid(),
  })
  .meta({ id: "SessionUser" });
export const sessionSchema = z.object({ user: sessionUserSchema, csrfToken: z.string() });

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the key, to recognise it" }),
    scopes: z.array(z.enum(scopes)),
    eventTypes: z.array(z.string()).nullable().meta({
      description:
        "The only event types the key may send (others are rejected item by item with EVENT_TYPE_NOT_ALLOWED); null: any",
    }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });

export function authRoutes(deps: {
  sessions: SessionsService;
  apiKeys: ApiKeysService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/auth/sign-in",
      {
        config: { access: { public: true } },
        schema: {
          tags: ["Auth"],
          summary: "Sign in with email and password",
          description:
            "Sets an httpOnly session cookie and returns the CSRF token to send as `x-csrf-token` on every write made with that cookie. After 5 failed attempts for an email within 15 minutes, answers 429.",
          security: [],
          body: z.strictObject({
            email: z.string().trim().min(3).max(254),
            password: z.string().min(1).max(1000),
          }),
          response: {
            200: sessionSchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const s = await deps.sessions.signIn(request.body.email, request.body.password);
        reply.setCookie(SESSION_COOKIE, s.token, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: "auto",
          expires: s.expiresAt,
        });
        return { user: s.user, csrfToken: s.csrfToken };
      },
    );

    app.post(
      "/auth/sign-out",
      {
        config: { access: { public: true } },
        schema: {
          tags: ["Auth"],
          summary: "Sign out: ends the session of the cookie",
          security: [],
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await deps.sessions.signOut(token);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/auth/session",
      {
        config: { access: { public: true } },
        schema: {
          tags: ["Auth"],
          summary: "The signed-in person and the CSRF token of the session cookie",
          security: [],
          response: { 200: sessionSchema, 401: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        const session = token ? await deps.sessions.resolve(token) : null;
        if (!session) {
          return reply
            .status(401)
            .send({ error: { code: "UNAUTHENTICATED", message: "You are not signed in." } });
        }
        const p = session.principal;
        return {
          user: {
            id: p.userId,
            email: p.email,
            name: p.name,
            role: p.role,
            workspaceId: p.workspaceId,
          },
          csrfToken: session.csrfToken,
        };
      },
    );

    app.get(
      "/api-keys",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["API keys"],
          summary: "List the workspace's API keys",
          response: {
            200: z.object({ items: z.array(apiKeySchema) }),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => ({
        items: (await deps.apiKeys.list(principalOf(request))).map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          scopes: k.scopes,
          eventTypes: k.eventTypes,
          createdAt: k.createdAt.toISOString(),
          revokedAt: k.revokedAt?.toISOString() ?? null,
        })),
      }),
    );

    app.post(
      "/api-keys",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["API keys"],
          summary: "Create an API key",
          description: "The key is shown once, in this answer; only its hash is stored.",
          body: z.strictObject({
            name: z.string().trim().min(1).max(100),
            scopes: z.array(z.enum(scopes)).min(1).max(4),
            eventTypes: z
              .array(
                z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be an event type like page_view"),
              )
              .min(1)
              .max(50)
              .optional()
              .meta({
                description:
                  "Limit the key to these event types, e.g. page_view and form_submit for a website's public tracker key",
              }),
          }),
          response: {
            201: apiKeySchema.extend({ key: z.string() }),
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const { key, apiKey } = await deps.apiKeys.create(principalOf(request), {
          name: request.body.name,
          scopes: [...new Set(request.body.scopes)] as Scope[],
          eventTypes: request.body.eventTypes,
        });
        return reply.status(201).send({
          id: apiKey.id,
          name: apiKey.name,
          prefix: apiKey.prefix,
          scopes: apiKey.scopes,
          eventTypes: apiKey.eventTypes,
          createdAt: apiKey.createdAt.toISOString(),
          revokedAt: null,
          key,
        });
      },
    );

    app.delete(
      "/api-keys/:id",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["API keys"],
          summary: "Revoke an API key",
          params: idParams,
          response: {
            204: z.null(),
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        await deps.apiKeys.revoke(principalOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
