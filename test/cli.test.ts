import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/accord.mjs", import.meta.url));
let dataDir: string;
let env: NodeJS.ProcessEnv;
let dbName: string | null = null;

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `accord` binary to completion (asynchronously: the test worker stays responsive). */
function run(args: string[], extraEnv: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, LOG_LEVEL: "warn", ...extraEnv },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** On PGlite in a temp folder, or on a fresh PostgreSQL database when DATABASE_URL is set. */
const accord = (...args: string[]) =>
  run([...args, ...(env.DATABASE_URL ? [] : ["--data-dir", dataDir])], env);
const plain = (...args: string[]) => run(args, env);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "accord-cli-"));
  const server = process.env.DATABASE_URL;
  if (server) {
    dbName = `accord_cli_${randomBytes(5).toString("hex")}`;
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    env = { DATABASE_URL: u.toString() };
  } else {
    env = { DATABASE_URL: "" };
  }
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (dbName && process.env.DATABASE_URL) {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  }
});

describe("accord CLI", () => {
  it("--help lists every command, and every command has its own --help", async () => {
    const top = await plain("--help");
    expect(top.code).toBe(0);
    for (const command of ["serve", "migrate", "demo", "workspace", "user", "team", "apikey"])
      expect(top.stdout).toContain(command);
    for (const args of [
      ["serve"],
      ["migrate"],
      ["demo"],
      ["workspace", "create"],
      ["user", "add"],
      ["team", "create"],
      ["apikey", "create"],
    ]) {
      const help = await plain(...args, "--help");
      expect(help.code, args.join(" ")).toBe(0);
      expect(help.stdout).toMatch(/Usage: accord/);
    }
  });

  it("migrate applies the migrations once, then has nothing to do", async () => {
    const first = await accord("migrate");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Applied 001-foundation.*The schema is at/);
    const again = await accord("migrate");
    expect(again.stdout).toMatch(/Nothing to apply/);
  });

  // About 20 CLI runs, each starting Node and opening PGlite: 23 s on an idle machine, over a
  // minute when the rest of the suite runs beside it.
  it("manages workspaces, people, teams and API keys, with clear errors and a non-zero exit on bad input", async () => {
    expect((await accord("workspace", "create", "--slug", "acme", "--name", "Acme")).code).toBe(0);
    const dup = await accord("workspace", "create", "--slug", "acme");
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toMatch(/^accord: A workspace named acme already exists/);
    expect(dup.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace

    const badRole = await accord(
      "user",
      "add",
      "--email",
      "x@acme.test",
      "--role",
      "boss",
      "--password",
      "long-enough-1",
    );
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/Unknown role "boss"/);
    const short = await accord(
      "user",
      "add",
      "--email",
      "x@acme.test",
      "--role",
      "sdr",
      "--password",
      "short",
    );
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/at least 10 characters/);

    expect(
      (
        await accord(
          "user",
          "add",
          "--email",
          "lead@acme.test",
          "--role",
          "sales_lead",
          "--password",
          "long-enough-1",
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await accord(
          "user",
          "add",
          "--email",
          "sdr@acme.test",
          "--role",
          "sdr",
          "--password",
          "long-enough-2",
        )
      ).code,
    ).toBe(0);
    const team = await accord(
      "team",
      "create",
      "--name",
      "Sales",
      "--manager",
      "lead@acme.test",
      "--members",
      "sdr@acme.test",
    );
    expect(team.code, team.stderr).toBe(0);
    expect(team.stdout).toMatch(/managed by lead@acme.test, 1 member/);

    const key = await accord("apikey", "create", "--scope", "ingest,read", "--name", "website");
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout.trim()).toMatch(/^acc_[A-Za-z0-9_-]{20,}$/);
    const badScope = await accord("apikey", "create", "--scope", "everything");
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toMatch(/Unknown scope everything/);
    const tracker = await accord(
      "apikey",
      "create",
      "--scope",
      "ingest",
      "--name",
      "tracker",
      "--event-types",
      "page_view,form_submit",
    );
    expect(tracker.code, tracker.stderr).toBe(0);
    expect(tracker.stderr).toMatch(/sending only page_view, form_submit events/);
    const badTypes = await accord(
      "apikey",
      "create",
      "--scope",
      "ingest",
      "--event-types",
      "Demo!",
    );
    expect(badTypes.code).not.toBe(0);
    expect(badTypes.stderr).toMatch(/The agreement has no event type "Demo!"/);
  }, 180_000);

  it("refuses a bad port or seed with a message", async () => {
    const port = await plain("serve", "--port", "99999");
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
    const seed = await plain("demo", "--seed", "abc", "--memory", "--no-serve");
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toMatch(/--seed must be a whole number/);
  });

  it("demo creates a deterministic year of history with one user per role, once per database", async () => {
    const first = await accord(
      "demo",
      "--seed",
      "11",
      "--now",
      "2026-06-30T12:00:00Z",
      "--no-serve",
      "--api-key",
      "cli-demo-key-0123456789",
    );
    expect(first.code, first.stderr).toBe(0);
    const counts =
      /Created the demo workspace in [\d.]+ s: (\d+) accounts, (\d+) leads, (\d+) stage transitions/.exec(
        first.stdout,
      );
    expect(counts).not.toBeNull();
    expect(Number(counts![1])).toBe(2000);
    expect(Number(counts![2])).toBe(10000);
    for (const role of ["admin", "marketing", "marketing_lead", "sdr", "ae", "sales_lead", "exec"])
      expect(first.stdout).toContain(role);
    expect(first.stdout).toContain("Admin API key: cli-demo-key-0123456789");
    const again = await accord("demo", "--seed", "11", "--no-serve");
    expect(again.stdout).toMatch(/already exists \(2000 accounts, 10000 leads\)/);

    // The same seed on another database gives the same history.
    const other = await run(
      ["demo", "--seed", "11", "--now", "2026-06-30T12:00:00Z", "--no-serve", "--memory"],
      {
        DATABASE_URL: "",
      },
    );
    expect(/(\d+) stage transitions/.exec(other.stdout)?.[1]).toBe(counts![3]);
  }, 240_000);
});
