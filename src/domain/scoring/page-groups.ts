import type { PageGroup } from "../agreement.ts";

/** Page groups compiled to one anchored, case-insensitive RegExp each, in the model's order. */
export type CompiledPageGroups = readonly { readonly id: string; readonly regex: RegExp }[];

/**
 * The path part of a URL, normalised for matching: no scheme or host, no query or hash, no
 * repeated or trailing slash. Accepts absolute URLs (`https://x.com/a/?q`), protocol-relative
 * ones (`//x.com/a`) and bare paths (`/a`, `a/b`). The root is "/".
 *
 * Hand-rolled rather than `new URL()`: it runs for every page view on the ingestion hot path
 * and has to accept bare paths, which `URL` rejects without a base.
 */
export function urlPath(url: string): string {
  const key = pathKey(url);
  return key === "" ? "/" : key;
}

/** Like `urlPath`, but the root is "" so that `/x/**` can match zero segments uniformly. */
function pathKey(url: string): string {
  let s = url.trim();
  const cut = s.search(/[?#]/);
  if (cut >= 0) s = s.slice(0, cut);
  const authority = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/]*/i.exec(s);
  if (authority) s = s.slice(authority[0].length);
  s = `/${s}`.replace(/\/{2,}/g, "/");
  return s.endsWith("/") ? s.slice(0, -1) : s;
}

const regexSpecial = /[.+?^${}()|[\]\\]/g;

/**
 * `*` matches within one path segment, `**` as a whole segment matches zero or more segments
 * (so `/pricing/**` also matches `/pricing`). Matching ignores case: marketing sites are
 * rarely consistent about it and a missed pricing view costs more than a false match.
 */
function globSource(pattern: string): string {
  const key = pathKey(pattern);
  if (key === "") return "";
  let source = "";
  for (const segment of key.slice(1).split("/")) {
    source +=
      segment === "**"
        ? "(?:/[^/]+)*"
        : `/${segment
            .split("*")
            .map((part) => part.replace(regexSpecial, "\\$&"))
            .join("[^/]*")}`;
  }
  return source;
}

export function compilePageGroups(groups: readonly PageGroup[]): CompiledPageGroups {
  const cached = cache.get(groups);
  if (cached) return cached;
  const compiled = groups.map((g) => ({
    id: g.id,
    regex: new RegExp(`^(?:${g.patterns.map(globSource).join("|")})$`, "i"),
  }));
  cache.set(groups, compiled);
  return compiled;
}

// Keyed by the array's identity: agreement documents are never mutated once loaded, so a
// compiled form stays valid for as long as the document object lives.
const cache = new WeakMap<readonly PageGroup[], CompiledPageGroups>();

/** The id of the first compiled group whose patterns match the URL's path, or null. */
export function matchPageGroup(url: string, groups: CompiledPageGroups): string | null {
  const key = pathKey(url);
  for (const g of groups) if (g.regex.test(key)) return g.id;
  return null;
}

/** The id of the first group whose patterns match the URL's path, or null. */
export function pageGroupOf(url: string, groups: readonly PageGroup[]): string | null {
  return matchPageGroup(url, compilePageGroups(groups));
}
