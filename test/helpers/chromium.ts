import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (installed by .ci/run), driven by playwright-core; never a downloaded one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where browser tests keep their screenshots (a CI artefact). */
export const screenshots = fileURLToPath(
  new URL("../../test-results/screenshots/", import.meta.url),
);

/**
 * True when browser flows must be skipped: no Chromium on a developer's machine. In CI they
 * always run, so a missing browser fails the suite there instead of passing silently.
 */
export const skipBrowserFlows = !existsSync(chromiumPath) && !process.env.CI;
if (skipBrowserFlows) {
  console.warn(`Browser flows skipped: no Chromium at ${chromiumPath} (apt-get install chromium).`);
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
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
}
