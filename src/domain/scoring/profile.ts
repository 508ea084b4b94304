import type { FitProfile } from "./fit.ts";

type PersonFields = {
  email: string;
  title: string | null;
  seniority: string | null;
  department: string | null;
  country: string | null;
};
type CompanyFields = {
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  country: string | null;
  technologies: readonly string[];
};

/** What fit rules see: the person's own fields, completed by their account's. */
export function fitProfileOf(
  lead: PersonFields,
  account: CompanyFields | null | undefined,
): FitProfile {
  return {
    email: lead.email,
    title: lead.title,
    seniority: lead.seniority,
    department: lead.department,
    country: lead.country ?? account?.country ?? null,
    industry: account?.industry ?? null,
    employees: account?.employees ?? null,
    annualRevenue: account?.annualRevenue ?? null,
    technologies: account?.technologies ?? [],
  };
}
