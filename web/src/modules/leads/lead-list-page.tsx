import { type Stage, stages } from "@domain/lifecycle.ts";
import { useCallback, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  formatDateTime,
  formatNumber,
  formatRelative,
  formatScore,
  humanize,
} from "../../ui/format.ts";
import {
  ChevronLeftIcon,
  ChevronRightIcon,
  ClockIcon,
  FlameIcon,
  SearchIcon,
  SortIcon,
  XIcon,
} from "../../ui/icons.tsx";
import { PageHeader } from "../../ui/page.tsx";
import { GradeBadge, ScoreBar, StageChip, stageShortLabels } from "../../ui/stage-chip.tsx";
import { EmptyState, ErrorState, Skeleton, Spinner } from "../../ui/states.tsx";
import { useUserNames, useUsers } from "../auth/index.ts";
import {
  filtersFromParams,
  HOT_MIN_ENGAGEMENT,
  hasFilters,
  hotStages,
  leadSources,
  useDebouncedParam,
} from "./lead-filters.ts";
import { PAGE_SIZE, SCORE_ORDER_REFRESH_MS, useLeadCount, useLeads } from "./leads.api.ts";
import { type Lead, type LeadSort, leadName } from "./leads.types.ts";

type Column = { label: string; sort?: LeadSort; className?: string; hint?: string };
const columns: Column[] = [
  { label: "Lead" },
  { label: "Company" },
  { label: "Stage", sort: "stageEnteredAt", hint: "Sort by when each lead entered its stage" },
  { label: "Owner" },
  { label: "Fit", sort: "fitScore", className: "num" },
  { label: "Engagement", sort: "engagementScore", className: "num" },
  { label: "Created", sort: "createdAt" },
];

export function LeadListPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const hot = params.get("view") === "hot";

  const update = useCallback(
    (changes: Record<string, string | null>, options: { keepHot?: boolean } = {}) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          if (!options.keepHot) {
            next.delete("view");
            next.delete("minEngagement");
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const writeQ = useCallback(
    (v: string) => update({ q: v.trim() || null }, { keepHot: true }),
    [update],
  );
  const writeCampaign = useCallback(
    (v: string) => update({ campaign: v.trim() || null }, { keepHot: true }),
    [update],
  );
  const [q, setQ] = useDebouncedParam(params.get("q") ?? "", writeQ);
  const [campaign, setCampaign] = useDebouncedParam(params.get("campaign") ?? "", writeCampaign);

  // Keyset pages: keep the cursors walked so far, and start over when the filters change.
  const filterKey = JSON.stringify(filters);
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({
    key: filterKey,
    stack: [],
  });
  const stack = cursors.key === filterKey ? cursors.stack : [];
  const cursor = stack[stack.length - 1];
  // Score order drifts as engagement decays: a list ranked by score asks again as often as
  // the server re-ranks, so the hottest stay on top without a reload.
  const byScore = filters.sort === "engagementScore" || filters.sort === "fitScore";
  const page = useLeads(filters, cursor, byScore ? { refetchEveryMs: SCORE_ORDER_REFRESH_MS } : {});
  const count = useLeadCount(filters);
  const users = useUsers();
  const names = useUserNames();
  const navigate = useNavigate();

  const toggleStage = (stage: Stage) => {
    const set = new Set(filters.stages);
    if (set.has(stage)) set.delete(stage);
    else set.add(stage);
    update({ stage: stages.filter((s) => set.has(s)).join(",") || null });
  };
  const sortBy = (sort: LeadSort) => {
    const order = filters.sort === sort && filters.order === "desc" ? "asc" : "desc";
    // Hot now sorted another way is still Hot now.
    update({ sort, order }, { keepHot: true });
  };
  const toggleHot = () => {
    if (hot) update({ stage: null, sort: null, order: null });
    else
      update(
        {
          view: "hot",
          stage: hotStages.join(","),
          minEngagement: String(HOT_MIN_ENGAGEMENT),
          sort: "engagementScore",
          order: "desc",
        },
        { keepHot: true },
      );
  };
  const clearFilters = () => {
    setQ("");
    setCampaign("");
    setParams(new URLSearchParams(), { replace: true });
  };

  const items = page.data?.items ?? [];
  // Engagement has no ceiling: bars share the page's scale, so 193 and 107 do not look alike.
  const engagementScale = Math.max(100, ...items.map((l) => l.engagementScore));
  const pageIndex = stack.length;
  const first = pageIndex * PAGE_SIZE + 1;
  const filtered = hasFilters(filters);

  return (
    <div className="stack">
      <PageHeader
        title="Leads"
        description="Everyone in the funnel, by stage, owner and score."
        actions={
          <button
            type="button"
            className={`btn ${hot ? "btn-hot" : "btn-secondary"}`}
            aria-pressed={hot}
            onClick={toggleHot}
            data-testid="hot-now"
          >
            <FlameIcon size={16} />
            Hot now
          </button>
        }
      />

      {hot ? (
        <p className="view-hint" data-testid="hot-hint">
          <FlameIcon size={14} />
          <span>
            <strong>Hot now</strong> ranks the leads not yet with sales (lead, MRL, MQL, recycled)
            that show engagement (at least {HOT_MIN_ENGAGEMENT} point), highest first.{" "}
            <ClockIcon size={13} className="inline-icon" /> The order refreshes every 30 seconds;
            the scores shown are live.
          </span>
        </p>
      ) : null}

      <div className="card filters">
        <div className="filter-row">
          <label className="search">
            <SearchIcon size={16} />
            <input
              type="search"
              className="input"
              placeholder="Search name, email or company"
              aria-label="Search leads"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </label>
          <select
            className="input select"
            aria-label="Owner"
            value={filters.ownerId ?? ""}
            onChange={(e) => update({ owner: e.target.value || null }, { keepHot: true })}
          >
            <option value="">Any owner</option>
            <option value="none">Unassigned</option>
            {(users.data?.items ?? [])
              .slice()
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
          <select
            className="input select"
            aria-label="Source"
            value={filters.source ?? ""}
            onChange={(e) => update({ source: e.target.value || null }, { keepHot: true })}
          >
            <option value="">Any source</option>
            {leadSources.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
          <input
            className="input campaign-input"
            placeholder="Campaign"
            aria-label="Campaign"
            value={campaign}
            onChange={(e) => setCampaign(e.target.value)}
          />
        </div>
        <fieldset className="filter-row stage-filter" aria-label="Stages">
          <span className="filter-label">Stage</span>
          {stages.map((stage) => {
            const on = filters.stages.includes(stage);
            return (
              <button
                key={stage}
                type="button"
                className={`stage-toggle ${on ? "is-on" : ""}`}
                data-stage={stage}
                aria-pressed={on}
                onClick={() => toggleStage(stage)}
              >
                <span className="stage-dot" />
                {stageShortLabels[stage]}
              </button>
            );
          })}
          {filtered ? (
            <button type="button" className="btn btn-link" onClick={clearFilters}>
              <XIcon size={14} /> Clear filters
            </button>
          ) : null}
        </fieldset>
      </div>

      <div className="card table-card">
        <div className="table-meta">
          <span data-testid="lead-count">
            {count.data === undefined || count.data === null ? (
              <Skeleton width={90} />
            ) : (
              <>
                <strong>{formatNumber(count.data)}</strong> {count.data === 1 ? "lead" : "leads"}
                {hot ? " · hottest first" : ""}
              </>
            )}
          </span>
          {page.isFetching && page.data ? <Spinner label="Updating" /> : null}
        </div>
        {page.error ? (
          <ErrorState error={page.error} onRetry={page.refetch} />
        ) : (
          <div className="table-scroll">
            <table className={`table ${page.isPlaceholder ? "is-stale" : ""}`}>
              <thead>
                <tr>
                  {columns.map((col) => {
                    const active = col.sort && filters.sort === col.sort;
                    return (
                      <th
                        key={col.label}
                        className={col.className}
                        aria-sort={
                          active
                            ? filters.order === "asc"
                              ? "ascending"
                              : "descending"
                            : undefined
                        }
                      >
                        {col.sort ? (
                          <button
                            type="button"
                            className={`th-sort ${active ? "is-active" : ""}`}
                            title={col.hint ?? `Sort by ${col.label.toLowerCase()}`}
                            onClick={() => sortBy(col.sort as LeadSort)}
                          >
                            {col.label}
                            <SortIcon size={14} sortOrder={active ? filters.order : null} />
                          </button>
                        ) : (
                          col.label
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {page.isLoading && !page.data
                  ? Array.from({ length: 8 }, (_, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                      <tr key={i} className="skeleton-row">
                        {columns.map((c) => (
                          <td key={c.label}>
                            <Skeleton width={c.label === "Lead" ? "80%" : "60%"} />
                          </td>
                        ))}
                      </tr>
                    ))
                  : items.map((lead) => (
                      <LeadRow
                        key={lead.id}
                        lead={lead}
                        engagementScale={engagementScale}
                        names={names}
                        onOpen={() => navigate(`/leads/${lead.id}`)}
                      />
                    ))}
              </tbody>
            </table>
            {page.data && items.length === 0 ? (
              filtered ? (
                <EmptyState
                  title="No leads match these filters"
                  action={
                    <button type="button" className="btn btn-secondary" onClick={clearFilters}>
                      Clear filters
                    </button>
                  }
                >
                  Try fewer stages, another owner, or a shorter search.
                </EmptyState>
              ) : (
                <EmptyState title="No leads yet">
                  Leads arrive from your forms and tools through the API, or from a CSV import.
                </EmptyState>
              )
            ) : null}
          </div>
        )}
        {items.length > 0 ? (
          <div className="pager">
            <span className="muted">
              Showing {formatNumber(first)}–{formatNumber(first + items.length - 1)}
              {count.data ? ` of ${formatNumber(count.data)}` : ""}
            </span>
            <div className="pager-buttons">
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={pageIndex === 0}
                onClick={() => setCursors({ key: filterKey, stack: stack.slice(0, -1) })}
              >
                <ChevronLeftIcon size={16} /> Previous
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={!page.data?.nextCursor || page.isPlaceholder}
                onClick={() => {
                  const next = page.data?.nextCursor;
                  if (next) setCursors({ key: filterKey, stack: [...stack, next] });
                }}
              >
                Next <ChevronRightIcon size={16} />
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function LeadRow({
  lead,
  engagementScale,
  names,
  onOpen,
}: {
  lead: Lead;
  /** The engagement a full bar stands for: 100, or the page's highest if above. */
  engagementScale: number;
  names: Map<string, string> | undefined;
  onOpen: () => void;
}) {
  return (
    // Keyboard and screen-reader users open the lead through the link in its first cell.
    <tr className="row-link" onClick={onOpen} data-testid="lead-row">
      <td>
        <Link to={`/leads/${lead.id}`} className="lead-cell" onClick={(e) => e.stopPropagation()}>
          <span className="lead-name">{leadName(lead)}</span>
          <span className="lead-email" title={lead.email}>
            {lead.email}
          </span>
        </Link>
      </td>
      <td>{lead.company ?? <span className="muted">—</span>}</td>
      <td>
        <div className="stage-cell">
          <StageChip stage={lead.stage} />
          <span className="cell-sub" title={formatDateTime(lead.stageEnteredAt)}>
            {formatRelative(lead.stageEnteredAt)}
          </span>
        </div>
      </td>
      <td>
        {!lead.ownerId ? (
          <span className="muted">Unassigned</span>
        ) : names ? (
          (names.get(lead.ownerId) ?? <span className="muted">Former member</span>)
        ) : (
          <Skeleton width={80} />
        )}
      </td>
      <td className="num">
        <span className="score-cell">
          <GradeBadge grade={lead.fitGrade} />
          <span className="score-num">{formatScore(lead.fitScore)}</span>
        </span>
      </td>
      <td className="num">
        <span className="score-cell">
          <span className="score-num">{formatScore(lead.engagementScore)}</span>
          <ScoreBar value={lead.engagementScore} max={engagementScale} />
        </span>
      </td>
      <td className="nowrap" title={formatDateTime(lead.createdAt)}>
        {formatRelative(lead.createdAt)}
      </td>
    </tr>
  );
}
