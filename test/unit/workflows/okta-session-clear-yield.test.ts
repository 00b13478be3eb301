import { describe, expect, it } from "vitest";
import {
  userReconcileTestDefinition as definition,
  LEAVER_RUN_INPUT,
  leaverTaskAnswers,
  userReconcileMachine,
} from "../../support/scripted-user-run.ts";

/*
 * Issue 17: a session clear yields Okta's `/api/v1/users/{id}` bucket to the leavers' reads. When room
 * comes later than it may wait in its Lambda, ClearOktaSessions hands back `waitSeconds` and the
 * workflow waits exactly that in a Wait state (no Lambda held), then asks again; a blind retry backoff
 * of up to a minute left much of a window's room unused. Run by the local Step Functions runtime with
 * scripted tasks and the waits set to zero.
 */

/** A leaver's run whose ClearOktaSessions answers `clears` in turn; what each task was given, in order. */
async function run(clears: Record<string, unknown>[]) {
  const machine = userReconcileMachine();
  const calls: { state: string; input: Record<string, unknown> }[] = [];
  const answers = leaverTaskAnswers({
    ApplyDeny: () => ({ denyIds: [], reprovisions: [] }),
    ClearOktaSessions: () => clears.shift() ?? { clearedAt: "2026-12-07T21:00:00.000Z" },
  });
  const handlers = Object.fromEntries(
    Object.entries(answers).map(([state, answer]) => [
      state,
      async (input: Record<string, unknown>) => {
        calls.push({ state, input });
        return answer();
      },
    ]),
  );
  await machine.run(LEAVER_RUN_INPUT, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: { AwaitOktaRoom: 0 } },
  }).result;
  return calls;
}

describe("user-reconcile: a session clear that yields waits in the workflow, then clears", () => {
  it("asks again after each wait it hands back, and verifies once it has cleared", async () => {
    // Act
    const calls = await run([
      { waitSeconds: 7, yieldingSince: "2026-12-07T20:59:50.000Z" },
      { waitSeconds: 1, yieldingSince: "2026-12-07T20:59:50.000Z" },
    ]);

    // Assess: three clears, each later one given the wait it handed back; then Verify, once
    const states = calls.map((c) => c.state);
    expect(states.filter((s) => s === "ClearOktaSessions")).toHaveLength(3);
    expect(states.slice(states.indexOf("ClearOktaSessions"))).toEqual([
      "ClearOktaSessions",
      "ClearOktaSessions",
      "ClearOktaSessions",
      "Verify",
      "WriteEvidence",
    ]);
    const clearInputs = calls.filter((c) => c.state === "ClearOktaSessions").map((c) => c.input.oktaSessions);
    expect(clearInputs).toEqual([
      undefined,
      { waitSeconds: 7, yieldingSince: "2026-12-07T20:59:50.000Z" },
      { waitSeconds: 1, yieldingSince: "2026-12-07T20:59:50.000Z" },
    ]);
    expect(calls.find((c) => c.state === "Verify")?.input.oktaSessions).toEqual({
      clearedAt: "2026-12-07T21:00:00.000Z",
    });
  });

  it("a clear that does not yield goes straight to Verify", async () => {
    // Act
    const calls = await run([{ clearedAt: "2026-12-07T21:00:00.000Z" }]);

    // Assess
    const states = calls.map((c) => c.state);
    expect(states.filter((s) => s === "ClearOktaSessions")).toHaveLength(1);
    expect(states[states.indexOf("ClearOktaSessions") + 1]).toBe("Verify");
  });

  it("the Wait state sleeps the seconds the task hands back", () => {
    // Assess: the state the task's answer names, read from the field the task writes
    const states = definition.States as Record<string, Record<string, unknown>>;
    expect(states.ClearOktaSessions?.ResultPath).toBe("$.oktaSessions");
    expect(states.AwaitOktaRoom).toMatchObject({
      Type: "Wait",
      SecondsPath: "$.oktaSessions.waitSeconds",
      Next: "ClearOktaSessions",
    });
  });
});
