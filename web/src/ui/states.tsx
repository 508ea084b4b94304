import type { ReactNode } from "react";
import { Link } from "react-router";
import type { ApiError } from "../api.ts";
import { AlertIcon, CheckIcon, InboxIcon, LockIcon } from "./icons.tsx";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function PageLoader({ label = "Loading" }: { label?: string }) {
  return (
    <div className="page-loader">
      <Spinner label={label} />
      <span>{label}…</span>
    </div>
  );
}

export function Skeleton({ width, height = 14 }: { width?: number | string; height?: number }) {
  return <span className="skeleton" style={{ width: width ?? "100%", height }} />;
}

/** Placeholder lines shaped like a card's content while it loads. */
export function SkeletonLines({ lines = 4 }: { lines?: number }) {
  return (
    <div className="skeleton-lines" aria-busy="true">
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={i} width={`${90 - ((i * 17) % 40)}%`} />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="state state-empty">
      <div className="state-icon">
        <InboxIcon size={22} />
      </div>
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action ? <div className="state-action">{action}</div> : null}
    </div>
  );
}

/** What the person should do next, by kind of failure. */
function nextStep(error: ApiError): string {
  if (error.status === 0) return "Check your connection, then try again.";
  if (error.status === 403) return "If you need access, ask an admin of your workspace.";
  if (error.status === 404) return "It may have been removed, or the link is wrong.";
  if (error.status >= 500) return "Try again in a moment. If it keeps failing, tell your admin.";
  return "Reload the page and try again.";
}

/** The next step, less any sentence the message already says ("…, then try again."). */
function nextStepAfter(error: ApiError): string {
  const said = error.message.toLowerCase();
  return nextStep(error)
    .split(/(?<=\.)\s+/)
    .filter((sentence) => !said.includes(sentence.toLowerCase()))
    .join(" ");
}

export function ErrorState({
  error,
  title,
  onRetry,
  back,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  back?: { to: string; label: string };
}) {
  const forbidden = error.status === 403;
  const step = nextStepAfter(error);
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">
        {forbidden ? <LockIcon size={22} /> : <AlertIcon size={22} />}
      </div>
      <h3>{title ?? (forbidden ? "You don't have access to this" : "This could not be loaded")}</h3>
      <p>{error.message}</p>
      {step ? <p className="muted">{step}</p> : null}
      <div className="state-action">
        {onRetry && !forbidden && error.status !== 404 ? (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            Try again
          </button>
        ) : null}
        {back ? (
          <Link className="btn btn-secondary" to={back.to}>
            {back.label}
          </Link>
        ) : null}
      </div>
    </div>
  );
}

export function Banner({
  tone,
  children,
  onDismiss,
}: {
  tone: "info" | "warning" | "danger" | "success";
  children: ReactNode;
  onDismiss?: () => void;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === "danger" ? "alert" : "status"}>
      {tone === "success" ? <CheckIcon size={16} /> : <AlertIcon size={16} />}
      <div className="banner-body">{children}</div>
      {onDismiss ? (
        <button type="button" className="btn-icon" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      ) : null}
    </div>
  );
}
