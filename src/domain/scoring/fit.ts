import type { FitAttribute, FitRule, ScoringModel } from "../agreement.ts";
import { emailDomain, isFreeMailDomain } from "../email.ts";
import type { FitGrade } from "../lifecycle-stages.ts";
import { type CompiledModel, compiled, type ModelInput, normalizeText } from "./compile-model.ts";

export type Seniority = "c_level" | "vp" | "director" | "manager" | "individual";
export type EmailDomainType = "free" | "company" | "competitor";

/** What is known about a person and their company. Missing values never match a rule. */
export type FitProfile = {
  industry?: string | null;
  employees?: number | null;
  annualRevenue?: number | null;
  country?: string | null;
  title?: string | null;
  seniority?: string | null;
  department?: string | null;
  technologies?: readonly string[] | null;
  email?: string | null;
};

export type FitContribution = {
  ruleId: string;
  label: string;
  attribute: FitAttribute;
  /** The profile value that matched (matching technologies joined with ", "). */
  value: string | number;
  points: number;
};

export type FitResult = {
  /** Sum of matched rules' points, clamped to 0..100. */
  score: number;
  grade: FitGrade;
  /** Matched rules only, in the model's order. */
  contributions: FitContribution[];
  /** The seniority the rules saw, and whether it was derived from the title. */
  seniority: string | null;
  seniorityFromTitle: boolean;
  emailDomainType: EmailDomainType | null;
};

// Checked in order, most senior first. The first entry exists because "Executive Assistant to
// the CEO" or "Marketing Intern" must not be graded by the title they mention.
const seniorityPatterns: readonly (readonly [Seniority, RegExp])[] = [
  [
    "individual",
    /\b(intern|internship|student|trainee|apprentice|working student)\b|\bassistant to\b|\b(executive|personal) assistant\b/,
  ],
  // "Managing Director" is the chief executive's title in the UK and German-speaking markets.
  [
    "c_level",
    /\bchief\b|\b(ceo|cto|cfo|cmo|coo|cio|cro|cso|cpo|cdo|cco|cao|ciso|chro)\b|\b(co-?)?founder\b|(?<!\bvice[\s-]?)\bpresident\b|\bmanaging director\b/,
  ],
  ["vp", /\b(vp|svp|evp|avp)\b|\bvice[\s-]?president\b/],
  ["director", /\bdirector\b|\bhead\b/],
  ["manager", /\bmanager\b|\bmgr\b|\bsupervisor\b|\bteam lead\b/],
];

/** Seniority codes that do not read as words on their own (the others do: "director"). */
const seniorityNames: Readonly<Record<string, string>> = {
  c_level: "C-level",
  vp: "VP",
  individual: "individual contributor",
};

/** A seniority code in words, or undefined when the code reads as one already (or is unknown). */
export function seniorityName(code: string): string | undefined {
  return Object.hasOwn(seniorityNames, code) ? seniorityNames[code] : undefined;
}

const seniorityRank: Record<Seniority, number> = {
  individual: 0,
  manager: 1,
  director: 2,
  vp: 3,
  c_level: 4,
};

/**
 * Whether a person's seniority (as `scoreFit` reads it: given, or implied by the title) went
 * up, for the recycle policy's authority-change trigger. An unknown seniority counts as an
 * individual's before, and as no rise after.
 */
export function seniorityRose(before: string | null, after: string | null): boolean {
  const rank = (s: string | null) =>
    s !== null && Object.hasOwn(seniorityRank, s) ? seniorityRank[s as Seniority] : null;
  const to = rank(after);
  return to !== null && to > (rank(before) ?? 0);
}

/** The seniority fit rules see: the one given, else the one the title implies. */
export function seniorityOf(profile: Pick<FitProfile, "seniority" | "title">): string | null {
  return text(profile.seniority) ?? deriveSeniority(profile.title);
}

/** Seniority implied by a job title, or null when there is no title. */
export function deriveSeniority(title: string | null | undefined): Seniority | null {
  const t = title?.trim().toLowerCase();
  if (!t) return null;
  for (const [seniority, pattern] of seniorityPatterns) if (pattern.test(t)) return seniority;
  return "individual";
}

function isCompetitorDomain(domain: string, c: CompiledModel): boolean {
  if (c.competitorDomains.size === 0) return false;
  // Subdomains of a competitor (eu.rival.com) are the competitor too.
  for (let d = domain; d; d = d.slice(d.indexOf(".") + 1)) {
    if (c.competitorDomains.has(d)) return true;
    if (!d.includes(".")) break;
  }
  return false;
}

/** "competitor" | "free" | "company" for a well-formed address, else null. */
export function emailDomainTypeOf(
  email: string | null | undefined,
  model: ModelInput,
): EmailDomainType | null {
  if (!email) return null;
  const domain = emailDomain(email);
  if (!domain.includes(".")) return null;
  if (isCompetitorDomain(domain, compiled(model))) return "competitor";
  return isFreeMailDomain(domain) ? "free" : "company";
}

export function gradeFor(score: number, grades: ScoringModel["fit"]["grades"]): FitGrade {
  if (score >= grades.A) return "A";
  if (score >= grades.B) return "B";
  if (score >= grades.C) return "C";
  return "D";
}

type AttributeValue = string | number | readonly string[] | null;

function text(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function num(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The value a rule on `attribute` is matched against, or null when it is unknown. */
function matchValue(
  match: FitRule["match"],
  values: readonly string[],
  v: AttributeValue,
): string | number | null {
  if (v === null) return null;
  if (match.op === "range") {
    if (typeof v !== "number") return null;
    const aboveMin = match.min === undefined || v >= match.min;
    const belowMax = match.max === undefined || v < match.max;
    return aboveMin && belowMax ? v : null;
  }
  const test =
    match.op === "in"
      ? (s: string) => values.includes(normalizeText(s))
      : (s: string) => {
          const n = normalizeText(s);
          return values.some((value) => n.includes(value));
        };
  if (typeof v === "number") return test(String(v)) ? v : null;
  if (typeof v === "string") return test(v) ? v : null;
  const hits = v.filter(test);
  return hits.length > 0 ? hits.join(", ") : null;
}

export function scoreFit(profile: FitProfile, model: ModelInput): FitResult {
  const c = compiled(model);
  const givenSeniority = text(profile.seniority);
  const seniority = seniorityOf(profile);
  const emailDomainType = emailDomainTypeOf(profile.email, c);
  const technologies = (profile.technologies ?? []).map((t) => t.trim()).filter(Boolean);
  const values: Record<FitAttribute, AttributeValue> = {
    industry: text(profile.industry),
    employees: num(profile.employees),
    annualRevenue: num(profile.annualRevenue),
    country: text(profile.country),
    title: text(profile.title),
    seniority,
    department: text(profile.department),
    technologies: technologies.length > 0 ? technologies : null,
    emailDomainType,
  };

  let total = 0;
  const contributions: FitContribution[] = [];
  for (const { rule, values: ruleValues } of c.fitRules) {
    const value = matchValue(rule.match, ruleValues, values[rule.attribute]);
    if (value === null) continue;
    total += rule.points;
    contributions.push({
      ruleId: rule.id,
      label: rule.label,
      attribute: rule.attribute,
      value,
      points: rule.points,
    });
  }
  const score = Math.min(100, Math.max(0, total));
  return {
    score,
    grade: gradeFor(score, c.model.fit.grades),
    contributions,
    seniority,
    seniorityFromTitle: givenSeniority === null && seniority !== null,
    emailDomainType,
  };
}
