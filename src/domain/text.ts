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

/**
 * Such a string in a JSON value (keys included), with its dotted path, or null: an object's
 * own keys first, then its values in order.
 * Walks with its own stack, so a value nested as deep as a body allows cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown, path = ""): UnstorableText | null {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [current, at] = stack.pop()!;
    if (typeof current === "string") {
      const reason = reasonFor(current);
      if (reason) return { path: at, reason };
      continue;
    }
    if (!current || typeof current !== "object") continue;
    const entries = Object.entries(current);
    // An object's keys are checked (in order) before the values inside it, which are then
    // searched in order (pushed in reverse).
    for (const [key] of entries) {
      const keyReason = reasonFor(key);
      if (keyReason) return { path: at ? `${at}.${key}` : key, reason: keyReason };
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      stack.push([inner, at ? `${at}.${key}` : key]);
    }
  }
  return null;
}

/**
 * `text` cut to at most `max` UTF-16 units without splitting a character: a cut through a
 * surrogate pair would leave half of it, which PostgreSQL refuses.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}
