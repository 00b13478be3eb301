import { describe, expect, it } from "vitest";
import { PATIENT_TASK_RETRY } from "../../../workflows/user-reconcile.ts";
import {
  LEAVER_RUN_INPUT,
  leaverTaskAnswers,
  userReconcileMachine,
} from "../../support/scripted-user-run.ts";

/*
 * Issue 17: in a layoff hundreds of runs share sso-admin's ~20 TPS, and a ReadTruth throttled through
 * the six tries of the tasks' common retrier failed its run before anything was done (49 of 250 runs
 * on the layoff benchmark, `DependencyUnavailableError: user-reconcile readUserTruth: Rate exceeded`).
 * The read-only tasks wait longer, and so does the evidence write (the chain takes one record at a
 * time: 19 of 1,000 layoff runs lost their record to contention); a run that is slow still succeeds. Run by the local Step Functions
 * runtime with scripted tasks and the retry intervals set to zero.
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

class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
}

/** Runs a leaver's run whose ReadTruth, Verify and WriteEvidence fail as unavailable `throttled` times each first. */
async function run(throttled: number) {
  const machine = userReconcileMachine();
  const calls: string[] = [];
  const left: Record<string, number> = { ReadTruth: throttled, Verify: throttled, WriteEvidence: throttled };
  const answers = leaverTaskAnswers();
  const handler = (state: string) => async () => {
    calls.push(state);
    if ((left[state] ?? 0) > 0) {
      left[state] = (left[state] ?? 0) - 1;
      throw new DependencyUnavailableError(`user-reconcile ${state}: Rate exceeded`);
    }
    return (answers[state] as () => unknown)();
  };
  const execution = machine.run(LEAVER_RUN_INPUT, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(TASK_STATES.map((t) => [t, handler(t)])) as never,
      retryIntervalOverrides: Object.fromEntries(TASK_STATES.map((t) => [t, 0])),
    },
  });
  const output = await execution.result.then(
    (o) => ({ failed: false as const, output: o as Record<string, unknown> }),
    (error: Error) => ({ failed: true as const, error }),
  );
  return { ...output, calls };
}

describe("user-reconcile under a burst's throttling", () => {
  it("a ReadTruth, a Verify and an evidence write held up more often than the common retrier allows still end in evidence", async () => {
    // Act: ten throttled tries each, past the six retries that failed the layoff's runs
    const result = await run(10);

    // Assess
    expect(result.failed).toBe(false);
    expect(result.calls.filter((c) => c === "ReadTruth")).toHaveLength(11);
    expect(result.calls.filter((c) => c === "Verify")).toHaveLength(11);
    expect(result.calls.filter((c) => c === "WriteEvidence")).toHaveLength(11);
    expect(result.calls.at(-1)).toBe("WriteLiftEvidence");
  });

  it("a read that never gets through still fails the run, after a bounded number of tries", async () => {
    // Act
    const result = await run(1_000);

    // Assess: the first try and every retry of the read retrier, then the run fails loudly
    expect(result.failed).toBe(true);
    expect(result.calls).toEqual(Array(1 + (PATIENT_TASK_RETRY.MaxAttempts ?? 3)).fill("ReadTruth"));
  });
});
