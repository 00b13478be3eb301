import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeInput, type ExplainEntry, explainInput } from "../../../core/okta/parse-input.ts";
import { appIdsArb, rawLogEventArb } from "./okta-arbitraries.ts";

const RUNS = { numRuns: 500 };

/** Every entry is either a result or an error with a located, non-empty message. */
function assertWellFormed(entry: ExplainEntry): void {
  if ("result" in entry) {
    expect(typeof entry.index).toBe("number");
    expect(entry.oktaEventId).toBe(entry.result.oktaEventId);
  } else {
    expect(entry.error.path).not.toBe("");
    expect(entry.error.message).not.toBe("");
  }
}

const hookBodyArb = fc.record({
  eventType: fc.constant("com.okta.event_hook"),
  eventId: fc.jsonValue(),
  data: fc.record({ events: fc.array(fc.oneof(rawLogEventArb, fc.jsonValue()), { maxLength: 5 }) }),
});

describe("explainInput properties", () => {
  it("never throws on any JSON value and returns well-formed entries", () => {
    fc.assert(
      fc.property(fc.jsonValue(), appIdsArb, (json, provisioningAppIds) => {
        // Act
        const entries = explainInput(json, { provisioningAppIds });

        // Assess
        for (const entry of entries) assertWellFormed(entry);
      }),
      RUNS,
    );
  });

  it("never throws on hook bodies mixing valid and arbitrary events, and gives one entry per event", () => {
    fc.assert(
      fc.property(hookBodyArb, appIdsArb, (body, provisioningAppIds) => {
        // Act
        const analysis = analyzeInput(body, { provisioningAppIds });

        // Assess
        expect(analysis.parsed).toBe(true);
        expect(analysis.entries.map((entry) => entry.index)).toEqual(
          body.data.events.map((_, index) => index),
        );
        for (const entry of analysis.entries) assertWellFormed(entry);
      }),
      RUNS,
    );
  });

  it("never throws on bare and EventBridge-wrapped events, and is deterministic", () => {
    const inputArb = fc.oneof(
      rawLogEventArb,
      rawLogEventArb.map((detail) => ({
        "detail-type": "SystemLog",
        source: "aws.partner/okta.com/x/y",
        detail,
      })),
    );
    fc.assert(
      fc.property(inputArb, appIdsArb, (json, provisioningAppIds) => {
        // Act
        const first = analyzeInput(json, { provisioningAppIds });
        const second = analyzeInput(structuredClone(json), { provisioningAppIds });

        // Assess
        expect(first.entries).toHaveLength(1);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });
});
