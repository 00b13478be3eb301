import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historyArbitrary } from "../../../chaos/history-arbitrary.ts";
import { formatScenario, parseScenario, ScenarioFileError } from "../../../chaos/scenario.ts";

describe("chaos scenario files", () => {
  it("round-trips every generated history through the file format", () => {
    fc.assert(
      fc.property(historyArbitrary(), fc.integer(), (steps, seed) => {
        const scenario = { version: 1 as const, seed, found: ["x"], steps };
        expect(parseScenario(formatScenario(scenario), "s.json")).toEqual(scenario);
      }),
      { numRuns: 200 },
    );
  });

  it("writes one step per line, so a shrunk history reads like a script", () => {
    const text = formatScenario({
      version: 1,
      seed: 7,
      steps: [
        { op: "deactivate", user: "dev1@example.com" },
        { op: "wait", ms: 10 },
      ],
    });
    expect(text.split("\n").filter((l) => l.trimStart().startsWith('{"op"'))).toHaveLength(2);
  });

  it("names the field and what it should be when a file is not a scenario", () => {
    const bad = JSON.stringify({
      version: 1,
      seed: 1,
      steps: [{ op: "fault", fault: { kind: "ic-throttle", rate: 2, forMs: 10 } }],
    });
    expect(() => parseScenario(bad, "bad.json")).toThrow(ScenarioFileError);
    expect(() => parseScenario(bad, "bad.json")).toThrow(/steps\[0\]\.fault\.rate/);
    expect(() => parseScenario("{", "broken.json")).toThrow(/broken.json is not JSON/);
  });
});
