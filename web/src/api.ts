/**
 * The one HTTP client of the web app. Every call goes through `api()`: same-origin cookies,
 * the session's CSRF token on writes, and the server's error shape turned into an ApiError
 * whose message is written for people.
 */

export type FieldIssue = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldIssue[];

  constructor(status: number, code: string, message: string, fields: FieldIssue[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The server's message for one field (`reason`, `qualification.budget`), if it named it. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path === `body.${path}`)?.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;

/** Set from the session; sent as `x-csrf-token` on every write made with the cookie. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  query?: QueryParams;
  signal?: AbortSignal | undefined;
};

export function queryString(params: QueryParams | undefined): string {
  if (!params) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  // Fastify refuses an empty body declared as JSON, so the header goes only with a body.
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(
      0,
      "NETWORK",
      "Accord could not be reached. Check your connection, then try again.",
    );
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw toApiError(response.status, data);
  return data as T;
}

function toApiError(status: number, data: unknown): ApiError {
  const error = (data as { error?: unknown } | null)?.error;
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; fields?: unknown };
    const fields = Array.isArray(e.fields)
      ? e.fields.filter(
          (f): f is FieldIssue =>
            typeof f === "object" && f !== null && "path" in f && "message" in f,
        )
      : [];
    return new ApiError(
      status,
      typeof e.code === "string" ? e.code : "UNKNOWN",
      typeof e.message === "string" ? e.message : fallbackMessage(status),
      fields,
    );
  }
  return new ApiError(status, "UNKNOWN", fallbackMessage(status));
}

function fallbackMessage(status: number): string {
  if (status >= 500)
    return `Accord had a problem on its side (HTTP ${status}). Try again in a moment.`;
  return `The request was refused (HTTP ${status}). Reload the page and try again.`;
}
