import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { errorsOf, HEADER, ONE_RULE, yaml } from "./policy-test-helpers.ts";

describe("policy compromiseSignals", () => {
  it("turns signals on one by one, the others staying off", () => {
    // Act
    const result = loadPolicy(
      yaml(
        ...HEADER,
        ...ONE_RULE,
        "compromiseSignals:",
        "  universalLogout: endSessions",
        "  adminSessionClear: endSessions",
        '  pipelineActorIds: ["0oa1pipeline0app0id0", "00u1token0creator000"]',
      ),
      "policy.yaml",
    );

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.policy.compromiseSignals).toEqual({
      mfaReset: "ignore",
      universalLogout: "endSessions",
      breachedCredential: "ignore",
      userRisk: "ignore",
      adminSessionClear: "endSessions",
      pipelineActorIds: ["0oa1pipeline0app0id0", "00u1token0creator000"],
    });
  });

  it("names the field and the choices for an unknown action", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "compromiseSignals:", "  userRisk: revoke"));

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe("compromiseSignals.userRisk");
    expect(errors[0]?.message).toBe("expected one of ignore, endSessions, found 'revoke'");
    expect(errors[0]?.line).toBe(12);
  });

  it("rejects a pipeline actor that is no Okta user or app id", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE, "compromiseSignals:", "  pipelineActorIds: [it.admin@example.com]"),
    );

    // Assess
    expect(errors[0]?.path).toBe("compromiseSignals.pipelineActorIds[0]");
    expect(errors[0]?.fix).toContain("an Okta user id (00u...");
  });

  it("rejects an unknown signal, suggesting the known ones", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE, "compromiseSignals:", "  universalLogut: endSessions"),
    );

    // Assess
    expect(errors[0]?.path).toContain("compromiseSignals");
    expect(JSON.stringify(errors[0])).toContain("universalLogout");
  });
});
