import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshots, skipBrowserFlows } from "../helpers/chromium.ts";
import { startTestServer, type TestServer, webDist } from "../helpers/test-server.ts";

type RoleName = keyof TestServer["users"];

/** The built web app; built here when missing so the suite also runs before `build:web`. */
async function ensureWebBuild(): Promise<void> {
  if (existsSync(`${webDist}/index.html`)) return;
  const { build } = await import("vite");
  await build({
    configFile: fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url)),
    logLevel: "warn",
  });
}

describe.skipIf(skipBrowserFlows)("web app in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let mqlLeadId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startTestServer();
    browser = await launchChromium();

    const people: [string, string, string, string, string][] = [
      ["Dana", "Whitfield", "VP Marketing", "Northwind Analytics", "webinar"],
      ["Marcus", "Oyelaran", "Head of Revenue Operations", "Bluefin Logistics", "paid_search"],
      ["Priya", "Raman", "Director of IT", "Helio Health", "content"],
      ["Tomás", "Ferreira", "CTO", "Quanta Fintech", "website"],
      ["Hannah", "Kowalski", "Procurement Manager", "Stackline Retail", "event"],
      ["Wei", "Zhang", "Engineering Manager", "Lumen Software", "organic_search"],
    ];
    // A consented lead with a name and company becomes an MRL on its own; the others stay leads.
    const stagesFor = ["mql", undefined, undefined, "sal", undefined, "mql"] as const;
    for (const [i, [firstName, lastName, title, company, source]] of people.entries()) {
      await server.seedLead({
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${company.split(" ")[0]?.toLowerCase()}.example`,
        firstName,
        lastName,
        title,
        company,
        source,
        campaign: i % 2 ? "Q3 pipeline push" : "RevOps webinar series",
        country: ["US", "GB", "DE", "BR", "PL", "SG"][i] ?? "US",
        consent: i !== 4,
        stage: stagesFor[i],
      });
    }
    const mql = await server.seedLead({
      email: "olivia.bennett@acmecloud.example",
      firstName: "Olivia",
      lastName: "Bennett",
      title: "Head of Marketing Operations",
      company: "Acme Cloud",
      phone: "+1 415 555 0134",
      country: "US",
      source: "webinar",
      campaign: "RevOps webinar series",
      consent: true,
      stage: "mql",
    });
    mqlLeadId = mql.id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    // Let skeletons resolve and transitions settle so the picture shows the page as people see it.
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
  }

  async function signIn(page: Page, role: RoleName): Promise<void> {
    const { email, password } = server.users[role];
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/sign-in");
  }

  it("an SDR rejects an MQL with a reason from the agreement and sees it in the history", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/leads`);
    // Not signed in yet: the guard sends the person to sign in first, then back.
    await page.waitForURL("**/sign-in");
    await shot(page, "sign-in");

    await signIn(page, "sdr");
    expect(new URL(page.url()).pathname).toBe("/leads");
    await page.getByTestId("lead-row").first().waitFor();
    await expect(page.getByTestId("current-user").textContent()).resolves.toContain("E2E sdr");
    await shot(page, "sdr-lead-list");

    await page.getByRole("button", { name: "MQL", exact: true }).click();
    await page.getByRole("link", { name: /Olivia Bennett/ }).click();
    await page.waitForURL(`**/leads/${mqlLeadId}`);
    await expect(page.getByTestId("stage-definition").textContent()).resolves.toContain(
      "engagement score of 50 or more",
    );
    await shot(page, "sdr-lead-mql");

    await page.locator('[data-testid="move-action"][data-to="recycled"]').click();
    const dialog = page.getByTestId("move-dialog");
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain("Not ready to buy now");
    // The reason is required: confirming without one is refused in place.
    await dialog.getByTestId("confirm-move").click();
    await dialog.getByText("Choose the reason from the agreement's list.").waitFor();
    await dialog.getByLabel("No budget this year").check();
    await dialog.getByLabel(/Note/).fill("Budget frozen until next fiscal year; revisit in Q1.");
    await shot(page, "sdr-reject-dialog");
    await dialog.getByTestId("confirm-move").click();

    await page.getByTestId("lead-notice").getByText("Moved to Recycled.").waitFor();
    expect(await page.getByTestId("move-dialog").count()).toBe(0);
    const latest = page.getByTestId("history-entry").first();
    await expect(latest.getAttribute("data-stage")).resolves.toBe("recycled");
    await expect(latest.getByTestId("history-reason").textContent()).resolves.toContain(
      "No budget this year",
    );
    await expect(latest.textContent()).resolves.toContain("E2E sdr");
    await expect(latest.textContent()).resolves.toContain("Budget frozen until next fiscal year");
    await expect(page.getByTestId("stage-callout").getAttribute("data-stage")).resolves.toBe(
      "recycled",
    );
    await shot(page, "sdr-lead-recycled");
  });

  it("an executive reads leads and the agreement and finds no write action anywhere", async () => {
    const page = await newPage();
    await signIn(page, "exec");
    await page.getByTestId("lead-row").first().waitFor();
    await page.getByTestId("read-only-pill").waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.textContent()).resolves.not.toContain("Audit log");
    await expect(nav.textContent()).resolves.not.toContain("API keys");
    await shot(page, "exec-lead-list");

    // Every label a move button can carry (web/src/modules/leads/move-labels.ts), and more.
    const writeLabels =
      /^(accept|reject.*|qualify.*|requalify.*|recycle|disqualify|open opportunity|mark .*|move.*|back to lead|save|edit|delete)$/i;
    const assertNoWriteAction = async () => {
      expect(await page.getByTestId("move-action").count()).toBe(0);
      expect(await page.getByTestId("move-dialog").count()).toBe(0);
      expect(await page.locator("dialog").count()).toBe(0);
      const buttons = await page.getByRole("button").allTextContents();
      expect(buttons.filter((b) => writeLabels.test(b.trim()))).toEqual([]);
    };
    await assertNoWriteAction();

    await page.getByRole("link", { name: /Dana Whitfield/ }).click();
    await page.getByTestId("stage-definition").waitFor();
    await page.getByTestId("history-entry").first().waitFor();
    await assertNoWriteAction();
    await shot(page, "exec-lead");

    await nav.getByRole("link", { name: "Agreement" }).click();
    await page.getByTestId("agreement-page").waitFor();
    await expect(page.getByTestId("agreement-page").textContent()).resolves.toContain(
      "Marketing-qualified lead",
    );
    await assertNoWriteAction();
    await shot(page, "exec-agreement");

    // The audit log is for admins: an executive who types its address is told so.
    await page.goto(`${server.url}/audit`);
    await page.getByText("This page is for workspace admins.").waitFor();
  });

  it("an admin reads the audit log", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Audit log" })
      .click();
    await page.waitForURL("**/audit");
    // The rows are skeletons until the log arrives: wait for an entry, not for any row.
    await page.locator("table").getByText("lead.transitioned").first().waitFor();
    await shot(page, "admin-audit");
  });

  /** Calls the API as a system would, with a bearer key (the admin key unless told). */
  async function callApi(
    path: string,
    init: { method?: string; body?: unknown; key?: string } = {},
  ): Promise<Response> {
    return fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        authorization: `Bearer ${init.key ?? server.adminKey}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  it("an SDR sees why a lead scores what it does: rules, signals, events, criteria and history", async () => {
    const account = await callApi("/accounts", {
      body: {
        name: "Northstar Software",
        domain: "northstar.example",
        industry: "Software",
        employees: 180,
        country: "US",
        technologies: ["HubSpot"],
      },
    });
    expect(account.status).toBe(201);
    const email = "grace.liu@northstar.example";
    const lead = await server.seedLead({
      email,
      firstName: "Grace",
      lastName: "Liu",
      title: "Marketing Operations Manager",
      seniority: "manager",
      department: "marketing",
      company: "Northstar Software",
      country: "US",
      source: "content",
      campaign: "RevOps webinar series",
      consent: true,
    });

    // Three deliveries, so the score history has three points: a pricing page view last week,
    // a guide download and a blog post, then a second pricing page view this morning.
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const deliveries = [
      {
        id: "e2e-grace-pricing-1",
        type: "page_view",
        occurredAt: ago(6 * 24),
        email,
        properties: { url: "https://site.test/pricing", title: "Pricing" },
      },
      {
        events: [
          {
            id: "e2e-grace-guide",
            type: "content_download",
            occurredAt: ago(2 * 24),
            email,
            campaign: "RevOps webinar series",
            properties: {
              url: "https://site.test/guides/lead-scoring",
              title: "Lead scoring guide",
            },
          },
          {
            id: "e2e-grace-blog",
            type: "page_view",
            occurredAt: ago(3 * 24),
            email,
            properties: { url: "https://site.test/blog/mql-vs-sql" },
          },
        ],
      },
      {
        id: "e2e-grace-pricing-2",
        type: "page_view",
        occurredAt: ago(3),
        email,
        properties: { url: "https://site.test/pricing" },
      },
    ];
    for (const body of deliveries) {
      const reply = await callApi("/events", { body });
      expect(reply.status).toBe(202);
      expect((await reply.json()).rejected).toBe(0);
    }
    // `accord serve` re-ranks stored engagement every 30 s; run that sweep now.
    await server.services.scoring.refreshDecayedScores();
    const explained = (await (await callApi(`/leads/${lead.id}/score`)).json()) as {
      engagement: { signals: { signalId: string; decayedPoints: number; events: number }[] };
      history: unknown[];
    };
    const pricing = explained.engagement.signals.find((s) => s.signalId === "pricing_view");
    expect(pricing?.events).toBe(2);
    // History is recorded at most once a minute (plus stage changes): these seconds-apart
    // deliveries leave at least one point, and the chart runs from it to the live value.
    expect(explained.history.length).toBeGreaterThanOrEqual(1);

    const page = await newPage();
    await signIn(page, "sdr");
    await page.getByTestId("hot-now").click();
    await page.getByTestId("hot-hint").waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get("sort")).toBe("engagementScore");
    expect(url.searchParams.get("order")).toBe("desc");
    expect(url.searchParams.get("stage")).toBe("lead,mrl,mql");
    expect(url.searchParams.get("minEngagement")).toBe("1");
    await expect(page.getByTestId("hot-hint").textContent()).resolves.toContain(
      "refreshes every 30 seconds",
    );
    const top = page.getByTestId("lead-row").first();
    await top.getByText("Grace Liu").waitFor();
    await shot(page, "hot-now");

    await top.getByRole("link", { name: /Grace Liu/ }).click();
    await page.waitForURL(`**/leads/${lead.id}`);
    const signal = page.locator('[data-testid="signal-row"][data-signal="pricing_view"]');
    await signal.waitFor();
    await expect(signal.textContent()).resolves.toContain("Pricing page view");
    await expect(signal.textContent()).resolves.toContain("2 events");
    const shown = Number(
      ((await signal.getByTestId("signal-points").textContent()) ?? "").replace(/[+−]/g, ""),
    );
    expect(Math.abs(shown - (pricing?.decayedPoints ?? Number.NaN))).toBeLessThan(0.2);

    const fit = page.getByTestId("fit-rules");
    await expect(fit.textContent()).resolves.toContain("Core industry");
    await expect(fit.textContent()).resolves.toContain("+25");
    const criteria = page.getByTestId("mql-criteria");
    await expect(criteria.textContent()).resolves.toContain("Engagement score of 50 or more");
    expect(await criteria.locator('[data-met="false"]').count()).toBe(1);
    const events = page.getByTestId("recent-events");
    expect(await events.getByTestId("event-row").count()).toBe(4);
    await expect(events.textContent()).resolves.toContain("Content download");

    const chart = page.getByTestId("score-chart");
    await chart.locator(".recharts-surface").first().waitFor();
    await expect(chart.textContent()).resolves.toMatch(/Fit.*Engagement|Engagement.*Fit/);
    expect(await chart.locator(".recharts-line").count()).toBe(2);
    // Point at the chart so the screenshot shows its tooltip too; a viewport as tall as the
    // page keeps the mouse over it (and the sticky bars in place) for the full-page picture.
    await page.setViewportSize({ width: 1440, height: 2300 });
    const box = await chart.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
    await page.locator(".chart-tooltip").waitFor();
    await shot(page, "lead-score");
  });

  it("an admin creates an API key, sees it once, and revokes it", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "API keys" })
      .click();
    await page.waitForURL("**/settings/api-keys");
    await page.getByTestId("api-key-row").first().waitFor();
    const snippet = page.getByTestId("tracking-snippet");
    await expect(snippet.textContent()).resolves.toBe(
      `<script src="${server.url}/t.js" data-key="<an ingest-only key>" async></script>`,
    );

    await page.getByRole("button", { name: "Create an ingest-only key" }).click();
    const form = page.getByTestId("create-key-form");
    await expect(form.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe(
      "Website tracker",
    );
    expect(await form.getByRole("checkbox", { checked: true }).count()).toBe(1);
    // A website's key is public: it is limited to what a website sends.
    await expect(form.locator('input[name="eventTypes"]').inputValue()).resolves.toBe(
      "page_view, form_submit",
    );
    await form.getByTestId("create-key").click();

    const value = page.getByTestId("new-key-value");
    await value.waitFor();
    const key = ((await value.textContent()) ?? "").trim();
    expect(key).toMatch(/^acc_/);
    await expect(page.getByTestId("new-key").textContent()).resolves.toContain(
      "it will not be shown again",
    );
    await expect(snippet.textContent()).resolves.toContain(`data-key="${key}"`);
    const row = page.getByTestId("api-key-row").filter({ hasText: "Website tracker" });
    await expect(row.textContent()).resolves.toContain(`${key.slice(0, 8)}…`);
    await expect(row.getByTestId("key-event-types").textContent()).resolves.toBe(
      "Only form_submit, page_view",
    );
    await shot(page, "api-keys");

    // The key works for ingestion, and only for it.
    const event = {
      id: "e2e-tracker-key",
      type: "page_view",
      occurredAt: new Date().toISOString(),
      email: "visitor@northstar.example",
      properties: { url: "https://site.test/" },
    };
    expect((await callApi("/events", { body: event, key })).status).toBe(202);
    expect((await callApi("/leads", { key })).status).toBe(403);
    const demo = await callApi("/events", {
      body: { ...event, id: "e2e-tracker-demo", type: "demo_request" },
      key,
    });
    expect(demo.status).toBe(202);
    expect((await demo.json()).errors[0].code).toBe("EVENT_TYPE_NOT_ALLOWED");

    // Once dismissed, the full key is gone for good: not on the page, not after a reload.
    await page.getByRole("button", { name: "I have stored it" }).click();
    await page.getByTestId("api-keys-notice").waitFor();
    expect(await page.getByTestId("new-key").count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(key);

    await row.getByTestId("revoke-key").click();
    const dialog = page.getByTestId("revoke-dialog");
    await dialog.waitFor();
    await dialog.getByTestId("confirm-revoke").click();
    await page.getByTestId("api-keys-notice").getByText("was revoked").waitFor();
    await row.getByText(/^Revoked/).waitFor();
    expect(await row.getByTestId("revoke-key").count()).toBe(0);
    expect(
      (await callApi("/events", { body: { ...event, id: "e2e-after-revoke" }, key })).status,
    ).toBe(401);
    await shot(page, "api-keys-revoked");
  });

  it("a wrong password is refused with a clear message", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Work email").fill(server.users.ae.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.getByTestId("sign-in-error");
    await error.waitFor();
    await expect(error.textContent()).resolves.toBe("Wrong email or password.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await shot(page, "sign-in-wrong-password");
  });
});
