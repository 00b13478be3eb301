/**
 * Issue 15: every user-reconcile task received the whole, growing state, so a user with many
 * assignments would end with States.DataLimitExceeded (256 KiB per state input, output or task
 * result). A leaver with 1,000 direct assignments, end to end on the local stack, whose Step Functions
 * runtime measures every payload and fails a run past the quota as AWS does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { PAYLOAD_LIMIT_BYTES } from "../../local/runtime/step-functions-emulator.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";
const ASSIGNMENTS = 1_000;

describe("a leaver with 1,000 assignments", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
  });
  afterAll(() => stack.stop());

  it("is revoked end to end, and no state's input, output or task result nears 256 KiB", async () => {
    // Prepare: 1,000 direct assignments (every permission set on made-up accounts)
    const ic = stack.emulators.identityCenter;
    const snapshot = ic.snapshot();
    const userId = String(snapshot.users.find((u) => u.userName === LEAVER)?.userId);
    const sets = snapshot.permissionSets.map((p) => p.arn);
    for (let i = 0; i < ASSIGNMENTS; i++)
      ic.seed.assignment({
        accountId: String(300_000_000_000 + Math.floor(i / sets.length)),
        permissionSetArn: String(sets[i % sets.length]),
        principalType: "USER",
        principalId: userId,
      });
    const direct = () =>
      ic.snapshot().assignments.filter((a) => a.principalType === "USER" && a.principalId === userId);
    expect(direct().length).toBeGreaterThanOrEqual(ASSIGNMENTS);
    const oktaUser = stack.emulators.okta.state.user(LEAVER);

    // Act
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id), "run", 120_000);

    // Assess
    const run = stack.stepFunctions.executions().find((e) => e.name.includes(String(oktaUser?.id)));
    const largest = run?.largestPayload;
    console.log(
      `heavy leaver: largest payload ${largest?.bytes} bytes (${largest?.what} of ${largest?.state})`,
    );
    expect(run?.status).not.toBe("FAILED");
    expect(direct()).toEqual([]);
    expect(largest?.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES / 2);
  }, 180_000);
});
