import type { Kysely } from "kysely";
import type { Agreement } from "../../domain/agreement.ts";
import { companyDomain, normalizeEmail } from "../../domain/email.ts";
import { AppError } from "../../domain/errors.ts";
import type { Qualification, Stage } from "../../domain/lifecycle.ts";
import { move } from "../../domain/lifecycle.ts";
import { roleMayMove } from "../../domain/roles.ts";
import {
  applyEvents,
  compileModel,
  engagementFromState,
  fitProfileOf,
  ruleMoveRecords,
  scoreFit,
  seniorityName,
  seniorityOf,
  seniorityRose,
} from "../../domain/scoring/index.ts";
import { isUniqueViolation } from "../../platform/db/errors.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AccountRecord, AccountsRepository } from "../accounts/accounts.repository.ts";
import type { AgreementService } from "../agreement/agreement.service.ts";
import type { AuditRepository } from "../audit/audit.repository.ts";
import { actorOf, type Principal, salesRoles } from "../auth/access.ts";
import type { UsersRepository } from "../users/users.repository.ts";
import type {
  LeadFields,
  LeadListQuery,
  LeadRecord,
  LeadsRepository,
  TransitionRow,
} from "./leads.repository.ts";

export type LeadsServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  leads: LeadsRepository;
  accounts: AccountsRepository;
  users: UsersRepository;
  agreement: AgreementService;
  audit: AuditRepository;
};

export type LeadInput = Partial<Omit<LeadFields, "email">> & { email: string };
export type LeadPatch = Partial<LeadFields>;
export type TransitionInput = {
  to: Stage;
  reason?: string | undefined;
  note?: string | undefined;
  expectedStage?: Stage | undefined;
  qualification?: Qualification | undefined;
};

export type LeadDetail = {
  lead: LeadRecord;
  account: AccountRecord | null;
  history: (TransitionRow & { actorName: string | null })[];
  stageDefinition: { label: string; definition: string };
  agreementVersion: number;
};

export function createLeadsService(deps: LeadsServiceDeps) {
  const { db, leads, accounts, users, audit } = deps;

  async function checkReferences(
    workspaceId: string,
    fields: Partial<LeadFields>,
    trx: Kysely<DB>,
  ): Promise<void> {
    if (fields.accountId && !(await accounts.findById(workspaceId, fields.accountId, trx))) {
      throw new AppError("VALIDATION_FAILED", "The account does not exist in this workspace.", [
        { path: "accountId", message: "no such account" },
      ]);
    }
    if (fields.ownerId && !(await users.findById(workspaceId, fields.ownerId, trx))) {
      throw new AppError("VALIDATION_FAILED", "The owner is not a user of this workspace.", [
        { path: "ownerId", message: "no such user" },
      ]);
    }
  }

  /** A lead with no account joins the account of its company email domain, created on first sight. */
  async function resolveAccount(
    workspaceId: string,
    input: {
      email: string;
      company?: string | null | undefined;
      accountId?: string | null | undefined;
    },
    now: Date,
    trx: Kysely<DB>,
  ): Promise<string | null> {
    if (input.accountId !== undefined) return input.accountId;
    const domain = companyDomain(input.email);
    if (!domain) return null;
    const { account } = await accounts.ensureForDomain(
      { id: deps.newId(), workspaceId, domain, name: input.company?.trim() || domain, now },
      trx,
    );
    return account.id;
  }

  async function createInTransaction(
    principal: Principal,
    input: LeadInput,
    trx: Kysely<DB>,
  ): Promise<LeadRecord> {
    const now = deps.clock();
    const { workspaceId } = principal;
    const agreement = await deps.agreement.active(workspaceId, trx);
    await checkReferences(workspaceId, input, trx);
    const accountId = await resolveAccount(workspaceId, input, now, trx);
    const sourcedBy =
      input.sourcedBy ??
      (principal.kind === "user" && salesRoles.includes(principal.role)
        ? "sales"
        : !input.source || agreement.document.sourcing.marketingSources.includes(input.source)
          ? "marketing"
          : "sales");
    const lead = await leads.insert(
      {
        email: input.email.trim(),
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        title: input.title ?? null,
        seniority: input.seniority ?? null,
        department: input.department ?? null,
        company: input.company ?? null,
        phone: input.phone ?? null,
        country: input.country ?? null,
        source: input.source ?? null,
        campaign: input.campaign ?? null,
        sourcedBy,
        consent: input.consent ?? false,
        accountId,
        ownerId: input.ownerId ?? null,
        attributes: input.attributes ?? {},
        qualification: input.qualification ?? {},
        id: deps.newId(),
        workspaceId,
        stage: "lead",
        now,
      },
      trx,
    );
    const actor = actorOf(principal);
    await leads.insertTransitions(
      [
        {
          id: deps.newId(),
          workspaceId,
          leadId: lead.id,
          fromStage: null as unknown as Stage,
          toStage: "lead",
          occurredAt: now,
          actorType: actor.type,
          actorId: actor.id,
          rule: null,
          reason: null,
          note: null,
          agreementVersion: agreement.version,
        },
      ],
      trx,
    );
    await audit.append(
      [
        {
          workspaceId,
          at: now,
          actorType: actor.type,
          actorId: actor.id,
          action: "lead.created",
          entityType: "lead",
          entityId: lead.id,
          after: lead,
        },
      ],
      trx,
    );
    return rescore(lead, agreement, trx, { edit: false });
  }

  function seniorityWords(seniority: string | null): string {
    return seniority === null ? "unknown" : (seniorityName(seniority) ?? seniority);
  }

  /** Engagement decays continuously: what the API returns is valued now, not when stored. */
  function live(lead: LeadRecord, agreement: Agreement): LeadRecord {
    const model = compileModel(agreement.document.scoring);
    return {
      ...lead,
      engagementScore: engagementFromState(lead.engagementState, model, deps.clock()).score,
    };
  }

  /**
   * Recomputes fit from the lead and its account, values engagement now, and applies the
   * agreement's automatic moves (a lead whose data became complete enters mrl, for example).
   */
  async function rescore(
    lead: LeadRecord,
    agreement: Agreement,
    trx: Kysely<DB>,
    /**
     * An edit of an existing lead (its state before), whose score changes are points of its
     * history and whose rise in seniority is the recycle policy's authority-change trigger.
     */
    options: { edit: false } | { edit: true; before: LeadRecord },
  ): Promise<LeadRecord> {
    const now = deps.clock();
    const model = compileModel(agreement.document.scoring);
    const account = lead.accountId
      ? await accounts.findById(lead.workspaceId, lead.accountId, trx)
      : undefined;
    const fit = scoreFit(fitProfileOf(lead, account), model);
    const seniorityBefore = options.edit ? seniorityOf(options.before) : null;
    const applied = applyEvents(
      {
        stage: lead.stage,
        state: lead.engagementState,
        fit: fit.score,
        fitGrade: fit.grade,
        fields: lead,
        consent: lead.consent,
        competitor: fit.emailDomainType === "competitor",
        stageEnteredAt: lead.stageEnteredAt,
        authorityRose: options.edit && seniorityRose(seniorityBefore, fit.seniority),
      },
      [],
      agreement.document,
      now,
    );
    const updated = await leads.setScores(
      lead.workspaceId,
      lead.id,
      {
        fitScore: fit.score,
        fitGrade: fit.grade,
        fitBreakdown: fit.contributions,
        engagementScore: applied.engagement,
        stage: applied.stage !== lead.stage ? applied.stage : null,
        now,
        // An edit that changes the fit (a title, a corrected country) or lets a rule move the
        // lead is a point of the score history, like the events' points. A new lead's first
        // score is not: its history starts with its events.
        historyCause:
          options.edit &&
          (fit.score !== lead.fitScore ||
            fit.grade !== lead.fitGrade ||
            applied.stage !== lead.stage)
            ? "profile_update"
            : null,
      },
      trx,
    );
    await leads.insertTransitions(
      ruleMoveRecords(applied.moves, agreement.version).map((record) => ({
        ...record,
        // The evidence, as an event's move names its event.
        note:
          record.rule === "requalify:authority_change"
            ? `Seniority rose from ${seniorityWords(seniorityBefore)} to ${seniorityWords(fit.seniority)}${
                fit.seniorityFromTitle && lead.title ? ` (title “${lead.title}”)` : ""
              }.`
            : record.note,
        id: deps.newId(),
        workspaceId: lead.workspaceId,
        leadId: lead.id,
      })),
      trx,
    );
    return updated;
  }

  async function updateInTransaction(
    principal: Principal,
    id: string,
    patch: LeadPatch,
    trx: Kysely<DB>,
  ): Promise<LeadRecord> {
    const { workspaceId } = principal;
    const before = await leads.findById(workspaceId, id, trx);
    if (!before) throw new AppError("NOT_FOUND", "No lead with this id in this workspace.");
    await checkReferences(workspaceId, patch, trx);
    const now = deps.clock();
    const fields: LeadPatch = { ...patch };
    if (patch.email !== undefined) fields.email = patch.email.trim();
    if (patch.attributes) fields.attributes = { ...before.attributes, ...patch.attributes };
    // BANT(M) answers are captured over several calls; an empty string clears one.
    if (patch.qualification) {
      const merged: Record<string, string | undefined> = {
        ...before.qualification,
        ...patch.qualification,
      };
      fields.qualification = Object.fromEntries(
        Object.entries(merged).filter(([, v]) => v),
      ) as LeadFields["qualification"];
    }
    const after = await leads.update(workspaceId, id, fields, now, trx);
    if (!after) throw new AppError("NOT_FOUND", "No lead with this id in this workspace.");
    const actor = actorOf(principal);
    await audit.append(
      [
        {
          workspaceId,
          at: now,
          actorType: actor.type,
          actorId: actor.id,
          action: "lead.updated",
          entityType: "lead",
          entityId: id,
          before,
          after,
        },
      ],
      trx,
    );
    return rescore(after, await deps.agreement.active(workspaceId, trx), trx, {
      edit: true,
      before,
    });
  }

  function duplicateEmail(email: string): AppError {
    return new AppError(
      "DUPLICATE_EMAIL",
      `A lead with the email ${normalizeEmail(email)} already exists.`,
      [{ path: "email", message: "already used by another lead in this workspace" }],
    );
  }

  return {
    /** Creates a lead; with `upsert`, a lead with the same email is updated instead of refused. */
    async create(
      principal: Principal,
      input: LeadInput,
      options: { upsert: boolean },
    ): Promise<{ lead: LeadRecord; created: boolean }> {
      try {
        return await db.transaction().execute(async (trx) => {
          const existing = await leads.findByEmail(principal.workspaceId, input.email.trim(), trx);
          if (existing) {
            if (!options.upsert) throw duplicateEmail(input.email);
            const { email: _email, ...rest } = input;
            return {
              lead: await updateInTransaction(principal, existing.id, rest, trx),
              created: false,
            };
          }
          return { lead: await createInTransaction(principal, input, trx), created: true };
        });
      } catch (error) {
        // Two creators of one email at once: the unique index decides, the loser retries as an update.
        if (isUniqueViolation(error, "leads_email_key")) {
          if (!options.upsert) throw duplicateEmail(input.email);
          const existing = await leads.findByEmail(principal.workspaceId, input.email.trim());
          if (!existing) throw error;
          const { email: _email, ...rest } = input;
          const lead = await db
            .transaction()
            .execute((trx) => updateInTransaction(principal, existing.id, rest, trx));
          return { lead, created: false };
        }
        throw error;
      }
    },

    async get(principal: Principal, id: string): Promise<LeadDetail> {
      const lead = await leads.findById(principal.workspaceId, id);
      if (!lead) throw new AppError("NOT_FOUND", "No lead with this id in this workspace.");
      const [account, history, agreement] = await Promise.all([
        lead.accountId
          ? accounts.findById(principal.workspaceId, lead.accountId)
          : Promise.resolve(undefined),
        leads.history(principal.workspaceId, id),
        deps.agreement.active(principal.workspaceId),
      ]);
      const def = agreement.document.stages[lead.stage];
      const names = new Map((await users.list(principal.workspaceId)).map((u) => [u.id, u.name]));
      return {
        lead: live(lead, agreement),
        account: account ?? null,
        history: history.map((t) => ({
          ...t,
          actorName: t.actorId ? (names.get(t.actorId) ?? null) : null,
        })),
        stageDefinition: { label: def.label, definition: def.definition },
        agreementVersion: agreement.version,
      };
    },

    async list(
      principal: Principal,
      query: LeadListQuery,
      options: { withTotal: boolean },
    ): Promise<{ items: LeadRecord[]; hasMore: boolean; total: number | null }> {
      const page = await leads.list(principal.workspaceId, { ...query, limit: query.limit + 1 });
      const total = options.withTotal ? await leads.count(principal.workspaceId, query) : null;
      const agreement = await deps.agreement.active(principal.workspaceId);
      return {
        items: page.slice(0, query.limit).map((l) => live(l, agreement)),
        hasMore: page.length > query.limit,
        total,
      };
    },

    async update(principal: Principal, id: string, patch: LeadPatch): Promise<LeadRecord> {
      try {
        return await db
          .transaction()
          .execute((trx) => updateInTransaction(principal, id, patch, trx));
      } catch (error) {
        if (isUniqueViolation(error, "leads_email_key") && patch.email)
          throw duplicateEmail(patch.email);
        throw error;
      }
    },

    async transition(
      principal: Principal,
      id: string,
      input: TransitionInput,
    ): Promise<{ lead: LeadRecord; transition: TransitionRow }> {
      const { workspaceId } = principal;
      return db.transaction().execute(async (trx) => {
        const lead = await leads.findById(workspaceId, id, trx);
        if (!lead) throw new AppError("NOT_FOUND", "No lead with this id in this workspace.");
        if (input.expectedStage && lead.stage !== input.expectedStage) {
          throw new AppError(
            "STAGE_CONFLICT",
            `The lead moved to ${lead.stage} meanwhile (you expected ${input.expectedStage}). Reload it and decide again.`,
          );
        }
        if (principal.kind === "user" && !roleMayMove(principal.role, lead.stage, input.to)) {
          throw new AppError(
            "FORBIDDEN",
            "Only SDRs, account executives and sales leads accept, qualify, reject or close leads.",
          );
        }
        const agreement = await deps.agreement.active(workspaceId, trx);
        const now = deps.clock();
        const actor = actorOf(principal);
        const result = move(lead, { ...input, actor }, agreement, now);
        if (!result.ok) {
          throw new AppError(
            result.code,
            result.message,
            result.field ? [{ path: result.field, message: result.message }] : undefined,
          );
        }
        // An SDR who accepts an unowned lead becomes its owner.
        const ownerId =
          input.to === "sal" && principal.kind === "user" && !lead.ownerId
            ? principal.userId
            : undefined;
        const moved = await leads.updateStage(
          workspaceId,
          id,
          lead.stage,
          { stage: result.stage, qualification: result.qualification, ownerId, now },
          trx,
        );
        if (!moved) {
          throw new AppError(
            "STAGE_CONFLICT",
            "Someone else moved this lead at the same moment. Reload it and decide again.",
          );
        }
        const transition: TransitionRow = {
          ...result.transition,
          id: deps.newId(),
          workspaceId,
          leadId: id,
        };
        await leads.insertTransitions([transition], trx);
        await audit.append(
          [
            {
              workspaceId,
              at: now,
              actorType: actor.type,
              actorId: actor.id,
              action: "lead.transitioned",
              entityType: "lead",
              entityId: id,
              before: { stage: lead.stage },
              after: { stage: result.stage, reason: transition.reason, note: transition.note },
            },
          ],
          trx,
        );
        return { lead: moved, transition };
      });
    },
  };
}
export type LeadsService = ReturnType<typeof createLeadsService>;
