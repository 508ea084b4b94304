/** The fixed set of stage kinds. The agreement names and defines each; it cannot add kinds. */
export const funnelStages = [
  "lead",
  "mrl",
  "mql",
  "sal",
  "sql",
  "opportunity",
  "customer",
] as const;
export const sideStages = ["recycled", "disqualified", "lost"] as const;
export const stages = [...funnelStages, ...sideStages] as const;
export type Stage = (typeof stages)[number];

export const bantFields = ["budget", "authority", "need", "timeframe", "motivation"] as const;
export type BantField = (typeof bantFields)[number];

export const fitGrades = ["A", "B", "C", "D"] as const;
export type FitGrade = (typeof fitGrades)[number];

/** True when `grade` is at least as good as `min` (A is best). */
export function gradeAtLeast(grade: FitGrade, min: FitGrade): boolean {
  return fitGrades.indexOf(grade) <= fitGrades.indexOf(min);
}
