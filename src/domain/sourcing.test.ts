import { describe, expect, it } from "vitest";
import { defaultAgreement } from "./default-agreement.ts";
import { channelOfUtm, leadSourceOfEvent, utmAttributes } from "./sourcing.ts";

describe("leadSourceOfEvent", () => {
  it.each<[string, Record<string, unknown> | undefined, string]>([
    ["no properties: the website", undefined, "website"],
    ["a search ad", { utm_source: "google", utm_medium: "cpc" }, "paid_search"],
    ["a LinkedIn ad", { utm_source: "linkedin", utm_medium: "paid" }, "paid_social"],
    ["a newsletter", { utm_source: "newsletter", utm_medium: "email" }, "email"],
    ["organic search", { utm_source: "google" }, "organic_search"],
    ["a partner link", { utm_source: "partner-blog", utm_medium: "referral" }, "website"],
    [
      "an explicit Accord source wins",
      { source: "sdr_outbound", utm_source: "google" },
      "sdr_outbound",
    ],
  ])("%s", (_name, properties, source) => {
    expect(leadSourceOfEvent(properties)).toBe(source);
  });

  it("every channel it derives from UTM is marketing-sourced under the default agreement", () => {
    const mediums = ["cpc", "paid", "email", "webinar", "event", "content", "organic", "referral"];
    for (const medium of mediums)
      for (const source of ["google", "linkedin", "newsletter", "x"]) {
        const channel = channelOfUtm(source, medium)!;
        expect(defaultAgreement.sourcing.marketingSources, `${source}/${medium}`).toContain(
          channel,
        );
      }
  });

  it("keeps the raw UTM parameters for the lead's attributes", () => {
    expect(
      utmAttributes({ utm_source: " google ", utm_medium: "cpc", url: "/x", utm_campaign: "" }),
    ).toEqual({ utm_source: "google", utm_medium: "cpc" });
  });
});
