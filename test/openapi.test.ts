import { writeFileSync } from "node:fs";
import { it } from "vitest";
import { createTestApp } from "./helpers/test-app.ts";
it("explore", async () => {
  const t = await createTestApp();
  const doc = (await t.request({ method: "GET", url: "/api/openapi.json" })).json();
  writeFileSync("/tmp/scratch/openapi.json", JSON.stringify(doc, null, 1));
  const out: string[] = [];
  for (const p of [{method:"DELETE", url:"/api/v1/api-keys/00000000-0000-4000-8000-000000000000", payload:"{bad", headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/auth/sign-out", payload:"{bad", headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/auth/sign-out", payload:"hello", headers:{"content-type":"text/plain"}},
    {method:"POST", url:"/api/v1/leads", payload:"hello", headers:{"content-type":"text/plain"}},
    {method:"POST", url:"/api/v1/leads", payload:"a=b", headers:{"content-type":"application/x-www-form-urlencoded"}},
    {method:"POST", url:"/api/v1/leads", payload:"[]", headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads", payload:'"x"', headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads", payload:'null', headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads", payload:'{"email": 5, "x": 1}', headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads", payload:'{"email": "a@b.com", "x": 1}', headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads"},
    {method:"POST", url:"/api/v1/events", payload:"[]", headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/events", payload:"x".repeat(2*1024*1024), headers:{"content-type":"application/json"}},
    {method:"POST", url:"/api/v1/leads", payload:"x".repeat(2*1024*1024), headers:{"content-type":"application/json"}},
    {method:"GET", url:"/api/docs"},
    {method:"GET", url:"/api/docs/"},
  ] as const) {
    const r = await t.request(p as never);
    out.push(`${p.method} ${p.url} ${r.statusCode} ${r.headers.location} ${r.headers["content-type"]} ${r.body.slice(0, 400)}`);
  }
  writeFileSync("/tmp/scratch/out.txt", out.join("\n"));
  await t.close();
});
