import { fileURLToPath } from "node:url";
import type { Stage } from "../../src/domain/lifecycle.ts";
import { buildApp } from "../../src/http/app.ts";
import type { Role } from "../../src/modules/auth/access.ts";
import type { LeadInput } from "../../src/modules/leads/leads.service.ts";
import { createServices } from "../../src/services.ts";
import { createTestDatabase } from "./test-db.ts";

export const webDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

const rolePasswords: Record<Role, string> = {
  admin: "e2e-admin-password",
  marketing: "e2e-marketing-password",
  marketing_lead: "e2e-mlead-password",
  sdr: "e2e-sdr-password",
  ae: "e2e-ae-password",
  sales_lead: "e2e-slead-password",
  exec: "e2e-exec-password",
};

let counter = 0;

/**
 * A real HTTP server on a free port, serving the built web app and the API over a fresh
 * database, with one user per role.
 */
export async function startTestServer() {
  const database = await createTestDatabase();
  const services = createServices({ db: database.db });
  const tag = `${Date.now()}-${counter++}`;
  const ws = await services.workspaces.create({ slug: `e2e-${tag}`, name: "E2E Co" });
  const system = { kind: "system" as const, workspaceId: ws.id };
  const users = {} as Record<Role, { id: string; email: string; password: string }>;
  for (const role of Object.keys(rolePasswords) as Role[]) {
    const email = `${role}-${tag}@e2e.test`;
    const user = await services.users.create(system, {
      email,
      name: `E2E ${role}`,
      role,
      password: rolePasswords[role],
    });
    users[role] = { id: user.id, email, password: rolePasswords[role] };
  }
  const { key: adminKey } = await services.apiKeys.create(system, {
    name: "e2e",
    scopes: ["admin"],
  });
  const app = await buildApp({ services, webDir: webDist });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const apiKeyPrincipal = {
    kind: "api_key" as const,
    workspaceId: ws.id,
    keyId: "00000000-0000-4000-8000-000000000000",
    scopes: ["admin" as const],
  };

  return {
    url: `http://127.0.0.1:${port}`,
    workspaceId: ws.id,
    adminKey,
    users,
    services,
    /** Creates a lead and walks it to `stage` through the lifecycle (as an API client would). */
    async seedLead(fields: LeadInput & { stage?: Stage }) {
      const { stage, ...input } = fields;
      const { lead } = await services.leads.create(apiKeyPrincipal, input, { upsert: false });
      // Creation may already have moved the lead (complete data enters mrl): walk on from there.
      const path: Stage[] = ["lead", "mrl", "mql", "sal"];
      const target = path.indexOf(stage ?? "lead");
      for (let i = path.indexOf(lead.stage) + 1; i <= target; i++) {
        await services.leads.transition(apiKeyPrincipal, lead.id, { to: path[i]! });
      }
      return { id: lead.id };
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
