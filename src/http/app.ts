import { existsSync } from "node:fs";
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import scalarReference from "@scalar/fastify-api-reference";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import { AppError } from "../domain/errors.ts";
import { accountsRoutes } from "../modules/accounts/accounts.routes.ts";
import { agreementRoutes } from "../modules/agreement/agreement.routes.ts";
import { auditRoutes } from "../modules/audit/audit.routes.ts";
import { authRoutes, SESSION_COOKIE } from "../modules/auth/auth.routes.ts";
import { sameToken } from "../modules/auth/sessions.service.ts";
import { eventsRoutes } from "../modules/events/events.routes.ts";
import { trackerRoutes } from "../modules/events/tracker.routes.ts";
import { leadsRoutes } from "../modules/leads/leads.routes.ts";
import { scoringRoutes } from "../modules/scoring/scoring.routes.ts";
import { usersRoutes } from "../modules/users/users.routes.ts";
import type { Services } from "../services.ts";
import { installAccessControl, type RouteRule } from "./access-control.ts";
import { errorBody, errorResponseSchema, installErrorHandling } from "./errors.ts";

export type AppOptions = {
  services: Services;
  logger?: boolean | { level: string };
  /** Largest JSON body outside of event ingestion. */
  bodyLimit?: number;
  /** The built web app (web/dist); served at / when present. */
  webDir?: string | undefined;
  trustProxy?: boolean;
  /** How long a refused (413) body is drained at most before the answer (tests). */
  drainTimeoutMs?: number;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const API_VERSION = "0.1.0";

declare module "fastify" {
  interface FastifyInstance {
    /** Every API route and who may call it, for the access-matrix test and the docs. */
    accessRules: RouteRule[];
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
    // Keep-alive sockets idle longer than a load balancer's, so it never reuses a closed one.
    keepAliveTimeout: 65_000,
    // Behind a TLS-terminating proxy, trust X-Forwarded-Proto so session cookies get Secure.
    trustProxy: options.trustProxy ?? false,
    // Errors Fastify meets before routing (a URL with bad percent-encoding) answer in the API's
    // error shape too.
    frameworkErrors: (error, _request, reply) => {
      const badUrl = error.code === "FST_ERR_BAD_URL";
      void (reply as unknown as FastifyReply)
        .status(400)
        .send(
          errorBody(
            "BAD_REQUEST",
            badUrl
              ? "The URL is not valid: a % must be followed by two hexadecimal digits."
              : error.message,
          ),
        );
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const serveWeb = Boolean(options.webDir && existsSync(options.webDir));
  installErrorHandling(app, { spaFallback: serveWeb, drainTimeoutMs: options.drainTimeoutMs });
  await app.register(fastifyCookie);
  // Websites post events from their own origin with a public ingest key (see /t.js); nothing
  // else is open to other origins, and no cookie ever rides along.
  await app.register(fastifyCors, {
    delegator: (request, callback) => {
      const open = request.url?.startsWith("/api/v1/events");
      callback(
        null,
        open
          ? {
              origin: true,
              methods: ["POST"],
              allowedHeaders: ["authorization", "content-type"],
              // The tracker reads when to send again after a 503.
              exposedHeaders: ["retry-after"],
              maxAge: 86400,
            }
          : { origin: false },
      );
    },
  });
  app.decorate("accessRules", [] as RouteRule[]);
  const accessRules = installAccessControl(app, async (request) => {
    const header = request.headers.authorization;
    // The scheme is case-insensitive (RFC 9110): "bearer" works as "Bearer" does.
    if (header && /^bearer\b/i.test(header)) {
      // A malformed Bearer header is no credential; it never falls back to the cookie.
      const bearer = /^bearer\s+(\S+)\s*$/i.exec(header);
      return bearer ? services.apiKeys.authenticate(bearer[1]!) : null;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = await services.sessions.resolve(token);
    if (!session) return null;
    // Cookies ride along on cross-site requests; a write must also prove it read the token.
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !sameToken(sent, session.csrfToken)) {
        throw new AppError(
          "CSRF_FAILED",
          "This write lacks the session's CSRF token (x-csrf-token header). Reload the page and try again.",
        );
      }
    }
    return session.principal;
  });
  app.accessRules = accessRules;

  // Every route that validates input can answer 400: say so in its documented responses.
  app.addHook("onRoute", (route) => {
    const schema = route.schema as
      | {
          params?: unknown;
          querystring?: unknown;
          body?: unknown;
          response?: Record<string, unknown>;
        }
      | undefined;
    if (
      schema?.response &&
      (schema.params || schema.querystring || schema.body) &&
      !schema.response[400]
    ) {
      schema.response[400] = errorResponseSchema;
    }
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Accord API",
        version: API_VERSION,
        description:
          'The shared system of record for the B2B lead funnel. Every error has the shape `{"error": {"code", "message", "fields"?}}`.',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: "http",
            scheme: "bearer",
            description: "An API key: `Authorization: Bearer <key>`",
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get(
    "/api/openapi.json",
    { config: { access: { public: true } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  await app.register(scalarReference, {
    routePrefix: "/api/docs",
    configuration: { url: "/api/openapi.json", title: "Accord API reference" },
  });

  app.get(
    "/healthz",
    {
      config: { access: { public: true } },
      schema: {
        tags: ["Health"],
        security: [],
        summary: "Liveness: the process is up",
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );
  app.get(
    "/readyz",
    {
      config: { access: { public: true } },
      schema: {
        tags: ["Health"],
        security: [],
        summary: "Readiness: the database answers",
        response: {
          200: z.object({ status: z.literal("ready") }),
          503: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(services.db);
        return { status: "ready" as const };
      } catch {
        return reply.status(503).send(errorBody("NOT_READY", "The database does not answer."));
      }
    },
  );

  await app.register(trackerRoutes());
  await app.register(
    async (api) => {
      await api.register(leadsRoutes(services.leads));
      await api.register(eventsRoutes(services.ingest));
      await api.register(scoringRoutes(services.scoring));
      await api.register(accountsRoutes(services.accounts));
      await api.register(agreementRoutes(services.agreement));
      await api.register(authRoutes({ sessions: services.sessions, apiKeys: services.apiKeys }));
      await api.register(usersRoutes(services.users, services.teams));
      await api.register(auditRoutes({ audit: services.repos.audit, users: services.repos.users }));
    },
    { prefix: "/api/v1" },
  );

  if (serveWeb && options.webDir) {
    await app.register(fastifyStatic, {
      root: options.webDir,
      prefix: "/",
      wildcard: false,
      index: ["index.html"],
    });
  }

  return app;
}
