import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { EMAIL_PATTERN } from "../../domain/email.ts";
import { roles } from "../../domain/roles.ts";
import { principalOf } from "../../http/access-control.ts";
import { errorResponseSchema } from "../../http/errors.ts";
import { adminsOnly, everyone } from "../auth/access.ts";
import type { TeamsService } from "./teams.service.ts";
import type { UserRecord } from "./users.repository.ts";
import { MIN_PASSWORD_LENGTH, type UsersService } from "./users.service.ts";

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    teamId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "User" });

const toUser = (u: UserRecord) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  teamId: u.teamId,
  createdAt: u.createdAt.toISOString(),
});

const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    managerId: z.uuid().nullable(),
    memberIds: z.array(z.uuid()),
  })
  .meta({ id: "Team" });

export function usersRoutes(service: UsersService, teams: TeamsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/users",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Users"],
          summary: "List the workspace's people",
          querystring: z.strictObject({ role: z.enum(roles).optional() }),
          response: {
            200: z.object({ items: z.array(userSchema) }),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => ({
        items: (
          await service.list(
            principalOf(request),
            request.query.role ? [request.query.role] : undefined,
          )
        ).map(toUser),
      }),
    );

    app.post(
      "/users",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["Users"],
          summary: "Add a person to the workspace",
          body: z.strictObject({
            email: z.email({ pattern: EMAIL_PATTERN }).max(254),
            name: z.string().trim().min(1).max(200),
            role: z.enum(roles),
            password: z.string().min(MIN_PASSWORD_LENGTH).max(1000),
          }),
          response: {
            201: userSchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            409: errorResponseSchema,
          },
        },
      },
      async (request, reply) =>
        reply.status(201).send(toUser(await service.create(principalOf(request), request.body))),
    );

    app.get(
      "/teams",
      {
        config: { access: { scope: "read", roles: everyone } },
        schema: {
          tags: ["Users"],
          summary: "Teams, their manager and members",
          response: {
            200: z.object({ items: z.array(teamSchema) }),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const [list, people] = await Promise.all([teams.list(principal), service.list(principal)]);
        return {
          items: list.map((t) => ({
            id: t.id,
            name: t.name,
            managerId: t.managerId,
            memberIds: people.filter((u) => u.teamId === t.id).map((u) => u.id),
          })),
        };
      },
    );

    app.post(
      "/teams",
      {
        config: { access: { scope: "admin", roles: adminsOnly } },
        schema: {
          tags: ["Users"],
          summary: "Create a team with a manager and members",
          body: z.strictObject({
            name: z.string().trim().min(1).max(100),
            managerId: z.uuid().nullable().optional(),
            memberIds: z.array(z.uuid()).max(500).optional(),
          }),
          response: { 201: teamSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const team = await teams.create(principalOf(request), request.body);
        return reply.status(201).send({
          id: team.id,
          name: team.name,
          managerId: team.managerId,
          memberIds: [
            ...new Set([
              ...(team.managerId ? [team.managerId] : []),
              ...(request.body.memberIds ?? []),
            ]),
          ],
        });
      },
    );
  };
}
