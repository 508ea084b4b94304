import { allowedMoves, bantFields, type Stage } from "@domain/lifecycle.ts";
import { roleMayMove } from "@domain/roles.ts";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api.ts";
import {
  formatDateTime,
  formatMoneyCompact,
  formatNumber,
  formatRelative,
  humanize,
} from "../../ui/format.ts";
import {
  ArrowLeftIcon,
  BuildingIcon,
  CheckCircleIcon,
  ClockIcon,
  UserIcon,
} from "../../ui/icons.tsx";
import { Card, Fields } from "../../ui/page.tsx";
import { StageChip, stageShortLabels } from "../../ui/stage-chip.tsx";
import { Banner, ErrorState, Skeleton, SkeletonLines } from "../../ui/states.tsx";
import { bantLabels, useAgreement } from "../agreement/index.ts";
import { isReadOnly, useCurrentUser, useUserNames } from "../auth/index.ts";
import { useLead, useReloadLead } from "./leads.api.ts";
import type { Account, Lead } from "./leads.types.ts";
import { leadName } from "./leads.types.ts";
import { MoveDialog } from "./move-dialog.tsx";
import { moveLabel, moveTone } from "./move-labels.ts";
import { ScoreBreakdown } from "./score-breakdown.tsx";
import { StageHistory } from "./stage-history.tsx";

type Notice = { tone: "success" | "warning"; text: string };

/** The shape of a lead id. Anything else in a lead's address names no lead: nothing to ask. */
const leadIdShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function LeadPage() {
  const { id = "" } = useParams();
  return leadIdShape.test(id) ? <LeadDetailPage id={id} /> : <LeadNotFound />;
}

/** The same page for a well-formed id no lead has and for an address that is no lead's. */
function LeadNotFound({ error }: { error?: ApiError }) {
  return (
    <ErrorState
      error={error ?? new ApiError(404, "NOT_FOUND", "No lead with this id in this workspace.")}
      title="This lead does not exist"
      back={{ to: "/leads", label: "Back to leads" }}
    />
  );
}

/** The server refused the id itself (a shape it does not take): for the person, no such lead. */
const refusesId = (error: ApiError) =>
  error.status === 400 && error.fields.some((f) => f.path === "params.id");

function LeadDetailPage({ id }: { id: string }) {
  const detail = useLead(id);
  const agreement = useAgreement();
  const user = useCurrentUser();
  const names = useUserNames();
  const reload = useReloadLead(id);
  const [moving, setMoving] = useState<Stage | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  if (detail.error) {
    if (detail.error.status === 404) return <LeadNotFound error={detail.error} />;
    if (refusesId(detail.error)) return <LeadNotFound />;
    return (
      <ErrorState
        error={detail.error}
        onRetry={detail.refetch}
        back={{ to: "/leads", label: "Back to leads" }}
      />
    );
  }
  if (!detail.data) return <LeadPageSkeleton />;

  const { lead, account, stageDefinition, agreementVersion, history } = detail.data;
  const doc = agreement.data?.document;
  const moves = isReadOnly(user.role)
    ? []
    : allowedMoves[lead.stage].filter((to) => roleMayMove(user.role, lead.stage, to));
  const owner = !lead.ownerId ? null : names ? (names.get(lead.ownerId) ?? "A former member") : "…";

  return (
    <div className="stack">
      <Link to="/leads" className="back-link">
        <ArrowLeftIcon size={16} /> Leads
      </Link>

      <header className="lead-header">
        <div className="lead-identity">
          <span className="avatar avatar-lg" aria-hidden="true">
            {(lead.firstName?.[0] ?? lead.email[0] ?? "?").toUpperCase()}
            {(lead.lastName?.[0] ?? "").toUpperCase()}
          </span>
          <div className="lead-identity-text">
            <h1>{leadName(lead)}</h1>
            <p className="page-description">
              {[lead.title, lead.company].filter(Boolean).join(" at ") || lead.email}
            </p>
          </div>
        </div>
        {moves.length > 0 ? (
          <div className="page-actions" data-testid="lead-actions">
            {moves.map((to) => (
              <button
                key={to}
                type="button"
                className={`btn btn-${moveTone(to)}`}
                data-testid="move-action"
                data-to={to}
                disabled={!doc}
                title={doc ? doc.stages[to].label : "Loading the agreement…"}
                onClick={() => {
                  setNotice(null);
                  setMoving(to);
                }}
              >
                {moveLabel(lead.stage, to)}
              </button>
            ))}
          </div>
        ) : null}
      </header>

      {notice ? (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)}>
          <span data-testid="lead-notice">{notice.text}</span>
        </Banner>
      ) : null}
      {agreement.error ? (
        <Banner tone="warning">
          The agreement could not be loaded, so moves are unavailable: {agreement.error.message}{" "}
          <button type="button" className="btn btn-link" onClick={agreement.refetch}>
            Try again
          </button>
        </Banner>
      ) : null}

      <section className="stage-callout" data-stage={lead.stage} data-testid="stage-callout">
        <div className="stage-callout-head">
          <StageChip stage={lead.stage} />
          {stageDefinition.label !== stageShortLabels[lead.stage] ? (
            <h2>{stageDefinition.label}</h2>
          ) : null}
          <span className="stage-callout-since">
            <ClockIcon size={14} /> In this stage since {formatDateTime(lead.stageEnteredAt)} (
            {formatRelative(lead.stageEnteredAt)})
          </span>
        </div>
        <p className="stage-callout-definition" data-testid="stage-definition">
          {stageDefinition.definition}
        </p>
        <span className="stage-callout-foot">Definition from agreement v{agreementVersion}</span>
      </section>

      <ScoreBreakdown
        leadId={lead.id}
        stage={lead.stage}
        stageEnteredAt={lead.stageEnteredAt}
        agreement={agreement.data}
      />

      <div className="grid-3 lead-cards">
        <Card title="Profile" icon={<UserIcon size={16} />}>
          <ProfileFields lead={lead} owner={owner} />
        </Card>
        <Card title="Account" icon={<BuildingIcon size={16} />}>
          {account ? (
            <AccountFields account={account} />
          ) : (
            <p className="muted">
              No account linked. A lead joins the account of its company email domain when one
              exists.
            </p>
          )}
        </Card>
        <Card title="Qualification · BANT(M)" icon={<CheckCircleIcon size={16} />}>
          {bantFields.every((f) => !lead.qualification[f]) && !lead.qualification.meetingAt ? (
            <p className="muted">
              Nothing recorded yet. Before this lead becomes an SQL, the SDR records its budget,
              authority, need, timeframe and motivation, and books a meeting.
            </p>
          ) : (
            <Fields
              rows={[
                ...bantFields.map((f): [string, string | undefined] => [
                  bantLabels[f],
                  lead.qualification[f],
                ]),
                [
                  "Meeting",
                  lead.qualification.meetingAt
                    ? formatDateTime(lead.qualification.meetingAt)
                    : undefined,
                ],
              ]}
            />
          )}
        </Card>
      </div>

      <Card title="Stage history" icon={<ClockIcon size={16} />} testId="history-card">
        <StageHistory history={history} agreement={doc} />
      </Card>

      {moving && doc ? (
        <MoveDialog
          lead={lead}
          to={moving}
          agreement={doc}
          onClose={() => setMoving(null)}
          onMoved={(to) => {
            setMoving(null);
            setNotice({ tone: "success", text: `Moved to ${doc.stages[to].label}.` });
          }}
          onConflict={(message) => {
            setMoving(null);
            setNotice({
              tone: "warning",
              text: `This lead moved while you were looking, so nothing was changed. ${message} The page now shows its current stage.`,
            });
            void reload();
          }}
        />
      ) : null}
    </div>
  );
}

function ProfileFields({ lead, owner }: { lead: Lead; owner: string | null }) {
  return (
    <Fields
      rows={[
        ["Name", leadName(lead)],
        ["Title", lead.title],
        [
          "Email",
          <a key="email" href={`mailto:${lead.email}`}>
            {lead.email}
          </a>,
        ],
        ["Phone", lead.phone],
        ["Country", lead.country],
        ["Source", lead.source ? humanize(lead.source) : null],
        ["Campaign", lead.campaign],
        ["Sourced by", humanize(lead.sourcedBy)],
        [
          "Owner",
          owner ?? (
            <span key="owner" className="muted">
              Unassigned
            </span>
          ),
        ],
        ["Consent", lead.consent ? "Given" : "Not given"],
        ["Created", formatDateTime(lead.createdAt)],
      ]}
    />
  );
}

function AccountFields({ account }: { account: Account }) {
  return (
    <Fields
      rows={[
        ["Name", account.name],
        ["Domain", account.domain],
        ["Industry", account.industry],
        ["Employees", account.employees === null ? null : formatNumber(account.employees)],
        [
          "Revenue",
          account.annualRevenue === null ? null : formatMoneyCompact(account.annualRevenue),
        ],
        ["Country", account.country],
        [
          "Technologies",
          account.technologies.length ? (
            <span key="technologies" className="chip-row">
              {account.technologies.map((t) => (
                <span key={t} className="pill pill-small">
                  {t}
                </span>
              ))}
            </span>
          ) : null,
        ],
      ]}
    />
  );
}

function LeadPageSkeleton() {
  return (
    <div className="stack" aria-busy="true">
      <Skeleton width={80} />
      <div className="lead-identity">
        <span className="avatar avatar-lg skeleton" />
        <div style={{ flex: 1 }}>
          <Skeleton width="40%" height={26} />
          <div style={{ height: 8 }} />
          <Skeleton width="25%" />
        </div>
      </div>
      <div className="card">
        <SkeletonLines lines={3} />
      </div>
      <div className="grid-3">
        {["a", "b", "c"].map((k) => (
          <div className="card" key={k}>
            <SkeletonLines lines={6} />
          </div>
        ))}
      </div>
    </div>
  );
}
