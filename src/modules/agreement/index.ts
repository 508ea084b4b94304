export { type AgreementRepository, createAgreementRepository } from "./agreement.repository.ts";
export { type AgreementService, createAgreementService } from "./agreement.service.ts";
