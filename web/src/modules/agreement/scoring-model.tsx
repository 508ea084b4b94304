import type { AgreementDocument, ScoringModel, Signal } from "@domain/agreement.ts";
import type { ReactNode } from "react";
import { formatScore } from "../../ui/format.ts";
import {
  ActivityIcon,
  BoltIcon,
  ClockIcon,
  CodeIcon,
  ShieldIcon,
  TargetIcon,
} from "../../ui/icons.tsx";
import { Card } from "../../ui/page.tsx";
import { GradeBadge, StageChip } from "../../ui/stage-chip.tsx";
import { describeCondition } from "./criteria.ts";
import {
  daysText,
  describeFitMatch,
  eventLabel,
  fitAttributeLabel,
  recycleReturns,
  signalPlace,
  signedPoints,
  triggerMaxAgeDays,
} from "./scoring-text.ts";

/** The agreement's scoring model, read-only: what scores a lead and what moves it on its own. */
export function ScoringModelSection({ doc }: { doc: AgreementDocument }) {
  const model = doc.scoring;
  return (
    <section className="section" aria-labelledby="scoring-title" data-testid="scoring-model">
      <h2 className="section-title" id="scoring-title">
        Scoring model
      </h2>
      <p className="section-lead">
        Every lead has two scores: fit, how closely the person and their company match the ideal
        customer profile, and engagement, how much interest they have shown lately. The MQL criteria
        above are written in these scores.
      </p>
      <ScoringRules />
      <FitModel model={model} />
      <EngagementModel model={model} />
      <div className="grid-2">
        <PageGroups model={model} />
        <HandRaisers doc={doc} />
      </div>
      <div className="grid-2">
        <CompetitorDomains domains={model.engagement.competitorDomains} />
        <EventTypeAliases aliases={model.eventTypeAliases} />
      </div>
    </section>
  );
}

/** The rules the server applies, in plain words (src/domain/scoring/apply-events.ts). */
function ScoringRules() {
  return (
    <Card
      title="How Accord applies it"
      icon={<ShieldIcon size={16} />}
      testId="scoring-rules"
      className="scoring-card"
    >
      <ul className="model-rules">
        <li className="model-rule">
          <TargetIcon size={16} />
          <span>
            <strong>Fit</strong> is the sum of the points of every rule that matches, kept between 0
            and 100, then graded A to D.
          </span>
        </li>
        <li className="model-rule">
          <BoltIcon size={16} />
          <span>
            <strong>Engagement</strong> is the sum of the signals. Each event is worth its signal's
            points when new and loses half of them every half-life; a signal adds, or takes away, no
            more than its cap. Engagement is never below 0.
          </span>
        </li>
        <li className="model-rule">
          <ActivityIcon size={16} />
          <span>
            <strong>Every event counts toward the score</strong>, however old: an older one has
            simply faded more, and the MQL criteria apply to the score. People at a competitor score
            nothing.
          </span>
        </li>
        <li className="model-rule">
          <ClockIcon size={16} />
          <span>
            <strong>Only a current event moves a lead</strong> (a hand raised, a re-qualification or
            a stage's criteria met): it happened within the last {triggerMaxAgeDays} days (for a
            recycled lead, after it was recycled) and not at a competitor. An import of past
            activity scores its people but makes nobody an MQL today.
          </span>
        </li>
      </ul>
    </Card>
  );
}

// ---------- Fit ----------

function FitModel({ model }: { model: ScoringModel }) {
  const { rules, grades } = model.fit;
  const scale: { grade: "A" | "B" | "C" | "D"; text: string }[] = [
    { grade: "A", text: `${formatScore(grades.A)} or more` },
    { grade: "B", text: `${formatScore(grades.B)} or more` },
    { grade: "C", text: `${formatScore(grades.C)} or more` },
    { grade: "D", text: `below ${formatScore(grades.C)}` },
  ];
  return (
    <Card
      title="Fit: who they are"
      icon={<TargetIcon size={16} />}
      testId="fit-model"
      className="scoring-card"
    >
      <h3 className="subhead">Grades</h3>
      <ul className="grade-thresholds" data-testid="fit-grades">
        {scale.map((s) => (
          <li key={s.grade} className="grade-threshold">
            <GradeBadge grade={s.grade} />
            <span>
              <span className="grade-threshold-name">Grade {s.grade}</span>
              <span className="grade-threshold-range">Fit {s.text}</span>
            </span>
          </li>
        ))}
      </ul>

      <h3 className="subhead">
        Rules<span className="subhead-count">{rules.length}</span>
      </h3>
      {rules.length === 0 ? (
        <p className="empty-note">No fit rules: every lead's fit is 0.</p>
      ) : (
        <ModelTable
          testId="fit-rules-table"
          head={["Rule", "Attribute", "Condition", { label: "Points", num: true, lead: true }]}
          rows={rules.map((r) => ({
            key: r.id,
            cells: [
              <RuleName key="rule" label={r.label} id={r.id} />,
              fitAttributeLabel(r.attribute),
              describeFitMatch(r),
              <PointsPill key="points" value={r.points} />,
            ],
          }))}
        />
      )}
      <p className="model-note">
        Rules read the lead and its account. Text matches ignore case; a value nobody recorded
        matches no rule.
      </p>
    </Card>
  );
}

// ---------- Engagement ----------

function EngagementModel({ model }: { model: ScoringModel }) {
  const signals = model.engagement.signals;
  const positive = signals.filter((s) => s.points >= 0);
  const negative = signals.filter((s) => s.points < 0);
  return (
    <Card
      title="Engagement: what they do"
      icon={<BoltIcon size={16} />}
      testId="engagement-model"
      className="scoring-card"
    >
      <h3 className="subhead">
        Signals<span className="subhead-count">{positive.length}</span>
      </h3>
      {positive.length === 0 ? (
        <p className="empty-note">No signals: no event raises engagement.</p>
      ) : (
        <SignalTable signals={positive} model={model} testId="signals-table" />
      )}

      <h3 className="subhead">
        Negative signals<span className="subhead-count">{negative.length}</span>
      </h3>
      {negative.length === 0 ? (
        <p className="empty-note">No negative signals: no event lowers engagement.</p>
      ) : (
        <>
          <p className="model-note model-note-top">
            These take points away: interest in a job rather than the product, or a person who asked
            to hear less from us.
          </p>
          <SignalTable signals={negative} model={model} testId="negative-signals-table" />
        </>
      )}
      <p className="model-note">
        A page view counts for the signal of its page group when there is one, else for the page
        view signal without a group. An event no signal names is kept but scores nothing.
      </p>
    </Card>
  );
}

function SignalTable({
  signals,
  model,
  testId,
}: {
  signals: Signal[];
  model: ScoringModel;
  testId: string;
}) {
  return (
    <ModelTable
      testId={testId}
      className="signal-table"
      head={[
        "Signal",
        "Event type",
        "Pages",
        { label: "Points", num: true, lead: true },
        { label: "Half-life", num: true },
        { label: "Cap", num: true, title: "The most the signal adds or takes away in total" },
      ]}
      rows={signals.map((s) => {
        const place = signalPlace(s, model);
        return {
          key: s.id,
          tone: s.points < 0 ? "neg" : undefined,
          cells: [
            <span key="label" className="model-strong">
              {s.label}
            </span>,
            <code key="type" className="code-chip">
              {s.eventType}
            </code>,
            place ?? <span className="muted">—</span>,
            <PointsPill key="points" value={s.points} />,
            daysText(s.halfLifeDays),
            <span key="cap" title={s.points < 0 ? "Takes away at most" : "Adds at most"}>
              {signedPoints(s.points < 0 ? -s.cap : s.cap)}
            </span>,
          ],
        };
      })}
    />
  );
}

function PageGroups({ model }: { model: ScoringModel }) {
  const groups = model.engagement.pageGroups;
  const signalsOf = (id: string) =>
    model.engagement.signals.filter((s) => s.pageGroup === id).map((s) => s.label);
  return (
    <Card
      title="Page groups"
      icon={<CodeIcon size={16} />}
      testId="page-groups"
      className="scoring-card"
    >
      {groups.length === 0 ? (
        <p className="empty-note">No page groups: every page view counts the same.</p>
      ) : (
        <ModelTable
          testId="page-groups-table"
          head={["Page group", "URL patterns", "Signal"]}
          rows={groups.map((g) => ({
            key: g.id,
            cells: [
              <span key="label" className="model-strong">
                {g.label}
              </span>,
              <span key="patterns" className="code-chips">
                {g.patterns.map((p) => (
                  <code key={p} className="code-chip">
                    {p}
                  </code>
                ))}
              </span>,
              signalsOf(g.id).join(", ") || <span className="muted">None</span>,
            ],
          }))}
        />
      )}
      <p className="model-note">
        <code>*</code> matches within one part of the path, <code>**</code> any number of parts.
        Case, the site's address and the query string are ignored.
      </p>
    </Card>
  );
}

function HandRaisers({ doc }: { doc: AgreementDocument }) {
  const model = doc.scoring;
  const fitConditions = doc.stages.mql.entryCriteria.filter(
    (c) => c.kind === "fit_grade_at_least" || c.kind === "fit_at_least",
  );
  return (
    <Card
      title="Hand-raisers"
      icon={<BoltIcon size={16} />}
      testId="hand-raisers"
      className="scoring-card"
    >
      <p className="model-note model-note-top">
        An event that makes a lead an MQL at once, whatever its engagement, when its fit is high
        enough.
      </p>
      {model.handRaisers.length === 0 ? (
        <p className="empty-note">No hand-raisers: leads become MQLs by the criteria alone.</p>
      ) : (
        <ModelTable
          testId="hand-raisers-table"
          head={["Event", "Minimum fit", { label: "Makes it", lead: true }]}
          rows={model.handRaisers.map((h) => ({
            key: h.eventType,
            cells: [
              <span key="event" className="model-cell-stack">
                <span className="model-strong">{eventLabel(h.eventType, model)}</span>
                <code className="code-chip">{h.eventType}</code>
              </span>,
              <span key="grade" className="model-grade">
                <GradeBadge grade={h.minFitGrade} />
                {h.minFitGrade === "A" ? "Grade A" : `Grade ${h.minFitGrade} or better`}
              </span>,
              <StageChip key="stage" stage={h.stage} />,
            ],
          }))}
        />
      )}
      <p className="model-requalify" data-testid="requalify-rule">
        <strong>Recycled leads: </strong>
        {`${recycleReturns(doc.recycle, {
          fitClause:
            fitConditions.length > 0
              ? `when its fit still meets the MQL's fit conditions (${fitConditions
                  .map((c) => lowerFirst(describeCondition(c)))
                  .join(", ")})`
              : null,
        })} brings one back as an MQL; the MQL's criteria do only after ${doc.recycle.nurtureDays} days of nurture${
          doc.recycle.requalifyOnPricingVisit ? "" : ", and a pricing page visit alone does not"
        }.`}
      </p>
    </Card>
  );
}

function CompetitorDomains({ domains }: { domains: string[] }) {
  return (
    <Card
      title="Competitor domains"
      icon={<ShieldIcon size={16} />}
      testId="competitor-domains"
      className="scoring-card"
    >
      {domains.length === 0 ? (
        <p className="empty-note">No competitor domains</p>
      ) : (
        <div className="code-chips">
          {domains.map((d) => (
            <code key={d} className="code-chip">
              {d}
            </code>
          ))}
        </div>
      )}
      <p className="model-note">
        People with an email at one of these domains, or a subdomain of one, score no engagement and
        never raise a hand.
      </p>
    </Card>
  );
}

function EventTypeAliases({ aliases }: { aliases: Record<string, string> }) {
  const entries = Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card
      title="Event type aliases"
      icon={<CodeIcon size={16} />}
      testId="event-type-aliases"
      className="scoring-card"
    >
      {entries.length === 0 ? (
        <p className="empty-note">
          No event type aliases: events count under the type they are sent with.
        </p>
      ) : (
        <ModelTable
          testId="aliases-table"
          head={["Sent as", "Counted as"]}
          rows={entries.map(([from, to]) => ({
            key: from,
            cells: [
              <code key="from" className="code-chip">
                {from}
              </code>,
              <code key="to" className="code-chip">
                {to}
              </code>,
            ],
          }))}
        />
      )}
      <p className="model-note">Other names senders may use for the event types above.</p>
    </Card>
  );
}

// ---------- Shared ----------

/** "Fit grade B or better" → "fit grade B or better". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function RuleName({ label, id }: { label: string; id: string }) {
  return (
    <span className="model-cell-stack">
      <span className="model-strong">{label}</span>
      <code className="model-id">{id}</code>
    </span>
  );
}

function PointsPill({ value }: { value: number }) {
  const tone = value > 0 ? "pos" : value < 0 ? "neg" : "zero";
  return <span className={`points points-${tone}`}>{signedPoints(value)}</span>;
}

/** `lead`: the column a phone shows beside the row's first cell, as its headline. */
type Head = string | { label: string; num?: boolean; lead?: boolean; title?: string };

/**
 * A read-only table that turns into labelled rows on a phone: each cell carries its column's
 * name for the narrow layout (theme.css, `.model-table`).
 */
function ModelTable({
  head,
  rows,
  testId,
  className,
}: {
  head: Head[];
  rows: { key: string; tone?: "neg" | undefined; cells: ReactNode[] }[];
  testId: string;
  className?: string;
}) {
  const columns = head.map((h) => (typeof h === "string" ? { label: h } : h));
  return (
    <div className="model-table-wrap">
      <table className={`table model-table ${className ?? ""}`} data-testid={testId}>
        <thead className="model-head">
          <tr>
            {columns.map((c) => (
              <th key={c.label} className={c.num ? "model-th num" : "model-th"} title={c.title}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="model-body">
          {rows.map((r) => (
            <tr key={r.key} className="model-tr" data-tone={r.tone}>
              {r.cells.map((cell, i) => {
                const c = columns[i];
                return (
                  <td
                    key={c?.label ?? i}
                    className={["model-td", c?.num ? "num" : "", c?.lead ? "model-td-lead" : ""]
                      .filter(Boolean)
                      .join(" ")}
                    data-label={c?.label}
                  >
                    {cell}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
