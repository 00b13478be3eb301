import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { observeLogEventNulls } from "../../../cli/probe/okta-log-event-nulls.ts";
import { servedLogEvent } from "../../../local/emulators/okta/answer-switches.ts";

const event = {
  uuid: "1",
  eventType: "user.session.clear",
  actor: { id: "00u1", detailEntry: null },
  outcome: { result: "SUCCESS", reason: null },
  target: [{ id: "00u2", detailEntry: null }],
};

describe("observeLogEventNulls", () => {
  it("nothing to read is unknown, not a verdict", () => {
    expect(observeLogEventNulls([])).toMatchObject({ verdict: "unknown", emulatorDefault: "as-example" });
    expect(observeLogEventNulls([]).observed).toBeUndefined();
  });

  it("nulls where the spec's example has them match the emulator's default", () => {
    const seen = observeLogEventNulls([event]);
    expect(seen).toMatchObject({ observed: "as-example", verdict: "matches" });
    expect(seen.evidence).toBe("1 events, null at actor.detailEntry, outcome.reason, target[].detailEntry");
  });

  it("a null the spec's example does not have is named, for us to model", () => {
    const seen = observeLogEventNulls([{ ...event, debugContext: null }]);
    expect(seen.evidence).toContain("outside the spec's example: debugContext");
  });

  it("reads back whatever the emulator serves under either setting", () => {
    fc.assert(
      fc.property(fc.constantFrom("as-example" as const, "omitted" as const), (setting) => {
        const seen = observeLogEventNulls([servedLogEvent(event, setting)]);
        expect(seen.observed).toBe(setting);
      }),
    );
  });
});
