import type { FitRule, ScoringModel, Signal } from "../agreement.ts";
import { type CompiledPageGroups, compilePageGroups } from "./page-groups.ts";

export type CompiledFitRule = {
  readonly rule: FitRule;
  /** The rule's `in` / `contains` values, normalised with `normalizeText`. */
  readonly values: readonly string[];
};

export type SignalsForType = {
  /** Signals restricted to a page group, by group id. */
  readonly byPageGroup: ReadonlyMap<string, Signal>;
  /** The signal for this event type without a page group, if any. */
  readonly plain: Signal | null;
};

/** A scoring model with everything the hot path needs precomputed. Build with `compileModel`. */
export type CompiledModel = {
  readonly model: ScoringModel;
  readonly pageGroups: CompiledPageGroups;
  /** Lower-cased alias → event type. */
  readonly aliases: ReadonlyMap<string, string>;
  readonly signalsByType: ReadonlyMap<string, SignalsForType>;
  /** In the model's order; the first signal wins when ids repeat. */
  readonly signalsById: ReadonlyMap<string, Signal>;
  readonly fitRules: readonly CompiledFitRule[];
  readonly competitorDomains: ReadonlySet<string>;
};

/** Every scoring function accepts either form; pass the compiled one on hot paths. */
export type ModelInput = ScoringModel | CompiledModel;

/**
 * Case-, spacing- and separator-insensitive form of a label, so that "Revenue Operations",
 * "revenue-operations" and "revenue_operations" compare equal: CRMs and enrichment vendors
 * disagree on all three.
 */
export function normalizeText(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
}

function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, "");
}

// Keyed by identity: agreement documents are treated as immutable once loaded.
const cache = new WeakMap<ScoringModel, CompiledModel>();

export function compileModel(model: ScoringModel): CompiledModel {
  const cached = cache.get(model);
  if (cached) return cached;

  const aliases = new Map<string, string>();
  for (const [alias, type] of Object.entries(model.eventTypeAliases)) {
    aliases.set(alias.trim().toLowerCase(), type);
  }

  const signalsById = new Map<string, Signal>();
  const byType = new Map<string, { byPageGroup: Map<string, Signal>; plain: Signal | null }>();
  for (const signal of model.engagement.signals) {
    if (signalsById.has(signal.id)) continue;
    signalsById.set(signal.id, signal);
    let entry = byType.get(signal.eventType);
    if (!entry) {
      entry = { byPageGroup: new Map(), plain: null };
      byType.set(signal.eventType, entry);
    }
    if (signal.pageGroup) {
      if (!entry.byPageGroup.has(signal.pageGroup)) entry.byPageGroup.set(signal.pageGroup, signal);
    } else {
      entry.plain ??= signal;
    }
  }

  const compiled: CompiledModel = {
    model,
    pageGroups: compilePageGroups(model.engagement.pageGroups),
    aliases,
    signalsByType: byType,
    signalsById,
    fitRules: model.fit.rules.map((rule) => ({
      rule,
      values: rule.match.op === "range" ? [] : rule.match.values.map(normalizeText),
    })),
    competitorDomains: new Set(
      model.engagement.competitorDomains.map(normalizeDomain).filter(Boolean),
    ),
  };
  cache.set(model, compiled);
  return compiled;
}

export function compiled(model: ModelInput): CompiledModel {
  return "signalsById" in model ? model : compileModel(model);
}

/** The event type after alias resolution; unknown names come back lower-cased and trimmed. */
export function resolveEventType(type: string, model: ModelInput): string {
  const key = type.trim().toLowerCase();
  return compiled(model).aliases.get(key) ?? key;
}

/** True when some signal or hand-raiser uses the (alias-resolved) event type. */
export function isKnownEventType(type: string, model: ModelInput): boolean {
  const c = compiled(model);
  const resolved = resolveEventType(type, c);
  return c.signalsByType.has(resolved) || c.model.handRaisers.some((h) => h.eventType === resolved);
}
