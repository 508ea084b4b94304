/**
 * Where a lead that Accord first hears of through an engagement event came from. An event's
 * `source` property names an Accord lead source as it is (the agreement's sourcing list decides
 * who sourced it); UTM parameters name a campaign's traffic (utm_source=google, utm_medium=cpc)
 * and are read as the marketing channel they stand for. Without either, the person found the
 * website.
 */
const SOCIAL = new Set([
  "facebook",
  "fb",
  "instagram",
  "linkedin",
  "twitter",
  "x",
  "tiktok",
  "reddit",
  "youtube",
  "pinterest",
]);
const PAID = new Set(["cpc", "ppc", "paid", "paidsearch", "paid_search", "sem", "cpm", "display"]);
const SEARCH_ENGINES = new Set(["google", "bing", "duckduckgo", "yahoo", "baidu", "yandex"]);

export function channelOfUtm(
  utmSource: string | undefined,
  utmMedium: string | undefined,
): string | null {
  const medium = utmMedium?.trim().toLowerCase() ?? "";
  const source = utmSource?.trim().toLowerCase() ?? "";
  if (!medium && !source) return null;
  const social = SOCIAL.has(source) || medium.includes("social");
  if (PAID.has(medium) || medium.startsWith("paid")) return social ? "paid_social" : "paid_search";
  if (medium === "email" || medium === "newsletter" || source === "newsletter") return "email";
  if (medium === "webinar") return "webinar";
  if (medium === "event" || medium === "events") return "event";
  if (medium === "content" || medium === "syndication") return "content";
  if (medium === "organic" || (!medium && SEARCH_ENGINES.has(source))) return "organic_search";
  return "website";
}

/** The source of a lead an event creates, from the event's properties. */
export function leadSourceOfEvent(
  properties: Readonly<Record<string, unknown>> | undefined,
): string {
  const text = (key: string) => {
    const v = properties?.[key];
    return typeof v === "string" && v.trim() ? v.trim() : undefined;
  };
  return text("source") ?? channelOfUtm(text("utm_source"), text("utm_medium")) ?? "website";
}

const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/** The UTM parameters an event carried, kept on the lead it creates (the raw campaign data). */
export function utmAttributes(
  properties: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const v = properties?.[key];
    if (typeof v === "string" && v.trim()) out[key] = v.trim();
  }
  return out;
}
