import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { up as addAuthorityChange } from "../src/platform/migrations/012-recycle-authority-change.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

// An agreement stored before a field was added to the agreement must still be served, and
// must keep meaning what the people who signed it read.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("an agreement written before the recycle policy's authority change existed", () => {
  it("is served after migration 012, with the authority change off, and behaves so", async () => {
    // The workspace's agreement as an older version of Accord stored it.
    await sql`update agreements
      set document = document #- '{recycle,requalifyOnAuthorityChange}'
      where workspace_id = ${t.workspaceId}`.execute(t.database.db);
    await addAuthorityChange(t.database.db as never);
    const res = await t.request({ method: "GET", url: "/api/v1/agreement" });
    expect(res.statusCode).toBe(200);
    expect(res.json().document.recycle).toEqual({
      nurtureDays: 90,
      requalifyOnPricingVisit: true,
      requalifyOnAuthorityChange: false,
    });
    // A recycled analyst promoted to VP stays recycled under it.
    await t.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Old Terms", domain: "old-terms.io", industry: "Software" },
    });
    const lead = (
      await t.request({
        method: "POST",
        url: "/api/v1/leads",
        payload: { email: "ana@old-terms.io", title: "Data Analyst", country: "US" },
      })
    ).json();
    for (const payload of [{ to: "mql" }, { to: "recycled", reason: "no_authority" }])
      expect(
        (
          await t.request({
            method: "POST",
            url: `/api/v1/leads/${lead.id}/transitions`,
            payload,
          })
        ).statusCode,
      ).toBe(200);
    const edited = await t.request({
      method: "PATCH",
      url: `/api/v1/leads/${lead.id}`,
      payload: { title: "VP of Data" },
    });
    expect(edited.json()).toMatchObject({ stage: "recycled", fitGrade: "B" });
    // Running the migration again changes nothing.
    await addAuthorityChange(t.database.db as never);
    expect(
      (await t.request({ method: "GET", url: "/api/v1/agreement" })).json().document.recycle
        .requalifyOnAuthorityChange,
    ).toBe(false);
  });
});
