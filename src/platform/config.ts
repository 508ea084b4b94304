import path from "node:path";

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  trustProxy: boolean;
  /** Ingestion transactions in flight at once on PostgreSQL (PGlite always uses one). */
  ingestConcurrency: number;
  /** Most events one ingestion transaction takes. */
  ingestBatch: number;
  /** Events waiting to be stored beyond which new event requests get 503 instead of a place in line. */
  ingestMaxQueued: number;
};

/** Reads the environment once, at the edge; nothing below the CLI/HTTP layer reads env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}".`);
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ACCORD_DATA_DIR || ".accord"),
    port,
    host: env.HOST || "127.0.0.1",
    logLevel: env.LOG_LEVEL || "info",
    trustProxy: env.TRUST_PROXY === "true" || env.TRUST_PROXY === "1",
    ingestConcurrency: positiveInt(env.ACCORD_INGEST_CONCURRENCY, 4, "ACCORD_INGEST_CONCURRENCY"),
    ingestBatch: positiveInt(env.ACCORD_INGEST_BATCH, 1000, "ACCORD_INGEST_BATCH"),
    ingestMaxQueued: positiveInt(env.ACCORD_INGEST_MAX_QUEUED, 50_000, "ACCORD_INGEST_MAX_QUEUED"),
  };
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of 1 or more, got "${value}".`);
  return n;
}
