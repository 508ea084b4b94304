import { z } from "zod";
import { AppError } from "../domain/errors.ts";

/** Optional free text: trimmed, bounded, `null` clears it. */
export const text = (max: number) => z.string().trim().max(max).nullable().optional();

export const idParams = z.strictObject({ id: z.uuid({ error: "must be a UUID" }) });

export const isoDate = z.iso.datetime({ offset: true });

export const limitQuery = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .meta({ description: `Page size, 1–${max}` });

/** Opaque keyset cursors: the position after the last row the client saw. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError(
      "VALIDATION_FAILED",
      "The cursor is not one this endpoint issued; start again without it.",
      [{ path: "query.cursor", message: "invalid cursor" }],
    );
  }
}

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
