import type { Qualification, Stage } from "@domain/lifecycle.ts";

/** A lead as the API answers it (dates are ISO strings). */
export type Lead = {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  company: string | null;
  phone: string | null;
  country: string | null;
  source: string | null;
  campaign: string | null;
  sourcedBy: "marketing" | "sales";
  consent: boolean;
  accountId: string | null;
  ownerId: string | null;
  stage: Stage;
  stageEnteredAt: string;
  qualification: Record<string, string>;
  attributes: Record<string, unknown>;
  fitScore: number;
  fitGrade: string;
  engagementScore: number;
  scoreUpdatedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Account = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  country: string | null;
  technologies: string[];
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Transition = {
  id: string;
  leadId: string;
  fromStage: Stage | null;
  toStage: Stage;
  occurredAt: string;
  actorType: "user" | "api_key" | "rule" | "system";
  actorId: string | null;
  rule: string | null;
  reason: string | null;
  note: string | null;
  agreementVersion: number;
};

export type LeadDetail = {
  lead: Lead;
  account: Account | null;
  stageDefinition: { label: string; definition: string };
  agreementVersion: number;
  /** With the name of the person or API key that made each move (null once deleted). */
  history: HistoryEntry[];
};

export type HistoryEntry = Transition & { actorName: string | null };

export type LeadPage = { items: Lead[]; nextCursor: string | null; total: number | null };

export const leadSorts = [
  "createdAt",
  "updatedAt",
  "stageEnteredAt",
  "fitScore",
  "engagementScore",
  "email",
] as const;
export type LeadSort = (typeof leadSorts)[number];

export type LeadFilters = {
  stages: Stage[];
  ownerId: string | undefined;
  source: string | undefined;
  campaign: string | undefined;
  /** Only leads with at least this engagement (the Hot now view). */
  minEngagement: number | undefined;
  q: string | undefined;
  sort: LeadSort;
  order: "asc" | "desc";
};

export type MoveInput = {
  to: Stage;
  expectedStage: Stage;
  reason?: string;
  note?: string;
  qualification?: Qualification;
};

export function leadName(lead: Pick<Lead, "firstName" | "lastName" | "email">): string {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ");
  return name || lead.email;
}

/** `GET /leads/{id}/score`: why a lead has its score, valued at `at`. */
export type LeadScore = {
  leadId: string;
  at: string;
  agreementVersion: number;
  fit: {
    score: number;
    grade: "A" | "B" | "C" | "D";
    thresholds: { A: number; B: number; C: number };
    contributions: FitContribution[];
  };
  engagement: {
    score: number;
    signals: SignalContribution[];
    events: ScoredEvent[];
  };
  criteria: StageCriteria[];
  history: ScorePoint[];
};

export type FitContribution = {
  ruleId: string;
  label: string;
  attribute: string;
  value: string | number;
  points: number;
};

export type SignalContribution = {
  signalId: string;
  label: string;
  events: number;
  rawPoints: number;
  decayedPoints: number;
  capped: boolean;
  halfLifeDays: number | null;
  cap: number | null;
};

export type ScoredEvent = {
  eventId: string;
  type: string;
  occurredAt: string;
  url: string | null;
  campaign: string | null;
  signalId: string | null;
  signalLabel: string | null;
  /** What the event is worth now, after decay (a capped signal's events at their share of the cap). */
  points: number;
};

export type StageCriteria = {
  stage: "mrl" | "mql";
  met: boolean;
  conditions: { description: string; met: boolean; detail: string }[];
};

export type ScorePoint = {
  at: string;
  fitScore: number;
  fitGrade: string;
  engagementScore: number;
  /** The event types that changed the score, comma-separated. */
  cause: string;
  /**
   * recorded: as Accord recorded it when the events reached it; events: rebuilt from the
   * lead's events by when they happened, for the time up to its last late arrival (events
   * received over an hour after they happened, as in an import of past activity); decay: the
   * fade after the last event, valued from the lead's signals.
   */
  source: "recorded" | "events" | "decay";
};
