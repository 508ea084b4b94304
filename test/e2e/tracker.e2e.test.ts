import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshots, skipBrowserFlows } from "../helpers/chromium.ts";
import { startTestServer, type TestServer } from "../helpers/test-server.ts";

// The website tracker (/t.js) in real Chromium on a "customer website" served from another
// origin: an anonymous page view, then a form that names the visitor and stitches them.

const EMAIL = "jane.doe@northwind-robotics.com";

type StoredEvent = {
  event_id: string;
  type: string;
  url: string | null;
  visitor_id: string | null;
  lead_id: string | null;
  signal_id: string | null;
};

type LeadScore = {
  engagement: {
    score: number;
    signals: { signalId: string; events: number; decayedPoints: number }[];
    events: { eventId: string; signalId: string | null; points: number }[];
  };
};

function page(title: string, body: string, accordUrl: string, key: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="${accordUrl}/t.js" data-key="${key}" async></script>
<style>body{font:16px system-ui;margin:3rem auto;max-width:40rem}label{display:block;margin:.5rem 0}</style>
</head><body><header><strong>Northwind Robotics</strong> · <a href="/pricing">Pricing</a> · <a href="/contact">Contact</a></header>
${body}
</body></html>`;
}

/** The customer's website: its own origin, embedding the tracker on every page. */
async function startSite(accordUrl: string, key: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://site").pathname;
    const send = (html: string) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(html);
    };
    if (path === "/pricing") {
      send(
        page(
          "Pricing",
          `<h1>Pricing</h1><p>Team: $49 per seat per month.</p><p><a id="talk" href="/contact">Talk to sales</a></p>`,
          accordUrl,
          key,
        ),
      );
    } else if (path === "/contact") {
      send(
        page(
          "Contact",
          `<h1>Contact sales</h1>
<form id="contact" action="/thanks" method="post">
  <label>Name <input name="name" autocomplete="name"></label>
  <label>Work email <input type="email" name="email" required></label>
  <button type="submit">Send</button>
</form>`,
          accordUrl,
          key,
        ),
      );
    } else if (path === "/newsletter") {
      // A title that a cut at 500 characters would split through its last emoji, an opt-in
      // checkbox named like an email field before the real (text) one, and no browser checks.
      send(
        page(
          `${"N".repeat(499)}📰 Newsletter`,
          `<h1>Newsletter</h1>
<form id="newsletter" action="/thanks" method="post" novalidate>
  <label><input type="checkbox" name="email_optin" value="yes" checked> Send me news</label>
  <label>Email <input type="text" name="email_address"></label>
  <button type="submit">Subscribe</button>
</form>`,
          accordUrl,
          key,
        ),
      );
    } else if (path === "/thanks") {
      // Drain the form body before answering.
      req.resume();
      req.on("end", () =>
        send(page("Thanks", "<h1>Thanks, we'll be in touch.</h1>", accordUrl, key)),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skipBrowserFlows)("the website tracker in Chromium", () => {
  let server: TestServer;
  let site: { url: string; server: Server };
  let browser: Browser;
  let tab: Page;
  let key: string;

  const events = async () => {
    const r = await sql<StoredEvent>`
      select event_id, type, url, visitor_id, lead_id::text as lead_id, signal_id from events
      where workspace_id = ${server.workspaceId} order by received_at, event_id`.execute(
      server.services.db,
    );
    return r.rows;
  };
  const shot = (name: string) =>
    tab.screenshot({ path: `${screenshots}tracker-${name}.png`, fullPage: true });

  beforeAll(async () => {
    server = await startTestServer();
    ({ key } = await server.services.apiKeys.create(
      { kind: "system", workspaceId: server.workspaceId },
      { name: "site", scopes: ["ingest"] },
    ));
    site = await startSite(server.url, key);
    browser = await launchChromium();
    tab = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve()));
    await server?.close();
  });

  let visitorId: string;
  let leadId: string;

  const scoreOf = async (id: string) => {
    const res = await fetch(`${server.url}/api/v1/leads/${id}/score`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as LeadScore;
  };

  it("a visit to the pricing page stores an anonymous page view under a visitor id", async () => {
    await tab.goto(`${site.url}/pricing`);
    await expect.poll(() => tab.title()).toBe("Pricing");
    const view = await eventually("the pricing page view", async () =>
      (await events()).find((e) => e.type === "page_view" && e.url === `${site.url}/pricing`),
    );
    await shot("pricing");
    expect(view.visitor_id).toEqual(expect.any(String));
    expect(view.lead_id).toBeNull();
    expect(view.signal_id).toBe("pricing_view");
    visitorId = view.visitor_id!;
    // The page reads the same id the tracker sent.
    expect(
      await tab.evaluate(() => (window as { accord?: { visitorId: string } }).accord?.visitorId),
    ).toBe(visitorId);
  });

  it("a contact form naming the visitor creates the lead and stitches the earlier page views", async () => {
    await tab.click("#talk");
    await tab.waitForURL(`${site.url}/contact`);
    const contactView = await eventually("the contact page view", async () =>
      (await events()).find((e) => e.type === "page_view" && e.url === `${site.url}/contact`),
    );
    const pricingView = (await events()).find((e) => e.url === `${site.url}/pricing`)!;
    await tab.fill('input[name="name"]', "Jane Doe");
    await tab.fill('input[name="email"]', EMAIL);
    await shot("contact-filled");
    await Promise.all([tab.waitForURL(`${site.url}/thanks`), tab.click('button[type="submit"]')]);
    await expect.poll(() => tab.title()).toBe("Thanks");
    await shot("thanks");

    const lead = await eventually("the lead", () =>
      server.services.db
        .selectFrom("leads")
        .select(["id", "email", "stage"])
        .where("workspace_id", "=", server.workspaceId)
        .where("email", "=", EMAIL)
        .executeTakeFirst(),
    );
    leadId = lead.id;
    const all = await eventually("the form submission", async () => {
      const rows = await events();
      return rows.some((e) => e.type === "form_submit") ? rows : undefined;
    });
    const submit = all.find((e) => e.type === "form_submit")!;
    expect(submit).toMatchObject({
      visitor_id: visitorId,
      lead_id: lead.id,
      url: `${site.url}/contact`,
      signal_id: "form_submit",
    });
    // The views made before the form named the visitor now belong to the lead.
    const byId = new Map(all.map((e) => [e.event_id, e]));
    for (const before of [pricingView, contactView]) {
      expect(byId.get(before.event_id)).toMatchObject({ visitor_id: visitorId, lead_id: lead.id });
    }

    const score = await scoreOf(lead.id);
    expect(score.engagement.score).toBeGreaterThan(0);
    const pricing = score.engagement.signals.find((s) => s.signalId === "pricing_view");
    expect(pricing).toMatchObject({ events: 1 });
    expect(pricing?.decayedPoints).toBeGreaterThan(0);
    expect(score.engagement.signals.map((s) => s.signalId)).toContain("form_submit");
    expect(score.engagement.events).toContainEqual(
      expect.objectContaining({ eventId: pricingView.event_id, signalId: "pricing_view" }),
    );
  });

  it("long addresses and titles, opt-in checkboxes and mistyped emails lose no event", async () => {
    const fresh = await browser.newPage();
    try {
      // A campaign link longer than the API takes for a property (2,000 characters).
      const long = "x".repeat(2500);
      await fresh.goto(`${site.url}/newsletter?utm_source=${long}&utm_campaign=${long}`);
      const view = await eventually("the newsletter page view", async () =>
        (await events()).find((e) => e.type === "page_view" && e.url?.includes("/newsletter")),
      );
      expect(view.url!.length).toBeLessThanOrEqual(2000);
      const stored = await sql<{ properties: Record<string, string>; campaign: string }>`
        select properties, campaign from events where event_id = ${view.event_id}`.execute(
        server.services.db,
      );
      const { properties, campaign } = stored.rows[0]!;
      expect(properties.title).toBe("N".repeat(499));
      expect(properties.utm_source).toHaveLength(2000);
      expect(campaign).toHaveLength(200);

      // A mistyped email: the submission still counts, for the visitor, without a lead.
      await fresh.fill('input[name="email_address"]', "jane at example");
      await Promise.all([fresh.waitForURL(`${site.url}/thanks`), fresh.click("button")]);
      const submit = await eventually("the anonymous newsletter submission", async () =>
        (await events()).find(
          (e) => e.type === "form_submit" && e.url?.includes("/newsletter") && e.lead_id === null,
        ),
      );
      expect(submit.visitor_id).toBe(view.visitor_id);

      // Typed right, the text field (not the checkbox) names the lead.
      await fresh.goBack();
      await fresh.fill('input[name="email_address"]', "reader@northwind-robotics.com");
      await Promise.all([fresh.waitForURL(`${site.url}/thanks`), fresh.click("button")]);
      const reader = await eventually("the reader's lead", () =>
        server.services.db
          .selectFrom("leads")
          .select("id")
          .where("workspace_id", "=", server.workspaceId)
          .where("email", "=", "reader@northwind-robotics.com")
          .executeTakeFirst(),
      );
      expect(reader.id).toEqual(expect.any(String));
    } finally {
      await fresh.close();
    }
  });

  it("sends an event again when Accord answers 503, and it is stored once", async () => {
    const fresh = await browser.newPage();
    try {
      let refused = 0;
      const seen = new Set<string>();
      // Accord is overloaded for the first attempt of every event.
      await fresh.route("**/api/v1/events", async (route) => {
        const body = route.request().postData() ?? "";
        if (route.request().method() === "POST" && !seen.has(body)) {
          seen.add(body);
          refused++;
          await route.fulfill({
            status: 503,
            headers: {
              "content-type": "application/json",
              "retry-after": "1",
              "access-control-allow-origin": "*",
              "access-control-expose-headers": "retry-after",
            },
            body: JSON.stringify({ error: { code: "OVERLOADED", message: "busy" } }),
          });
          return;
        }
        await route.continue();
      });
      await fresh.goto(`${site.url}/pricing?retry=1`);
      const view = await eventually("the page view sent again", async () =>
        (await events()).find((e) => e.type === "page_view" && e.url?.endsWith("?retry=1")),
      );
      expect(refused).toBe(1);
      expect((await events()).filter((e) => e.event_id === view.event_id)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it("a page view after the form identified the visitor counts for the lead", async () => {
    expect(leadId).toBeDefined();
    // Wait for the identifying submission to be stored, then come back to pricing.
    await tab.goto(`${site.url}/pricing`);
    const views = await eventually("the second pricing page view", async () => {
      const rows = (await events()).filter(
        (e) => e.type === "page_view" && e.url === `${site.url}/pricing`,
      );
      return rows.length >= 2 ? rows : undefined;
    });
    await shot("pricing-again");
    const again = views.at(-1)!;
    expect(again.visitor_id).toBe(visitorId);
    // The visitor is a known lead now: their views must not fall back to anonymous.
    expect(again.lead_id, "page view of an identified visitor stored without its lead").toBe(
      leadId,
    );
    const pricing = (await scoreOf(leadId)).engagement.signals.find(
      (s) => s.signalId === "pricing_view",
    );
    expect(pricing?.events).toBe(2);
  });
});
