import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsBehaviourSwitches } from "../../local/emulators/aws-behaviour-switches.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { failNextCalls } from "../support/scripted-aws-failures.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

/**
 * A leaver whose membership removals are throttled by identitystore, under each error prefix Step
 * Functions may give identitystore errors (the `identityStoreErrorPrefix` switch): the workflow's
 * Retry must match the name the task invoker raises, or the Catch reports the removal FAILED and the
 * leaver keeps a group.
 */
describe.each(["Identitystore", "IdentityStore"] as const)(
  "a leaver whose membership removals are throttled, errors named %s.*",
  (prefix: AwsBehaviourSwitches["identityStoreErrorPrefix"]) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startTestStack(SECRET, {
        awsBehaviour: { identityStoreErrorPrefix: prefix },
        retryIntervalMs: 20,
      });
    });
    afterAll(() => stack.stop());

    it("retries the throttled removals and ends with no membership left", async () => {
      // Prepare
      const ic = stack.emulators.identityCenter;
      const identityStore = ic.services.find((s) => s.targetPrefix === "AWSIdentityStore");
      if (!identityStore) throw new Error("the Identity Center emulator serves no identitystore");
      const userId = ic.snapshot().users.find((u) => u.userName === LEAVER)?.userId;
      const groups = ic.snapshot().memberships.filter((m) => m.userId === userId);
      expect(groups.length).toBeGreaterThanOrEqual(1);
      const throttle = {
        type: "ThrottlingException",
        message: "Rate exceeded",
        fields: { RetryAfterSeconds: 1 },
      };
      const script = failNextCalls(identityStore, "DeleteGroupMembership", [throttle, throttle]);
      const oktaUser = stack.emulators.okta.state.user(LEAVER);

      // Act
      await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
      await stack.settle();
      await stack.waitForEvidence(String(oktaUser?.id));

      // Assess: both throttles were answered, under the switch's prefix, and retried
      expect(script.pending()).toBe(0);
      const [run] = stack.stepFunctions.executions();
      const failed = (run?.events ?? [])
        .filter((e) => e.type === "TaskFailed")
        .map((e) => e.taskFailedEventDetails as { resource: string; error: string })
        .filter((d) => d.resource === "deleteGroupMembership");
      expect(failed.map((d) => d.error)).toEqual([
        `${prefix}.ThrottlingException`,
        `${prefix}.ThrottlingException`,
      ]);
      expect(ic.snapshot().calls.identityStore.DeleteGroupMembership).toBe(groups.length + 2);
      // no membership left, and the evidence records every removal as done
      expect(ic.snapshot().memberships.filter((m) => m.userId === userId)).toEqual([]);
      const [key] = await stack.adapters.evidence.list("v1/runs/");
      const record = JSON.parse(await stack.adapters.evidence.get(String(key)));
      const removals = record.body.actions.filter((a: { kind: string }) => a.kind === "membership.remove");
      expect(removals).toHaveLength(groups.length);
      expect(record.body.verification).toMatchObject({ passed: true });
    });
  },
);
