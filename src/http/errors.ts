import { isAscii, isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type {} from "@fastify/static";
import { type FastifyError, type FastifyInstance, errorCodes as fastifyErrors } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from "fastify-type-provider-zod";
import secureJson from "secure-json-parse";
import { z } from "zod";
import { AppError, type ErrorCode, errorCodes, type FieldIssue } from "../domain/errors.ts";
import { findUnstorableText } from "../domain/text.ts";

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. REASON_REQUIRED" }),
      message: z.string().meta({ description: "What went wrong and what to do next, for people" }),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "The fields at fault, as dotted paths (body.email, query.limit)" }),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.infer<typeof errorResponseSchema>;

export function errorBody(
  code: ErrorCode | string,
  message: string,
  fields?: FieldIssue[],
): ErrorBody {
  return { error: { code, message, ...(fields?.length ? { fields } : {}) } };
}

/** The most of a refused body read (and dropped) before its 413 is sent, and for how long. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
export const DRAIN_TIMEOUT_MS = 15_000;

/**
 * Resolves once the rest of a refused request body has arrived, read and dropped. The 413
 * closes the connection, and a client that writes its whole body before reading the answer
 * (Node's fetch, most HTTP libraries) would see a broken pipe instead of the 413 if the
 * connection closed under it. A body declared or found larger than `DRAIN_LIMIT`, or still
 * arriving after `timeoutMs`, is not waited for; nor is any once the server is closing
 * (`pending` holds the drains under way, to end them then).
 */
function afterDraining(
  raw: IncomingMessage,
  pending: Set<() => void>,
  timeoutMs: number,
): Promise<void> {
  const declared = Number(raw.headers["content-length"]);
  if (raw.complete || raw.destroyed || declared > DRAIN_LIMIT) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      pending.delete(finish);
      clearTimeout(timer);
      raw.off("data", onData);
      raw.off("end", finish);
      raw.off("error", finish);
      raw.off("close", finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    pending.add(finish);
    raw.on("data", onData);
    raw.on("end", finish);
    raw.on("error", finish);
    raw.on("close", finish);
    raw.resume();
  });
}

/** Fastify's own client errors, mapped to our codes and words. */
const fastifyClientErrors: Record<
  string,
  { status: number; code: ErrorCode | string; message: string }
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "MALFORMED_JSON",
    message: "The body is not valid JSON.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "MALFORMED_JSON",
    message: "The body is empty; send a JSON object.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    message: "The body is larger than this endpoint accepts.",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Send the body as application/json.",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "BAD_REQUEST",
    message: "The Content-Length header does not match the body.",
  },
};

function asciiBased(label: string): boolean {
  return /^(us-?ascii|ascii|iso[-_]?8859-\d+|latin-?1|windows-125\d|cp125\d)$/i.test(label);
}

/** A refusal of the request as sent (answered with its status, code and message). */
function clientError(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

/**
 * JSON bodies, parsed as Fastify does (a `__proto__` or `constructor.prototype` key is refused:
 * it could poison objects), but saying which of the two went wrong: such a body is valid JSON.
 */
function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const bytes = body as Buffer;
    // Bodies are JSON in UTF-8 (RFC 8259). Decoding other bytes as UTF-8 would turn them into
    // replacement characters, and two different event ids into one (the second a duplicate).
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers["content-type"] ?? "");
    // Bytes below 0x80 read the same in UTF-8 and in the charsets built on ASCII (US-ASCII,
    // ISO-8859-*, Windows-125x), so such a body is taken whatever its label; any other label
    // (UTF-16, UTF-7, ISO-2022-*) or a byte beyond ASCII needs UTF-8.
    const label = charset?.[1];
    if (label && !/^utf-?8$/i.test(label) && !(asciiBased(label) && isAscii(bytes))) {
      done(
        clientError(
          415,
          "UNSUPPORTED_MEDIA_TYPE",
          `Send the body as JSON in UTF-8 (charset=utf-8), not ${charset[1]}.`,
        ),
      );
      return;
    }
    const encoding = request.headers["content-encoding"];
    if (encoding && encoding.toLowerCase() !== "identity") {
      done(
        clientError(
          415,
          "UNSUPPORTED_MEDIA_TYPE",
          `Send the body uncompressed: Content-Encoding ${encoding} is not accepted.`,
        ),
      );
      return;
    }
    if (bytes.length === 0) {
      done(new fastifyErrors.FST_ERR_CTP_EMPTY_JSON_BODY());
      return;
    }
    if (!isUtf8(bytes)) {
      done(
        clientError(
          400,
          "MALFORMED_JSON",
          "The body is not valid UTF-8: send JSON encoded as UTF-8.",
        ),
      );
      return;
    }
    const text = bytes.toString("utf8");
    try {
      done(null, secureJson.parse(text, { protoAction: "error", constructorAction: "error" }));
    } catch (error) {
      const poisoned = error instanceof SyntaxError && /forbidden prototype/.test(error.message);
      done(
        poisoned
          ? new AppError(
              "VALIDATION_FAILED",
              'The body has a property named "__proto__" (or "constructor" holding "prototype"), which Accord refuses; rename it.',
              [{ path: "__proto__", message: "property name not allowed" }],
            )
          : new fastifyErrors.FST_ERR_CTP_INVALID_JSON_BODY(),
      );
    }
  });
  // Only JSON is spoken: a text/plain body is turned away like any other media type (415),
  // unless it is empty (some clients label a POST without a body so).
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_request, body, done) => {
    if ((body as string).length === 0) {
      done(null, undefined);
      return;
    }
    done(new fastifyErrors.FST_ERR_CTP_INVALID_MEDIA_TYPE("text/plain"));
  });
}

export function installErrorHandling(
  app: FastifyInstance,
  options: { spaFallback: boolean; drainTimeoutMs?: number },
): void {
  installJsonParser(app);
  // Refused bodies being drained: a closing server answers them at once instead of waiting.
  const draining = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const finish of [...draining]) finish();
  });
  // A NUL character or a lone surrogate passes every schema but no database column: refuse it
  // up front, with its field, instead of failing in the database.
  app.addHook("preValidation", async (request) => {
    if (request.routeOptions.config?.itemLevelValidation) return;
    const found =
      findUnstorableText(request.body) ??
      findUnstorableText(request.query, "query") ??
      findUnstorableText(request.params, "params");
    if (found) {
      const path = found.path || "body";
      throw new AppError("VALIDATION_FAILED", `The request is invalid. ${path}: ${found.reason}`, [
        { path, message: found.reason },
      ]);
    }
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      // Turned away for load: the sender may try again shortly.
      if (err.code === "OVERLOADED") reply.header("retry-after", "1");
      return reply.status(errorCodes[err.code]).send(errorBody(err.code, err.message, err.fields));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // Body fields are named bare (email); other parts keep their prefix (query.limit).
      const where =
        err.validationContext === "querystring" ? "query" : (err.validationContext ?? "body");
      const fields = err.validation.map((v) => {
        const keys = (v.params as { keys?: unknown }).keys;
        const base = [where, ...v.instancePath.split("/").filter(Boolean)]
          .filter((p, i) => !(i === 0 && p === "body"))
          .join(".");
        if (v.keyword === "unrecognized_keys" && Array.isArray(keys) && keys.length) {
          return {
            path: keys.map((k) => (base ? `${base}.${String(k)}` : String(k))).join(", "),
            message: "unknown field",
          };
        }
        return { path: base || where, message: v.message ?? "invalid" };
      });
      const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
      return reply
        .status(400)
        .send(errorBody("VALIDATION_FAILED", `The request is invalid. ${summary}`, fields));
    }
    const known = err.code ? fastifyClientErrors[err.code] : undefined;
    if (known && err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const limit = request.routeOptions.bodyLimit;
      const message = limit
        ? `The body is larger than this endpoint accepts (${limit.toLocaleString("en")} bytes).`
        : known.message;
      return afterDraining(request.raw, draining, options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS).then(
        () => reply.status(known.status).send(errorBody(known.code, message)),
      );
    }
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message));
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, "response did not match its schema");
      return reply
        .status(500)
        .send(errorBody("INTERNAL", "Something went wrong on our side. It has been logged."));
    }
    if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody(err.code ?? "BAD_REQUEST", err.message));
    }
    request.log.error({ err }, "unhandled error");
    return reply
      .status(500)
      .send(errorBody("INTERNAL", "Something went wrong on our side. It has been logged."));
  });

  app.setNotFoundHandler((request, reply) => {
    // The web app routes on the client: a page request outside /api gets its index page.
    if (
      options.spaFallback &&
      request.method === "GET" &&
      !request.url.startsWith("/api/") &&
      request.headers.accept?.includes("text/html")
    ) {
      return reply.sendFile("index.html");
    }
    return reply
      .status(404)
      .send(errorBody("NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0]}.`));
  });
}
