import type { AgreementDocument, Reason } from "./agreement.ts";
import type { ErrorCode } from "./errors.ts";
import { assertNever } from "./errors.ts";
import type { BantField, Stage } from "./lifecycle-stages.ts";

export * from "./lifecycle-stages.ts";

export type Qualification = Partial<Record<BantField, string>> & { meetingAt?: string };

export type ActorType = "user" | "api_key" | "rule" | "system";
export type Actor = { type: ActorType; id: string | null };

export type TransitionRecord = {
  fromStage: Stage;
  toStage: Stage;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string | null;
  /** The scoring or routing rule that made the move, when a rule did. */
  rule: string | null;
  reason: string | null;
  note: string | null;
  agreementVersion: number;
};

export type MoveRequest = {
  to: Stage;
  reason?: string | undefined;
  note?: string | undefined;
  rule?: string | undefined;
  /** BANT(M) answers captured with the move; merged over what the lead already has. */
  qualification?: Qualification | undefined;
  actor: Actor;
};

export type MoveRefusal = { ok: false; code: ErrorCode; message: string; field?: string };
export type MoveResult =
  | { ok: true; stage: Stage; qualification: Qualification; transition: TransitionRecord }
  | MoveRefusal;

/** Which stages each stage may move to. Anything not listed is refused. */
export const allowedMoves: Record<Stage, readonly Stage[]> = {
  lead: ["mrl", "mql", "disqualified"],
  mrl: ["mql", "recycled", "disqualified"],
  mql: ["sal", "recycled", "disqualified"],
  sal: ["sql", "recycled", "disqualified"],
  sql: ["opportunity", "recycled", "disqualified"],
  opportunity: ["customer", "lost"],
  customer: [],
  recycled: ["mql", "disqualified"],
  disqualified: [],
  lost: ["recycled"],
};

/** A move out of an MQL or SAL into a side stage is a rejection by sales. */
export function isRejection(from: Stage, to: Stage): boolean {
  return (
    (from === "mql" || from === "sal" || from === "sql") &&
    (to === "recycled" || to === "disqualified")
  );
}

/** The agreement's reasons a move may cite, or null when the move needs no reason. */
export function reasonsForMove(doc: AgreementDocument, from: Stage, to: Stage): Reason[] | null {
  switch (to) {
    case "recycled":
      return from === "lost"
        ? [...doc.reasons.loss, ...doc.reasons.rejection]
        : doc.reasons.rejection;
    case "disqualified":
      return isRejection(from, to)
        ? [...doc.reasons.rejection, ...doc.reasons.disqualification]
        : doc.reasons.disqualification;
    case "lost":
      return doc.reasons.loss;
    case "lead":
    case "mrl":
    case "mql":
    case "sal":
    case "sql":
    case "opportunity":
    case "customer":
      return null;
    default:
      return assertNever(to);
  }
}

/** BANT(M) fields the agreement requires that are still empty. */
export function missingQualification(doc: AgreementDocument, q: Qualification): string[] {
  const missing: string[] = doc.qualification.requiredFields.filter((f) => !q[f]?.trim());
  if (doc.qualification.requireMeeting && !q.meetingAt) missing.push("meetingAt");
  return missing;
}

/**
 * Decide a move under the agreement in force. Pure: the caller passes the clock and persists
 * the returned transition together with the new stage.
 */
export function move(
  lead: { stage: Stage; qualification: Qualification },
  request: MoveRequest,
  agreement: { version: number; document: AgreementDocument },
  now: Date,
): MoveResult {
  const from = lead.stage;
  const { to } = request;
  if (from === to) {
    return { ok: false, code: "SAME_STAGE", message: `The lead is already in ${to}.`, field: "to" };
  }
  if (!allowedMoves[from].includes(to)) {
    const allowed = allowedMoves[from];
    return {
      ok: false,
      code: "TRANSITION_NOT_ALLOWED",
      message: allowed.length
        ? `A lead in ${from} can move to ${allowed.join(", ")}, not to ${to}.`
        : `A lead in ${from} cannot move any further.`,
      field: "to",
    };
  }

  const reasons = reasonsForMove(agreement.document, from, to);
  const reason = request.reason?.trim() || null;
  if (reasons) {
    if (!reason) {
      return {
        ok: false,
        code: "REASON_REQUIRED",
        message: `Moving a lead from ${from} to ${to} needs a reason: one of ${reasons.map((r) => r.code).join(", ")}.`,
        field: "reason",
      };
    }
    if (!reasons.some((r) => r.code === reason)) {
      return {
        ok: false,
        code: "REASON_NOT_IN_AGREEMENT",
        message: `"${reason}" is not a reason the agreement allows here; use one of ${reasons.map((r) => r.code).join(", ")}.`,
        field: "reason",
      };
    }
  }

  const qualification: Qualification = {
    ...lead.qualification,
    ...stripEmpty(request.qualification),
  };
  if (to === "sql") {
    const missing = missingQualification(agreement.document, qualification);
    if (missing.length > 0) {
      const onlyMeeting = missing.length === 1 && missing[0] === "meetingAt";
      return {
        ok: false,
        code: onlyMeeting ? "MEETING_REQUIRED" : "QUALIFICATION_INCOMPLETE",
        message: onlyMeeting
          ? "The agreement requires a booked meeting (qualification.meetingAt) before a lead becomes an SQL."
          : `The agreement requires ${missing.join(", ")} before a lead becomes an SQL.`,
        field: `qualification.${missing[0]}`,
      };
    }
  }

  return {
    ok: true,
    stage: to,
    qualification,
    transition: {
      fromStage: from,
      toStage: to,
      occurredAt: now,
      actorType: request.actor.type,
      actorId: request.actor.id,
      rule: request.rule ?? null,
      reason,
      note: request.note?.trim() || null,
      agreementVersion: agreement.version,
    },
  };
}

function stripEmpty(q: Qualification | undefined): Qualification {
  if (!q) return {};
  return Object.fromEntries(
    Object.entries(q).filter(([, v]) => typeof v === "string" && v.trim() !== ""),
  ) as Qualification;
}
