export { type Agreement, reasonLabel, useAgreement } from "./agreement.api.ts";
export { AgreementPage } from "./agreement-page.tsx";
export { bantLabels, describeCondition } from "./criteria.ts";
export { recycleReturns } from "./scoring-text.ts";
