import { createRng, type DemoLead } from "./demo-history.ts";
import type { Stage } from "./lifecycle-stages.ts";

export type DemoEvent = {
  id: string;
  leadId: string;
  type: string;
  occurredAt: Date;
  url: string | null;
  campaign: string | null;
};

const DAY = 24 * 3600 * 1000;

const pages = {
  pricing: ["/pricing", "/pricing/enterprise"],
  product: [
    "/product/routing",
    "/product/scoring",
    "/features/sla-clocks",
    "/integrations/salesforce",
  ],
  blog: [
    "/blog/mql-definition",
    "/blog/lead-scoring-decay",
    "/blog/sales-marketing-sla",
    "/blog/revops-metrics",
  ],
  careers: ["/careers"],
  other: ["/", "/about", "/customers"],
};

/** How much a lead in each stage typically engaged before its latest move. */
const activity: Record<Stage, number> = {
  lead: 2,
  mrl: 4,
  mql: 9,
  sal: 10,
  sql: 11,
  opportunity: 12,
  customer: 12,
  recycled: 7,
  disqualified: 2,
  lost: 9,
};

/**
 * Engagement events for the demo's leads, consistent with where each lead ended up: leads
 * that reached MQL read pricing and product pages and downloaded content; recent activity
 * clusters before the lead's latest move. Deterministic by seed, like the history.
 */
export function generateDemoEvents(
  leads: readonly DemoLead[],
  seed: number,
  now: Date,
): DemoEvent[] {
  const rng = createRng(seed, 7);
  const nowMs = now.getTime();
  const events: DemoEvent[] = [];
  let n = 0;
  for (const lead of leads) {
    const count = Math.max(0, Math.round(activity[lead.stage] * (0.5 + rng.float())));
    const start = lead.createdAt.getTime();
    // Activity leads up to the lead's latest move; a recycled lead goes quiet, as most do.
    const end = Math.min(
      nowMs,
      lead.stageEnteredAt.getTime() + (lead.stage === "recycled" ? 0 : DAY),
    );
    const span = Math.max(end - start, 3600 * 1000);
    const engaged = ["mql", "sal", "sql", "opportunity", "customer", "lost"].includes(lead.stage);
    for (let i = 0; i < count; i++) {
      // Skewed towards the end of the window: interest builds up before a move.
      const at = new Date(Math.min(nowMs, start + span * Math.sqrt(rng.float())));
      const kind = rng.weighted<string>([
        ["page_view:product", 5],
        ["page_view:blog", 6],
        ["page_view:other", 3],
        ["page_view:pricing", engaged ? 4 : 1],
        ["page_view:careers", 0.3],
        ["email_open", 5],
        ["email_click", 3],
        ["content_download", engaged ? 2 : 0.7],
        ["webinar_registered", 1],
        ["webinar_attended", engaged ? 1 : 0.3],
        ["social_engagement", 1],
      ]);
      const [type, group] = kind.split(":") as [string, keyof typeof pages | undefined];
      events.push({
        id: `demo-${seed}-${n++}`,
        leadId: lead.id,
        type,
        occurredAt: at,
        url: group ? `https://www.example.com${rng.pick(pages[group])}` : null,
        campaign: lead.campaign,
      });
    }
    if (lead.qualification.budget && rng.chance(0.5)) {
      events.push({
        id: `demo-${seed}-${n++}`,
        leadId: lead.id,
        type: "demo_request",
        occurredAt: new Date(Math.min(nowMs, end - 3600 * 1000)),
        url: null,
        campaign: lead.campaign,
      });
    }
  }
  return events;
}
