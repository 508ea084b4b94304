import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/http/app.ts";
import type { Role, Scope } from "../../src/modules/auth/access.ts";
import { createServices, type Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "./test-db.ts";

export type TestApp = {
  app: FastifyInstance;
  services: Services;
  database: TestDatabase;
  workspaceId: string;
  /** An admin API key of the workspace. */
  adminKey: string;
  /** Sends a request with the admin key unless headers say otherwise. */
  request: (options: InjectOptions & { key?: string | null }) => Promise<LightMyRequestResponse>;
  keyWithScopes: (scopes: Scope[]) => Promise<string>;
  createUser: (
    role: Role,
    email?: string,
  ) => Promise<{ id: string; email: string; password: string }>;
  /** Another workspace with its own admin key, for isolation tests. */
  otherWorkspace: () => Promise<{ workspaceId: string; adminKey: string }>;
  close: () => Promise<void>;
};

let counter = 0;

export async function createTestApp(
  options: { clock?: () => Date; ingestConcurrency?: number; ingestMaxQueued?: number } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const services = createServices({
    db: database.db,
    clock: options.clock,
    ingestConcurrency: options.ingestConcurrency,
    ingestMaxQueued: options.ingestMaxQueued,
  });
  const workspace = await services.workspaces.create({
    slug: `ws-${Date.now()}-${counter++}`,
    name: "Test workspace",
  });
  const { key: adminKey } = await services.apiKeys.create(
    { kind: "system", workspaceId: workspace.id },
    { name: "test admin", scopes: ["admin"] },
  );
  const app = await buildApp({ services });
  await app.ready();
  return {
    app,
    services,
    database,
    workspaceId: workspace.id,
    adminKey,
    request: ({ key, headers, ...rest }) =>
      app.inject({
        ...rest,
        headers: {
          ...(key === null ? {} : { authorization: `Bearer ${key ?? adminKey}` }),
          ...headers,
        },
      }),
    keyWithScopes: async (scopes) =>
      (
        await services.apiKeys.create(
          { kind: "system", workspaceId: workspace.id },
          { name: scopes.join("+"), scopes },
        )
      ).key,
    createUser: async (role, email) => {
      const password = "correct-horse-battery";
      const address = email ?? `${role}-${counter++}-${Date.now()}@example.com`;
      const user = await services.users.create(
        { kind: "system", workspaceId: workspace.id },
        { email: address, name: `Test ${role}`, role, password },
      );
      return { id: user.id, email: address, password };
    },
    otherWorkspace: async () => {
      const other = await services.workspaces.create({
        slug: `other-${Date.now()}-${counter++}`,
        name: "Other",
      });
      const { key } = await services.apiKeys.create(
        { kind: "system", workspaceId: other.id },
        { name: "other admin", scopes: ["admin"] },
      );
      return { workspaceId: other.id, adminKey: key };
    },
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
