import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, webDist } from "../helpers/test-server.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
// CI installs Chromium (.ci/run); on a laptop without it the flows are skipped, not failed.
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && !process.env.CI) {
  console.warn(`Browser flows skipped: no Chromium at ${chromiumPath} (apt-get install chromium).`);
}

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

describe.skipIf(!haveChromium && !process.env.CI)("web app in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let mqlLeadId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });

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
    await page.locator("table tbody tr").first().waitFor();
    await expect(page.locator("table").textContent()).resolves.toContain("lead.transitioned");
    await shot(page, "admin-audit");
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
