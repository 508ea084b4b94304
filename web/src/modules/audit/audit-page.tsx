import { useState } from "react";
import { Link } from "react-router";
import { formatDateTime, formatRelative, humanize } from "../../ui/format.ts";
import { ChevronLeftIcon, ChevronRightIcon } from "../../ui/icons.tsx";
import { PageHeader } from "../../ui/page.tsx";
import { EmptyState, ErrorState, Skeleton, Spinner } from "../../ui/states.tsx";
import { type AuditEntry, useAuditLog } from "./audit.api.ts";
import { diffEntries, showValue } from "./audit-diff.ts";

const SHOWN_CHANGES = 3;

export function AuditPage() {
  const [stack, setStack] = useState<string[]>([]);
  const log = useAuditLog(stack[stack.length - 1]);
  const items = log.data?.items ?? [];

  return (
    <div className="stack">
      <PageHeader
        title="Audit log"
        description="Every change in this workspace: who made it, when, and what it was before and after. Entries cannot be edited or removed."
      />
      <div className="card table-card">
        <div className="table-meta">
          <span className="muted">Newest first</span>
          {log.isFetching && log.data ? <Spinner label="Updating" /> : null}
        </div>
        {log.error ? (
          <ErrorState error={log.error} onRetry={log.refetch} />
        ) : (
          <div className="table-scroll">
            <table className={`table audit-table ${log.isPlaceholder ? "is-stale" : ""}`}>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Entity</th>
                  <th>Changes</th>
                </tr>
              </thead>
              <tbody>
                {!log.data
                  ? Array.from({ length: 8 }, (_, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                      <tr key={i}>
                        {[1, 2, 3, 4, 5].map((c) => (
                          <td key={c}>
                            <Skeleton width="70%" />
                          </td>
                        ))}
                      </tr>
                    ))
                  : items.map((entry) => <AuditRow key={entry.id} entry={entry} />)}
              </tbody>
            </table>
            {log.data && items.length === 0 ? (
              <EmptyState title="Nothing recorded yet">
                Changes to leads, users, keys and the agreement will be listed here.
              </EmptyState>
            ) : null}
          </div>
        )}
        {items.length > 0 || stack.length > 0 ? (
          <div className="pager">
            <span className="muted">Page {stack.length + 1}</span>
            <div className="pager-buttons">
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={stack.length === 0}
                onClick={() => setStack(stack.slice(0, -1))}
              >
                <ChevronLeftIcon size={16} /> Newer
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={!log.data?.nextCursor || log.isPlaceholder}
                onClick={() => {
                  const next = log.data?.nextCursor;
                  if (next) setStack([...stack, next]);
                }}
              >
                Older <ChevronRightIcon size={16} />
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}

const actorKinds: Record<string, string> = {
  user: "Person",
  api_key: "API key",
  rule: "Agreement rule",
  system: "System",
};

function actor(entry: AuditEntry): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actorType === "system") return "Accord";
  return actorKinds[entry.actorType] ?? humanize(entry.actorType);
}

/** Time-ordered ids share their first characters; the last ones tell entries apart. */
const shortId = (id: string) => `…${id.slice(-8)}`;

function AuditRow({ entry }: { entry: AuditEntry }) {
  const changes = diffEntries(entry.before, entry.after);
  const shown = changes.slice(0, SHOWN_CHANGES);
  const rest = changes.slice(SHOWN_CHANGES);
  return (
    <tr>
      <td className="nowrap audit-when" title={formatDateTime(entry.at)}>
        <span className="cell-main">{formatDateTime(entry.at)}</span>
        <span className="cell-sub">{formatRelative(entry.at)}</span>
      </td>
      <td className="audit-who">
        <span className="cell-main">{actor(entry)}</span>
        <span className="cell-sub">{actorKinds[entry.actorType] ?? humanize(entry.actorType)}</span>
      </td>
      <td className="audit-action">
        <code className="action-code">{entry.action}</code>
      </td>
      <td className="audit-entity">
        <span className="cell-main">{humanize(entry.entityType)}</span>
        {entry.entityId ? (
          entry.entityType === "lead" ? (
            <Link className="cell-sub mono" to={`/leads/${entry.entityId}`} title={entry.entityId}>
              {shortId(entry.entityId)}
            </Link>
          ) : (
            <span className="cell-sub mono" title={entry.entityId}>
              {shortId(entry.entityId)}
            </span>
          )
        ) : null}
      </td>
      <td className="audit-changes">
        {changes.length === 0 ? (
          <span className="muted">No field changes</span>
        ) : (
          <ul className="diff">
            {shown.map((c) => (
              <DiffLine key={c.key} change={c} />
            ))}
            {rest.length > 0 ? (
              <li>
                <details>
                  <summary>{rest.length} more</summary>
                  <ul className="diff">
                    {rest.map((c) => (
                      <DiffLine key={c.key} change={c} />
                    ))}
                  </ul>
                </details>
              </li>
            ) : null}
          </ul>
        )}
      </td>
    </tr>
  );
}

function DiffLine({ change }: { change: { key: string; before: unknown; after: unknown } }) {
  return (
    <li className="diff-line">
      {change.key ? <span className="diff-key">{change.key}</span> : null}
      {change.before !== undefined ? <del>{showValue(change.before)}</del> : null}
      {change.before !== undefined && change.after !== undefined ? (
        <span className="muted">→</span>
      ) : null}
      {change.after !== undefined ? <ins>{showValue(change.after)}</ins> : null}
    </li>
  );
}
