import { describe, expect, it } from "vitest";
import type { AbacCanaryProver, CanaryOutcome } from "../../../core/plan/abac-canary.ts";
import { judgeAbacCanary } from "../../../core/plan/abac-canary.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { proveAbacCanary } from "../../../usecases/reconcile-estate/prove-abac-canary.ts";
import { estate } from "../../support/estate-builder.ts";

/*
 * A canary case the simulator cannot evaluate, or a simulator that fails, makes the set unproven
 * (a finding), never "denied" and never a failed run; verdicts already proven still block.
 */

const policy = PolicyDocument.parse({
  version: 1,
  abac: { attributes: [{ key: "team", oktaAttribute: "team" }] },
  permissionSets: {
    DataEngineer: {
      abac: { attributes: ["team"], canaryActions: ["athena:GetWorkGroup"] },
      inlinePolicy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "athena:*", Resource: "*" }],
      },
    },
  },
  rules: [
    {
      name: "data",
      group: "aws-data",
      permissionSet: "DataEngineer",
      targets: { accounts: ["111111111111"] },
    },
  ],
});
const okta = {
  users: ["payments", "search"].map((team, i) => ({
    id: `00u${i}`,
    login: `u${i}@example.com`,
    status: "ACTIVE" as const,
    profile: { team },
  })),
  groups: [],
};
const input = { ...estate(), policy, okta };

/** A prover answering from a script, one answer per call, counting its calls. */
function scripted(answers: (CanaryOutcome | Error)[]): AbacCanaryProver & { calls: number } {
  const prover = {
    calls: 0,
    async evaluate() {
      const answer = answers[prover.calls++] ?? "denied";
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return prover;
}

describe("proveAbacCanary when the simulator cannot answer", () => {
  it("reports a case the simulator could not evaluate once, keeps the other verdicts, and never reads it as denied", async () => {
    // Prepare: case 2 (payments on search's resource) unprovable, case 5 (search on payments') an over-grant
    const prover = scripted(["allowed", { unproven: "needs aws:SourceIp" }, "denied", "allowed", "allowed"]);

    // Act
    const result = await proveAbacCanary(prover, input);

    // Assess
    expect(prover.calls).toBe(6);
    expect(result.unproven).toEqual([
      { permissionSet: "DataEngineer", why: "team=payments on team=search's resource: needs aws:SourceIp" },
    ]);
    expect(result.evaluated.map((e) => e.case.why)).not.toContain("team=payments on team=search's resource");
    expect(result.evaluated).toHaveLength(5);
    const judged = judgeAbacCanary(policy, result);
    expect(judged.violations.map((v) => v.guard)).toEqual(["abac-canary"]);
    expect(judged.findings.map((f) => f.kind)).toEqual(["abac-canary-unproven"]);
  });

  it("turns a failing simulator into an unproven set, without asking its other cases", async () => {
    // Prepare: IAM refuses the call
    const denied = Object.assign(new Error("not authorized to perform: iam:SimulateCustomPolicy"), {
      name: "AccessDenied",
    });
    const prover = scripted(["allowed", denied]);

    // Act
    const result = await proveAbacCanary(prover, input);

    // Assess
    expect(prover.calls).toBe(2);
    expect(result.unproven).toEqual([
      {
        permissionSet: "DataEngineer",
        why: "team=payments on team=search's resource: the policy simulator failed: AccessDenied: not authorized to perform: iam:SimulateCustomPolicy",
      },
    ]);
    expect(judgeAbacCanary(policy, result).violations).toEqual([]);
  });
});
