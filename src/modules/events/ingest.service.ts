import type { Kysely } from "kysely";
import type { Agreement } from "../../domain/agreement.ts";
import { companyDomain, normalizeEmail } from "../../domain/email.ts";
import { AppError } from "../../domain/errors.ts";
import type { Actor, FitGrade, Stage } from "../../domain/lifecycle.ts";
import {
  applyEvents,
  compileModel,
  emailDomainTypeOf,
  fitProfileOf,
  isKnownEventType,
  resolveEventType,
  ruleMoveRecords,
  type ScoringEvent,
  scoreFit,
  signalFor,
} from "../../domain/scoring/index.ts";
import { leadSourceOfEvent, utmAttributes } from "../../domain/sourcing.ts";
import { findUnstorableText, truncateText } from "../../domain/text.ts";
import type { DB } from "../../platform/db/schema.ts";
import type { AgreementService } from "../agreement/agreement.service.ts";
import type {
  EventsRepository,
  LeadForIngest,
  NewEventRow,
  NewLeadRow,
} from "./events.repository.ts";
import { type EventItem, eventItemSchema } from "./events.schemas.ts";

export type IngestDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  newId: () => string;
  events: EventsRepository;
  agreement: AgreementService;
  /** Most events one transaction takes; PGlite prefers smaller batches (one connection). */
  maxBatch?: number;
  /** Partitioned writers, each with its own queue: 1 on PGlite (one connection), a few on PostgreSQL. */
  concurrency?: number;
  /** Events waiting to be stored beyond which a request is turned away (503) instead of queued. */
  maxQueued?: number;
  /** Where an event that could not be stored is reported (default: standard error). */
  logError?: (message: string, error: unknown) => void;
};

const RETRYABLE = new Set(["40P01", "40001"]);
/**
 * Events of one request that may be rejected as NOT_STORED. More than that failing on their
 * own looks like a fault of Accord's rather than of the events: the request then fails (5xx),
 * instead of its halves being tried down to every single event.
 */
const MAX_NOT_STORED = 10;

/**
 * The signals whose accumulator differs between two engagement states (scoring replaces an
 * accumulator it changes and keeps the others as they were).
 */
function changedSignals(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const delta: Record<string, unknown> = {};
  for (const key in after) if (after[key] !== before[key]) delta[key] = after[key];
  return delta;
}

/**
 * Whether a failed batch may owe its failure to one request's data: a data error or a
 * constraint (SQLSTATE classes 22 and 23), or an error of our own code. A database that is
 * down, timing out or still deadlocking would fail each request alone as well.
 */
function mightBeOneRequestsFault(error: unknown): boolean {
  return typeof sqlState(error) !== "string" || isDataRefusal(error);
}

function sqlState(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

/** The database refused the data itself: SQLSTATE class 22 (data exception) or 23 (constraint). */
function isDataRefusal(error: unknown): boolean {
  const code = sqlState(error);
  return typeof code === "string" && /^2[23]/.test(code);
}

/**
 * A new lead's email was taken while the batch ran (on PostgreSQL: another process's
 * ingestion, or a person through the API), as new leads are written last on a batch's first
 * attempt. The batch is rolled back and runs again, writing its new leads first (see
 * processWorkspace), where a taken email is waited for and then read, so it cannot lose that
 * race twice. Its code is the serialization failure's, which `withRetry` retries.
 */
class NewLeadTaken extends Error {
  readonly code = "40001";
  constructor() {
    super("A new lead's email was taken by another writer meanwhile.");
  }
}

/** Deadlocks and serialization failures are the database asking us to try again. */
async function withRetry<T>(f: (attempt: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f(i);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (i >= attempts || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

export type ItemOutcome =
  | { status: "accepted" | "duplicate"; leadId: string | null }
  | {
      status: "rejected";
      code: string;
      message: string;
      /** The item's fields at fault, as dotted paths (properties.url). */
      fields?: { path: string; message: string }[];
    };

type Valid = {
  index: number;
  item: EventItem;
  type: string;
  occurredAt: Date;
  /** The normalized email that names the item's lead: null when a leadId does, or none. */
  email: string | null;
};
type Job = {
  workspaceId: string;
  actor: Actor;
  items: Valid[];
  outcomes: ItemOutcome[];
  /** How many more of the request's events may be rejected as NOT_STORED (shared by its parts). */
  notStoredBudget: { left: number };
  resolve: () => void;
  reject: (e: unknown) => void;
};

const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;
const EARLIEST_EVENT_MS = Date.UTC(1970, 0, 1);
const AGREEMENT_CACHE_MS = 5_000;
/**
 * Score history is a chart, not a ledger (the events are the ledger): a lead gets a point at
 * most once a minute, plus one at every automatic stage change, so a burst of events writes one row.
 */
export const SCORE_HISTORY_INTERVAL_MS = 60_000;
/** Rows ingestion adds before it first refreshes the planner's statistics. */
const ANALYZE_MIN_ROWS = 1000;

function fieldIssues(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({
    path: i.path.map(String).join(".") || "event",
    message: i.message,
  }));
}

function describeIssues(fields: { path: string; message: string }[]): string {
  return fields.map((f) => `${f.path}: ${f.message}`).join("; ");
}

/**
 * Event ingestion with group commit: concurrent requests queue their events, a writer takes
 * everything pending in its partition and stores it in a single transaction (events, new
 * leads, scores, automatic moves, history), and each request is answered only after the
 * commits of all its parts. A request never waits for more than the batch in flight plus its own.
 */
export function createIngestService(deps: IngestDeps) {
  const maxBatch = deps.maxBatch ?? 5000;
  const concurrency = deps.concurrency ?? 1;
  const maxQueued = deps.maxQueued ?? 50_000;
  const logError =
    deps.logError ??
    ((message: string, error: unknown) =>
      console.error(`accord: ${message}: ${error instanceof Error ? error.message : error}`));
  // Events accepted into the queues and not yet stored or failed.
  let queued = 0;
  const agreements = new Map<string, { agreement: Agreement; until: number }>();

  async function activeAgreement(workspaceId: string): Promise<Agreement> {
    const hit = agreements.get(workspaceId);
    const now = deps.clock().getTime();
    if (hit && hit.until > now) return hit.agreement;
    const agreement = await deps.agreement.active(workspaceId);
    agreements.set(workspaceId, { agreement, until: now + AGREEMENT_CACHE_MS });
    return agreement;
  }

  function validate(
    raw: unknown[],
    agreement: Agreement,
    now: Date,
    allowedTypes: readonly string[] | null,
  ): { valid: Valid[]; outcomes: ItemOutcome[]; copies: [number, number][] } {
    const model = compileModel(agreement.document.scoring);
    const outcomes: ItemOutcome[] = new Array(raw.length);
    const valid: Valid[] = [];
    const seen = new Map<string, number>();
    // [index of a repeated id, index of its first copy]
    const copies: [number, number][] = [];
    raw.forEach((value, index) => {
      // Checked per item: one such event is rejected instead of failing the batch it would join.
      const unstorable = findUnstorableText(value);
      if (unstorable) {
        outcomes[index] = {
          status: "rejected",
          code: "INVALID_EVENT",
          message: `${unstorable.path || "event"}: ${unstorable.reason}`,
          fields: [{ path: unstorable.path || "event", message: unstorable.reason }],
        };
        return;
      }
      const parsed = eventItemSchema.safeParse(value);
      if (!parsed.success) {
        const fields = fieldIssues(parsed.error);
        outcomes[index] = {
          status: "rejected",
          code: "INVALID_EVENT",
          message: describeIssues(fields),
          fields,
        };
        return;
      }
      const item = parsed.data;
      if (!isKnownEventType(item.type, model)) {
        outcomes[index] = {
          status: "rejected",
          code: "UNKNOWN_EVENT_TYPE",
          message: `The agreement does not know the event type "${item.type}"; map it in the scoring model's eventTypeAliases or use a known type.`,
          fields: [{ path: "type", message: "not an event type of the agreement" }],
        };
        return;
      }
      // Judged by the type the agreement resolves it to: an alias never widens a key's limit.
      const type = resolveEventType(item.type, model);
      if (allowedTypes && !allowedTypes.includes(type)) {
        outcomes[index] = {
          status: "rejected",
          code: "EVENT_TYPE_NOT_ALLOWED",
          message: `This API key may send only ${allowedTypes.join(", ")} events.`,
          fields: [{ path: "type", message: "not allowed for this API key" }],
        };
        return;
      }
      const occurredAt = new Date(item.occurredAt);
      // Engagement happens in our era; a year like 0050 is a typo, and drivers read years
      // before 100 back as 19xx.
      if (occurredAt.getTime() < EARLIEST_EVENT_MS) {
        outcomes[index] = {
          status: "rejected",
          code: "INVALID_EVENT",
          message: "occurredAt: must be 1970-01-01 or later.",
          fields: [{ path: "occurredAt", message: "must be 1970-01-01 or later" }],
        };
        return;
      }
      if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
        outcomes[index] = {
          status: "rejected",
          code: "OCCURRED_IN_FUTURE",
          message: "occurredAt is more than a day in the future.",
          fields: [{ path: "occurredAt", message: "more than a day in the future" }],
        };
        return;
      }
      // The same id twice in one request counts once, like a resend would.
      const first = seen.get(item.id);
      if (first !== undefined) {
        outcomes[index] = { status: "duplicate", leadId: null };
        copies.push([index, first]);
        return;
      }
      seen.set(item.id, index);
      // UUIDs are case-insensitive; the database writes them lower-case.
      if (item.leadId) item.leadId = item.leadId.toLowerCase();
      valid.push({
        index,
        item,
        type,
        occurredAt,
        email: item.email && !item.leadId ? normalizeEmail(item.email) : null,
      });
    });
    return { valid, outcomes, copies };
  }

  /** Stores one workspace's share of a batch; returns how many leads and events it added. */
  async function processWorkspace(
    workspaceId: string,
    jobs: Job[],
    /** The first attempt of this batch, or a retry (which writes new leads first). */
    attempt = 1,
  ): Promise<{ leads: number; events: number }> {
    const agreement = await activeAgreement(workspaceId);
    const doc = agreement.document;
    const model = compileModel(doc.scoring);
    const now = deps.clock();
    // A retried attempt starts clean: outcomes of a rolled-back attempt do not count.
    for (const job of jobs) for (const v of job.items) delete job.outcomes[v.index];
    const items = jobs.flatMap((j) => j.items.map((v) => ({ job: j, v })));

    return deps.db.transaction().execute(async (trx) => {
      const added = { leads: 0, events: 0 };
      // An item's lead is its leadId if it has one (its email is then only a property), else its
      // email: only those emails are looked up, and the unknown ones become leads.
      const emails = [
        ...new Set(items.map((x) => x.v.email).filter((e): e is string => e !== null)),
      ];
      // Events that carry only a visitor id count for the lead that visitor turned out to be.
      const anonymous = [
        ...new Set(
          items
            .filter((x) => !x.v.item.email && !x.v.item.leadId && x.v.item.visitorId)
            .map((x) => x.v.item.visitorId!),
        ),
      ];
      const knownVisitors = await deps.events.visitorLeads(trx, workspaceId, anonymous);
      const ids = [
        ...new Set([
          ...items.filter((x) => x.v.item.leadId).map((x) => x.v.item.leadId!),
          ...knownVisitors.values(),
        ]),
      ];
      await deps.events.prepareBatch(trx);
      const locked = await deps.events.findLeads(trx, workspaceId, emails, ids);
      const byEmail = new Map(locked.map((l) => [normalizeEmail(l.email), l]));
      const byId = new Map(locked.map((l) => [l.id, l]));
      const created = new Set<string>();
      const creatorOf = new Map<string, Actor>();
      // New leads are written once their events are scored, in their final state: inserting
      // them bare and updating them in the same transaction cost a second write of each row,
      // which rarely fits its page (an import of new people on PGlite: 289.7 → 220.6 ms per
      // 1,000 events). Their events are stored first (events have no foreign key to leads).
      // They are written first, bare, as before, by a batch that identifies visitors (the
      // visitor table refers to leads) and by a retry (after a new lead's email was taken
      // meanwhile, the first order could lose the same race again).
      const writeNewLeadsScored =
        attempt === 1 && !items.some((x) => x.v.item.visitorId && x.v.item.email);
      const unwritten = new Map<string, NewLeadRow>();

      // Unknown emails become leads, joined to the account of their company domain, when an
      // event not stored yet names them: a duplicate (a resend after the person's email
      // changed, an id a sender reused) creates nobody. (A concurrent writer may store the same
      // id between this check and the insert: such a lead is removed again below.)
      const unknown = new Set(emails.filter((e) => !byEmail.has(e)));
      const namingUnknown = unknown.size
        ? items.filter((x) => x.v.email !== null && unknown.has(x.v.email))
        : [];
      const stored = await deps.events.storedEventIds(
        trx,
        workspaceId,
        namingUnknown.map((x) => x.v.item.id),
      );
      const naming = namingUnknown.filter((x) => !stored.has(x.v.item.id));
      // Sorted, so concurrent batches claim new emails in the same order and cannot deadlock.
      const missing = [...new Set(naming.map((x) => x.v.email!))].sort();
      if (missing.length) {
        // The first new item naming an email describes the new lead (source, campaign) and
        // whose request created it.
        const firstItem = new Map<string, EventItem>();
        for (const x of naming) {
          const e = x.v.email!;
          if (!firstItem.has(e)) {
            firstItem.set(e, x.v.item);
            creatorOf.set(e, x.job.actor);
          }
        }
        // Sorted, like the emails: concurrent writers claim new domains in the same order.
        const domains = [
          ...new Set(missing.map(companyDomain).filter((d): d is string => d !== null)),
        ].sort();
        const accounts = await deps.events.ensureAccounts(
          trx,
          workspaceId,
          domains.map((domain) => ({ id: deps.newId(), domain })),
          now,
        );
        const accountByDomain = new Map(accounts.map((a) => [a.domain, a]));
        const rows: NewLeadRow[] = missing.map((email) => {
          const item = firstItem.get(email);
          const source = truncateText(leadSourceOfEvent(item?.properties), 64);
          const domain = companyDomain(email);
          const account = domain ? accountByDomain.get(domain) : undefined;
          const fit = scoreFit(
            fitProfileOf(
              { email, title: null, seniority: null, department: null, country: null },
              account,
            ),
            model,
          );
          return {
            id: deps.newId(),
            email,
            source,
            campaign: item?.campaign ?? null,
            sourcedBy: doc.sourcing.marketingSources.includes(source) ? "marketing" : "sales",
            accountId: account?.id ?? null,
            fitScore: fit.score,
            fitGrade: fit.grade,
            fitBreakdown: fit.contributions,
            attributes: utmAttributes(item?.properties),
          };
        });
        if (writeNewLeadsScored) {
          // Written once scored, below: until then they are what a fresh insert would read back.
          for (const row of rows) {
            const lead: LeadForIngest = {
              id: row.id,
              email: row.email,
              stage: "lead",
              firstName: null,
              lastName: null,
              company: null,
              title: null,
              country: null,
              phone: null,
              consent: false,
              fitScore: row.fitScore,
              fitGrade: row.fitGrade,
              engagementState: {},
              scoreHistoryAt: null,
              stageEnteredAt: now,
            };
            byEmail.set(normalizeEmail(row.email), lead);
            byId.set(row.id, lead);
            created.add(row.id);
            unwritten.set(row.id, row);
          }
        } else {
          const inserted = await deps.events.insertLeads(trx, workspaceId, rows, now);
          added.leads += inserted.length;
          for (const l of inserted) {
            byEmail.set(normalizeEmail(l.email), l);
            byId.set(l.id, l);
            created.add(l.id);
          }
          // A person created some of them meanwhile through the API: read those.
          const raced = missing.filter((e) => !byEmail.has(e));
          if (raced.length) {
            for (const l of await deps.events.findLeads(trx, workspaceId, raced, [])) {
              byEmail.set(normalizeEmail(l.email), l);
              byId.set(l.id, l);
            }
          }
        }
      }

      // Resolve each item's lead and store the events; the primary key drops resends.
      const rows: NewEventRow[] = [];
      const batchIds = new Set<string>();
      const repeats: typeof items = [];
      // The copy of each id that is stored (or found stored already): earlier copies may have
      // been rejected (an unknown leadId), and repeats are answered like this one.
      const storedCopy = new Map<string, (typeof items)[number]>();
      const leadOf = new Map<Valid, LeadForIngest | null>();
      for (const { job, v } of items) {
        const visitorLead = v.item.visitorId ? knownVisitors.get(v.item.visitorId) : undefined;
        const lead = v.item.leadId
          ? byId.get(v.item.leadId)
          : v.email !== null
            ? byEmail.get(v.email)
            : visitorLead
              ? byId.get(visitorLead)
              : undefined;
        if (v.item.leadId && !lead) {
          job.outcomes[v.index] = {
            status: "rejected",
            code: "LEAD_NOT_FOUND",
            message: `No lead ${v.item.leadId} in this workspace.`,
            fields: [{ path: "leadId", message: "no such lead in this workspace" }],
          };
          continue;
        }
        // Requests merged into one batch may carry the same id: only its first copy is a
        // candidate; the others are duplicates, like a resend after the commit would be, and
        // are answered with the first copy's lead below.
        if (batchIds.has(v.item.id)) {
          repeats.push({ job, v });
          continue;
        }
        batchIds.add(v.item.id);
        storedCopy.set(v.item.id, { job, v });
        leadOf.set(v, lead ?? null);
        const url = typeof v.item.properties?.url === "string" ? v.item.properties.url : null;
        rows.push({
          eventId: v.item.id,
          leadId: lead?.id ?? null,
          visitorId: v.item.visitorId ?? null,
          type: v.type,
          occurredAt: v.occurredAt,
          campaign: v.item.campaign ?? null,
          url,
          properties: v.item.properties ?? {},
          signalId: signalFor({ type: v.type, url }, model)?.id ?? null,
        });
      }
      rows.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
      const { fresh, storedLeads } = await deps.events.insertEvents(trx, workspaceId, rows, now);
      added.events += fresh.size;

      const newEvents = new Map<string, { events: ScoringEvent[]; types: Set<string> }>();
      const addFor = (leadId: string, e: ScoringEvent) => {
        const entry = newEvents.get(leadId) ?? { events: [], types: new Set<string>() };
        entry.events.push(e);
        entry.types.add(e.type);
        newEvents.set(leadId, entry);
      };
      const stitch: { visitorId: string; leadId: string }[] = [];
      for (const { job, v } of items) {
        if (job.outcomes[v.index]) continue;
        const lead = leadOf.get(v) ?? null;
        const isNew = fresh.has(v.item.id);
        // A duplicate is answered with the lead its event was counted for, which may not be
        // the lead this copy names (a resend after the person's email changed).
        job.outcomes[v.index] = {
          status: isNew ? "accepted" : "duplicate",
          leadId: isNew ? (lead?.id ?? null) : (storedLeads.get(v.item.id) ?? null),
        };
        if (!isNew || !lead) continue;
        const url = typeof v.item.properties?.url === "string" ? v.item.properties.url : null;
        addFor(lead.id, { id: v.item.id, type: v.type, occurredAt: v.occurredAt, url });
        if (v.item.visitorId && v.item.email)
          stitch.push({ visitorId: v.item.visitorId, leadId: lead.id });
      }
      // A lead made for an email whose events all turned out to be stored already (another
      // writer stored the same ids after our check) would hold nothing: it is removed again.
      const empty = [...created].filter((leadId) => !newEvents.has(leadId));
      if (empty.length) {
        const written = empty.filter((leadId) => !unwritten.has(leadId));
        await deps.events.deleteNewLeads(trx, workspaceId, written);
        added.leads -= written.length;
        for (const leadId of empty) {
          created.delete(leadId);
          byId.delete(leadId);
          unwritten.delete(leadId);
        }
      }
      await deps.events.identifyVisitors(trx, workspaceId, stitch, now);
      const stitched = new Map<string, string>();
      for (const e of await deps.events.stitchVisitors(trx, workspaceId, stitch)) {
        addFor(e.lead_id, { id: e.event_id, type: e.type, occurredAt: e.occurred_at, url: e.url });
        stitched.set(e.event_id, e.lead_id);
      }
      // Anonymous items of this batch that a form in it identified are answered with their lead.
      if (stitched.size) {
        for (const { job, v } of items) {
          const outcome = job.outcomes[v.index];
          const leadId = v.item.visitorId ? stitched.get(v.item.id) : undefined;
          if (leadId && outcome && outcome.status !== "rejected" && outcome.leadId === null)
            job.outcomes[v.index] = { status: outcome.status, leadId };
        }
      }

      // A repeated id is answered as a duplicate of the lead its stored copy was counted for.
      for (const { job, v } of repeats) {
        const copy = storedCopy.get(v.item.id);
        const outcome = copy ? copy.job.outcomes[copy.v.index] : undefined;
        job.outcomes[v.index] = {
          status: "duplicate",
          leadId: outcome && outcome.status !== "rejected" ? outcome.leadId : null,
        };
      }
      // Rescore every touched lead and apply the agreement's automatic moves.
      type Written = Parameters<EventsRepository["writeScores"]>[2];
      const updates: Written["leads"] = [];
      // New leads' arrivals, then the rules' moves (recorded for the leads whose move applied).
      const transitions: Written["transitions"] = [];
      const history: Written["history"] = [];
      const actor = jobs[0]!.actor;
      for (const leadId of created) {
        // Credited to the request that named the email first, not to the batch's first request.
        const creator = creatorOf.get(normalizeEmail(byId.get(leadId)!.email)) ?? actor;
        transitions.push({
          id: deps.newId(),
          leadId,
          fromStage: null,
          toStage: "lead",
          occurredAt: now,
          actorType: creator.type,
          actorId: creator.id,
          rule: "event:new_lead",
          agreementVersion: agreement.version,
        });
      }
      for (const [leadId, { events, types }] of newEvents) {
        const lead = byId.get(leadId)!;
        const result = applyEvents(
          {
            stage: lead.stage as Stage,
            state: lead.engagementState,
            fit: lead.fitScore,
            fitGrade: lead.fitGrade as FitGrade,
            fields: {
              email: lead.email,
              firstName: lead.firstName,
              lastName: lead.lastName,
              company: lead.company,
              title: lead.title,
              country: lead.country,
              phone: lead.phone,
            },
            consent: lead.consent,
            competitor: emailDomainTypeOf(lead.email, model) === "competitor",
            // A lead these events created has no earlier round they could belong to.
            stageEnteredAt: created.has(leadId) ? null : lead.stageEnteredAt,
          },
          events,
          doc,
          now,
        );
        const record =
          created.has(leadId) ||
          result.stage !== lead.stage ||
          !lead.scoreHistoryAt ||
          now.getTime() - lead.scoreHistoryAt.getTime() >= SCORE_HISTORY_INTERVAL_MS;
        const unwrittenRow = unwritten.get(leadId);
        if (unwrittenRow) {
          unwrittenRow.scored = {
            stage: result.stage,
            engagementState: result.state,
            recorded: record,
          };
        } else {
          updates.push({
            id: leadId,
            // Only the signals these events changed: merged into the stored state (the row is locked).
            state: changedSignals(lead.engagementState, result.state),
            engagement: result.engagement,
            fromStage: lead.stage,
            stage: result.stage,
            recorded: record,
          });
        }
        for (const record of ruleMoveRecords(result.moves, agreement.version))
          transitions.push({
            ...record,
            id: deps.newId(),
            leadId,
            // A new lead is written in the stage its moves reached.
            ...(unwrittenRow ? { applied: true } : {}),
          });
        if (!record) continue;
        history.push({
          leadId,
          fit: lead.fitScore,
          fitGrade: lead.fitGrade,
          engagement: result.engagement,
          cause: [...types].sort().join(","),
        });
      }
      if (unwritten.size > 0) {
        const rows = [...unwritten.values()];
        const inserted = await deps.events.insertScoredLeads(trx, workspaceId, rows, now);
        if (inserted.length < rows.length) throw new NewLeadTaken();
        added.leads += inserted.length;
      }
      await deps.events.writeScores(
        trx,
        workspaceId,
        { leads: updates, transitions, history },
        now,
      );
      return added;
    });
  }

  // Fresh planner statistics whenever a table has doubled since they were taken. A first import
  // grows leads and events fast, and with statistics from when they were small the planner
  // scans a whole workspace for each lookup (20x slower per batch on PGlite, which has no
  // autovacuum; PostgreSQL's autovacuum looks only once a minute). Doubling keeps the estimates
  // within 2x at the cost of a logarithmic number of ANALYZE runs.
  // The counters start from the sizes the database last measured, so a restart on a large
  // database does not replace its statistics after a few thousand rows.
  const growth = {
    leads: { added: 0, atAnalyze: 0 },
    events: { added: 0, atAnalyze: 0 },
  };
  let sized = false;
  let analyzing = false;
  async function analyzeIfGrown(added: { leads: number; events: number }): Promise<void> {
    if (!sized) {
      sized = true;
      try {
        const sizes = await deps.events.measuredSizes();
        growth.leads.atAnalyze = sizes.leads;
        growth.events.atAnalyze = sizes.events;
      } catch {
        // Unknown sizes: count from zero.
      }
    }
    const due: ("leads" | "events")[] = [];
    for (const table of ["leads", "events"] as const) {
      const g = growth[table];
      g.added += added[table];
      if (g.added >= Math.max(ANALYZE_MIN_ROWS, g.atAnalyze)) due.push(table);
    }
    if (analyzing || due.length === 0) return;
    analyzing = true;
    try {
      for (const table of due) {
        growth[table].atAnalyze += growth[table].added;
        growth[table].added = 0;
      }
      await deps.events.analyze(due);
    } catch {
      // Only statistics: the next growth tries again.
    } finally {
      analyzing = false;
    }
  }

  /** Answers a job with an error; none of its outcomes stand (nothing of it was stored). */
  function fail(job: Job, error: unknown): void {
    for (const v of job.items) delete job.outcomes[v.index];
    job.reject(error);
  }

  /**
   * Stores `items` of a job in one transaction; if they fail on their data, halves them and
   * stores each half the same way, so an event that no transaction can hold is rejected on its
   * own (`NOT_STORED`) and every other one is stored. A failure that is not the data's (the
   * database down) is thrown: the request gets an error, and its halves stored so far count as
   * duplicates when it is sent again.
   */
  async function storeIsolating(
    workspaceId: string,
    job: Job,
    items: Valid[],
    added: { leads: number; events: number },
  ): Promise<void> {
    try {
      const r = await withRetry((attempt) =>
        processWorkspace(workspaceId, [{ ...job, items }], attempt),
      );
      added.leads += r.leads;
      added.events += r.events;
    } catch (error) {
      if (!mightBeOneRequestsFault(error)) throw error;
      for (const v of items) delete job.outcomes[v.index];
      if (items.length === 1) {
        // Only the database's refusal of the data (SQLSTATE classes 22 and 23) is the event's
        // fault; anything else (a lost connection has no SQLSTATE) fails the request, which
        // is sent again.
        if (!isDataRefusal(error) || job.notStoredBudget.left === 0) throw error;
        job.notStoredBudget.left -= 1;
        const v = items[0]!;
        logError(`event "${v.item.id}" could not be stored`, error);
        job.outcomes[v.index] = {
          status: "rejected",
          code: "NOT_STORED",
          message:
            "Accord could not store this event (the error has been logged); the other events of the request were stored.",
        };
        return;
      }
      const half = Math.ceil(items.length / 2);
      await storeIsolating(workspaceId, job, items.slice(0, half), added);
      await storeIsolating(workspaceId, job, items.slice(half), added);
    }
  }

  /** Takes queued requests up to `maxBatch` events and writes them in one transaction each workspace. */
  async function flushOnce(queue: Job[]): Promise<void> {
    const batch: Job[] = [];
    let size = 0;
    while (queue.length && (batch.length === 0 || size + queue[0]!.items.length <= maxBatch)) {
      const job = queue.shift()!;
      batch.push(job);
      size += job.items.length;
    }
    const byWorkspace = new Map<string, Job[]>();
    for (const job of batch)
      byWorkspace.set(job.workspaceId, [...(byWorkspace.get(job.workspaceId) ?? []), job]);
    for (const [workspaceId, jobs] of byWorkspace) {
      let added: { leads: number; events: number } | null = null;
      try {
        added = await withRetry((attempt) => processWorkspace(workspaceId, jobs, attempt));
        for (const job of jobs) job.resolve();
      } catch (error) {
        if (!mightBeOneRequestsFault(error)) {
          // Nothing of it was acknowledged; every sender gets an error and may resend.
          for (const job of jobs) fail(job, error);
        } else {
          // One event's data must not fail the events stored with it: each request is tried
          // alone, and one that fails alone is split until the events at fault are found.
          added = { leads: 0, events: 0 };
          for (const job of jobs) {
            try {
              await storeIsolating(workspaceId, job, job.items, added);
              job.resolve();
            } catch (jobError) {
              fail(job, jobError);
            }
          }
        }
      }
      // After the answers, outside their error handling: statistics never touch a reply.
      if (added) await analyzeIfGrown(added);
    }
  }

  // One queue and one writer per partition. Events are partitioned by who they are about (the
  // company domain of the email, the visitor, the lead id), so the transactions in flight at
  // once touch different leads and accounts and never wait for each other's row locks, while
  // the database works on one batch as this process prepares the next. The locks stay: they
  // keep other processes and people's moves correct, and an odd crossing (one lead reached by
  // email in one partition and by id in another) only waits.
  const queues: Job[][] = Array.from({ length: concurrency }, () => []);
  const busy: boolean[] = Array.from({ length: concurrency }, () => false);
  const drained: (() => void)[] = [];
  function schedule(p: number): void {
    if (busy[p] || queues[p]!.length === 0) return;
    busy[p] = true;
    void (async () => {
      try {
        while (queues[p]!.length) {
          // Let the requests whose bytes already arrived join this batch: one event-loop turn
          // costs microseconds and turns a burst of single events into one transaction.
          await new Promise((resolve) => setImmediate(resolve));
          await flushOnce(queues[p]!);
        }
      } finally {
        busy[p] = false;
        if (!busy.includes(true)) for (const resolve of drained.splice(0)) resolve();
      }
    })();
  }

  function partitionOf(item: EventItem): number {
    if (concurrency === 1) return 0;
    const key = item.visitorId
      ? `v:${item.visitorId}`
      : item.email
        ? `d:${companyDomain(normalizeEmail(item.email)) ?? normalizeEmail(item.email)}`
        : `l:${item.leadId ?? item.id}`;
    // FNV-1a: cheap and spreads similar keys well.
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return (h >>> 0) % concurrency;
  }

  return {
    /** Validates, queues and durably stores a request's events; resolves after the commit. */
    async ingest(
      workspaceId: string,
      actor: Actor,
      raw: unknown[],
      /** The only event types the sender may send (its API key's limit); null: any. */
      allowedTypes: readonly string[] | null = null,
    ): Promise<ItemOutcome[]> {
      const agreement = await activeAgreement(workspaceId);
      const { valid, outcomes, copies } = validate(raw, agreement, deps.clock(), allowedTypes);
      // A repeated id is answered like its first copy: a duplicate of the same lead, or
      // rejected for the same reason (it was not stored either).
      const answerCopies = () => {
        for (const [index, first] of copies) {
          const o = outcomes[first];
          outcomes[index] =
            o?.status === "rejected" ? o : { status: "duplicate", leadId: o ? o.leadId : null };
        }
        return outcomes;
      };
      if (valid.length === 0) return answerCopies();
      // Bounded memory and waiting: past the limit a sender is told to come back (503 with
      // Retry-After) rather than queued behind minutes of work. A first request always fits.
      if (queued > 0 && queued + valid.length > maxQueued) {
        throw new AppError(
          "OVERLOADED",
          `Accord has ${queued.toLocaleString("en")} events waiting to be stored; send these again in a second.`,
        );
      }
      queued += valid.length;
      const parts = new Map<number, Valid[]>();
      for (const v of valid) {
        const p = partitionOf(v.item);
        const list = parts.get(p);
        if (list) list.push(v);
        else parts.set(p, [v]);
      }
      // The request is answered once every part of it is committed. A part leaves the count
      // of waiting events when it is stored or has failed.
      const notStoredBudget = { left: MAX_NOT_STORED };
      await Promise.all(
        [...parts].map(
          ([p, items]) =>
            new Promise<void>((resolve, reject) => {
              queues[p]!.push({
                workspaceId,
                actor,
                items,
                outcomes,
                notStoredBudget,
                resolve: () => {
                  queued -= items.length;
                  resolve();
                },
                reject: (error) => {
                  queued -= items.length;
                  reject(error);
                },
              });
              schedule(p);
            }),
        ),
      );
      return answerCopies();
    },
    /** Waits for everything queued so far to be written (for shutdown). */
    drain(): Promise<void> {
      return busy.includes(true)
        ? new Promise((resolve) => drained.push(resolve))
        : Promise.resolve();
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
