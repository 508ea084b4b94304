import { describe, expect, it } from "vitest";
import type { PageGroup } from "../agreement.ts";
import { defaultAgreement } from "../default-agreement.ts";
import { pageGroupOf, urlPath } from "./page-groups.ts";

const defaultGroups = defaultAgreement.scoring.engagement.pageGroups;

describe("urlPath", () => {
  it.each([
    ["https://acme.com/pricing?plan=pro#faq", "/pricing"],
    ["https://acme.com", "/"],
    ["https://acme.com/?utm_source=x", "/"],
    ["//acme.com/blog/post/", "/blog/post"],
    ["/pricing/", "/pricing"],
    ["pricing", "/pricing"],
    ["/blog//post///", "/blog/post"],
    ["  /features  ", "/features"],
  ])("%s has the path %s", (url, path) => {
    expect(urlPath(url)).toBe(path);
  });
});

describe("pageGroupOf with the default agreement", () => {
  it.each([
    ["a pricing page view counts in the pricing group", "https://acme.com/pricing", "pricing"],
    ["a pricing sub-page counts as pricing", "/pricing/enterprise/compare", "pricing"],
    ["the query string and trailing slash are ignored", "/pricing/?plan=team#faq", "pricing"],
    ["matching ignores case", "/Pricing", "pricing"],
    ["`/x/**` also matches `/x` itself", "/product", "product"],
    ["product pages across segments", "/integrations/salesforce/setup", "product"],
    ["a blog post", "https://www.acme.com/blog/2024/05/scoring", "blog"],
    ["a jobs page counts as careers", "/jobs/engineering/backend", "careers"],
    ["a page in no group has none", "/about", null],
    ["a prefix is not a segment match", "/pricing-old", null],
    ["the home page has no group", "https://acme.com/", null],
  ])("%s (%s → %s)", (_rule, url, group) => {
    expect(pageGroupOf(url, defaultGroups)).toBe(group);
  });
});

describe("glob semantics", () => {
  const groups: PageGroup[] = [
    { id: "one_level", label: "Docs index pages", patterns: ["/docs/*"] },
    { id: "guides", label: "Guides", patterns: ["/guides/**/setup"] },
    { id: "prefixed", label: "Landing pages", patterns: ["/lp-*"] },
    { id: "literal_dots", label: "Legal", patterns: ["/terms.html"] },
    { id: "docs_all", label: "All docs", patterns: ["/docs/**"] },
  ];

  it.each([
    ["`*` matches within one segment", "/docs/install", "one_level"],
    [
      "`*` does not cross a segment, a later `**` group catches it",
      "/docs/install/linux",
      "docs_all",
    ],
    ["`**` in the middle matches zero segments", "/guides/setup", "guides"],
    ["`**` in the middle matches several segments", "/guides/crm/hubspot/setup", "guides"],
    ["`*` inside a segment matches a prefix", "/lp-spring-webinar", "prefixed"],
    ["regex characters in patterns are literal", "/termsxhtml", null],
    ["a literal dot matches a dot", "/terms.html", "literal_dots"],
    ["the first matching group wins", "/docs/faq", "one_level"],
  ])("%s (%s → %s)", (_rule, url, group) => {
    expect(pageGroupOf(url, groups)).toBe(group);
  });
});
