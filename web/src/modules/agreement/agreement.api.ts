import type { AgreementDocument, AgreementStatus, Reason } from "@domain/agreement.ts";
import { api } from "../../api.ts";
import { useAppQuery } from "../../query.ts";

export type Agreement = {
  id: string;
  version: number;
  status: AgreementStatus;
  activatedAt: string | null;
  document: AgreementDocument;
};

export function useAgreement() {
  return useAppQuery<Agreement>({
    key: ["agreement"],
    fetch: (signal) => api("/agreement", { signal }),
    staleTime: 5 * 60_000,
  });
}

/** A reason code's label from any of the agreement's lists, or the code itself. */
export function reasonLabel(doc: AgreementDocument | undefined, code: string): string {
  if (!doc) return code;
  const all: Reason[] = [
    ...doc.reasons.rejection,
    ...doc.reasons.disqualification,
    ...doc.reasons.loss,
  ];
  return all.find((r) => r.code === code)?.label ?? code;
}
