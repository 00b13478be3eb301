import fc from "fast-check";
import { historyArbitrary } from "./history-arbitrary.ts";
import { type RunOptions, runScenario, type ScenarioResult } from "./run-scenario.ts";
import type { FaultKind, Scenario } from "./scenario.ts";

/** What a campaign of generated histories did and found. */
export interface CampaignSummary {
  seed: number;
  histories: number;
  steps: number;
  events: number;
  acceptedEvents: number;
  faults: Partial<Record<FaultKind, number>>;
  divergences: number;
  slowestTimeToRevokeMs: number | null;
  /** The same over histories without Okta faults: a 429 makes the run wait for Okta's rate-limit reset. */
  slowestTimeToRevokeWithoutOktaFaultsMs: number | null;
  failedExecutions: number;
  seconds: number;
  /** The shrunk failing scenario, when one diverged. */
  counterexample: Scenario | null;
}

export interface CampaignOptions extends RunOptions {
  seed: number;
  /** Most histories to generate. */
  runs: number;
  /** Stop generating (and shrinking) after this long (ms). */
  timeBudgetMs: number;
  maxSteps?: number;
  /** Called after each history (progress). */
  onHistory?: (result: ScenarioResult, summary: CampaignSummary, scenario: Scenario) => void;
}

/** A summary before any history ran. */
export function emptySummary(seed: number): CampaignSummary {
  return {
    seed,
    histories: 0,
    steps: 0,
    events: 0,
    acceptedEvents: 0,
    faults: {},
    divergences: 0,
    slowestTimeToRevokeMs: null,
    slowestTimeToRevokeWithoutOktaFaultsMs: null,
    failedExecutions: 0,
    seconds: 0,
    counterexample: null,
  };
}

/** Adds one history's result to the campaign's summary. */
export function addToSummary(summary: CampaignSummary, result: ScenarioResult): void {
  summary.histories += 1;
  summary.steps += result.steps;
  summary.events += result.events;
  summary.acceptedEvents += result.acceptedEvents;
  summary.failedExecutions += result.failedExecutions;
  for (const [kind, n] of Object.entries(result.faults)) {
    summary.faults[kind as FaultKind] = (summary.faults[kind as FaultKind] ?? 0) + (n ?? 0);
  }
  const revoke = result.slowestTimeToRevokeMs;
  if (revoke !== null) {
    summary.slowestTimeToRevokeMs = Math.max(summary.slowestTimeToRevokeMs ?? 0, revoke);
    if (!result.faults["okta-429"] && !result.faults["okta-5xx"]) {
      summary.slowestTimeToRevokeWithoutOktaFaultsMs = Math.max(
        summary.slowestTimeToRevokeWithoutOktaFaultsMs ?? 0,
        revoke,
      );
    }
  }
  summary.divergences += result.divergences.length;
}

/**
 * Runs generated histories against fresh local stacks until `runs` or the time budget is used; a
 * history that diverges is shrunk by fast-check to a minimal one, returned as a scenario.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const started = Date.now();
  const summary = emptySummary(options.seed);
  const found = new Map<string, string[]>();
  const property = fc.asyncProperty(historyArbitrary(options.maxSteps), async (steps) => {
    const scenario: Scenario = { version: 1, seed: options.seed, steps };
    const result = await runScenario(scenario, options);
    addToSummary(summary, result);
    summary.seconds = (Date.now() - started) / 1000;
    options.onHistory?.(result, summary, scenario);
    if (result.divergences.length > 0) found.set(JSON.stringify(steps), result.divergences);
    return result.divergences.length === 0;
  });
  const outcome = await fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    interruptAfterTimeLimit: options.timeBudgetMs,
    markInterruptAsFailure: false,
  });
  if (outcome.counterexample) {
    const [steps] = outcome.counterexample;
    summary.counterexample = {
      version: 1,
      seed: options.seed,
      found: found.get(JSON.stringify(steps)) ?? [],
      steps,
    };
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

const seconds = (ms: number | null) => (ms === null ? "n/a" : `${(ms / 1000).toFixed(2)} s`);

/** The summary as the lines `npm run chaos` and CI print. */
export function formatSummary(s: CampaignSummary): string {
  const faults = Object.entries(s.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `seed ${s.seed}: ${s.histories} histories, ${s.steps} steps, ${s.events} Okta events (${s.acceptedEvents} accepted) in ${s.seconds.toFixed(0)} s`,
    `faults injected: ${faults || "none"}`,
    `divergences: ${s.divergences}`,
    `slowest time to revoke: ${seconds(s.slowestTimeToRevokeMs)} (${seconds(s.slowestTimeToRevokeWithoutOktaFaultsMs)} in histories without Okta 429/5xx)`,
    `failed workflow executions (retried work or a divergence): ${s.failedExecutions}`,
  ].join("\n");
}
