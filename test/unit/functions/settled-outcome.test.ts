/**
 * A user run's removals as the run counts them: AWS's 404 for an assignment whose principal SCIM
 * deleted, and a membership already gone, are done (with a note), never a failed or partial run.
 */
import { describe, expect, it } from "vitest";
import { PRINCIPAL_ALREADY_DELETED } from "../../../core/plan/orphaned-assignments.ts";
import type { OperationOutcome } from "../../../usecases/reconcile-user/run-state.ts";
import { settledOutcome, settledOutcomes } from "../../../usecases/reconcile-user/settled-outcome.ts";

const deletion = (reason: string): OperationOutcome => ({
  status: "FAILED",
  requestId: "req-1",
  accountId: "111111111111",
  permissionSetArn: "arn:ps/dev",
  principalId: "u-1",
  detail: { Status: "FAILED", FailureReason: reason },
});

describe("settledOutcome", () => {
  it("counts a deletion AWS failed because its principal was deleted as done, and says so", () => {
    const o = deletion("Received a 404 status error: the USER assignee u-1 was not found in directory d-1");
    expect(settledOutcome(o)).toEqual({ ...o, status: "SUCCEEDED", note: PRINCIPAL_ALREADY_DELETED });
  });

  it("keeps every other failure a failure", () => {
    const other = deletion("Request failed: retry it");
    const someoneElse = deletion(
      "Received a 404 status error: the USER assignee u-2 was not found in directory d-1",
    );
    const errored: OperationOutcome = {
      status: "FAILED",
      membershipId: "m-1",
      error: { Error: "States.Timeout" },
    };
    expect(settledOutcomes([other, someoneElse, errored]).map((o) => o.status)).toEqual([
      "FAILED",
      "FAILED",
      "FAILED",
    ]);
  });

  it.each(["Identitystore", "IdentityStore"])(
    "counts a membership removal answered %s.ResourceNotFoundException as done",
    (prefix) => {
      const o: OperationOutcome = {
        status: "FAILED",
        membershipId: "m-1",
        error: { Error: `${prefix}.ResourceNotFoundException`, Cause: "GroupMembership m-1 does not exist" },
      };
      expect(settledOutcome(o)).toMatchObject({
        status: "SUCCEEDED",
        note: expect.stringContaining("already gone"),
      });
    },
  );

  it("leaves a success as it is, and no outcomes as none", () => {
    const ok: OperationOutcome = { status: "SUCCEEDED", membershipId: "m-1" };
    expect(settledOutcome(ok)).toBe(ok);
    expect(settledOutcomes(undefined)).toEqual([]);
  });
});
