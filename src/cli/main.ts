import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { AppError } from "../domain/errors.ts";
import { roles } from "../domain/roles.ts";
import { buildApp } from "../http/app.ts";
import { type Scope, scopes } from "../modules/auth/access.ts";
import { seedDemo } from "../modules/demo/demo.service.ts";
import { demoUsers } from "../modules/demo/demo-users.ts";
import { type Config, loadConfig } from "../platform/config.ts";
import { type Database, openDatabase } from "../platform/db/database.ts";
import { maintainDatabase } from "../platform/db/maintenance.ts";
import { migrateToLatest } from "../platform/db/migrate.ts";
import { createServices } from "../services.ts";

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
};

type DbFlags = { memory?: boolean; dataDir?: string };

async function open(config: Config, flags: DbFlags): Promise<Database> {
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: flags.dataDir ?? config.dataDir,
    memory: flags.memory,
  });
  await migrateToLatest(database.db);
  return database;
}

const webDir = fileURLToPath(new URL("../../web/dist", import.meta.url));

async function serve(
  database: Database,
  config: Config,
  flags: { port?: number; host?: string; quiet?: boolean },
) {
  // PGlite is one connection: one ingestion transaction at a time, in smaller batches.
  const services = createServices({
    db: database.db,
    ingestConcurrency: database.kind === "postgres" ? config.ingestConcurrency : 1,
    ingestBatch: config.ingestBatch,
    ingestMaxQueued: config.ingestMaxQueued,
  });
  // The demo keeps the terminal readable: request logs only when LOG_LEVEL asks for them.
  const level = flags.quiet && !process.env.LOG_LEVEL ? "warn" : config.logLevel;
  const app = await buildApp({
    services,
    logger: { level },
    webDir,
    trustProxy: config.trustProxy,
  });
  if (!existsSync(webDir)) {
    console.warn(
      "accord: the web app is not built (run `npm run build:web`); serving the API only.",
    );
  }
  const port = flags.port ?? config.port;
  const host = flags.host ?? config.host;
  await app.listen({ port, host });
  // Stored engagement scores (the sort key) follow ingestion and decay within 30 s.
  const sweep = setInterval(() => {
    services.scoring
      // Paced: a long sweep takes at most a quarter of the database's time from requests.
      .refreshDecayedScores({ pace: 3 })
      .catch((error: Error) => app.log.warn(`score refresh failed: ${error.message}`));
  }, 30_000);
  sweep.unref();
  const maintenance =
    database.kind === "pglite"
      ? setInterval(() => {
          maintainDatabase(database.db, database.kind).catch((error: Error) =>
            app.log.warn(`maintenance failed: ${error.message}`),
          );
        }, 10 * 60_000)
      : undefined;
  maintenance?.unref();
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shown}:${actualPort}`;
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    clearInterval(sweep);
    if (maintenance) clearInterval(maintenance);
    await app.close();
    await services.ingest.drain();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  return url;
}

const program = new Command()
  .name("accord")
  .description("Accord: the agreement between marketing and sales, enforced.")
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(`accord: ${str}`) });

const dbOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option("--data-dir <path>", "PGlite data folder (default .accord, or ACCORD_DATA_DIR)"),
    )
    .addOption(new Option("--memory", "use a throwaway in-memory database"));

dbOptions(
  program
    .command("serve")
    .description("Serve the API, its reference and the web app")
    .option(
      "-p, --port <port>",
      "port to listen on (default PORT or 3000)",
      int("--port", 0, 65535),
    )
    .option("-H, --host <host>", "address to bind (default HOST or 127.0.0.1)"),
).action(async (flags: DbFlags & { port?: number; host?: string }) => {
  const config = loadConfig();
  const database = await open(config, flags);
  const url = await serve(database, config, flags);
  console.log(`Accord is serving on ${url} (database: ${database.kind} ${database.location})`);
  console.log(`API reference: ${url}/api/docs`);
});

dbOptions(
  program.command("migrate").description("Apply pending database migrations, then exit"),
).action(async (flags: DbFlags) => {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: flags.dataDir ?? config.dataDir,
    memory: flags.memory,
  });
  try {
    const report = await migrateToLatest(database.db);
    console.log(
      report.applied.length
        ? `Applied ${report.applied.join(", ")}. The schema is at ${report.current}.`
        : `Nothing to apply. The schema is at ${report.current}.`,
    );
  } finally {
    await database.close();
  }
});

dbOptions(
  program
    .command("demo")
    .description("Create a demo workspace with a year of realistic funnel history, then serve it")
    .option(
      "--seed <n>",
      "random seed; the same seed gives the same history",
      int("--seed", 0, 2 ** 31 - 1),
      42,
    )
    .option(
      "-p, --port <port>",
      "port to listen on (default PORT or 3000)",
      int("--port", 0, 65535),
    )
    .option("-H, --host <host>", "address to bind (default HOST or 127.0.0.1)")
    .option("--api-key <key>", "also give the demo workspace an admin API key with this value")
    .option(
      "--now <iso>",
      "the instant the history ends at (default: now); with --seed, the same data every run",
      (v: string) => {
        const d = new Date(v);
        if (Number.isNaN(d.getTime()))
          throw new InvalidArgumentError(
            "--now must be an ISO date-time, e.g. 2026-11-24T12:00:00Z.",
          );
        return d;
      },
    )
    .option("--no-serve", "seed the data and exit"),
).action(
  async (
    flags: DbFlags & {
      seed: number;
      port?: number;
      host?: string;
      apiKey?: string;
      now?: Date;
      serve: boolean;
    },
  ) => {
    const config = loadConfig();
    const database = await open(config, flags);
    const services = createServices({ db: database.db });
    const started = Date.now();
    const result = await seedDemo(services, {
      seed: flags.seed,
      now: flags.now ?? new Date(),
      apiKey: flags.apiKey,
      users: demoUsers,
    });
    const { accounts, leads, transitions } = result.counts;
    console.log(
      result.created
        ? `Created the demo workspace in ${((Date.now() - started) / 1000).toFixed(1)} s: ${accounts} accounts, ${leads} leads, ${transitions} stage transitions (seed ${flags.seed}).`
        : `The demo workspace already exists (${accounts} accounts, ${leads} leads); serving it as it is.`,
    );
    if (result.users.length) {
      console.log("\nSign in as any of these demo users:");
      for (const u of result.users)
        console.log(`  ${u.role.padEnd(15)} ${u.email.padEnd(28)} ${u.password}`);
    }
    if (result.apiKey) console.log(`\nAdmin API key: ${result.apiKey}`);
    if (!flags.serve) {
      await database.close();
      return;
    }
    const url = await serve(database, config, { ...flags, quiet: true });
    console.log(`\nAccord is serving the demo on ${url}`);
    console.log(`API reference: ${url}/api/docs`);
  },
);

/** The workspace a management command acts on: --workspace, or the only one there is. */
async function resolveWorkspace(
  database: Database,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  const services = createServices({ db: database.db });
  if (slug) {
    const ws = await services.workspaces.findBySlug(slug);
    if (!ws)
      throw new AppError(
        "NOT_FOUND",
        `No workspace "${slug}". Create it with \`accord workspace create --slug ${slug}\`.`,
      );
    return ws;
  }
  const all = await database.db
    .selectFrom("workspaces")
    .select(["workspace_id", "slug"])
    .limit(2)
    .execute();
  if (all.length === 1 && all[0]) return { id: all[0].workspace_id, slug: all[0].slug };
  throw new AppError(
    "VALIDATION_FAILED",
    all.length === 0
      ? 'There is no workspace yet: run `accord workspace create --slug acme --name "Acme"` or `accord demo`.'
      : "There are several workspaces: name one with --workspace <slug>.",
  );
}

const workspace = program.command("workspace").description("Manage workspaces");
dbOptions(
  workspace
    .command("create")
    .description("Create a workspace with the default agreement active")
    .requiredOption("--slug <slug>", "short name, e.g. acme")
    .option("--name <name>", "display name (default: the slug)"),
).action(async (flags: DbFlags & { slug: string; name?: string }) => {
  const database = await open(loadConfig(), flags);
  try {
    const ws = await createServices({ db: database.db }).workspaces.create({
      slug: flags.slug,
      name: flags.name ?? flags.slug,
    });
    console.log(`Created workspace ${ws.slug} (${ws.id}) with the default agreement, version 1.`);
  } finally {
    await database.close();
  }
});

const user = program.command("user").description("Manage people");
dbOptions(
  user
    .command("add")
    .description("Add a person who signs in with email and password")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--role <role>", `one of ${roles.join(", ")}`)
    .requiredOption("--password <password>", "at least 10 characters")
    .option("--name <name>", "display name (default: the email)")
    .option("--workspace <slug>", "workspace (default: the only one)"),
).action(
  async (
    flags: DbFlags & {
      email: string;
      role: string;
      password: string;
      name?: string;
      workspace?: string;
    },
  ) => {
    if (!(roles as readonly string[]).includes(flags.role)) {
      throw new AppError(
        "VALIDATION_FAILED",
        `Unknown role "${flags.role}"; use one of ${roles.join(", ")}.`,
      );
    }
    const database = await open(loadConfig(), flags);
    try {
      const ws = await resolveWorkspace(database, flags.workspace);
      const created = await createServices({ db: database.db }).users.create(
        { kind: "system", workspaceId: ws.id },
        {
          email: flags.email,
          name: flags.name ?? flags.email,
          role: flags.role as (typeof roles)[number],
          password: flags.password,
        },
      );
      console.log(`Added ${created.email} as ${created.role} to ${ws.slug}.`);
    } finally {
      await database.close();
    }
  },
);

const team = program.command("team").description("Manage teams");
dbOptions(
  team
    .command("create")
    .description("Create a team under a manager; members are given by email")
    .requiredOption("--name <name>", "team name")
    .option("--manager <email>", "the manager's sign-in email")
    .option("--members <emails>", "comma-separated sign-in emails of the members")
    .option("--workspace <slug>", "workspace (default: the only one)"),
).action(
  async (
    flags: DbFlags & { name: string; manager?: string; members?: string; workspace?: string },
  ) => {
    const database = await open(loadConfig(), flags);
    try {
      const ws = await resolveWorkspace(database, flags.workspace);
      const services = createServices({ db: database.db });
      const idOf = async (email: string) => {
        const u = await services.repos.users.findCredentials(email);
        if (!u || u.workspaceId !== ws.id)
          throw new AppError("NOT_FOUND", `No user ${email} in ${ws.slug}.`);
        return u.id;
      };
      const managerId = flags.manager ? await idOf(flags.manager) : null;
      const memberIds = [];
      for (const email of (flags.members ?? "")
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean))
        memberIds.push(await idOf(email));
      const created = await services.teams.create(
        { kind: "system", workspaceId: ws.id },
        { name: flags.name, managerId, memberIds },
      );
      console.log(
        `Created team ${created.name} in ${ws.slug}${flags.manager ? `, managed by ${flags.manager}` : ""}, ${memberIds.length} member(s).`,
      );
    } finally {
      await database.close();
    }
  },
);

const apikey = program.command("apikey").description("Manage API keys for systems");
dbOptions(
  apikey
    .command("create")
    .description("Create a scoped API key; it is printed once")
    .requiredOption("--scope <scopes>", `comma-separated: ${scopes.join(", ")}`)
    .option("--name <name>", "what the key is for", "CLI key")
    .option(
      "--event-types <types>",
      "comma-separated: the only event types the key may send (e.g. page_view,form_submit)",
    )
    .option("--workspace <slug>", "workspace (default: the only one)"),
).action(
  async (
    flags: DbFlags & { scope: string; name: string; workspace?: string; eventTypes?: string },
  ) => {
    const wanted = flags.scope
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = wanted.filter((s) => !(scopes as readonly string[]).includes(s));
    if (bad.length || wanted.length === 0) {
      throw new AppError(
        "VALIDATION_FAILED",
        `Unknown scope ${bad.join(", ") || "(none)"}; use ${scopes.join(", ")}.`,
      );
    }
    const eventTypes = flags.eventTypes
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    // The service checks each against the agreement's event types.
    if (eventTypes?.length === 0) {
      throw new AppError(
        "VALIDATION_FAILED",
        "--event-types takes event types like page_view,form_submit.",
      );
    }
    const database = await open(loadConfig(), flags);
    try {
      const ws = await resolveWorkspace(database, flags.workspace);
      const { key } = await createServices({ db: database.db }).apiKeys.create(
        { kind: "system", workspaceId: ws.id },
        { name: flags.name, scopes: wanted as Scope[], eventTypes },
      );
      console.log(key);
      console.error(
        `Created an API key with scopes ${wanted.join(", ")}${eventTypes ? ` sending only ${eventTypes.join(", ")} events` : ""} for ${ws.slug}. Store it now: it is not shown again.`,
      );
    } finally {
      await database.close();
    }
  },
);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(`accord: ${error.message}`);
    for (const f of error.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
  } else if (error instanceof Error && (error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(`accord: the port is already in use; pick another with --port.`);
  } else if (error instanceof Error && (error as NodeJS.ErrnoException).code === "ECONNREFUSED") {
    console.error(`accord: cannot reach the database at DATABASE_URL (${error.message}).`);
  } else {
    console.error(`accord: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DEBUG) console.error(error);
  }
  process.exit(1);
});
