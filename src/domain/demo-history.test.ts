import { describe, expect, it } from "vitest";
import { defaultAgreement } from "./default-agreement.ts";
import { type DemoHistory, type DemoTransition, generateDemoHistory } from "./demo-history.ts";
import { companyDomain, isFreeMailDomain } from "./email.ts";
import { allowedMoves, bantFields, reasonsForMove } from "./lifecycle.ts";

const now = new Date("2026-03-15T12:00:00Z");
const users = { sdrs: ["sdr-1", "sdr-2", "sdr-3"], aes: ["ae-1", "ae-2"] };
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const history = generateDemoHistory({ seed: 42, now, agreementVersion: 3, users });

function byLead(h: DemoHistory): Map<string, DemoTransition[]> {
  const map = new Map<string, DemoTransition[]>();
  for (const t of h.transitions) {
    const list = map.get(t.leadId) ?? [];
    list.push(t);
    map.set(t.leadId, list);
  }
  return map;
}
const transitionsOf = byLead(history);
const leadById = new Map(history.leads.map((l) => [l.id, l]));
const moves = (from: string, to: string) =>
  history.transitions.filter((t) => t.fromStage === from && t.toStage === to);
const reached = (stage: string) =>
  new Set(history.transitions.filter((t) => t.toStage === stage).map((t) => t.leadId)).size;

/** Business hours (Mon–Fri 09–17 UTC) between two instants, to the minute. */
function businessHoursBetween(from: Date, to: Date): number {
  let minutes = 0;
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) {
    const d = new Date(t);
    const day = d.getUTCDay();
    const h = d.getUTCHours();
    if (day !== 0 && day !== 6 && h >= 9 && h < 17) minutes++;
  }
  return minutes / 60;
}

describe("generateDemoHistory", () => {
  it("is deterministic for the same seed and now, and differs for another seed", () => {
    const small = { now, agreementVersion: 1, users, accounts: 80, leads: 400, months: 6 };
    const a = generateDemoHistory({ ...small, seed: 7 });
    const b = generateDemoHistory({ ...small, seed: 7 });
    const c = generateDemoHistory({ ...small, seed: 8 });
    expect(b).toEqual(a);
    expect(c.leads.map((l) => l.email)).not.toEqual(a.leads.map((l) => l.email));
    expect(c.leads[0]!.id).not.toBe(a.leads[0]!.id);
  });

  // Speed is measured by `npm run bench`, never asserted here: test machines are noisy.
  it("produces the default volumes", () => {
    expect(history.accounts).toHaveLength(2000);
    expect(history.leads).toHaveLength(10000);
    expect(history.campaigns.length).toBeGreaterThanOrEqual(8);
    expect(history.campaigns.length).toBeLessThanOrEqual(12);
    expect(history.transitions.length).toBeGreaterThan(15000);
  });

  it("honours custom counts and window", () => {
    const h = generateDemoHistory({
      seed: 1,
      now,
      agreementVersion: 1,
      users,
      accounts: 30,
      leads: 250,
      months: 3,
    });
    expect(h.accounts).toHaveLength(30);
    expect(h.leads).toHaveLength(250);
    const start = new Date(now);
    start.setUTCMonth(start.getUTCMonth() - 3);
    for (const l of h.leads) {
      expect(l.createdAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(l.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
  });

  it("gives every account, lead and transition a unique RFC 4122 v4 id", () => {
    const ids = [
      ...history.accounts.map((a) => a.id),
      ...history.leads.map((l) => l.id),
      ...history.transitions.map((t) => t.id),
    ];
    for (const id of ids) expect(id).toMatch(uuidV4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps account names and domains unique and emails unique case-insensitively", () => {
    const names = history.accounts.map((a) => a.name.toLowerCase());
    const domains = history.accounts.map((a) => a.domain.toLowerCase());
    const emails = history.leads.map((l) => l.email.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(domains).size).toBe(domains.length);
    expect(new Set(emails).size).toBe(emails.length);
    for (const d of domains) expect(isFreeMailDomain(d)).toBe(false);
  });

  it("puts account leads on the account's domain and free-mail leads on no account", () => {
    const accounts = new Map(history.accounts.map((a) => [a.id, a]));
    let freeMail = 0;
    for (const l of history.leads) {
      expect(l.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/);
      if (l.accountId === null) {
        freeMail++;
        expect(companyDomain(l.email)).toBeNull();
      } else {
        const account = accounts.get(l.accountId);
        expect(account).toBeDefined();
        expect(companyDomain(l.email)).toBe(account!.domain);
        expect(l.company).toBe(account!.name);
      }
    }
    expect(freeMail / history.leads.length).toBeGreaterThan(0.08);
    expect(freeMail / history.leads.length).toBeLessThan(0.16);
  });

  it("skews company size: many small accounts, few enterprises", () => {
    const small = history.accounts.filter((a) => a.employees < 200).length;
    const enterprise = history.accounts.filter((a) => a.employees >= 5000).length;
    expect(small / history.accounts.length).toBeGreaterThan(0.5);
    expect(enterprise / history.accounts.length).toBeGreaterThan(0.01);
    expect(enterprise / history.accounts.length).toBeLessThan(0.1);
  });

  it("makes only allowed moves, in time order, never after now, ending in the lead's stage", () => {
    for (const lead of history.leads) {
      const ts = transitionsOf.get(lead.id) ?? [];
      if (ts.length === 0) {
        expect(lead.stage).toBe("lead");
        expect(lead.stageEnteredAt).toEqual(lead.createdAt);
        continue;
      }
      let stage = "lead";
      let last = lead.createdAt.getTime() - 1;
      for (const t of ts) {
        expect(t.fromStage).toBe(stage);
        expect(allowedMoves[t.fromStage]).toContain(t.toStage);
        expect(t.occurredAt.getTime()).toBeGreaterThan(last);
        expect(t.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime());
        stage = t.toStage;
        last = t.occurredAt.getTime();
      }
      const final = ts[ts.length - 1]!;
      expect(lead.stage).toBe(final.toStage);
      expect(lead.stageEnteredAt).toEqual(final.occurredAt);
    }
  });

  it("cites a reason the agreement allows exactly when the move needs one", () => {
    for (const t of history.transitions) {
      const reasons = reasonsForMove(defaultAgreement, t.fromStage, t.toStage);
      if (reasons) expect(reasons.map((r) => r.code)).toContain(t.reason);
      else expect(t.reason).toBeNull();
    }
  });

  it("records actors, rules and the agreement version", () => {
    const rules = new Set([
      "criteria:mrl",
      "criteria:mql",
      "hand_raiser:demo_request",
      "sales_created",
      "data_quality",
    ]);
    const people = new Set([...users.sdrs, ...users.aes]);
    for (const t of history.transitions) {
      expect(t.agreementVersion).toBe(3);
      if (t.actorType === "rule") {
        expect(t.actorId).toBeNull();
        expect(rules.has(t.rule ?? "")).toBe(true);
      } else {
        expect(t.actorType).toBe("user");
        expect(people.has(t.actorId ?? "")).toBe(true);
      }
      if (t.toStage === "mrl") expect(t.rule).toBe("criteria:mrl");
      if (t.toStage === "sal" || t.toStage === "sql") expect(users.sdrs).toContain(t.actorId);
      if (t.toStage === "opportunity" || t.toStage === "customer" || t.toStage === "lost")
        expect(users.aes).toContain(t.actorId);
    }
  });

  it("gives every lead that reached sql its full BANT(M) and a meeting", () => {
    const sqlLeads = new Set(moves("sal", "sql").map((t) => t.leadId));
    expect(sqlLeads.size).toBeGreaterThan(0);
    for (const id of sqlLeads) {
      const q = leadById.get(id)!.qualification;
      for (const f of bantFields) expect(q[f]?.trim()).toBeTruthy();
      expect(Number.isNaN(Date.parse(q.meetingAt ?? ""))).toBe(false);
    }
  });

  it("starts sales-sourced leads as sales_created MQLs accepted at once, and follows the source", () => {
    const marketing = new Set(defaultAgreement.sourcing.marketingSources);
    let salesCount = 0;
    for (const lead of history.leads) {
      expect(lead.sourcedBy).toBe(marketing.has(lead.source) ? "marketing" : "sales");
      if (lead.sourcedBy !== "sales") continue;
      salesCount++;
      expect(lead.campaign).toBeNull();
      const [first, second] = transitionsOf.get(lead.id) ?? [];
      expect(first).toMatchObject({ fromStage: "lead", toStage: "mql", rule: "sales_created" });
      expect(second).toMatchObject({ fromStage: "mql", toStage: "sal", actorId: first!.actorId });
      expect(second!.occurredAt.getTime() - first!.occurredAt.getTime()).toBeLessThanOrEqual(
        60_000,
      );
    }
    expect(salesCount / history.leads.length).toBeGreaterThan(0.11);
    expect(salesCount / history.leads.length).toBeLessThan(0.19);
  });

  it("tags most marketing leads with a campaign active when they were created", () => {
    const campaigns = new Map(history.campaigns.map((c) => [c.key, c]));
    const marketing = history.leads.filter((l) => l.sourcedBy === "marketing");
    const tagged = marketing.filter((l) => l.campaign !== null);
    expect(tagged.length / marketing.length).toBeGreaterThan(0.5);
    for (const l of tagged) {
      const c = campaigns.get(l.campaign!);
      expect(c).toBeDefined();
      expect(l.createdAt.getTime()).toBeGreaterThanOrEqual(c!.startsAt.getTime());
      expect(l.createdAt.getTime()).toBeLessThan(c!.endsAt.getTime());
    }
  });

  it("grows volume over time and favours weekdays", () => {
    const times = history.leads.map((l) => l.createdAt.getTime());
    const start = Math.min(...times);
    const quarter = (now.getTime() - start) / 4;
    const first = times.filter((t) => t < start + quarter).length;
    const lastQ = times.filter((t) => t >= now.getTime() - quarter).length;
    expect(lastQ).toBeGreaterThan(first * 1.3);
    const weekdays = history.leads.filter((l) => l.createdAt.getUTCDay() % 6 !== 0).length;
    expect(weekdays / history.leads.length).toBeGreaterThan(0.85);
  });

  it("has a plausible funnel shape", () => {
    const n = history.leads.length;
    const customers = history.leads.filter((l) => l.stage === "customer").length;
    expect(customers / n).toBeGreaterThan(0.01);
    expect(customers / n).toBeLessThan(0.06);
    expect(reached("recycled")).toBeGreaterThan(0.05 * n);
    expect(reached("disqualified")).toBeGreaterThan(0.05 * n);
    expect(moves("recycled", "mql").length).toBeGreaterThan(0);
    expect(moves("lost", "recycled").length).toBeGreaterThan(0);

    const marketingIds = new Set(
      history.leads.filter((l) => l.sourcedBy === "marketing").map((l) => l.id),
    );
    const mktMoves = (from: string, to: string) =>
      moves(from, to).filter((t) => marketingIds.has(t.leadId));
    const toMrl = mktMoves("lead", "mrl").length / marketingIds.size;
    expect(toMrl).toBeGreaterThan(0.6);
    expect(toMrl).toBeLessThan(0.8);
    const mrlToMql = mktMoves("mrl", "mql").length / mktMoves("lead", "mrl").length;
    expect(mrlToMql).toBeGreaterThan(0.3);
    expect(mrlToMql).toBeLessThan(0.5);

    const accepted = mktMoves("mql", "sal").length;
    const rejected = mktMoves("mql", "recycled").length + mktMoves("mql", "disqualified").length;
    expect(accepted / (accepted + rejected)).toBeGreaterThan(0.5);
    expect(accepted / (accepted + rejected)).toBeLessThan(0.9);
    expect(mktMoves("mql", "recycled").length).toBeGreaterThan(
      mktMoves("mql", "disqualified").length,
    );

    const salToSql = moves("sal", "sql").length / moves("mql", "sal").length;
    expect(salToSql).toBeGreaterThan(0.3);
    expect(salToSql).toBeLessThan(0.6);
    const won = moves("opportunity", "customer").length;
    const lost = moves("opportunity", "lost").length;
    expect(won / (won + lost)).toBeGreaterThan(0.15);
    expect(won / (won + lost)).toBeLessThan(0.35);
  });

  it("accepts most MQLs within 5 business hours and takes months to win marketing leads", () => {
    const sample = moves("mql", "sal").filter(
      (t) => t.rule === null && leadById.get(t.leadId)!.sourcedBy === "marketing",
    );
    const within = sample.filter((t) => {
      const ts = transitionsOf.get(t.leadId)!;
      const prev = ts[ts.indexOf(t) - 1]!;
      return businessHoursBetween(prev.occurredAt, t.occurredAt) <= 5;
    }).length;
    expect(within / sample.length).toBeGreaterThan(0.6);
    expect(within / sample.length).toBeLessThan(0.95);

    const days = moves("opportunity", "customer")
      .map((t) => ({ t, lead: leadById.get(t.leadId)! }))
      .filter(({ lead }) => lead.sourcedBy === "marketing")
      .map(({ t, lead }) => (t.occurredAt.getTime() - lead.createdAt.getTime()) / 86_400_000);
    const avgMonths = days.reduce((a, b) => a + b, 0) / days.length / 30.4;
    expect(avgMonths).toBeGreaterThan(2.5);
    expect(avgMonths).toBeLessThan(5);
  });

  it("keeps scores consistent with the stage", () => {
    for (const lead of history.leads) {
      expect(lead.fitScore).toBeGreaterThanOrEqual(0);
      expect(lead.fitScore).toBeLessThanOrEqual(100);
      if (lead.stage !== "mql") continue;
      const ts = transitionsOf.get(lead.id)!;
      const entry = ts[ts.length - 1]!;
      const byCriteria =
        lead.engagementScore >= 50 && (lead.fitGrade === "A" || lead.fitGrade === "B");
      expect(byCriteria || entry.rule === "hand_raiser:demo_request").toBe(true);
    }
    for (const t of history.transitions) {
      if (t.rule === "criteria:mql") expect(["A", "B"]).toContain(leadById.get(t.leadId)!.fitGrade);
      if (t.rule === "hand_raiser:demo_request")
        expect(["A", "B", "C"]).toContain(leadById.get(t.leadId)!.fitGrade);
    }
  });

  it("assigns SDR owners from sal on and AE owners to opportunities and customers", () => {
    for (const lead of history.leads) {
      if (lead.stage === "sal" || lead.stage === "sql") expect(users.sdrs).toContain(lead.ownerId);
      if (lead.stage === "opportunity" || lead.stage === "customer")
        expect(users.aes).toContain(lead.ownerId);
      if (lead.stage === "lead" || lead.stage === "mrl") expect(lead.ownerId).toBeNull();
    }
  });

  it("works without users: actor and owner ids are null", () => {
    const h = generateDemoHistory({
      seed: 3,
      now,
      agreementVersion: 1,
      users: { sdrs: [], aes: [] },
      accounts: 50,
      leads: 400,
    });
    expect(h.leads.every((l) => l.ownerId === null)).toBe(true);
    expect(h.transitions.every((t) => t.actorId === null)).toBe(true);
    expect(h.transitions.some((t) => t.actorType === "user")).toBe(true);
  });
});
