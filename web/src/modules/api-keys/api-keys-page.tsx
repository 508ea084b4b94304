import { type FormEvent, type RefObject, useRef, useState } from "react";
import { CopyButton } from "../../ui/copy-button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { formatDateTime, formatRelative } from "../../ui/format.ts";
import { AlertIcon, CodeIcon, KeyIcon, PlusIcon } from "../../ui/icons.tsx";
import { Card, PageHeader } from "../../ui/page.tsx";
import { Banner, EmptyState, ErrorState, Skeleton, Spinner } from "../../ui/states.tsx";
import {
  type ApiKey,
  type CreatedApiKey,
  type Scope,
  scopes,
  useApiKeys,
  useCreateApiKey,
  useRevokeApiKey,
} from "./api-keys.api.ts";

const scopeText: Record<Scope, { label: string; description: string }> = {
  ingest: {
    label: "Ingest",
    description: "Send events only. The one scope safe to put in a web page.",
  },
  read: { label: "Read", description: "Read leads, scores, the agreement and the audit trail." },
  write: { label: "Write", description: "Create and change leads; includes read and ingest." },
  admin: { label: "Admin", description: "Everything, including users and API keys." },
};

/** `eventTypes`: comma-separated, as typed; empty sends any type. */
type Draft = { name: string; scopes: Scope[]; eventTypes: string };
const emptyDraft: Draft = { name: "", scopes: ["ingest"], eventTypes: "" };
/** What a website's tracker sends: anyone can read its key, so it sends no more than this. */
const TRACKER_EVENT_TYPES = "page_view, form_submit";

/** "page_view, form_submit" → ["page_view", "form_submit"]; undefined when empty. */
export function parseEventTypes(text: string): string[] | undefined {
  const types = text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return types.length ? types : undefined;
}

const isIngestOnly = (k: { scopes: Scope[] }) => k.scopes.length === 1 && k.scopes[0] === "ingest";

export function ApiKeysPage() {
  const keys = useApiKeys();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const startIngestKey = () => {
    setDraft({ name: "Website tracker", scopes: ["ingest"], eventTypes: TRACKER_EVENT_TYPES });
    nameInput.current?.focus();
    nameInput.current?.scrollIntoView({ block: "center", behavior: "smooth" });
  };

  const items = keys.data?.items ?? [];
  const active = items.filter((k) => !k.revokedAt);
  const ingestKeys = active.filter(isIngestOnly);

  return (
    <div className="stack" data-testid="api-keys-page">
      <PageHeader
        title="API keys & tracking"
        description="Keys let your systems send events to Accord and read from it: the website tracker, forms, marketing automation, your CRM sync. Give each system its own key with only the scopes it needs."
      />

      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          <span data-testid="api-keys-notice">{notice}</span>
        </Banner>
      ) : null}

      {created ? (
        <NewKey
          created={created}
          onDone={() => {
            setCreated(null);
            setNotice(
              `“${created.name}” is ready. Only its first characters are shown from now on.`,
            );
          }}
        />
      ) : null}

      <div className="grid-main-side">
        <div className="stack keys-column">
          <Card
            title="API keys"
            icon={<KeyIcon size={16} />}
            className="table-card keys-card"
            actions={
              keys.data ? (
                <span className="muted card-count">
                  {active.length} active
                  {items.length > active.length ? ` · ${items.length - active.length} revoked` : ""}
                </span>
              ) : null
            }
          >
            {keys.error ? (
              <ErrorState error={keys.error} onRetry={keys.refetch} />
            ) : (
              <KeysTable keys={keys.data?.items} onRevoke={setRevoking} />
            )}
          </Card>
          <TrackingCard
            ingestKey={created && isIngestOnly(created) ? created.key : null}
            ingestKeys={ingestKeys}
            onCreateIngestKey={startIngestKey}
          />
        </div>

        <CreateKeyCard
          draft={draft}
          onDraft={setDraft}
          nameInput={nameInput}
          onCreated={(key) => {
            setNotice(null);
            setCreated(key);
            setDraft(emptyDraft);
            window.scrollTo({ top: 0, behavior: "smooth" });
          }}
        />
      </div>

      {revoking ? (
        <RevokeDialog
          apiKey={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setNotice(
              `“${revoking.name}” was revoked. Requests that send it are now refused with 401.`,
            );
            if (created?.id === revoking.id) setCreated(null);
            setRevoking(null);
          }}
        />
      ) : null}
    </div>
  );
}

/** The one moment the full key exists outside the system that will use it. */
function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <section className="new-key" data-testid="new-key" aria-labelledby="new-key-title">
      <div className="new-key-head">
        <span className="new-key-icon">
          <KeyIcon size={18} />
        </span>
        <div>
          <h2 id="new-key-title">“{created.name}” was created</h2>
          <p className="new-key-scopes">
            Scopes: {created.scopes.map((s) => scopeText[s].label).join(", ")}
            {created.eventTypes ? ` · only ${created.eventTypes.join(", ")} events` : ""}
          </p>
        </div>
      </div>
      <div className="new-key-value">
        <code data-testid="new-key-value">{created.key}</code>
        <CopyButton text={created.key} label="Copy key" className="btn btn-primary btn-sm" />
      </div>
      <p className="new-key-warning">
        <AlertIcon size={16} />
        <span>
          <strong>Copy this key now: it will not be shown again.</strong> Accord keeps only a hash
          of it. Store it in the system that will use it; if it is lost, revoke it and create
          another.
        </span>
      </p>
      <div className="new-key-actions">
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}

function KeysTable({
  keys,
  onRevoke,
}: {
  keys: ApiKey[] | undefined;
  onRevoke: (key: ApiKey) => void;
}) {
  if (keys && keys.length === 0) {
    return (
      <EmptyState title="No API keys yet">
        Create one for each system that sends events or reads leads.
      </EmptyState>
    );
  }
  // Active keys first, newest first within each group. On a phone each row becomes a small card
  // (theme.css, "API keys on a phone"), its cells placed by their classes.
  const sorted = [...(keys ?? [])].sort(
    (a, b) =>
      Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) ||
      b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <div className="table-scroll">
      <table className="table keys-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Scopes</th>
            <th>Created</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {!keys
            ? Array.from({ length: 3 }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                <tr key={i}>
                  {[1, 2, 3, 4, 5, 6].map((c) => (
                    <td key={c}>
                      <Skeleton width="70%" />
                    </td>
                  ))}
                </tr>
              ))
            : sorted.map((k) => (
                <tr
                  key={k.id}
                  className={k.revokedAt ? "is-revoked" : ""}
                  data-testid="api-key-row"
                  data-key-id={k.id}
                >
                  <td className="key-name">
                    <span className="cell-main">{k.name}</span>
                  </td>
                  <td className="key-value">
                    <code className="key-prefix">{k.prefix}…</code>
                  </td>
                  <td className="key-scopes">
                    <span className="chip-row">
                      {k.scopes.map((s) => (
                        <span key={s} className="scope-chip" data-scope={s}>
                          {scopeText[s].label}
                        </span>
                      ))}
                    </span>
                    {k.eventTypes ? (
                      <span className="key-event-types" data-testid="key-event-types">
                        Only {k.eventTypes.join(", ")}
                      </span>
                    ) : null}
                  </td>
                  <td
                    className="key-created nowrap"
                    data-label="Created"
                    title={formatDateTime(k.createdAt)}
                  >
                    {formatRelative(k.createdAt)}
                  </td>
                  <td className="key-status nowrap">
                    {k.revokedAt ? (
                      <span className="status status-off" title={formatDateTime(k.revokedAt)}>
                        Revoked {formatRelative(k.revokedAt)}
                      </span>
                    ) : (
                      <span className="status status-on">Active</span>
                    )}
                  </td>
                  <td className="row-actions">
                    {k.revokedAt ? null : (
                      <button
                        type="button"
                        className="btn btn-danger btn-sm"
                        data-testid="revoke-key"
                        onClick={() => onRevoke(k)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateKeyCard({
  draft,
  onDraft,
  nameInput,
  onCreated,
}: {
  draft: Draft;
  onDraft: (draft: Draft) => void;
  nameInput: RefObject<HTMLInputElement | null>;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const create = useCreateApiKey();
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});

  const toggle = (scope: Scope) => {
    const set = new Set(draft.scopes);
    if (set.has(scope)) set.delete(scope);
    else set.add(scope);
    onDraft({ ...draft, scopes: scopes.filter((s) => set.has(s)) });
    setErrors({ ...errors, scopes: undefined });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!draft.name.trim()) next.name = "Name the key after the system that will use it.";
    if (draft.scopes.length === 0) next.scopes = "Choose at least one scope.";
    setErrors(next);
    if (next.name || next.scopes) return;
    try {
      const key = await create.run({
        name: draft.name.trim(),
        scopes: draft.scopes,
        eventTypes: draft.scopes.includes("ingest") ? parseEventTypes(draft.eventTypes) : undefined,
      });
      create.reset();
      onCreated(key);
    } catch {
      // create.error is shown in the form.
    }
  };

  const nameError = errors.name ?? create.error?.fieldMessage("name");
  // The server names the list (eventTypes) or one of its items (eventTypes.0).
  const eventTypesError = create.error?.fields.find((f) =>
    /^(body\.)?eventTypes(\.\d+)?$/.test(f.path),
  )?.message;
  return (
    <Card title="Create a key" icon={<PlusIcon size={16} />}>
      <form className="key-form" onSubmit={onSubmit} noValidate data-testid="create-key-form">
        {create.error && !create.error.fieldMessage("name") && !eventTypesError ? (
          <Banner tone="danger">{create.error.message}</Banner>
        ) : null}
        <label className="form-field">
          <span className="form-label">Name</span>
          <input
            ref={nameInput}
            className={`input ${nameError ? "is-invalid" : ""}`}
            name="name"
            value={draft.name}
            maxLength={100}
            placeholder="e.g. Website tracker, HubSpot sync"
            aria-invalid={Boolean(nameError)}
            onChange={(e) => {
              onDraft({ ...draft, name: e.target.value });
              setErrors({ ...errors, name: undefined });
            }}
          />
          {nameError ? (
            <span className="field-error" role="alert">
              {nameError}
            </span>
          ) : null}
        </label>
        <fieldset className="form-field">
          <legend className="form-label">Scopes</legend>
          <div className="scope-list">
            {scopes.map((s) => {
              const on = draft.scopes.includes(s);
              return (
                <label key={s} className={`radio scope-option ${on ? "is-checked" : ""}`}>
                  <input
                    type="checkbox"
                    name="scopes"
                    value={s}
                    checked={on}
                    onChange={() => toggle(s)}
                  />
                  <span>
                    <span className="radio-label">{scopeText[s].label}</span>
                    <span className="radio-hint">{scopeText[s].description}</span>
                  </span>
                </label>
              );
            })}
          </div>
          {errors.scopes ? (
            <span className="field-error" role="alert">
              {errors.scopes}
            </span>
          ) : null}
        </fieldset>
        {draft.scopes.includes("ingest") ? (
          <label className="form-field">
            <span className="form-label">Event types (optional)</span>
            <input
              className={`input ${eventTypesError ? "is-invalid" : ""}`}
              name="eventTypes"
              value={draft.eventTypes}
              placeholder="Any type; e.g. page_view, form_submit"
              onChange={(e) => onDraft({ ...draft, eventTypes: e.target.value })}
            />
            <span className="radio-hint">
              The only event types this key may send; others are refused. A website tracker's key is
              public: limit it to {TRACKER_EVENT_TYPES}, so nobody can send a demo request for
              another person.
            </span>
            {eventTypesError ? (
              <span className="field-error" role="alert">
                {eventTypesError}
              </span>
            ) : null}
          </label>
        ) : null}
        {draft.scopes.includes("admin") ? (
          <Banner tone="warning">
            An admin key can do anything in this workspace, including creating other keys. Keep it
            on a server, never in a browser.
          </Banner>
        ) : null}
        <button
          type="submit"
          className="btn btn-primary btn-block"
          disabled={create.isPending}
          data-testid="create-key"
        >
          {create.isPending ? <Spinner label="Creating" /> : <KeyIcon size={16} />}
          Create key
        </button>
      </form>
    </Card>
  );
}

function TrackingCard({
  ingestKey,
  ingestKeys,
  onCreateIngestKey,
}: {
  ingestKey: string | null;
  ingestKeys: ApiKey[];
  onCreateIngestKey: () => void;
}) {
  const snippet = `<script src="${window.location.origin}/t.js" data-key="${ingestKey ?? "<an ingest-only key>"}" async></script>`;
  return (
    <Card title="Website tracking" icon={<CodeIcon size={16} />} testId="tracking-card">
      <div className="tracking">
        <div className="tracking-text">
          <p>
            Paste this snippet into every page of your website, just before{" "}
            <code>&lt;/body&gt;</code>. It records <strong>page views</strong> and{" "}
            <strong>form submissions with an email</strong> under an anonymous visitor id; when a
            form identifies a visitor, their earlier visits are stitched to the lead and scored.
          </p>
          <p className="muted">
            Use a key with only the <strong>Ingest</strong> scope: anything in a web page is public.
          </p>
          {ingestKey ? (
            <p className="tracking-status is-ready">
              Filled in with the key you just created. Copy it now: it is not shown again.
            </p>
          ) : ingestKeys.length > 0 ? (
            <p className="tracking-status">
              Ingest-only keys:{" "}
              {ingestKeys.map((k, i) => (
                <span key={k.id}>
                  {i > 0 ? ", " : ""}
                  {k.name} <code className="key-prefix">{k.prefix}…</code>
                </span>
              ))}
              . Paste the full key where the snippet says so.
            </p>
          ) : null}
          {ingestKey ? null : (
            <button type="button" className="btn btn-secondary btn-sm" onClick={onCreateIngestKey}>
              <PlusIcon size={14} /> Create an ingest-only key
            </button>
          )}
        </div>
        <div className="snippet">
          <div className="snippet-head">
            <span>HTML</span>
            <CopyButton
              text={snippet}
              label="Copy snippet"
              className="btn btn-ghost btn-sm snippet-copy"
            />
          </div>
          <pre data-testid="tracking-snippet">
            <code>{snippet}</code>
          </pre>
        </div>
      </div>
    </Card>
  );
}

function RevokeDialog({
  apiKey,
  onClose,
  onRevoked,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const revoke = useRevokeApiKey();
  return (
    <Dialog
      title={`Revoke “${apiKey.name}”?`}
      subtitle={
        <span>
          Key <code className="key-prefix">{apiKey.prefix}…</code>
        </span>
      }
      onClose={onClose}
    >
      <div className="move-form" data-testid="revoke-dialog">
        <p>
          Every system that sends this key is refused (401) from its next request. Revoking cannot
          be undone; to restore access, create a new key and give it to the system.
        </p>
        {revoke.error ? <Banner tone="danger">{revoke.error.message}</Banner> : null}
        <div className="dialog-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={revoke.isPending}
            data-testid="confirm-revoke"
            onClick={async () => {
              try {
                await revoke.run(apiKey.id);
                onRevoked();
              } catch {
                // revoke.error is shown above.
              }
            }}
          >
            {revoke.isPending ? <Spinner label="Revoking" /> : null}
            Revoke key
          </button>
        </div>
      </div>
    </Dialog>
  );
}
