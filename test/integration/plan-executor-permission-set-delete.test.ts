/**
 * The estate executor's permission-set.delete against the Identity Center emulator through the real
 * SDK client: an unused set is read (evidence `before`), deleted and read back gone (`after`); a set
 * still assigned is refused by AWS (ConflictException, cited in the emulator) and is SKIPPED, pending,
 * after one DeletePermissionSet (never retried within the run); a set already gone counts as deleted;
 * any other error fails that action alone.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import type { PlanAction } from "../../core/plan/plan.ts";
import { permissionSetDeletionFindings } from "../../usecases/reconcile-estate/permission-set-deletion-findings.ts";
import {
  PERMISSION_SET_ALREADY_DELETED,
  PERMISSION_SET_STILL_IN_USE,
} from "../../usecases/reconcile-estate/plan-executor.ts";
import { executorWithoutDenies, identityCenterOnLoopback } from "../support/identity-center-on-loopback.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const OWNED = { "okta-aws-lifecycle:managed": "true" };

async function setUp() {
  const { ic, ssoAdmin, adapter, close } = await identityCenterOnLoopback({
    limits: { latencyMs: 0, identityStoreTps: 0, ssoAdminTps: 0 },
  });
  cleanups.push(close);
  const content = new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ic.instanceArn });
  return { ic, content, executor: executorWithoutDenies(adapter) };
}

const deletion = (name: string, permissionSetArn: string): PlanAction => ({
  kind: "permission-set.delete",
  name,
  permissionSetArn,
});

describe("PlanExecutor: permission-set.delete", () => {
  it("records what an unused set was, deletes it and reads it back gone", async () => {
    // Prepare
    const { ic, content, executor } = await setUp();
    const arn = await content.create({
      name: "Retired",
      sessionDuration: "PT2H",
      description: "old team access",
      tags: OWNED,
    });
    await content.apply(arn, {
      detachManagedPolicies: [],
      detachCustomerManagedPolicies: [],
      attachManagedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      attachCustomerManagedPolicies: [],
    });

    // Act
    const [outcome] = await executor.execute([deletion("Retired", arn)]);

    // Assess
    expect(outcome).toMatchObject({
      kind: "permission-set.delete",
      target: { permissionSet: "Retired", permissionSetArn: arn },
      status: "SUCCEEDED",
      error: null,
      note: "read back: DescribePermissionSet answers ResourceNotFoundException",
      before: {
        name: "Retired",
        description: "old team access",
        sessionDuration: "PT2H",
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        inlinePolicy: null,
        tags: OWNED,
      },
      after: { exists: false },
    });
    expect(ic.snapshot().permissionSets.map((p) => p.arn)).not.toContain(arn);
    expect(permissionSetDeletionFindings(outcome ? [outcome] : [])).toEqual([]);
  });

  it("leaves a set AWS refuses as in use pending after one call, fails a bad one alone, counts a gone one done", async () => {
    // Prepare
    const { ic, content, executor } = await setUp();
    const assigned = await content.create({ name: "StillAssigned", sessionDuration: "PT1H", tags: OWNED });
    ic.seed.assignment({
      accountId: "222222222222",
      permissionSetArn: assigned,
      principalType: "GROUP",
      principalId: ic.seed.group({ displayName: "late-team" }),
    });
    const gone = await content.create({ name: "Gone", sessionDuration: "PT1H", tags: OWNED });
    await content.delete(gone);
    const before = ic.snapshot().calls.ssoAdmin.DeletePermissionSet ?? 0;

    // Act
    const outcomes = await executor.execute([
      deletion("StillAssigned", assigned),
      deletion("Malformed", "not-a-permission-set-arn"),
      deletion("Gone", gone),
    ]);

    // Assess
    expect(outcomes.map((o) => [o.target.permissionSet, o.status])).toEqual([
      ["StillAssigned", "SKIPPED"],
      ["Malformed", "FAILED"],
      ["Gone", "SUCCEEDED"],
    ]);
    expect(outcomes[0]?.note).toContain(PERMISSION_SET_STILL_IN_USE);
    expect(outcomes[0]?.before).toMatchObject({ name: "StillAssigned", tags: OWNED });
    expect(outcomes[1]?.error).toContain("ValidationException");
    expect(outcomes[2]?.note).toBe(PERMISSION_SET_ALREADY_DELETED);
    // One DeletePermissionSet for the set in use: a ConflictException here is not retried.
    expect((ic.snapshot().calls.ssoAdmin.DeletePermissionSet ?? 0) - before).toBe(1);
    expect(ic.snapshot().permissionSets.map((p) => p.arn)).toContain(assigned);
    expect(permissionSetDeletionFindings(outcomes)).toEqual([
      {
        kind: "permission-set-delete-pending",
        message: expect.stringContaining("AWS refused to delete it (still in use (ConflictException)"),
        subject: { permissionSet: "StillAssigned", permissionSetArn: assigned },
      },
    ]);
  });
});
