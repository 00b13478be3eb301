import { describe, expect, it } from "vitest";
import { addToSummary, emptySummary, formatSummary } from "../../../chaos/campaign.ts";
import type { ScenarioResult } from "../../../chaos/run-scenario.ts";

const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
  divergences: [],
  steps: 3,
  events: 2,
  acceptedEvents: 1,
  faults: {},
  slowestTimeToRevokeMs: null,
  slowestRevocation: null,
  failedExecutions: 0,
  failures: [],
  seconds: 1,
  ...over,
});

describe("the campaign summary", () => {
  it("adds up histories and faults, and keeps the slowest revocation with and without Okta faults", () => {
    // Prepare
    const summary = emptySummary(7);

    // Act
    addToSummary(summary, result({ faults: { "okta-429": 1, "ic-5xx": 2 }, slowestTimeToRevokeMs: 40_000 }));
    addToSummary(summary, result({ faults: { "ic-5xx": 1 }, slowestTimeToRevokeMs: 1_500 }));
    addToSummary(summary, result({ slowestTimeToRevokeMs: 900, divergences: ["x"] }));

    // Assess
    expect(summary).toMatchObject({
      histories: 3,
      steps: 9,
      events: 6,
      acceptedEvents: 3,
      faults: { "okta-429": 1, "ic-5xx": 3 },
      divergences: 1,
      slowestTimeToRevokeMs: 40_000,
      slowestTimeToRevokeWithoutOktaFaultsMs: 1_500,
    });
    expect(formatSummary(summary)).toContain(
      "slowest time to revoke: 40.00 s (1.50 s in histories without Okta 429/5xx)",
    );
  });
});
