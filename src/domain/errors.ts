/**
 * Every rule violation in Accord is one of these codes. The HTTP edge maps a code to a
 * status (see src/http/errors.ts); the CLI prints the message. Keep codes stable: API
 * clients switch on them.
 */
export const errorCodes = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE_EMAIL: 409,
  DUPLICATE_DOMAIN: 409,
  STAGE_CONFLICT: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TRANSITION_NOT_ALLOWED: 422,
  SAME_STAGE: 422,
  REASON_REQUIRED: 422,
  REASON_NOT_IN_AGREEMENT: 422,
  QUALIFICATION_INCOMPLETE: 422,
  MEETING_REQUIRED: 422,
  INVALID_AGREEMENT: 422,
  UNKNOWN_EVENT_TYPE: 422,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export type FieldIssue = { path: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldIssue[]) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = fields;
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
