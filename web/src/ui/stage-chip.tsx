import type { Stage } from "@domain/lifecycle.ts";

export const stageShortLabels: Record<Stage, string> = {
  lead: "Lead",
  mrl: "MRL",
  mql: "MQL",
  sal: "SAL",
  sql: "SQL",
  opportunity: "Opportunity",
  customer: "Customer",
  recycled: "Recycled",
  disqualified: "Disqualified",
  lost: "Lost",
};

export function StageChip({ stage, title }: { stage: Stage; title?: string | undefined }) {
  return (
    <span className="stage-chip" data-stage={stage} title={title}>
      <span className="stage-dot" />
      {stageShortLabels[stage]}
    </span>
  );
}

export function GradeBadge({ grade }: { grade: string }) {
  return (
    <span className="grade" data-grade={grade} title={`Fit grade ${grade}`}>
      {grade}
    </span>
  );
}

/** A thin horizontal bar for a 0–100 score. */
export function ScoreBar({ value, max = 100 }: { value: number; max?: number }) {
  const pct = Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <span className="score-bar" aria-hidden="true">
      <span style={{ width: `${pct}%` }} />
    </span>
  );
}
