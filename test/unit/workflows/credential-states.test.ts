import { describe, expect, it } from "vitest";
import {
  LEAVER_RUN_INPUT,
  leaverTaskAnswers,
  userReconcileMachine,
} from "../../support/scripted-user-run.ts";

/*
 * The credential states of user-reconcile (issue 16), run by the local Step Functions runtime with
 * scripted tasks: RevokeCredentials only for a leaver, after the Identity Center Deny and before the
 * deletions; its failure never stops the Identity Center path; its Denies are lifted after the hold,
 * with or without an Identity Center Deny.
 */

const TASK_STATES = [
  "ReadTruth",
  "Plan",
  "ApplyDeny",
  "RevokeCredentials",
  "ClearOktaSessions",
  "Verify",
  "WriteEvidence",
  "LiftCredentialDenies",
  "LiftDeny",
  "WriteLiftEvidence",
];

async function run(options: {
  decision: "revoke" | "adjust";
  denyIds: string[];
  credentials: () => unknown;
}) {
  const machine = userReconcileMachine();
  const calls: string[] = [];
  const answers = leaverTaskAnswers(
    {
      ApplyDeny: () => ({
        ...(options.denyIds.length > 0 ? { denyIds: options.denyIds } : {}),
        reprovisions: [],
      }),
      RevokeCredentials: options.credentials,
    },
    options.decision,
  );
  const handler = (state: string) => async () => {
    calls.push(state);
    return (answers[state] as () => unknown)();
  };
  const execution = machine.run(LEAVER_RUN_INPUT, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(TASK_STATES.map((t) => [t, handler(t)])) as never,
      retryIntervalOverrides: Object.fromEntries(TASK_STATES.map((t) => [t, 0])),
    },
  });
  return { output: (await execution.result) as Record<string, unknown>, calls };
}

describe("user-reconcile's credential states", () => {
  it("a leaver's credentials are revoked after the Deny and before the deletions, and lifted after the hold", async () => {
    const { calls } = await run({
      decision: "revoke",
      denyIds: ["d-1"],
      credentials: () => ({ denyIds: ["f-1"], liftAt: "2026-12-07T00:00:00.000Z" }),
    });
    expect(calls).toEqual([
      "ReadTruth",
      "Plan",
      "ApplyDeny",
      "RevokeCredentials",
      "ClearOktaSessions",
      "Verify",
      "WriteEvidence",
      "LiftCredentialDenies",
      "LiftDeny",
      "WriteLiftEvidence",
    ]);
  });

  it("a credential step that fails is caught: the Identity Center path, verification and evidence go on", async () => {
    const { output, calls } = await run({
      decision: "revoke",
      denyIds: ["d-1"],
      credentials: () => {
        throw new Error("boom");
      },
    });
    expect(calls).toEqual([
      "ReadTruth",
      "Plan",
      "ApplyDeny",
      "RevokeCredentials",
      "ClearOktaSessions",
      "Verify",
      "WriteEvidence",
      "LiftDeny",
      "WriteLiftEvidence",
    ]);
    expect(output.credentialsError).toMatchObject({ Error: "Error" });
  });

  it("only credential Denies (no Identity Center Deny): held until their liftAt, then lifted alone", async () => {
    const { calls } = await run({
      decision: "revoke",
      denyIds: [],
      credentials: () => ({ denyIds: [], liftAt: "2026-12-07T00:00:00.000Z" }),
    });
    expect(calls.slice(-2)).toEqual(["LiftCredentialDenies", "WriteLiftEvidence"]);
    expect(calls).not.toContain("LiftDeny");
  });

  it("a mover's run never enters the credential step", async () => {
    const { calls } = await run({ decision: "adjust", denyIds: [], credentials: () => ({}) });
    expect(calls).not.toContain("RevokeCredentials");
  });
});
