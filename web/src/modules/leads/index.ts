export { LeadListPage } from "./lead-list-page.tsx";
export { LeadPage } from "./lead-page.tsx";
