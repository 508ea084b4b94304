import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../domain/errors.ts";
import { type Access, isAllowed, type Principal } from "../modules/auth/access.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** The route judges its body item by item (event batches): no whole-body string check. */
    itemLevelValidation?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type RouteRule = { method: string; url: string; access: Access };

export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

/** Routes of third-party plugins that serve public documentation. */
const publicPrefixes = ["/api/docs"];

/**
 * Every API route must say who may call it: an /api route without `config.access` stops the
 * server from starting, so a new endpoint cannot ship open by accident. Outside /api there are
 * only the web app's static files, which are public.
 */
export function installAccessControl(
  app: FastifyInstance,
  authenticate: Authenticator,
): RouteRule[] {
  const rules: RouteRule[] = [];
  app.decorateRequest("principal", null);

  app.addHook("onRoute", (route) => {
    const config = (route.config ?? {}) as { access?: Access };
    const methods = [route.method].flat().filter((m) => m !== "HEAD");
    if (config.access) {
      for (const method of methods) rules.push({ method, url: route.url, access: config.access });
      return;
    }
    if (publicPrefixes.some((p) => route.url.startsWith(p)) || !route.url.startsWith("/api")) {
      route.config = { ...config, access: { public: true } } as typeof route.config;
      return;
    }
    throw new Error(`Route ${route.method} ${route.url} declares no access rule (config.access).`);
  });

  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || "public" in access) return;
    const principal = await authenticate(request);
    if (!principal) {
      throw new AppError(
        "UNAUTHENTICATED",
        "Sign in, or send an API key as 'Authorization: Bearer <key>'.",
      );
    }
    if (!isAllowed(principal, access)) {
      throw new AppError(
        "FORBIDDEN",
        principal.kind === "user"
          ? `Your role (${principal.role}) may not do this.`
          : `This API key lacks the '${access.scope}' scope.`,
      );
    }
    request.principal = principal;
  });
  return rules;
}

/** The caller of a route that declared an access rule; set by the onRequest hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("UNAUTHENTICATED", "Sign in first.");
  return request.principal;
}
