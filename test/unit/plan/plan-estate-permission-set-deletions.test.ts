import { describe, expect, it } from "vitest";
import { applyPlan } from "../../../core/plan/apply-plan.ts";
import { overridesGuards } from "../../../core/plan/guard-override.ts";
import { orderActions } from "../../../core/plan/order-actions.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../../core/plan/permission-set-ownership-tag.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import { DROPPED_PERMISSION_SET } from "../../../core/plan/plan-assignments.ts";
import { type PlanInput, planEstate } from "../../../core/plan/plan-estate.ts";
import { planPermissionSetDeletionsOf } from "../../../core/plan/plan-permission-set-deletions.ts";
import { arn, DEV, estate, PROD } from "../../support/estate-builder.ts";

const OWNED = { [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value };

/** The base estate plus undeclared sets (`owned` ones carry the ownership tag), every set's tags read. */
function withUndeclared(
  sets: { id: string; name: string; owned: boolean; provisionedAccounts?: number }[],
  change: (e: PlanInput) => void = () => {},
): PlanInput {
  return estate((e) => {
    for (const s of sets)
      e.identityCenter.permissionSets.push({ arn: arn(s.id), name: s.name, sessionDuration: "PT1H" });
    e.permissionSetOwnership = {
      tags: Object.fromEntries([
        [arn("dev"), OWNED],
        [arn("admin"), {}],
        ...sets.map((s) => [arn(s.id), s.owned ? OWNED : { team: "platform" }]),
      ]),
      provisionedAccounts: Object.fromEntries(
        sets.filter((s) => s.owned).map((s) => [arn(s.id), s.provisionedAccounts ?? 0]),
      ),
    };
    change(e);
  });
}

const groupAssignment = (permissionSetArn: string, principalId: string, accountId = DEV) => ({
  accountId,
  permissionSetArn,
  principalType: "GROUP" as const,
  principalId,
});

describe("planEstate: permission sets the tool created and the policy dropped (issue 18)", () => {
  it("deletes an unused dropped set it owns, and never an undeclared set without the ownership tag", () => {
    // Act
    const plan = planEstate(
      withUndeclared([
        { id: "retired", name: "Retired", owned: true },
        { id: "byhand", name: "ByHand", owned: false },
      ]),
    );

    // Assess
    expect(plan.status).toBe("ready");
    expect(plan.actions).toEqual([
      { kind: "permission-set.delete", name: "Retired", permissionSetArn: arn("retired") },
    ]);
    expect(plan.findings).toEqual([]);
  });

  it("owns every assignment of a dropped set it created: deletes them and reports the set pending", () => {
    // Prepare
    const input = withUndeclared(
      [{ id: "retired", name: "Retired", owned: true, provisionedAccounts: 2 }],
      (e) => {
        e.identityCenter.assignments.push(
          groupAssignment(arn("retired"), "icg-devs"),
          groupAssignment(arn("retired"), "icg-admins", PROD),
          { accountId: DEV, permissionSetArn: arn("retired"), principalType: "USER", principalId: "ic-ben" },
        );
        e.policy.guards.maxDeletePercent = 100;
      },
    );

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.status).toBe("ready");
    expect(plan.actions.map((a) => [a.kind, a.kind === "assignment.delete" ? a.why : ""])).toEqual([
      ["assignment.delete", DROPPED_PERMISSION_SET],
      ["assignment.delete", DROPPED_PERMISSION_SET],
      ["assignment.delete", DROPPED_PERMISSION_SET],
    ]);
    expect(plan.findings.map((f) => [f.kind, f.subject.permissionSet])).toEqual([
      ["direct-user-assignment", undefined],
      ["permission-set-delete-pending", "Retired"],
    ]);
    expect(plan.findings[1]?.message).toContain(
      "it still has 3 assignments and is provisioned to 2 accounts",
    );
    expect(plan.managedAssignmentCount).toBe(5);
  });

  it("leaves an undeclared set without the ownership tag and its assignments alone (unmanaged)", () => {
    // Act
    const plan = planEstate(
      withUndeclared([{ id: "byhand", name: "ByHand", owned: false }], (e) => {
        e.identityCenter.assignments.push(groupAssignment(arn("byhand"), "icg-devs"));
      }),
    );

    // Assess
    expect(plan.actions).toEqual([]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["unmanaged-assignment"]);
  });

  it("deletes an orphaned assignment of a dropped set it owns, and the set only in a later run", () => {
    // Act
    const plan = planEstate(
      withUndeclared([{ id: "retired", name: "Retired", owned: true, provisionedAccounts: 1 }], (e) => {
        e.identityCenter.assignments.push(groupAssignment(arn("retired"), "icg-gone"));
        e.identityCenter.principalCheck = {
          missing: ["icg-gone"],
          present: [],
          unchecked: [],
          storeReadEmpty: false,
        };
        e.policy.guards.maxDeletePercent = 100;
      }),
    );

    // Assess
    expect(plan.actions.map((a) => a.kind)).toEqual(["assignment.delete"]);
    expect(plan.findings.map((f) => f.kind).sort()).toEqual([
      "orphaned-assignment",
      "permission-set-delete-pending",
    ]);
  });

  it("blocks two deletions under the default limit of 1; --allow-deletes 2 lifts it, 1 does not", () => {
    // Act
    const plan = planEstate(
      withUndeclared([
        { id: "old-a", name: "OldA", owned: true },
        { id: "old-b", name: "OldB", owned: true },
      ]),
    );

    // Assess
    expect(plan.status).toBe("blocked");
    expect(plan.violations.map((v) => v.guard)).toEqual(["max-permission-set-deletes"]);
    expect(plan.actions.map((a) => a.kind)).toEqual(["permission-set.delete", "permission-set.delete"]);
    expect(overridesGuards(plan, { allowDeletes: 2 })).toBe(true);
    expect(overridesGuards(plan, { allowDeletes: 1 })).toBe(false);
    expect(overridesGuards(plan, { allowGrants: 100 })).toBe(false);
  });

  it("deletes no permission set without the tags read (a scoped run), whatever Identity Center holds", () => {
    // Act
    const plan = planEstate(
      withUndeclared([{ id: "retired", name: "Retired", owned: true }], (e) => {
        delete e.permissionSetOwnership;
      }),
    );

    // Assess
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual([]);
  });
});

describe("planPermissionSetDeletionsOf", () => {
  it("leaves out a set whose tags were not read and reports a dropped set whose provisioning was not read", () => {
    // Prepare
    const identityCenter = {
      permissionSets: [
        { arn: arn("untagged-read"), name: "Unread", sessionDuration: "PT1H" },
        { arn: arn("no-use"), name: "NoUse", sessionDuration: "PT1H" },
      ],
      assignments: [],
    };

    // Act
    const plan = planPermissionSetDeletionsOf(estate().policy, identityCenter, {
      tags: { [arn("no-use")]: OWNED },
      provisionedAccounts: {},
    });

    // Assess
    expect(plan.deletions).toEqual([]);
    expect(plan.droppedArns).toEqual([arn("no-use")]);
    expect(plan.findings.map((f) => [f.subject.permissionSet, f.message])).toEqual([
      ["NoUse", expect.stringContaining("its assignments could not be read")],
    ]);
  });

  it("names a set whose tags could not be read in a finding, and deletes nothing of it", () => {
    // Prepare: the tag read of an owned, dropped set was refused
    const identityCenter = {
      permissionSets: [{ arn: arn("refused"), name: "Refused", sessionDuration: "PT1H" }],
      assignments: [],
    };

    // Act
    const plan = planPermissionSetDeletionsOf(estate().policy, identityCenter, {
      tags: {},
      provisionedAccounts: {},
      unreadTags: { [arn("refused")]: "AccessDeniedException: not authorized" },
    });

    // Assess
    expect(plan.deletions).toEqual([]);
    expect(plan.droppedArns).toEqual([]);
    expect(plan.findings).toEqual([
      {
        kind: "permission-set-tags-unread",
        message: expect.stringContaining("AccessDeniedException: not authorized"),
        subject: { permissionSet: "Refused", permissionSetArn: arn("refused") },
      },
    ]);
  });
});

describe("permission-set.delete in the plan's order and its reference semantics", () => {
  const deletion: PlanAction = {
    kind: "permission-set.delete",
    name: "Retired",
    permissionSetArn: arn("retired"),
  };
  const assignmentDelete: PlanAction = {
    kind: "assignment.delete",
    assignment: groupAssignment(arn("dev"), "icg-devs"),
    why: "",
  };
  const membershipRemove: PlanAction = { kind: "membership.remove", groupId: "g", userId: "u", why: "" };
  const create: PlanAction = {
    kind: "assignment.create",
    assignment: groupAssignment(arn("dev"), "icg-x"),
    rule: "r",
  };

  it("comes after the assignment and membership deletions and before the grants", () => {
    // Act
    const ordered = orderActions([create, deletion, membershipRemove, assignmentDelete]);

    // Assess
    expect(ordered.map((a) => a.kind)).toEqual([
      "assignment.delete",
      "membership.remove",
      "permission-set.delete",
      "assignment.create",
    ]);
  });

  it("removes the set from the state it produces and leaves the input state untouched", () => {
    // Prepare
    const state = withUndeclared([{ id: "retired", name: "Retired", owned: true }]).identityCenter;

    // Act
    const after = applyPlan(state, [deletion]);

    // Assess
    expect(after.permissionSets.map((p) => p.name)).toEqual(["Developer", "Admin"]);
    expect(state.permissionSets.map((p) => p.name)).toEqual(["Developer", "Admin", "Retired"]);
  });
});
