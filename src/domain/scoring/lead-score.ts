import { compiled, type ModelInput } from "./compile-model.ts";
import { type EngagementResult, type ScoringEvent, scoreEngagement } from "./engagement.ts";
import { type FitProfile, type FitResult, scoreFit } from "./fit.ts";

export type LeadScore = {
  fit: FitResult;
  engagement: EngagementResult;
  /** The lead's email is on a competitor's domain: its events score nothing. */
  competitor: boolean;
};

/** Fit and engagement for one lead from its full history. */
export function scoreLead(input: {
  profile: FitProfile;
  events: readonly ScoringEvent[];
  model: ModelInput;
  now: Date;
}): LeadScore {
  const model = compiled(input.model);
  const fit = scoreFit(input.profile, model);
  const competitor = fit.emailDomainType === "competitor";
  const engagement = competitor
    ? { score: 0, contributions: [], events: [] }
    : scoreEngagement(input.events, model, input.now);
  return { fit, engagement, competitor };
}
