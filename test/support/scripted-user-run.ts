import { StateMachine } from "aws-local-stepfunctions";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../workflows/user-reconcile.ts";

/*
 * The user-reconcile definition run by the local Step Functions runtime with scripted tasks: what the
 * workflow tests of its states share.
 */

const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** The deployed definition, every task pointing at a placeholder function. */
export const userReconcileTestDefinition = userReconcileDefinition(
  Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never,
);

/** A fresh state machine of the definition. */
export const userReconcileMachine = () =>
  new StateMachine(userReconcileTestDefinition as never, { validationOptions: { checkArn: false } });

/** The input of a leaver's run. */
export const LEAVER_RUN_INPUT = { runId: "run-1", user: { id: "00u1", login: "a@b.example" }, trigger: {} };

/** Every task state's answer in a leaver's run with nothing to delete, verified; override any. */
export function leaverTaskAnswers(
  overrides: Record<string, () => unknown> = {},
  decision: "revoke" | "adjust" = "revoke",
): Record<string, () => unknown> {
  return {
    ReadTruth: () => ({ scratchKey: "truth" }),
    Plan: () => ({
      decision,
      scratchKey: "plan",
      deletionBatches: [],
      membershipRemovals: [],
      membershipAdditions: [],
      holdSeconds: 0,
    }),
    ApplyDeny: () => ({ denyIds: ["d-1"], reprovisions: [] }),
    RevokeCredentials: () => ({ denyIds: [] }),
    ClearOktaSessions: () => ({}),
    Verify: () => ({ passed: true }),
    WriteEvidence: () => ({ key: "run" }),
    LiftCredentialDenies: () => ({ liftedAt: "2026-12-07T03:00:00.000Z", lifted: [] }),
    LiftDeny: () => ({ reprovisions: [] }),
    WriteLiftEvidence: () => ({ key: "lift" }),
    ...overrides,
  };
}
