import { createTestApp } from "./test/helpers/test-app.ts";
const t = await createTestApp();
const now = new Date().toISOString();
let r = await t.request({ method: "POST", url: "/api/v1/events", payload: { events: [
  { id: "e1", type: "page_view", occurredAt: now, email: "ann@acme-software.com", properties: { url: "https://x.com/pricing" } },
  { id: "e2", type: "demo_request", occurredAt: now, email: "ann@acme-software.com" },
  { id: "e3", type: "bogus", occurredAt: now, email: "ann@acme-software.com" },
  { id: "e4", type: "page_view", occurredAt: "nope", email: "ann@acme-software.com" },
  { id: "e1", type: "page_view", occurredAt: now, email: "ann@acme-software.com" },
] } });
console.log(r.statusCode, r.body);
r = await t.request({ method: "POST", url: "/api/v1/events", payload: { id: "e1", type: "page_view", occurredAt: now, email: "ann@acme-software.com" } });
console.log(r.statusCode, r.body);
const id = r.json().leadIds[0];
r = await t.request({ method: "GET", url: `/api/v1/leads/${id}` });
console.log(r.json().lead.stage, r.json().lead.engagementScore, r.json().lead.fitGrade, r.json().history.map((h: any) => `${h.fromStage}->${h.toStage} ${h.rule}`));
await t.close();
