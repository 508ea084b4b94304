import { writeFileSync } from "node:fs";
import { it } from "vitest";
import { createTestApp } from "./helpers/test-app.ts";
it("explore", async () => {
  const t = await createTestApp();
  const r = await t.request({ method: "GET", url: "/api/docs/", key: null });
  writeFileSync("/tmp/scratch/docs.html", r.body);
  console.log(t.app.printRoutes({ commonPrefix: false }));
  await t.close();
});
