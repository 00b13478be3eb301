import type { Finding } from "../../core/plan/plan.ts";

/**
 * The EMF count metrics an estate run emits with its evidence (dimension service: estate-reconcile);
 * infra/alarms.ts alarms on them. The same names as a user run's (run-signals.ts): a mass fallback is
 * one fact whichever run wrote it.
 */
export const ESTATE_RUN_SIGNAL_METRICS = {
  /** The run wrote the mass fallback: everyone's older Identity Center sessions are denied. */
  massFallback: "MassFallbacks",
  /** Denies in force found no room (inline 10,240 characters, or SCPs with massFallback: ask). */
  dropped: "DeniesDropped",
  /** A Deny placement left out by design (SCPs disabled, no management component). */
  skipped: "DenyPlacementsSkipped",
} as const;

export type EstateRunSignal = (typeof ESTATE_RUN_SIGNAL_METRICS)[keyof typeof ESTATE_RUN_SIGNAL_METRICS];

/** The signals of an estate run's findings, each at most once. */
export function estateRunSignals(findings: readonly Pick<Finding, "kind">[]): EstateRunSignal[] {
  const kinds = new Set<string>(findings.map((f) => f.kind));
  const signals: EstateRunSignal[] = [];
  if (kinds.has("mass-fallback")) signals.push(ESTATE_RUN_SIGNAL_METRICS.massFallback);
  if (kinds.has("deny-dropped") || kinds.has("scp-overflow")) signals.push(ESTATE_RUN_SIGNAL_METRICS.dropped);
  if (kinds.has("deny-placement-skipped") || kinds.has("management-account-skipped"))
    signals.push(ESTATE_RUN_SIGNAL_METRICS.skipped);
  return signals;
}
