import type { ReactNode } from "react";
import { formatRelative, formatScore } from "../../ui/format.ts";
import { GaugeIcon } from "../../ui/icons.tsx";
import { Card } from "../../ui/page.tsx";
import { GradeBadge, ScoreBar } from "../../ui/stage-chip.tsx";
import type { Lead } from "./leads.types.ts";

/** One line of a score's explanation: the rule or signal and the points it gave. */
export type ScoreContribution = { kind: "fit" | "engagement"; label: string; points: number };

/**
 * The lead's scores. The breakdown endpoint is not there yet: `breakdown` and `chart` are the
 * slots it will fill (a contribution list and a score-over-time chart).
 */
export function ScoreCard({
  lead,
  breakdown,
  chart,
}: {
  lead: Lead;
  breakdown?: ScoreContribution[];
  chart?: ReactNode;
}) {
  return (
    <Card title="Score" icon={<GaugeIcon size={16} />} testId="score-card">
      <div className="score-grid">
        <div className="score-tile">
          <span className="score-label">Fit</span>
          <div className="score-big">
            {formatScore(lead.fitScore)}
            <GradeBadge grade={lead.fitGrade} />
          </div>
          <ScoreBar value={lead.fitScore} />
          <span className="score-hint">Against the ideal customer profile, 0–100</span>
        </div>
        <div className="score-tile">
          <span className="score-label">Engagement</span>
          <div className="score-big">{formatScore(lead.engagementScore)}</div>
          <ScoreBar value={lead.engagementScore} />
          <span className="score-hint">Recent signals, each decaying over time</span>
        </div>
      </div>
      {chart ? <div className="score-chart">{chart}</div> : null}
      {breakdown ? (
        <ul className="breakdown">
          {breakdown.map((c) => (
            <li key={`${c.kind}-${c.label}`}>
              <span>{c.label}</span>
              <span className={c.points < 0 ? "points-neg" : "points-pos"}>
                {c.points > 0 ? "+" : ""}
                {formatScore(c.points)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="score-footnote">
          {lead.scoreUpdatedAt
            ? `Scored ${formatRelative(lead.scoreUpdatedAt)}. `
            : "Not scored yet. "}
          The rule-by-rule breakdown will appear here.
        </p>
      )}
    </Card>
  );
}
