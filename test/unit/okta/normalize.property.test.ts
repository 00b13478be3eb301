import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LogEvent, parseLogEvent } from "../../../core/okta/log-event.ts";
import { normalize } from "../../../core/okta/normalize.ts";
import { appIdsArb, rawLogEventArb } from "./okta-arbitraries.ts";

const RUNS = { numRuns: 500 };

function parsed(raw: unknown): LogEvent {
  const result = parseLogEvent(raw);
  if (!result.success)
    throw new Error(`the arbitrary must produce valid LogEvents: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** A raw event with a permutation of its targets. */
const eventWithShuffledTargets = rawLogEventArb.chain((raw) => {
  const targets = Array.isArray(raw.target) ? raw.target : [];
  return fc
    .shuffledSubarray(targets, { minLength: targets.length, maxLength: targets.length })
    .map((shuffled) => ({
      raw,
      shuffled: { ...raw, target: Array.isArray(raw.target) ? shuffled : raw.target },
    }));
});

describe("normalize properties", () => {
  it("is deterministic: the same event gives deep-equal results", () => {
    fc.assert(
      fc.property(rawLogEventArb, appIdsArb, (raw, provisioningAppIds) => {
        // Act
        const first = normalize(parsed(raw), { provisioningAppIds });
        const second = normalize(parsed(structuredClone(raw)), {
          provisioningAppIds: [...provisioningAppIds],
        });

        // Assess
        expect(second).toEqual(first);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });

  it("never depends on the order of targets or of the configured app ids", () => {
    fc.assert(
      fc.property(eventWithShuffledTargets, appIdsArb, ({ raw, shuffled }, provisioningAppIds) => {
        // Act
        const original = normalize(parsed(raw), { provisioningAppIds });
        const permuted = normalize(parsed(shuffled), {
          provisioningAppIds: [...provisioningAppIds].reverse(),
        });

        // Assess
        expect(JSON.stringify(permuted)).toBe(JSON.stringify(original));
      }),
      RUNS,
    );
  });

  it("only ever yields a lifecycle event for a SUCCESS outcome, with the event's uuid", () => {
    fc.assert(
      fc.property(rawLogEventArb, appIdsArb, (raw, provisioningAppIds) => {
        // Act
        const event = parsed(raw);
        const result = normalize(event, { provisioningAppIds });

        // Assess
        expect(result.oktaEventId).toBe(event.uuid);
        if (result.kind === "joiner" || result.kind === "mover" || result.kind === "leaver") {
          expect(event.outcome?.result).toBe("SUCCESS");
          if (result.subject === "user") expect(result.user.id).not.toBe("");
          if ("app" in result) expect(provisioningAppIds).toContain(result.app?.id);
        }
      }),
      RUNS,
    );
  });
});
