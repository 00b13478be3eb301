import type { DeletionBatchSummary } from "./run-scratch.ts";
import type { OperationOutcome, UserRunState } from "./run-state.ts";
import { settledOutcomes } from "./settled-outcome.ts";

/** The EMF count metrics a user run emits with its evidence; infra/alarms.ts alarms on them. */
export const USER_RUN_SIGNAL_METRICS = {
  /** Runs that could tie no Identity Center user to the event's Okta user id (unknown or forged ids). */
  unverifiable: "UnverifiableUserRuns",
  /** Leaver runs: a burst far above the usual rate is a layoff or an attack, and someone should know. */
  revocations: "Revocations",
  /** Runs in which some Deny, removal or the Okta session clear failed while the rest went on. */
  partial: "PartialRevocations",
  /** Runs that found Denies in force with no room where they belong (each is a finding in evidence). */
  dropped: "DeniesDropped",
  /**
   * Runs that left a Deny placement out by design: SCPs disabled on the root, or the management
   * component not installed in a delegated-admin deployment (each is a finding in evidence); also the
   * management-account assignment deletions left out for the latter (`management-account-skipped`).
   */
  skipped: "DenyPlacementsSkipped",
  /** Runs that wrote the mass fallback: everyone's older Identity Center sessions are denied (a finding). */
  massFallback: "MassFallbacks",
} as const;

export type UserRunSignal = (typeof USER_RUN_SIGNAL_METRICS)[keyof typeof USER_RUN_SIGNAL_METRICS];

const failed = (outcomes: readonly OperationOutcome[] | undefined) =>
  settledOutcomes(outcomes).some((o) => o.status !== "SUCCEEDED");

const isBatchSummary = (d: unknown): d is DeletionBatchSummary =>
  typeof d === "object" && d !== null && "scratchKey" in d;

/**
 * The assignment deletions as the evidence task's input carries them: outcomes, or (offloaded to the
 * run's scratch, run-scratch.ts) batch summaries that count the failed ones and point to the skipped ones.
 */
function deletionSignals(state: UserRunState): { failed: boolean; skipped: boolean } {
  const deletions: unknown[] = state.deletions ?? [];
  const summaries = deletions.filter(isBatchSummary);
  const outcomes = deletions.filter((d) => !isBatchSummary(d)) as OperationOutcome[];
  return {
    failed: failed(outcomes) || summaries.some((s) => s.failed > 0),
    skipped:
      (state.skippedDeletions ?? []).length > 0 || summaries.some((s) => s.skippedScratchKey !== undefined),
  };
}

/** What a run's evidence task reports as metrics (not its later lift record). */
export function userRunSignals(state: UserRunState): UserRunSignal[] {
  if (state.lift !== undefined || state.credentialLift !== undefined || state.plan === undefined) return [];
  const signals: UserRunSignal[] = [];
  if (state.plan.decision === "unverifiable") signals.push(USER_RUN_SIGNAL_METRICS.unverifiable);
  if (state.plan.decision === "revoke") signals.push(USER_RUN_SIGNAL_METRICS.revocations);
  const overflowed =
    (state.deny?.scpCapacity?.uncovered ?? []).length > 0 || state.credentials?.uncovered === true;
  if ((state.deny?.dropped ?? []).length > 0 || overflowed) signals.push(USER_RUN_SIGNAL_METRICS.dropped);
  const capacity = state.deny?.scpCapacity;
  if (
    capacity?.massFallback ||
    capacity?.federatedFallback ||
    state.credentials?.fallback === true ||
    (capacity?.inlineFallbacks ?? []).length > 0
  )
    signals.push(USER_RUN_SIGNAL_METRICS.massFallback);
  const deletions = deletionSignals(state);
  if ((state.deny?.skipped ?? []).length > 0 || deletions.skipped)
    signals.push(USER_RUN_SIGNAL_METRICS.skipped);
  const partial =
    state.denyError !== undefined ||
    (state.deny?.failures ?? []).length > 0 ||
    state.oktaSessions?.failed !== undefined ||
    // A clear that failed even after the workflow's waits and retries (its Catch), as a refused one.
    state.oktaSessionsError !== undefined ||
    deletions.failed ||
    // A leaver's credential outside Identity Center not ended (issue 16), or the whole step failed.
    state.credentialsError !== undefined ||
    (state.credentials?.failed ?? 0) > 0 ||
    [state.deny?.managementProvisioning, state.denyProvisioning, state.removals, state.additions].some(
      failed,
    );
  if (partial) signals.push(USER_RUN_SIGNAL_METRICS.partial);
  return signals;
}
