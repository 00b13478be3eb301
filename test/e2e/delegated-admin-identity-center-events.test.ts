/**
 * A stack run as Identity Center's delegated administrator sees the changes people make from the
 * management account only through the management component: CloudTrail records such a call in the
 * management account and delivers it to that account's default bus; the component's forwarding rules
 * send it on to the stack's lifecycle bus, where the `-fwd` triggers start the run scoped to the edited
 * permission set (workflows/identity-center-triggers.ts, local/stack/estate-trigger-rules.ts). Without
 * the component nothing forwards it: no run starts, and the daily full read is what repairs it.
 */
import { PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const OVER_GRANT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

describe.each([
  { managementComponent: true, outcome: "is forwarded and repaired by the run scoped to the set" },
  { managementComponent: false, outcome: "reaches no rule of the stack: no run starts" },
])(
  "delegated administrator, management component $managementComponent: a management-account edit",
  ({ managementComponent, outcome }) => {
    let stack: LocalStack;
    let person: SSOAdminClient;

    beforeAll(async () => {
      const doc = parseDocument(demoPolicyYaml());
      doc.set("permissionSetDrift", "repair");
      stack = await startTestStack(`Bearer delegated-admin-events-${managementComponent}`, {
        pollMs: 5,
        policyYaml: doc.toString(),
        topology: "delegated-admin",
        managementComponent,
      });
      // Someone signed in to the management account (an IAM user there), not the stack.
      const management = stack.estate.organization.managementAccountId;
      stack.emulators.iam.seed.user({ accountId: management, name: "console-person" });
      const key = stack.emulators.iam.seed.accessKey({ accountId: management, userName: "console-person" });
      person = new SSOAdminClient({ ...localClientConfig(stack.url), credentials: key });
    }, 120_000);
    afterAll(async () => {
      person?.destroy();
      await stack?.stop();
    });

    it(outcome, async () => {
      // Prepare: a set whose inline policy the policy declares
      const [name] = Object.entries(stack.policy.permissionSets)
        .filter(([, declared]) => declared.inlinePolicy !== undefined)
        .map(([n]) => n)
        .sort();
      const setNamed = () =>
        stack.emulators.identityCenter.snapshot().permissionSets.find((p) => p.name === name);
      const set = setNamed();
      if (!set) throw new Error("the demo declares no inline policy");
      const declaredInline = set.inlinePolicy;
      const estateRuns = () =>
        stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);
      const before = estateRuns().length;

      // Act: the edit, made from the management account
      await person.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: stack.emulators.identityCenter.instanceArn,
          PermissionSetArn: set.arn,
          InlinePolicy: OVER_GRANT,
        }),
      );
      await stack.idle();

      // Assess
      const runs = estateRuns().slice(before);
      if (managementComponent) {
        expect(runs.map((r) => r.status)).toEqual(["SUCCEEDED"]);
        expect(JSON.parse(String(runs[0]?.input)).trigger).toMatchObject({
          type: "identity-center-event",
          eventName: "PutInlinePolicyToPermissionSet",
          permissionSetArn: set.arn,
        });
        expect(setNamed()?.inlinePolicy).toEqual(declaredInline);
      } else {
        expect(runs).toEqual([]);
        expect(setNamed()?.inlinePolicy).toEqual(OVER_GRANT);
      }
    });
  },
);
