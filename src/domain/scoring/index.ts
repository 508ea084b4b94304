export { type AdvanceInput, type AutomaticMove, nextAutomaticStage } from "./advance.ts";
export {
  type AppliedEvents,
  type AutomaticTransition,
  applyEvents,
  type LeadForScoring,
  ruleMoveRecords,
} from "./apply-events.ts";
export {
  type CompiledModel,
  compileModel,
  isKnownEventType,
  type ModelInput,
  resolveEventType,
} from "./compile-model.ts";
export {
  type ConditionResult,
  type CriteriaResult,
  describeCondition,
  evaluateCriteria,
  type LeadFacts,
  type LeadField,
} from "./criteria.ts";
export {
  addEvent,
  buildEngagementState,
  decayFactor,
  type EngagementResult,
  type EngagementState,
  type EngagementSummary,
  type EventContribution,
  emptyEngagementState,
  engagementFromState,
  engagementRefreshAt,
  engagementScoreFromState,
  engagementTimeline,
  REFRESH_TOLERANCE,
  type ScoringEvent,
  type SignalAccumulator,
  type SignalContribution,
  scoreEngagement,
  signalFor,
  type TimelinePoint,
} from "./engagement.ts";
export {
  deriveSeniority,
  type EmailDomainType,
  emailDomainTypeOf,
  type FitContribution,
  type FitProfile,
  type FitResult,
  gradeFor,
  type Seniority,
  scoreFit,
  seniorityName,
  seniorityOf,
  seniorityRose,
} from "./fit.ts";
export {
  fadingTail,
  type HistoryPoint,
  LATE_MS,
  type RecordedPoint,
  scoreHistory,
} from "./history.ts";
export { type LeadScore, scoreLead } from "./lead-score.ts";
export {
  type CompiledPageGroups,
  compilePageGroups,
  matchPageGroup,
  pageGroupOf,
  urlPath,
} from "./page-groups.ts";
export { fitProfileOf } from "./profile.ts";
export { roundToTenthsKeepingSum } from "./rounding.ts";
