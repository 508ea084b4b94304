import type { AgreementDocument } from "@domain/agreement.ts";
import type { Stage } from "@domain/lifecycle.ts";
import { formatDateTime, formatRelative, humanize } from "../../ui/format.ts";
import { ArrowRightIcon } from "../../ui/icons.tsx";
import { StageChip, stageShortLabels } from "../../ui/stage-chip.tsx";
import { EmptyState } from "../../ui/states.tsx";
import { reasonLabel } from "../agreement/index.ts";
import type { HistoryEntry } from "./leads.types.ts";

/**
 * Rules are named like `criteria:mql` (the stage's entry criteria), `hand_raiser:demo_request`
 * (the event that makes a lead an MQL at once), `requalify:pricing_visit`, or a handoff rule id.
 */
function ruleText(rule: string): string {
  const [kind, detail] = rule.split(":");
  if (kind === "criteria" && detail && detail in stageShortLabels) {
    return `the agreement's ${stageShortLabels[detail as Stage]} entry criteria`;
  }
  if (kind === "hand_raiser" && detail) {
    return `the agreement's hand-raiser rule (${humanize(detail).toLowerCase()})`;
  }
  if (kind === "requalify" && detail) {
    return `the agreement's re-qualification rule (${humanize(detail).toLowerCase()})`;
  }
  return `the rule “${rule}”`;
}

function actorText(t: HistoryEntry): string {
  switch (t.actorType) {
    case "user":
      return t.actorName ?? "a person who has left the workspace";
    case "api_key":
      return t.actorName ? `API key “${t.actorName}”` : "an API client";
    case "rule":
      return t.rule ? ruleText(t.rule) : "an agreement rule";
    case "system":
      return t.rule === "event:new_lead"
        ? "Accord, on the lead's first event"
        : t.rule
          ? `Accord, by ${ruleText(t.rule)}`
          : "Accord";
  }
}

export function StageHistory({
  history,
  agreement,
}: {
  history: HistoryEntry[];
  agreement: AgreementDocument | undefined;
}) {
  if (history.length === 0) {
    return <EmptyState title="No moves yet">This lead has stayed where it arrived.</EmptyState>;
  }
  const newestFirst = [...history].sort(
    (a, b) =>
      b.occurredAt.localeCompare(a.occurredAt) ||
      // The arrival is the oldest entry, even beside a move dated the same instant.
      (a.fromStage ? 0 : 1) - (b.fromStage ? 0 : 1) ||
      b.id.localeCompare(a.id),
  );
  return (
    <ol className="timeline" data-testid="stage-history">
      {newestFirst.map((t) => (
        <li key={t.id} className="timeline-item" data-stage={t.toStage} data-testid="history-entry">
          <span className="timeline-dot" />
          <div className="timeline-content">
            <div className="timeline-head">
              {t.fromStage ? (
                <>
                  <StageChip stage={t.fromStage} />
                  <ArrowRightIcon size={14} className="muted" />
                  <StageChip stage={t.toStage} />
                </>
              ) : (
                <>
                  <span className="timeline-created">Arrived as</span>
                  <StageChip stage={t.toStage} />
                </>
              )}
              <time dateTime={t.occurredAt} title={formatDateTime(t.occurredAt)} className="muted">
                {formatRelative(t.occurredAt)}
              </time>
            </div>
            <p className="timeline-meta">
              By {actorText(t)} · {formatDateTime(t.occurredAt)} ·{" "}
              <span className="pill pill-small">Agreement v{t.agreementVersion}</span>
            </p>
            {t.reason ? (
              <p className="timeline-reason" data-testid="history-reason">
                <span className="muted">Reason</span> {reasonLabel(agreement, t.reason)}
              </p>
            ) : null}
            {t.note ? <blockquote className="timeline-note">{t.note}</blockquote> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
