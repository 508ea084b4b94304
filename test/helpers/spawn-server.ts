import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/accord.mjs", import.meta.url));

export type CliOptions = {
  /** Extra environment for the child (merged over this process's environment). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
};

/** Keeps the tail of a stream so a failure can show what the child said. */
function tail(limit = 20_000) {
  let text = "";
  return {
    push(chunk: Buffer | string) {
      text += chunk.toString();
      if (text.length > limit) text = text.slice(-limit);
    },
    get text() {
      return text;
    },
  };
}

function childEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // Request logs would only fill the pipe; the lines the tests read are console output.
  return { ...process.env, LOG_LEVEL: "warn", ...env };
}

/** Runs one `accord` command to completion and returns what it printed. */
export async function runCli(
  args: string[],
  options: CliOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = tail();
  const stderr = tail();
  child.stdout.on("data", (c: Buffer) => stdout.push(c));
  child.stderr.on("data", (c: Buffer) => stderr.push(c));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`accord ${args.join(" ")} took over ${timeoutMs} ms\n${stderr.text}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0) {
    throw new Error(`accord ${args.join(" ")} exited with ${code}\n${stdout.text}\n${stderr.text}`);
  }
  return { stdout: stdout.text, stderr: stderr.text };
}

export type SpawnedServer = {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string | null>;
  output: () => string;
  /** SIGKILL: no shutdown hook runs, whatever is in flight is cut off. */
  kill: () => Promise<void>;
  /** SIGTERM and wait for the graceful exit; SIGKILL after `timeoutMs`. Returns the exit code. */
  stop: (timeoutMs?: number) => Promise<number | string | null>;
};

/** Every server spawned and not yet gone, so afterAll can make sure none outlives the tests. */
const live = new Set<ChildProcess>();

/**
 * Starts `accord serve` as a child process on a free port and resolves once it prints the
 * "Accord is serving on http://…" line.
 */
export async function spawnServer(
  args: string[],
  options: CliOptions = {},
): Promise<SpawnedServer> {
  const child = spawn(
    process.execPath,
    [bin, "serve", "--port", "0", "--host", "127.0.0.1", ...args],
    { cwd: repoRoot, env: childEnv(options.env), stdio: ["ignore", "pipe", "pipe"] },
  );
  live.add(child);
  const log = tail();
  const exited = new Promise<number | string | null>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(code ?? signal);
    });
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`accord serve did not start within ${timeoutMs} ms\n${log.text}`));
    }, timeoutMs);
    child.stdout?.on("data", (c: Buffer) => {
      log.push(c);
      stdout += c.toString();
      const match = /Accord is serving on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on("data", (c: Buffer) => log.push(c));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`accord serve exited (${code}) before serving\n${log.text}`));
    });
  });
  return {
    url,
    child,
    exited,
    output: () => log.text,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    stop: async (stopTimeoutMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** SIGKILLs every spawned server still running (for afterAll). */
export async function killAllSpawned(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}
