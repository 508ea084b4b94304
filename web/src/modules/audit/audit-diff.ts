export type Change = { key: string; before: unknown; after: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The top-level fields that differ between two snapshots of an entity. */
export function diffEntries(before: unknown, after: unknown): Change[] {
  if (!isRecord(before) && !isRecord(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ key: "", before, after }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const created = !isRecord(before);
  return (
    keys
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      // A new entity's empty fields say nothing; list what it was created with.
      .filter((k) => !created || !isEmpty(a[k]))
      .map((k) => ({ key: k, before: b[k], after: a[k] }))
  );
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

/** A value short enough for a table cell. */
export function showValue(value: unknown): string {
  if (value === undefined) return "∅";
  if (value === null) return "null";
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
