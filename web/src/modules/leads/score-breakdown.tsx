import type { AgreementDocument, Condition } from "@domain/agreement.ts";
import type { Stage } from "@domain/lifecycle.ts";
import { lazy, type ReactNode, Suspense, useState } from "react";
import {
  formatDate,
  formatDateTime,
  formatMoneyCompact,
  formatNumber,
  formatRelative,
  formatScore,
  humanize,
} from "../../ui/format.ts";
import {
  ActivityIcon,
  BoltIcon,
  ChartIcon,
  CheckCircleIcon,
  CheckIcon,
  CircleIcon,
  ClockIcon,
  TargetIcon,
} from "../../ui/icons.tsx";
import { Card } from "../../ui/page.tsx";
import { GradeBadge } from "../../ui/stage-chip.tsx";
import { EmptyState, ErrorState, Skeleton, SkeletonLines } from "../../ui/states.tsx";
import { type Agreement, describeCondition, recycleReturns } from "../agreement/index.ts";
import { useLeadScore } from "./leads.api.ts";
import type {
  FitContribution,
  LeadScore,
  ScoredEvent,
  SignalContribution,
  StageCriteria,
} from "./leads.types.ts";
import { MIN_HISTORY_POINTS, scoreSeries } from "./score-series.ts";

// Recharts is the largest dependency of the app: only lead pages with a history load it.
const ScoreChart = lazy(() => import("./score-chart.tsx").then((m) => ({ default: m.ScoreChart })));

const NO_ENGAGEMENT =
  "No engagement yet — events from the website, email and webinars will appear here.";

/** Why the lead has its score: fit rules, engagement signals and events, criteria, history. */
export function ScoreBreakdown({
  leadId,
  stage,
  stageEnteredAt,
  agreement: active,
}: {
  leadId: string;
  stage: Stage;
  /** When the lead entered its stage: a recycled lead's nurture period runs from it. */
  stageEnteredAt?: string | undefined;
  agreement: Agreement | undefined;
}) {
  const score = useLeadScore(leadId);
  // The agreement's own conditions read better than the API's terse descriptions, but only
  // when they are the version the score was valued under.
  const agreement =
    active && score.data && active.version === score.data.agreementVersion
      ? active.document
      : undefined;

  return (
    <section className="section" aria-labelledby="score-title" data-testid="score-breakdown">
      <div className="section-head">
        <h2 className="section-title" id="score-title">
          Score
        </h2>
        {score.data ? (
          <span className="section-meta" title={formatDateTime(score.data.at)}>
            <ClockIcon size={14} /> Valued live under agreement v{score.data.agreementVersion} ·
            refreshed every minute
          </span>
        ) : null}
      </div>
      {score.error ? (
        <div className="card">
          <ErrorState
            error={score.error}
            title="The score could not be explained"
            onRetry={score.refetch}
          />
        </div>
      ) : !score.data ? (
        <div className="grid-3" aria-busy="true">
          {["fit", "engagement", "criteria"].map((k) => (
            <div className="card" key={k}>
              <Skeleton width="40%" height={28} />
              <div style={{ height: 14 }} />
              <SkeletonLines lines={5} />
            </div>
          ))}
        </div>
      ) : (
        <>
          <div className="grid-3 score-cards">
            <FitCard fit={score.data.fit} />
            <EngagementCard
              engagement={score.data.engagement}
              threshold={mqlEngagementThreshold(agreement)}
            />
            <CriteriaCard
              criteria={score.data.criteria}
              stage={stage}
              nurturedUntil={
                stage === "recycled" && stageEnteredAt && agreement
                  ? nurtureEnd(stageEnteredAt, agreement.recycle.nurtureDays)
                  : null
              }
              agreement={agreement}
            />
          </div>
          <div className="grid-main-side score-history-row">
            <HistoryCard score={score.data} threshold={mqlEngagementThreshold(agreement)} />
            <ActivityCard events={score.data.engagement.events} />
          </div>
        </>
      )}
    </section>
  );
}

function mqlEngagementThreshold(doc: AgreementDocument | undefined): number | null {
  const condition = doc?.stages.mql.entryCriteria.find((c) => c.kind === "engagement_at_least");
  return condition?.kind === "engagement_at_least" ? condition.value : null;
}

/** "60", "−39.6": a score with a true minus sign. */
function formatPoints(value: number): string {
  return value < 0 ? `−${formatScore(-value)}` : formatScore(value);
}

/** "+25", "−15" (a true minus sign), "0". */
function Points({ value, testId }: { value: number; testId?: string }) {
  const tone = value > 0 ? "pos" : value < 0 ? "neg" : "zero";
  const text = value > 0 ? `+${formatScore(value)}` : formatPoints(value);
  return (
    <span className={`points points-${tone}`} data-testid={testId}>
      {text}
    </span>
  );
}

// ---------- Fit ----------

const gradeOrder = ["D", "C", "B", "A"] as const;

function FitCard({ fit }: { fit: LeadScore["fit"] }) {
  const { A, B, C } = fit.thresholds;
  const floors: Record<(typeof gradeOrder)[number], number> = { D: 0, C, B, A };
  const nextGrade = gradeOrder[gradeOrder.indexOf(fit.grade) + 1];
  const sum = fit.contributions.reduce((total, c) => total + c.points, 0);
  const sorted = [...fit.contributions].sort((a, b) => b.points - a.points);

  return (
    <Card title="Fit" icon={<TargetIcon size={16} />} testId="fit-card">
      <div className="score-headline">
        <span className="score-big" data-testid="fit-score">
          {formatScore(fit.score)}
          <span className="score-of">/ 100</span>
        </span>
        <span className="grade-label">
          <GradeBadge grade={fit.grade} /> Grade {fit.grade}
        </span>
      </div>
      <GradeScale score={fit.score} grade={fit.grade} floors={floors} />
      <p className="score-hint">
        {nextGrade
          ? `${formatScore(floors[nextGrade] - fit.score)} points short of grade ${nextGrade} (${floors[nextGrade]}).`
          : "Top grade: a close match to the ideal customer profile."}
      </p>

      <h3 className="subhead">Rules that matched</h3>
      {sorted.length === 0 ? (
        <p className="empty-note">
          No rule of the ideal customer profile matched. Industry, company size, country, title and
          department score fit: add them to the lead or its account.
        </p>
      ) : (
        <ul className="points-list" data-testid="fit-rules">
          {sorted.map((c) => (
            <li key={c.ruleId}>
              <div className="points-list-main">
                <span className="points-list-label">{c.label}</span>
                <span className="points-list-sub">{attributeText(c)}</span>
              </div>
              <Points value={c.points} />
            </li>
          ))}
        </ul>
      )}
      {sorted.length > 0 && sum !== fit.score ? (
        <p className="points-total">
          The rules add up to {formatPoints(sum)}; fit is kept between 0 and 100.
        </p>
      ) : null}
    </Card>
  );
}

/** A 0–100 scale split at the agreement's grade thresholds, with the lead's place on it. */
function GradeScale({
  score,
  grade,
  floors,
}: {
  score: number;
  grade: string;
  floors: Record<(typeof gradeOrder)[number], number>;
}) {
  const pct = (n: number) => Math.max(0, Math.min(100, n));
  return (
    <div className="grade-scale" role="img" aria-label={`Fit ${score} of 100, grade ${grade}`}>
      <div className="grade-scale-track">
        {gradeOrder.map((g, i) => {
          const start = pct(floors[g]);
          const end = pct(i < 3 ? floors[gradeOrder[i + 1] ?? "A"] : 100);
          // The letter keeps clear of the marker: it moves to the zone's far side from it.
          const marked = pct(score) >= start && pct(score) <= end;
          const side = !marked
            ? "center"
            : pct(score) - start < (end - start) / 2
              ? "end"
              : "start";
          return (
            <span
              key={g}
              className={`grade-zone ${g === grade ? "is-current" : ""}`}
              data-grade={g}
              data-letter={side}
              style={{ left: `${start}%`, width: `${Math.max(0, end - start)}%` }}
            >
              {g}
            </span>
          );
        })}
        <span className="grade-marker" style={{ left: `${pct(score)}%` }} />
      </div>
      <div className="grade-scale-labels" aria-hidden="true">
        {(["C", "B", "A"] as const).map((g) => (
          <span key={g} style={{ left: `${pct(floors[g])}%` }}>
            {floors[g]}
          </span>
        ))}
      </div>
    </div>
  );
}

const attributeNames: Record<string, string> = {
  annualRevenue: "Annual revenue",
  emailDomainType: "Email",
  employees: "Employees",
};

const seniorityNames: Record<string, string> = { c_level: "C-level", vp: "VP" };

function attributeText(c: FitContribution): string {
  const name = attributeNames[c.attribute] ?? humanize(c.attribute);
  let value: string;
  if (typeof c.value === "number") {
    value = c.attribute === "annualRevenue" ? formatMoneyCompact(c.value) : formatNumber(c.value);
  } else if (c.attribute === "emailDomainType") {
    value = c.value === "free" ? "free-mail domain" : `${c.value} domain`;
  } else if (c.attribute === "seniority" && c.value in seniorityNames) {
    value = seniorityNames[c.value] ?? c.value;
  } else if (/^[a-z_]+$/.test(c.value)) {
    value = humanize(c.value);
  } else {
    value = c.value;
  }
  return `${name}: ${value}`;
}

// ---------- Engagement ----------

/**
 * Why the rows do not add up to the score: negative signals took the sum below zero, and
 * engagement is floored at 0 (src/domain/scoring/engagement.ts). Null when they add up.
 */
export function engagementFloorNote(engagement: Pick<LeadScore["engagement"], "signals">) {
  if (engagement.signals.length === 0) return null;
  const sum =
    Math.round(engagement.signals.reduce((total, s) => total + s.decayedPoints, 0) * 10) / 10;
  return sum < 0
    ? `The signals add up to ${formatPoints(sum)}; engagement is never below 0.`
    : null;
}

/**
 * What a signal's events were worth when new, and the cap when they exceed it: "60 when new",
 * "capped at 45" (the decayed value may be under the cap by now; `capped` says when it is).
 */
export function rawPointsText(s: Pick<SignalContribution, "rawPoints" | "cap">): {
  whenNew: string;
  cappedAt: string | null;
} {
  const whenNew = `${formatPoints(s.rawPoints)} when new`;
  if (s.cap === null || Math.abs(s.rawPoints) <= s.cap) return { whenNew, cappedAt: null };
  return { whenNew, cappedAt: `capped at ${formatPoints(Math.sign(s.rawPoints) * s.cap)}` };
}

function EngagementCard({
  engagement,
  threshold,
}: {
  engagement: LeadScore["engagement"];
  threshold: number | null;
}) {
  const max = Math.max(100, engagement.score, threshold ?? 0);
  const floorNote = engagementFloorNote(engagement);
  return (
    <Card title="Engagement" icon={<BoltIcon size={16} />} testId="engagement-card">
      <div className="score-headline">
        <span className="score-big" data-testid="engagement-score">
          {formatScore(engagement.score)}
          <span className="score-of">points</span>
        </span>
        <span className="live-pill">
          <span className="live-dot" /> Live
        </span>
      </div>
      <div className="threshold-bar" aria-hidden="true">
        <span className="threshold-fill" style={{ width: `${(engagement.score / max) * 100}%` }} />
        {threshold !== null ? (
          <span className="threshold-mark" style={{ left: `${(threshold / max) * 100}%` }}>
            <span>MQL {threshold}</span>
          </span>
        ) : null}
      </div>
      <p className="score-hint">Each signal fades at its own half-life and is capped.</p>

      <h3 className="subhead">Signals</h3>
      {engagement.signals.length === 0 ? (
        <p className="empty-note" data-testid="no-engagement">
          {NO_ENGAGEMENT}
        </p>
      ) : (
        <ul className="points-list" data-testid="signals">
          {engagement.signals.map((s) => (
            <SignalRow key={s.signalId} signal={s} />
          ))}
        </ul>
      )}
      {floorNote ? (
        <p className="points-total" data-testid="engagement-floor">
          {floorNote}
        </p>
      ) : null}
    </Card>
  );
}

function SignalRow({ signal: s }: { signal: SignalContribution }) {
  const raw = rawPointsText(s);
  const facts = [
    `${formatNumber(s.events)} ${s.events === 1 ? "event" : "events"}`,
    s.halfLifeDays !== null ? `half-life ${formatScore(s.halfLifeDays)} d` : null,
    // Said once: the points line names the cap when the events reach it.
    s.cap !== null && raw.cappedAt === null ? `cap ${formatScore(s.cap)}` : null,
  ].filter(Boolean);
  return (
    <li data-testid="signal-row" data-signal={s.signalId}>
      <div className="points-list-main">
        <span className="points-list-label">
          {s.label}
          {s.capped ? (
            <span
              className="pill pill-small pill-warning"
              title={`This signal is held at its cap of ${s.cap ?? "?"} points now`}
            >
              capped
            </span>
          ) : null}
        </span>
        <span className="points-list-sub">{facts.join(" · ")}</span>
      </div>
      <div className="points-stack">
        <Points value={s.decayedPoints} testId="signal-points" />
        <span
          className="points-list-sub signal-raw"
          title="What the events were worth when they happened, before decay and cap"
          data-testid="signal-raw"
        >
          {raw.cappedAt ? (
            <>
              {raw.whenNew},<span className="signal-raw-cap"> {raw.cappedAt}</span>
            </>
          ) : (
            raw.whenNew
          )}
        </span>
      </div>
    </li>
  );
}

// About as many as stand beside the chart on a laptop; the rest are a click away.
const RECENT_SHOWN = 5;

function ActivityCard({ events }: { events: ScoredEvent[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? events : events.slice(0, RECENT_SHOWN);
  return (
    <Card
      title="Recent activity"
      icon={<ActivityIcon size={16} />}
      testId="recent-events"
      actions={
        events.length > 0 ? <span className="muted card-count">{events.length} latest</span> : null
      }
    >
      {events.length === 0 ? (
        <EmptyState title="No engagement yet">
          Events from the website, email and webinars will appear here.
        </EmptyState>
      ) : (
        <>
          <ol className="event-list">
            {shown.map((e) => (
              <EventRow key={e.eventId} event={e} />
            ))}
          </ol>
          {events.length > RECENT_SHOWN ? (
            <button type="button" className="btn btn-link show-more" onClick={() => setAll(!all)}>
              {all ? "Show fewer" : `Show all ${events.length}`}
            </button>
          ) : null}
        </>
      )}
    </Card>
  );
}

/** The part of a URL people recognise: "/pricing" rather than the whole address. */
function pageOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, "")}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return url;
  }
}

function EventRow({ event: e }: { event: ScoredEvent }) {
  const where = e.url ? pageOf(e.url) : e.campaign ? `Campaign: ${e.campaign}` : null;
  // An event worth nothing any more (decayed, or no signal counts it) is not "positive".
  const tone =
    e.signalId === null || Math.abs(e.points) < 0.05 ? "zero" : e.points < 0 ? "neg" : "pos";
  return (
    <li className="event-row" data-testid="event-row" data-tone={tone}>
      <span className="event-dot" />
      <div className="event-main">
        <span className="event-title">{e.signalLabel ?? humanize(e.type)}</span>
        {where ? (
          <span className="event-sub" title={e.url ?? undefined}>
            {where}
          </span>
        ) : null}
      </div>
      <div className="event-side">
        {e.signalId === null ? (
          <span className="points points-zero" title="No signal of the scoring model counts it">
            not scored
          </span>
        ) : (
          <Points value={e.points} />
        )}
        <time dateTime={e.occurredAt} title={formatDateTime(e.occurredAt)}>
          {formatRelative(e.occurredAt)}
        </time>
      </div>
    </li>
  );
}

// ---------- Criteria ----------

const pastMql: Stage[] = ["sal", "sql", "opportunity", "customer"];
/** The stages the agreement's rules move on to MQL (src/domain/scoring/advance.ts). */
const movesByRule: Stage[] = ["lead", "mrl", "recycled"];

/** When a recycled lead's nurture period ends (src/domain/scoring/apply-events.ts). */
export function nurtureEnd(stageEnteredAt: string, nurtureDays: number): Date {
  return new Date(Date.parse(stageEnteredAt) + nurtureDays * 24 * 3600 * 1000);
}

function CriteriaCard({
  criteria,
  stage,
  nurturedUntil,
  agreement,
}: {
  criteria: StageCriteria[];
  stage: Stage;
  /** A recycled lead's nurture end: before it, the criteria do not bring it back. */
  nurturedUntil: Date | null;
  agreement: AgreementDocument | undefined;
}) {
  const nurturing = nurturedUntil !== null && nurturedUntil.getTime() > Date.now();
  const mql = criteria.find((c) => c.stage === "mql");
  const mrl = criteria.find((c) => c.stage === "mrl");
  const metCount = mql?.conditions.filter((c) => c.met).length ?? 0;
  const total = mql?.conditions.length ?? 0;

  let status: ReactNode;
  if (stage === "mql") status = <span className="pill pill-success">Is an MQL</span>;
  else if (pastMql.includes(stage)) status = <span className="pill pill-success">Past MQL</span>;
  else if (total > 0)
    status = (
      <span className={`pill ${mql?.met ? "pill-success" : "pill-muted"}`}>
        {metCount} of {total} met
      </span>
    );

  return (
    <Card
      title="What it takes to become an MQL"
      icon={<CheckCircleIcon size={16} />}
      testId="mql-criteria"
      actions={status}
    >
      {!mql || total === 0 ? (
        <p className="empty-note">
          The agreement sets no automatic criteria for MQL: people decide when a lead is one.
        </p>
      ) : (
        <ConditionList criteria={mql} conditions={agreement?.stages.mql.entryCriteria} />
      )}
      {stage === "disqualified" || stage === "lost" ? null : <HandRaisers agreement={agreement} />}
      {stage === "recycled" && agreement ? (
        <PricingRequalify agreement={agreement} mql={mql} />
      ) : null}
      {total > 0 && movesByRule.includes(stage) && nurturing ? (
        <p className="score-hint criteria-note" data-testid="nurture-note">
          Nurtured until {formatDate(nurturedUntil!.toISOString())}: until then only{" "}
          {agreement
            ? recycleReturns(agreement.recycle, { fitClause: null, short: true })
            : "a hand-raiser"}{" "}
          brings it back, not the score it had when sales recycled it. After that, Accord moves it
          to MQL on its own as soon as all of these hold.
        </p>
      ) : total > 0 && movesByRule.includes(stage) ? (
        <p className="score-hint criteria-note">
          Accord moves the lead to MQL on its own as soon as all of these hold, and records the rule
          in its stage history.
        </p>
      ) : null}
      {stage === "disqualified" ? (
        <p className="score-hint criteria-note">
          This lead was disqualified: it left the funnel for good, and the rules no longer move it.
        </p>
      ) : stage === "lost" ? (
        <p className="score-hint criteria-note">
          This opportunity was lost, so the rules no longer move it; a person can recycle it for
          nurture.
        </p>
      ) : null}
      {stage === "lead" && mrl && mrl.conditions.length > 0 ? (
        <div className="criteria-before">
          <h3 className="subhead">
            First, marketing-ready (MRL)
            <span className="subhead-count">
              {mrl.conditions.filter((c) => c.met).length} of {mrl.conditions.length} met
            </span>
          </h3>
          <ConditionList criteria={mrl} conditions={agreement?.stages.mrl.entryCriteria} compact />
        </div>
      ) : null}
    </Card>
  );
}

function ConditionList({
  criteria,
  conditions,
  compact,
}: {
  criteria: StageCriteria;
  /** The agreement's conditions, in the order the API evaluated them. */
  conditions: Condition[] | undefined;
  compact?: boolean;
}) {
  const same = conditions?.length === criteria.conditions.length;
  return (
    <ul className={`checklist ${compact ? "is-compact" : ""}`} data-stage-criteria={criteria.stage}>
      {criteria.conditions.map((c, i) => (
        <li key={c.description} className={c.met ? "is-met" : "is-unmet"} data-met={c.met}>
          <span className="checklist-icon">
            {c.met ? <CheckIcon size={14} /> : <CircleIcon size={14} />}
          </span>
          <div>
            <span className="checklist-label">
              {same && conditions?.[i] ? describeCondition(conditions[i]) : c.description}
            </span>
            <span className="checklist-detail">
              {c.met ? "Met" : "Not yet"} · {c.detail}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The agreement's shortcuts: a hand-raising event that makes an MQL at once. */
function HandRaisers({ agreement }: { agreement: AgreementDocument | undefined }) {
  const raisers = agreement?.scoring.handRaisers ?? [];
  if (raisers.length === 0) return null;
  const label = (type: string) =>
    agreement?.scoring.engagement.signals.find((s) => s.eventType === type && !s.pageGroup)
      ?.label ?? humanize(type);
  return (
    <p className="shortcut">
      <BoltIcon size={14} />
      <span>
        Or at once:{" "}
        {raisers.map((r, i) => (
          <span key={r.eventType}>
            {i > 0 ? "; " : ""}a <strong>{label(r.eventType).toLowerCase()}</strong> with fit grade{" "}
            {r.minFitGrade === "A" ? "A" : `${r.minFitGrade} or better`}
          </span>
        ))}
        .
      </span>
    </p>
  );
}

/**
 * The recycle policy's shortcut back (src/domain/scoring/advance.ts, byPricingVisit): a
 * pricing page visit re-qualifies a recycled lead whose fit still meets the MQL's fit
 * conditions, whatever its engagement.
 */
export function requalifyText(
  agreement: AgreementDocument,
  mql: StageCriteria | undefined,
): { rule: string; now: string | null } | null {
  if (!agreement.recycle.requalifyOnPricingVisit) return null;
  const conditions = agreement.stages.mql.entryCriteria;
  const isFit = (c: Condition) => c.kind === "fit_grade_at_least" || c.kind === "fit_at_least";
  if (!conditions.some(isFit)) {
    return {
      rule: "A visit to the pricing page brings a recycled lead back as an MQL.",
      now: null,
    };
  }
  const rule =
    "A visit to the pricing page brings a recycled lead back as an MQL when its fit still meets the MQL's fit conditions.";
  // The API evaluates the agreement's conditions in order: pair them only when they line up.
  if (!mql || mql.conditions.length !== conditions.length) return { rule, now: null };
  const fitMet = conditions.every((c, i) => !isFit(c) || mql.conditions[i]?.met === true);
  return { rule, now: fitMet ? "Its fit meets them now." : "Its fit does not meet them now." };
}

/**
 * The recycle policy's authority-change trigger (src/domain/scoring/advance.ts,
 * byAuthorityChange), for a recycled lead's page.
 */
export function authorityText(agreement: AgreementDocument): string | null {
  if (agreement.recycle.requalifyOnAuthorityChange !== true) return null;
  const fit = agreement.stages.mql.entryCriteria.some(
    (c) => c.kind === "fit_grade_at_least" || c.kind === "fit_at_least",
  );
  return `A rise in seniority (a new title or seniority, such as a promotion to director) brings a recycled lead back as an MQL${
    fit ? " when its fit still meets the MQL's fit conditions" : ""
  }.`;
}

function PricingRequalify({
  agreement,
  mql,
}: {
  agreement: AgreementDocument;
  mql: StageCriteria | undefined;
}) {
  const text = requalifyText(agreement, mql);
  const authority = authorityText(agreement);
  if (!text && !authority) return null;
  return (
    <>
      {text ? (
        <p className="shortcut" data-testid="requalify-shortcut">
          <BoltIcon size={14} />
          <span>
            {text.rule}
            {text.now ? <strong> {text.now}</strong> : null}
          </span>
        </p>
      ) : null}
      {authority ? (
        <p className="shortcut" data-testid="authority-shortcut">
          <BoltIcon size={14} />
          <span>{authority}</span>
        </p>
      ) : null}
    </>
  );
}

// ---------- History ----------

function HistoryCard({ score, threshold }: { score: LeadScore; threshold: number | null }) {
  const series = scoreSeries(score);
  // A recorded point and the live value now already draw a line.
  const enough = series.length >= MIN_HISTORY_POINTS;
  return (
    <Card
      title="Score over time"
      icon={<ChartIcon size={16} />}
      testId="score-history"
      className="history-card"
    >
      {enough ? (
        <Suspense fallback={<Skeleton height={280} />}>
          <ScoreChart series={series} engagementThreshold={threshold} />
        </Suspense>
      ) : (
        <EmptyState title="Not enough history for a chart yet">
          {score.history.length === 0
            ? "The score is recorded when events change it (at most once a minute, and at every move the agreement's rules make) and when an edit changes the fit; the chart starts with the first record."
            : `First recorded ${formatRelative(score.history[0]?.at)}; the line starts once a moment has passed.`}
        </EmptyState>
      )}
    </Card>
  );
}
