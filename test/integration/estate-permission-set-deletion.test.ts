/**
 * Estate runs on the local stack's emulators (real SDK clients): a permission set the tool created
 * (ownership tag) that the policy does not declare is deleted over two runs: the first deletes its
 * assignments (they are owned) and reports it pending, since AWS refuses DeletePermissionSet while the
 * set is assigned or provisioned; the second deletes it, with what it was in the evidence. An
 * undeclared set without the tag is never touched. Two deletions trip guards.maxPermissionSetDeletes
 * (default 1) until --allow-deletes covers them.
 */
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvidence } from "../../adapters/evidence-store.ts";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { type EstateRunRecord, parseEvidenceRecord } from "../../core/evidence/record.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../core/plan/permission-set-ownership-tag.ts";
import { DROPPED_PERMISSION_SET } from "../../core/plan/plan-assignments.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";

const manual = { type: "manual" as const, requestedBy: "integration" };
const OWNED = { [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value };

describe("estate runs delete the permission sets the tool created and the policy dropped", () => {
  let stack: LocalStack;
  let ssoAdmin: SSOAdminClient;
  let content: PermissionSetContentAdapter;
  let run = 0;
  const reconcile = (options: { allowDeletes?: number } = {}) =>
    reconcileEstate(stack.estateDeps(`set-deletion-${++run}`), { apply: true, trigger: manual, ...options });
  const setArns = () => stack.emulators.identityCenter.snapshot().permissionSets.map((p) => p.arn);
  const record = async (evidence: StoredEvidence[]): Promise<EstateRunRecord> => {
    const key = evidence.find((e) => e.key.endsWith(".estate.json"))?.key;
    const parsed = parseEvidenceRecord(JSON.parse(await stack.adapters.evidence.get(String(key))));
    if (!parsed.success || parsed.data.kind !== "estate-run") throw new Error(`no estate record at ${key}`);
    return parsed.data;
  };

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
    ssoAdmin = new SSOAdminClient(localClientConfig(stack.url));
    content = new PermissionSetContentAdapter({
      ssoAdmin,
      instanceArn: stack.emulators.identityCenter.instanceArn,
    });
    await reconcile(); // the demo estate as the policy wants it
  });
  afterAll(async () => {
    ssoAdmin.destroy();
    await stack.stop();
  });

  it("deletes a dropped set's assignments first and the set in the next run; an untagged one never", async () => {
    // Prepare: a set the tool created (tagged) and one made by hand, both undeclared, both assigned
    const ic = stack.emulators.identityCenter;
    const account = String(stack.estate.organization.accounts.find((a) => a.name.endsWith("-dev"))?.id);
    const group = String(ic.snapshot().groups[0]?.groupId);
    const retired = await content.create({ name: "Retired", sessionDuration: "PT1H", tags: OWNED });
    const byHand = await content.create({ name: "ByHand", sessionDuration: "PT1H", tags: { team: "ops" } });
    for (const permissionSetArn of [retired, byHand])
      ic.seed.assignment({
        accountId: account,
        permissionSetArn,
        principalType: "GROUP",
        principalId: group,
      });

    // Act
    const first = await reconcile();
    const afterFirst = ic.snapshot();
    const second = await reconcile();
    ic.resetCallCounts();
    const third = await reconcile();
    const thirdCalls = ic.snapshot().calls.ssoAdmin;

    // Assess: run 1 deleted Retired's assignment (owned) and said the set is pending
    expect(first.plan.status).toBe("ready");
    expect(
      first.plan.actions.flatMap((a) =>
        a.kind === "assignment.delete" && a.why === DROPPED_PERMISSION_SET
          ? [a.assignment.permissionSetArn]
          : [],
      ),
    ).toEqual([retired]);
    expect(first.plan.actions.some((a) => a.kind === "permission-set.delete")).toBe(false);
    expect(first.plan.findings.filter((f) => f.kind === "permission-set-delete-pending")).toEqual([
      expect.objectContaining({ subject: { permissionSet: "Retired", permissionSetArn: retired } }),
    ]);
    expect(afterFirst.assignments.filter((a) => a.permissionSetArn === retired)).toEqual([]);
    expect(afterFirst.provisioned.filter((p) => p.permissionSetArn === retired)).toEqual([]);
    expect(afterFirst.permissionSets.map((p) => p.arn)).toContain(retired);
    // run 2 deleted the set, recording what it was and the read-back
    expect(second.plan.actions.filter((a) => a.kind === "permission-set.delete")).toEqual([
      { kind: "permission-set.delete", name: "Retired", permissionSetArn: retired },
    ]);
    expect(setArns()).not.toContain(retired);
    const deleted = (await record(second.evidence)).body.actions.find(
      (a) => a.kind === "permission-set.delete",
    );
    expect(deleted).toMatchObject({
      status: "SUCCEEDED",
      target: { permissionSet: "Retired", permissionSetArn: retired },
      before: { name: "Retired", sessionDuration: "PT1H", tags: OWNED },
      after: { exists: false },
    });
    // the hand-made set and its assignment were never touched, only reported
    for (const result of [first, second, third]) {
      expect(result.plan.actions.filter((a) => JSON.stringify(a).includes(byHand))).toEqual([]);
    }
    expect(
      first.plan.findings.some(
        (f) => f.kind === "unmanaged-assignment" && f.subject.permissionSetArn === byHand,
      ),
    ).toBe(true);
    expect(setArns()).toContain(byHand);
    expect(ic.snapshot().assignments.filter((a) => a.permissionSetArn === byHand)).toHaveLength(1);
    expect(third.plan.actions).toEqual([]);
    // cost: one ListTagsForResource per set, and nothing more once no dropped set is left
    expect(thirdCalls.ListTagsForResource).toBe(ic.snapshot().permissionSets.length);
    expect(thirdCalls.DeletePermissionSet ?? 0).toBe(0);
    console.info(
      `permission-set deletion reads: ${thirdCalls.ListTagsForResource} ListTagsForResource for ${ic.snapshot().permissionSets.length} sets in a full run`,
    );
  });

  it("blocks two set deletions at the default limit of 1, in evidence; --allow-deletes 2 lifts it", async () => {
    // Prepare: two unused sets the tool created that the policy does not declare
    const oldA = await content.create({ name: "OldA", sessionDuration: "PT1H", tags: OWNED });
    const oldB = await content.create({ name: "OldB", sessionDuration: "PT1H", tags: OWNED });

    // Act
    const blocked = await reconcile();
    const afterBlocked = setArns();
    const tooFew = await reconcile({ allowDeletes: 1 });
    const allowed = await reconcile({ allowDeletes: 2 });

    // Assess
    expect(blocked.plan.status).toBe("blocked");
    expect(blocked.plan.violations.map((v) => v.guard)).toEqual(["max-permission-set-deletes"]);
    expect(blocked.applied).toBe(false);
    expect(tooFew.applied).toBe(false);
    expect(afterBlocked).toEqual(expect.arrayContaining([oldA, oldB]));
    expect((await record(blocked.evidence)).body.plan.blockedReason).toContain(
      "The plan deletes 2 permission sets (OldA, OldB); guards.maxPermissionSetDeletes is 1",
    );
    expect(allowed.applied).toBe(true);
    expect(allowed.outcomes.filter((o) => o.kind === "permission-set.delete").map((o) => o.status)).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
    expect(setArns()).not.toContain(oldA);
    expect(setArns()).not.toContain(oldB);
  });
});
