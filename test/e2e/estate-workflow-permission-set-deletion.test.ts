/**
 * The estate-reconcile workflow (the Step Functions definition the deploy runs, on the local stack)
 * deletes a permission set the tool created once the policy no longer declares it: the first run's
 * delete batch removes its assignment and the record reports it pending; the second run's delete batch
 * deletes the set, and the record holds the outcome with what the set was and its read-back.
 */
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { type EstateRunRecord, parseEvidenceRecord } from "../../core/evidence/record.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../core/plan/permission-set-ownership-tag.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

const OWNED = { [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value };

describe("the estate-reconcile workflow deletes a dropped permission set the tool created", () => {
  let stack: LocalStack;
  let ssoAdmin: SSOAdminClient;
  const record = async (runId: string): Promise<EstateRunRecord> => {
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${runId}.estate.json`),
    );
    const parsed = parseEvidenceRecord(JSON.parse(await stack.adapters.evidence.get(String(key))));
    if (!parsed.success || parsed.data.kind !== "estate-run")
      throw new Error(`no estate record for ${runId}`);
    return parsed.data;
  };

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
    ssoAdmin = new SSOAdminClient(localClientConfig(stack.url));
  });
  afterAll(async () => {
    ssoAdmin.destroy();
    await stack.stop();
  });

  it("deletes its assignment in one run and the set in the next, with before and after in the record", async () => {
    // Prepare: a set the tool created, which the demo policy does not declare, assigned to a group
    const ic = stack.emulators.identityCenter;
    const content = new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ic.instanceArn });
    const retired = await content.create({ name: "Retired", sessionDuration: "PT1H", tags: OWNED });
    const account = String(stack.estate.organization.accounts.find((a) => a.name.endsWith("-dev"))?.id);
    const group = String(ic.snapshot().groups[0]?.groupId);
    ic.seed.assignment({
      accountId: account,
      permissionSetArn: retired,
      principalType: "GROUP",
      principalId: group,
    });

    // Act
    const first = await stack.runEstateReconcile("ps-deletion-wf-1");
    const afterFirst = ic.snapshot();
    const second = await stack.runEstateReconcile("ps-deletion-wf-2");

    // Assess
    expect([first?.status, second?.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(afterFirst.assignments.filter((a) => a.permissionSetArn === retired)).toEqual([]);
    expect(afterFirst.permissionSets.map((p) => p.arn)).toContain(retired);
    const one = await record("ps-deletion-wf-1");
    expect(one.body.plan.findings.filter((f) => f.kind === "permission-set-delete-pending")).toEqual([
      expect.objectContaining({ subject: { permissionSet: "Retired", permissionSetArn: retired } }),
    ]);
    expect(one.body.actions.map((a) => [a.kind, a.target.permissionSetArn, a.status])).toEqual([
      ["assignment.delete", retired, "SUCCEEDED"],
    ]);
    expect(ic.snapshot().permissionSets.map((p) => p.arn)).not.toContain(retired);
    const two = await record("ps-deletion-wf-2");
    expect(two.body.plan.actions).toEqual([
      { kind: "permission-set.delete", name: "Retired", permissionSetArn: retired },
    ]);
    expect(two.body.actions).toEqual([
      expect.objectContaining({
        kind: "permission-set.delete",
        status: "SUCCEEDED",
        target: { permissionSet: "Retired", permissionSetArn: retired },
        before: expect.objectContaining({ name: "Retired", sessionDuration: "PT1H", tags: OWNED }),
        after: { exists: false },
      }),
    ]);
    expect(two.body.plan.blockedReason).toBeNull();
  });
});
