import type { AgreementDocument } from "@domain/agreement.ts";
import {
  type BantField,
  bantFields,
  missingQualification,
  type Qualification,
  reasonsForMove,
  type Stage,
} from "@domain/lifecycle.ts";
import { type FormEvent, useId, useState } from "react";
import { isApiError } from "../../api.ts";
import { Dialog } from "../../ui/dialog.tsx";
import { ArrowRightIcon } from "../../ui/icons.tsx";
import { StageChip } from "../../ui/stage-chip.tsx";
import { Banner, Spinner } from "../../ui/states.tsx";
import { bantLabels } from "../agreement/index.ts";
import { useMoveLead } from "./leads.api.ts";
import { type Lead, leadName } from "./leads.types.ts";
import { moveLabel, moveTone } from "./move-labels.ts";

const bantPrompts: Record<BantField, string> = {
  budget: "e.g. $40k approved for this year",
  authority: "e.g. VP Ops decides, CFO signs",
  need: "e.g. Leads lost between teams",
  timeframe: "e.g. Live by end of Q3",
  motivation: "e.g. New CRO wants one funnel",
};

/** ISO instant → the value a datetime-local input shows, in the person's own time zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function MoveDialog({
  lead,
  to,
  agreement,
  onClose,
  onMoved,
  onConflict,
}: {
  lead: Lead;
  to: Stage;
  agreement: AgreementDocument;
  onClose: () => void;
  onMoved: (to: Stage) => void;
  onConflict: (message: string) => void;
}) {
  const from = lead.stage;
  const reasons = reasonsForMove(agreement, from, to);
  const needsBant = to === "sql";
  const move = useMoveLead(lead.id);
  const ids = useId();

  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [bant, setBant] = useState<Record<BantField, string>>(() => {
    const q = lead.qualification;
    return Object.fromEntries(bantFields.map((f) => [f, q[f] ?? ""])) as Record<BantField, string>;
  });
  const [meetingAt, setMeetingAt] = useState(() => toLocalInput(lead.qualification.meetingAt));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const clearLocal = (path: string) =>
    setLocalErrors((errors) =>
      Object.fromEntries(Object.entries(errors).filter(([k]) => k !== path)),
    );

  const serverError = isApiError(move.error) ? move.error : null;
  const fieldError = (path: string) => localErrors[path] ?? serverError?.fieldMessage(path);
  const knownPaths = [
    "reason",
    "note",
    "qualification.meetingAt",
    ...bantFields.map((f) => `qualification.${f}`),
  ];
  const generalError =
    serverError &&
    !serverError.fields.some((f) => knownPaths.includes(f.path.replace(/^body\./, "")))
      ? serverError
      : null;

  const qualification = (): Qualification => {
    const q: Qualification = {};
    for (const f of bantFields) if (bant[f].trim()) q[f] = bant[f].trim();
    if (meetingAt) q.meetingAt = new Date(meetingAt).toISOString();
    return q;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (reasons && !reason) errors.reason = "Choose the reason from the agreement's list.";
    if (needsBant) {
      for (const field of missingQualification(agreement, qualification())) {
        errors[`qualification.${field}`] =
          field === "meetingAt"
            ? "Book the meeting first: the agreement requires one."
            : "Required by the agreement.";
      }
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    try {
      await move.run({
        to,
        expectedStage: from,
        ...(reason ? { reason } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(needsBant ? { qualification: qualification() } : {}),
      });
      onMoved(to);
    } catch (error) {
      if (isApiError(error) && error.code === "STAGE_CONFLICT") onConflict(error.message);
    }
  };

  const target = agreement.stages[to];
  const tone = moveTone(to);
  return (
    <Dialog
      title={moveLabel(from, to)}
      subtitle={
        <span className="move-route">
          <span className="move-route-name">{leadName(lead)}</span>
          {/* The move wraps as one piece, so the arrow never ends a line. */}
          <span className="move-route-stages">
            <StageChip stage={from} />
            <ArrowRightIcon size={14} />
            <StageChip stage={to} />
          </span>
        </span>
      }
      onClose={onClose}
    >
      <form className="move-form" onSubmit={onSubmit} noValidate data-testid="move-dialog">
        <div className="definition-callout" data-stage={to}>
          <span className="definition-label">What “{target.label}” means in our agreement</span>
          <p>{target.definition}</p>
        </div>

        {generalError ? <Banner tone="danger">{generalError.message}</Banner> : null}

        {reasons ? (
          <fieldset className="form-field" aria-describedby={`${ids}-reason-error`}>
            <legend className="form-label">
              Reason <span className="required">required</span>
            </legend>
            <div className="radio-list">
              {reasons.map((r) => (
                <label key={r.code} className={`radio ${reason === r.code ? "is-checked" : ""}`}>
                  <input
                    type="radio"
                    name="reason"
                    value={r.code}
                    checked={reason === r.code}
                    onChange={() => {
                      setReason(r.code);
                      clearLocal("reason");
                    }}
                  />
                  <span>
                    <span className="radio-label">{r.label}</span>
                    {r.description ? <span className="radio-hint">{r.description}</span> : null}
                  </span>
                </label>
              ))}
            </div>
            <FieldError id={`${ids}-reason-error`} message={fieldError("reason")} />
          </fieldset>
        ) : null}

        {needsBant ? (
          <fieldset className="form-field">
            <legend className="form-label">Qualification (BANT(M))</legend>
            <div className="bant-grid">
              {bantFields.map((f) => {
                const required = agreement.qualification.requiredFields.includes(f);
                const error = fieldError(`qualification.${f}`);
                return (
                  <label key={f} className="form-field">
                    <span className="form-label">
                      {bantLabels[f]} {required ? <span className="required">required</span> : null}
                    </span>
                    <input
                      className={`input ${error ? "is-invalid" : ""}`}
                      name={f}
                      value={bant[f]}
                      placeholder={bantPrompts[f]}
                      aria-invalid={Boolean(error)}
                      onChange={(e) => {
                        setBant({ ...bant, [f]: e.target.value });
                        clearLocal(`qualification.${f}`);
                      }}
                    />
                    <FieldError message={error} />
                  </label>
                );
              })}
              <label className="form-field">
                <span className="form-label">
                  Meeting with an AE{" "}
                  {agreement.qualification.requireMeeting ? (
                    <span className="required">required</span>
                  ) : null}
                </span>
                <input
                  className={`input ${fieldError("qualification.meetingAt") ? "is-invalid" : ""}`}
                  type="datetime-local"
                  name="meetingAt"
                  value={meetingAt}
                  onChange={(e) => {
                    setMeetingAt(e.target.value);
                    clearLocal("qualification.meetingAt");
                  }}
                />
                <FieldError message={fieldError("qualification.meetingAt")} />
              </label>
            </div>
          </fieldset>
        ) : null}

        <label className="form-field">
          <span className="form-label">
            Note <span className="optional">optional</span>
          </span>
          <textarea
            className="input textarea"
            name="note"
            rows={3}
            value={note}
            maxLength={2000}
            placeholder="Context for the next person, e.g. what was said on the call"
            onChange={(e) => setNote(e.target.value)}
          />
          <FieldError message={fieldError("note")} />
        </label>

        <div className="dialog-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn btn-${tone === "secondary" ? "primary" : tone}`}
            disabled={move.isPending}
            data-testid="confirm-move"
          >
            {move.isPending ? <Spinner label="Saving" /> : null}
            {moveLabel(from, to)}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function FieldError({ message, id }: { message: string | undefined; id?: string }) {
  return message ? (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  ) : null;
}
