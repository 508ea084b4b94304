import type { AgreementDocument, Reason } from "@domain/agreement.ts";
import { funnelStages, sideStages } from "@domain/lifecycle.ts";
import { formatDate, humanize } from "../../ui/format.ts";
import { CheckIcon, ClockIcon } from "../../ui/icons.tsx";
import { Card, PageHeader } from "../../ui/page.tsx";
import { StageChip } from "../../ui/stage-chip.tsx";
import { ErrorState, SkeletonLines } from "../../ui/states.tsx";
import { useAgreement } from "./agreement.api.ts";
import { bantLabels, describeCondition } from "./criteria.ts";
import { ScoringModelSection } from "./scoring-model.tsx";
import { recycleReturns } from "./scoring-text.ts";

export function AgreementPage() {
  const { data, error, isLoading, refetch } = useAgreement();

  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (isLoading || !data) {
    return (
      <div className="stack">
        <PageHeader title="Agreement" description="Loading the agreement in force…" />
        <Card>
          <SkeletonLines lines={6} />
        </Card>
      </div>
    );
  }
  const doc = data.document;
  return (
    <div className="stack agreement" data-testid="agreement-page">
      <PageHeader
        eyebrow={
          <>
            <span className="pill pill-brand">Version {data.version}</span>
            <span className="pill pill-success">{humanize(data.status)}</span>
            {data.activatedAt ? (
              <span className="muted">In force since {formatDate(data.activatedAt)}</span>
            ) : null}
          </>
        }
        title={doc.name}
        description="What marketing and sales agreed, in writing. Every stage move and every score is checked against this version and records it."
      />

      <section className="section">
        <h2 className="section-title">The funnel</h2>
        <p className="section-lead">
          A lead moves down these stages in order. Each stage is defined in plain words; the
          criteria under it are what Accord checks.
        </p>
        <ol className="funnel">
          {funnelStages.map((stage, i) => (
            <li key={stage} className="funnel-step" data-stage={stage}>
              <span className="funnel-index">{i + 1}</span>
              <div className="funnel-card">
                <div className="funnel-head">
                  <StageChip stage={stage} />
                  <h3>{doc.stages[stage].label}</h3>
                </div>
                <p className="definition-text">{doc.stages[stage].definition}</p>
                <Criteria doc={doc} stage={stage} />
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section className="section">
        <h2 className="section-title">Side stages</h2>
        <p className="section-lead">
          Where leads go when they are not moving forward. They are kept, with the reason.
        </p>
        <div className="grid-3">
          {sideStages.map((stage) => (
            <Card key={stage}>
              <div className="funnel-head">
                <StageChip stage={stage} />
                <h3>{doc.stages[stage].label}</h3>
              </div>
              <p className="definition-text">{doc.stages[stage].definition}</p>
            </Card>
          ))}
        </div>
      </section>

      <ScoringModelSection doc={doc} />

      <section className="section">
        <h2 className="section-title">Response times</h2>
        <p className="section-lead">Counted in business hours of the owner's team calendar.</p>
        <div className="stat-grid">
          <Stat label="Accept or reject an MQL" hours={doc.sla.acceptMqlHours} />
          <Stat label="First touch after accepting" hours={doc.sla.firstTouchHours} />
          <Stat label="Qualify or recycle" hours={doc.sla.qualifyOrRecycleHours} />
          <Stat label="AE accepts an SQL" hours={doc.sla.aeAcceptSqlHours} />
          <Stat label="Grace before reassignment" hours={doc.sla.graceHours} />
        </div>
      </section>

      <div className="grid-2">
        <Card title="Qualification for SQL (BANT(M))">
          <p className="muted">Before a lead becomes an SQL the SDR must record:</p>
          <ul className="check-list">
            {doc.qualification.requiredFields.map((f) => (
              <li key={f}>
                <CheckIcon size={16} /> {bantLabels[f]}
              </li>
            ))}
            {doc.qualification.requireMeeting ? (
              <li>
                <CheckIcon size={16} /> A meeting booked with an account executive
              </li>
            ) : null}
          </ul>
          {doc.qualification.requiredFields.length === 0 && !doc.qualification.requireMeeting ? (
            <p className="muted">Nothing is required: any accepted lead may become an SQL.</p>
          ) : null}
        </Card>
        <Card title="Recycling and sourcing">
          <p>
            Recycled leads are nurtured for <strong>{doc.recycle.nurtureDays} days</strong>: until
            then only{" "}
            {recycleReturns(doc.recycle, {
              fitClause: "when their fit still meets the MQL's fit conditions",
            })}{" "}
            brings them back as an MQL, not the score they had when sales recycled them. After it,
            the MQL's criteria do too.
          </p>
          <p className="muted">A lead is marketing-sourced when its source is one of:</p>
          <div className="chip-row">
            {doc.sourcing.marketingSources.map((s) => (
              <span key={s} className="pill">
                {humanize(s)}
              </span>
            ))}
          </div>
        </Card>
      </div>

      <section className="section">
        <h2 className="section-title">Reasons</h2>
        <p className="section-lead">
          A rejection, disqualification or loss must cite one of these, so both teams learn from it.
        </p>
        <div className="grid-3">
          <ReasonList title="Rejection (back to nurture)" reasons={doc.reasons.rejection} />
          <ReasonList title="Disqualification" reasons={doc.reasons.disqualification} />
          <ReasonList title="Loss" reasons={doc.reasons.loss} />
        </div>
      </section>
    </div>
  );
}

function Criteria({
  doc,
  stage,
}: {
  doc: AgreementDocument;
  stage: keyof AgreementDocument["stages"];
}) {
  const criteria = doc.stages[stage].entryCriteria;
  if (criteria.length === 0) {
    return <p className="criteria-none">Entered by a person's decision; no automatic criteria.</p>;
  }
  return (
    <ul className="criteria">
      {criteria.map((c) => (
        <li key={JSON.stringify(c)}>
          <CheckIcon size={14} />
          {describeCondition(c)}
        </li>
      ))}
    </ul>
  );
}

function Stat({ label, hours }: { label: string; hours: number }) {
  return (
    <div className="stat">
      <ClockIcon size={16} />
      <div className="stat-value">
        {hours}
        <span className="stat-unit"> h</span>
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function ReasonList({ title, reasons }: { title: string; reasons: Reason[] }) {
  return (
    <Card title={title}>
      <ul className="reason-list">
        {reasons.map((r) => (
          <li key={r.code}>
            <span>{r.label}</span>
            <code>{r.code}</code>
          </li>
        ))}
      </ul>
    </Card>
  );
}
