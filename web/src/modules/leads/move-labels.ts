import { isRejection, type Stage } from "@domain/lifecycle.ts";

/** The words on a move's button: what the person does, not the target's code. */
export function moveLabel(from: Stage, to: Stage): string {
  if (isRejection(from, to))
    return to === "recycled" ? "Reject and recycle" : "Reject and disqualify";
  switch (to) {
    case "mrl":
      return "Mark marketing-ready";
    case "mql":
      return from === "recycled" ? "Requalify as MQL" : "Mark as MQL";
    case "sal":
      return "Accept";
    case "sql":
      return "Qualify as SQL";
    case "opportunity":
      return "Open opportunity";
    case "customer":
      return "Mark won";
    case "lost":
      return "Mark lost";
    case "recycled":
      return "Recycle";
    case "disqualified":
      return "Disqualify";
    case "lead":
      return "Back to lead";
    default:
      return `Move to ${to}`;
  }
}

/** Side and backward moves look secondary; the way forward looks primary. */
export function moveTone(to: Stage): "primary" | "secondary" | "danger" {
  if (to === "disqualified" || to === "lost") return "danger";
  if (to === "recycled") return "secondary";
  return "primary";
}
