import { type Stage, stages } from "@domain/lifecycle.ts";
import { useCallback, useEffect, useState } from "react";
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
  FilterIcon,
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
  hotParams,
  hotStages,
  leadSources,
  sortChoices,
  sortParams,
  toggleStageParams,
  useDebouncedParam,
  withParams,
} from "./lead-filters.ts";
import { PAGE_SIZE, SCORE_ORDER_REFRESH_MS, useLeadCount, useLeads } from "./leads.api.ts";
import { type Lead, type LeadSort, leadName } from "./leads.types.ts";

/**
 * The list's columns. Each cell carries `col-<key>`: on a phone the table turns into one compact
 * card per lead (theme.css, "Lead list on a phone") that places the cells by these classes.
 */
type Column = { key: string; label: string; sort?: LeadSort; num?: boolean; hint?: string };
const columns: Column[] = [
  { key: "lead", label: "Lead" },
  { key: "company", label: "Company" },
  {
    key: "stage",
    label: "Stage",
    sort: "stageEnteredAt",
    hint: "Sort by when each lead entered its stage",
  },
  { key: "owner", label: "Owner" },
  { key: "fit", label: "Fit", sort: "fitScore", num: true },
  { key: "engagement", label: "Engagement", sort: "engagementScore", num: true },
  { key: "created", label: "Created", sort: "createdAt" },
];
const cellClass = (col: Column) => `col-${col.key}${col.num ? " num" : ""}`;

export function LeadListPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const hot = params.get("view") === "hot";

  // Every change refines the current view (lead-filters.ts): Hot now stays Hot now.
  const change = useCallback(
    (next: (prev: URLSearchParams) => URLSearchParams) => setParams(next, { replace: true }),
    [setParams],
  );
  const update = useCallback(
    (changes: Record<string, string | null>) => change((prev) => withParams(prev, changes)),
    [change],
  );
  const writeQ = useCallback((v: string) => update({ q: v.trim() || null }), [update]);
  const writeCampaign = useCallback(
    (v: string) => update({ campaign: v.trim() || null }),
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

  // On a phone the filters beyond the search fold away until asked for (theme.css).
  const [filtersOpen, setFiltersOpen] = useState(false);
  const narrow = useMatchesMedia(PHONE);

  const toggleStage = (stage: Stage) => change((prev) => toggleStageParams(prev, stage));
  const sortBy = (sort: LeadSort) => change((prev) => sortParams(prev, sort));
  const toggleHot = () => change((prev) => hotParams(prev, !hot));
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
  const onlySearch = Boolean(filters.q) && !hasFilters({ ...filters, q: undefined });
  // The filters folded away on a phone, counted on the button that unfolds them.
  const folded = [filters.ownerId, filters.source, filters.campaign, filters.stages.length > 0];
  const foldedCount = folded.filter(Boolean).length;
  const sortValue = `${filters.sort}:${filters.order}`;
  const customSort = !sortChoices.some((c) => `${c.sort}:${c.order}` === sortValue);

  return (
    <div className="stack lead-list">
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
            <strong>Hot now</strong> ranks the leads {hotStagesText(filters.stages)} that show
            engagement (at least {HOT_MIN_ENGAGEMENT} point), highest first.{" "}
            <ClockIcon size={13} className="inline-icon" /> The order refreshes every 30 seconds;
            the scores shown are live.
          </span>
        </p>
      ) : null}

      <div className={`card filters ${filtersOpen ? "is-open" : ""}`}>
        <div className="filter-row">
          <label className="search">
            <SearchIcon size={16} />
            <input
              type="search"
              className="input"
              placeholder={narrow ? "Search leads" : "Search name, email or company"}
              aria-label="Search leads"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </label>
          <button
            type="button"
            className="btn btn-secondary filters-toggle"
            aria-expanded={filtersOpen}
            aria-controls="lead-filters-more lead-filters-stages"
            onClick={() => setFiltersOpen((open) => !open)}
          >
            <FilterIcon size={16} />
            Filters
            {foldedCount > 0 ? <span className="filters-count">{foldedCount}</span> : null}
          </button>
          <div className="filter-fields foldable" id="lead-filters-more">
            <select
              className="input select"
              aria-label="Owner"
              value={filters.ownerId ?? ""}
              onChange={(e) => update({ owner: e.target.value || null })}
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
              onChange={(e) => update({ source: e.target.value || null })}
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
        </div>
        <fieldset
          className="filter-row stage-filter foldable"
          id="lead-filters-stages"
          aria-label="Stages"
        >
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
                {hot ? <span className="table-meta-note"> · hottest first</span> : null}
              </>
            )}
          </span>
          <span className="table-meta-side">
            {page.isFetching && page.data ? <Spinner label="Updating" /> : null}
            <select
              className="input select sort-select"
              aria-label="Sort leads"
              value={sortValue}
              onChange={(e) => {
                const [sort, order] = e.target.value.split(":");
                update({ sort: sort ?? null, order: order ?? null });
              }}
            >
              {customSort ? (
                <option value={sortValue}>Sorted by {humanize(filters.sort)}</option>
              ) : null}
              {sortChoices.map((c) => (
                <option key={`${c.sort}:${c.order}`} value={`${c.sort}:${c.order}`}>
                  {c.label}
                </option>
              ))}
            </select>
          </span>
        </div>
        {page.error ? (
          <ErrorState error={page.error} onRetry={page.refetch} />
        ) : (
          <div className="table-scroll">
            <table className={`table lead-table ${page.isPlaceholder ? "is-stale" : ""}`}>
              <thead>
                <tr>
                  {columns.map((col) => {
                    const active = col.sort && filters.sort === col.sort;
                    return (
                      <th
                        key={col.key}
                        className={cellClass(col)}
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
                          <td key={c.key} className={cellClass(c)}>
                            <Skeleton width={c.key === "lead" ? "80%" : "60%"} />
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
                  title={
                    filters.q
                      ? `No leads match “${filters.q}”${onlySearch ? "" : " with these filters"}`
                      : "No leads match these filters"
                  }
                  action={
                    <button type="button" className="btn btn-secondary" onClick={clearFilters}>
                      {onlySearch ? "Clear search" : "Clear filters"}
                    </button>
                  }
                >
                  {onlySearch
                    ? "Search looks in names, emails and companies. Check the spelling, or try part of a name or domain."
                    : "Try fewer stages, another owner, or a shorter search."}
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
      <td className="col-lead">
        <Link to={`/leads/${lead.id}`} className="lead-cell" onClick={(e) => e.stopPropagation()}>
          <span className="lead-name">{leadName(lead)}</span>
          <span className="lead-email" title={lead.email}>
            {lead.email}
          </span>
        </Link>
      </td>
      <td className="col-company">{lead.company ?? <span className="muted">—</span>}</td>
      <td className="col-stage">
        <div className="stage-cell">
          <StageChip stage={lead.stage} />
          <span className="cell-sub" title={formatDateTime(lead.stageEnteredAt)}>
            {formatRelative(lead.stageEnteredAt)}
          </span>
        </div>
      </td>
      <td className="col-owner">
        {!lead.ownerId ? (
          <span className="muted">Unassigned</span>
        ) : names ? (
          (names.get(lead.ownerId) ?? <span className="muted">Former member</span>)
        ) : (
          <Skeleton width={80} />
        )}
      </td>
      <td className="col-fit num" data-label="Fit">
        <span className="score-cell">
          <GradeBadge grade={lead.fitGrade} />
          <span className="score-num">{formatScore(lead.fitScore)}</span>
        </span>
      </td>
      <td className="col-engagement num" data-label="Engagement">
        <span className="score-cell">
          <span className="score-num">{formatScore(lead.engagementScore)}</span>
          <ScoreBar value={lead.engagementScore} max={engagementScale} />
        </span>
      </td>
      <td className="col-created nowrap" title={formatDateTime(lead.createdAt)}>
        {formatRelative(lead.createdAt)}
      </td>
    </tr>
  );
}

/** Which leads Hot now ranks: its own stages, or the ones the person narrowed it to. */
function hotStagesText(selected: Stage[]): string {
  const same = selected.length === hotStages.length && hotStages.every((s) => selected.includes(s));
  if (same) return "not yet with sales (lead, MRL, MQL)";
  if (selected.length === 0) return "in every stage";
  return `in ${selected.map((s) => stageShortLabels[s]).join(", ")}`;
}

/** The width below which the list is laid out for a phone (theme.css uses the same). */
const PHONE = "(max-width: 760px)";

function useMatchesMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = () => setMatches(media.matches);
    onChange();
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [query]);
  return matches;
}
