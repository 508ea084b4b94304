/**
 * Text a PostgreSQL text or jsonb value cannot hold: a NUL character, or a lone UTF-16
 * surrogate (not Unicode at all). Every schema lets both through, so inputs are checked for
 * them before they reach the database.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnstorableText = { path: string; reason: string };

function reasonFor(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(text)) return "is not valid Unicode (a lone surrogate)";
  return null;
}

/** The first such string in a JSON value (keys included), with its dotted path, or null. */
export function findUnstorableText(value: unknown, path = ""): UnstorableText | null {
  if (typeof value === "string") {
    const reason = reasonFor(value);
    return reason ? { path, reason } : null;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const keyReason = reasonFor(key);
      if (keyReason) return { path: at, reason: keyReason };
      const found = findUnstorableText(inner, at);
      if (found) return found;
    }
  }
  return null;
}
