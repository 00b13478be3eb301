/**
 * Assignments whose principal SCIM deleted (they stay listed; deleting one may end FAILED with a 404:
 * hashicorp/terraform-provider-aws issue 19341) and identity-store entries without a name (optional in
 * the identitystore model): reported, never a failed run.
 */
import { describe, expect, it } from "vitest";
import type { PrincipalCheck } from "../../../core/estate.ts";
import {
  isOrphaned,
  isPrincipalDeletedFailure,
  orphanedAssignmentFinding,
  principalStatus,
  unconfirmedOrphanFinding,
  unreadPrincipals,
} from "../../../core/plan/orphaned-assignments.ts";
import { planEstate } from "../../../core/plan/plan-estate.ts";
import { planUserRun } from "../../../core/plan/plan-user-run.ts";
import { unnamedEntryFindings } from "../../../core/plan/unnamed-entries.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";
import { arn, DEV, estate, NOW } from "../../support/estate-builder.ts";

const REASON_404 =
  "Received a 404 status error: the USER assignee 906702fd-1111 was not found in directory d-9067000000";

describe("isPrincipalDeletedFailure", () => {
  it("recognises AWS's 404 reason, for the principal it names", () => {
    expect(isPrincipalDeletedFailure(REASON_404)).toBe(true);
    expect(isPrincipalDeletedFailure(REASON_404, "906702fd-1111")).toBe(true);
    expect(isPrincipalDeletedFailure(REASON_404.replace("USER", "GROUP"), "906702fd-1111")).toBe(true);
  });

  it("does not take any other failure, or another principal's 404, for done", () => {
    expect(isPrincipalDeletedFailure(REASON_404, "someone-else")).toBe(false);
    expect(isPrincipalDeletedFailure("Request failed: retry it")).toBe(false);
    expect(isPrincipalDeletedFailure(undefined)).toBe(false);
  });
});

describe("isOrphaned", () => {
  const ic = {
    users: [{ userId: "u-1", userName: "ana" }],
    groups: [{ groupId: "g-1", displayName: "devs" }],
    unnamed: { userIds: ["u-unnamed"], groupIds: ["g-unnamed"] },
  };
  const on = (principalType: "USER" | "GROUP", principalId: string) => ({
    accountId: DEV,
    permissionSetArn: arn("dev"),
    principalType,
    principalId,
  });

  const check = (over: Partial<PrincipalCheck> = {}): PrincipalCheck => ({
    missing: ["u-gone", "g-gone"],
    present: [],
    unchecked: [],
    storeReadEmpty: false,
    ...over,
  });

  it("is true only for a principal the read did not return and the identity store confirmed gone", () => {
    const checked = { ...ic, principalCheck: check() };
    expect(isOrphaned(checked, on("USER", "u-1"))).toBe(false);
    expect(isOrphaned(checked, on("USER", "u-unnamed"))).toBe(false);
    expect(isOrphaned(checked, on("USER", "u-gone"))).toBe(true);
    expect(isOrphaned(checked, on("GROUP", "g-1"))).toBe(false);
    expect(isOrphaned(checked, on("GROUP", "g-unnamed"))).toBe(false);
    expect(isOrphaned(checked, on("GROUP", "g-gone"))).toBe(true);
  });

  it("is false for an unread principal nothing confirmed gone: a short or empty read deletes nothing", () => {
    expect(principalStatus(ic, on("USER", "u-gone"))).toBe("unconfirmed");
    expect(principalStatus({ ...ic, principalCheck: check({ missing: [] }) }, on("USER", "u-gone"))).toBe(
      "unconfirmed",
    );
    const empty = { users: [], groups: [], principalCheck: check({ storeReadEmpty: true }) };
    expect(principalStatus(empty, on("GROUP", "g-gone"))).toBe("unconfirmed");
    expect(unconfirmedOrphanFinding(empty, on("GROUP", "g-gone")).message).toContain("blocked");
    expect(
      unconfirmedOrphanFinding({ ...ic, principalCheck: check({ present: ["u-x"] }) }, on("USER", "u-x"))
        .message,
    ).toContain("still holds it");
    expect(
      unconfirmedOrphanFinding({ ...ic, principalCheck: check({ unchecked: ["u-x"] }) }, on("USER", "u-x"))
        .message,
    ).toContain("budget");
    expect(unconfirmedOrphanFinding(ic, on("USER", "u-x")).message).toContain("could not confirm");
  });

  it("lists each unread principal once, sorted", () => {
    const assignments = [on("USER", "u-b"), on("GROUP", "g-1"), on("USER", "u-a"), on("USER", "u-b")];
    expect(unreadPrincipals({ ...ic, assignments })).toEqual([
      { principalType: "USER", principalId: "u-a" },
      { principalType: "USER", principalId: "u-b" },
    ]);
  });
});

describe("planEstate with orphaned assignments and unnamed entries", () => {
  it("reports and deletes an assignment whose user or group was deleted", () => {
    // Prepare: SCIM deleted a user and a group; their assignments stay listed
    const gone = [
      {
        accountId: DEV,
        permissionSetArn: arn("admin"),
        principalType: "USER" as const,
        principalId: "ic-gone",
      },
      {
        accountId: DEV,
        permissionSetArn: arn("admin"),
        principalType: "GROUP" as const,
        principalId: "icg-gone",
      },
    ];
    const input = estate((e) => {
      e.identityCenter.assignments.push(...gone);
      e.identityCenter.principalCheck = {
        missing: ["ic-gone", "icg-gone"],
        present: [],
        unchecked: [],
        storeReadEmpty: false,
      };
      e.policy.guards.maxDeletePercent = 100;
    });

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.status).toBe("ready");
    const deletions = plan.actions.filter((a) => a.kind === "assignment.delete");
    expect(deletions).toHaveLength(2);
    expect(deletions).toEqual(
      expect.arrayContaining(
        gone.map((assignment) => ({
          kind: "assignment.delete",
          assignment,
          why: "orphaned: its principal was deleted from the identity store",
        })),
      ),
    );
    expect(plan.findings).toHaveLength(2);
    expect(plan.findings).toEqual(expect.arrayContaining(gone.map((a) => orphanedAssignmentFinding(a))));
    expect(plan.findings.map((f) => f.kind)).not.toContain("direct-user-assignment");
  });

  it("deletes no unconfirmed principal's assignment: still held, unchecked, or an empty read", () => {
    // Prepare: the read came back short (ic-short exists), one was left unchecked, one is confirmed gone
    const on = (principalId: string) => ({
      accountId: DEV,
      permissionSetArn: arn("admin"),
      principalType: "USER" as const,
      principalId,
    });
    const input = estate((e) => {
      e.identityCenter.assignments.push(on("ic-short"), on("ic-later"), on("ic-gone"));
      e.identityCenter.principalCheck = {
        missing: ["ic-gone"],
        present: ["ic-short"],
        unchecked: ["ic-later"],
        storeReadEmpty: false,
      };
      e.policy.guards.maxDeletePercent = 100;
    });

    // Act
    const plan = planEstate(input);

    // Assess: only the confirmed orphan is deleted; the others are reported
    const deleted = plan.actions.flatMap((a) =>
      a.kind === "assignment.delete" ? [a.assignment.principalId] : [],
    );
    expect(deleted).toEqual(["ic-gone"]);
    const unconfirmed = plan.findings.filter((f) => f.kind === "orphan-unconfirmed");
    expect(unconfirmed.map((f) => f.subject.principalId).sort()).toEqual(["ic-later", "ic-short"]);
  });

  it("deletes nothing as orphaned when the identity store read came back empty", () => {
    // Prepare: no user, no group read; every assignment's principal looks gone
    const input = estate((e) => {
      e.identityCenter.users = [];
      e.identityCenter.groups = [];
      e.identityCenter.memberships = [];
      e.identityCenter.principalCheck = {
        missing: ["icg-devs", "icg-admins"],
        present: [],
        unchecked: [],
        storeReadEmpty: true,
      };
      e.policy.guards.maxDeletePercent = 100;
    });

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.actions.filter((a) => a.kind === "assignment.delete")).toEqual([]);
    expect(plan.findings.filter((f) => f.kind === "orphan-unconfirmed")).toHaveLength(3);
    expect(plan.findings.map((f) => f.kind)).not.toContain("orphaned-assignment");
  });

  it("reports, and leaves, an orphaned assignment of a permission set the policy does not own", () => {
    // Prepare: a confirmed orphan on a set the policy does not declare (scope: declared)
    const foreign = {
      accountId: DEV,
      permissionSetArn: arn("billing"),
      principalType: "GROUP" as const,
      principalId: "icg-gone",
    };
    const input = estate((e) => {
      e.identityCenter.permissionSets.push({ arn: arn("billing"), name: "Billing", sessionDuration: "PT1H" });
      e.identityCenter.assignments.push(foreign);
      e.identityCenter.principalCheck = {
        missing: ["icg-gone"],
        present: [],
        unchecked: [],
        storeReadEmpty: false,
      };
    });

    // Act
    const owned = planEstate(input);
    const all = planEstate({
      ...input,
      policy: { ...input.policy, ownership: { ...input.policy.ownership, scope: "all" } },
    });

    // Assess
    expect(owned.actions.filter((a) => a.kind === "assignment.delete")).toEqual([]);
    expect(owned.findings).toContainEqual(orphanedAssignmentFinding(foreign, false));
    expect(orphanedAssignmentFinding(foreign, false).message).toContain("not the policy's");
    expect(all.actions).toContainEqual(
      expect.objectContaining({ kind: "assignment.delete", assignment: foreign }),
    );
  });

  it("skips and reports a user without a UserName and a group without a DisplayName", () => {
    // Prepare: an unnamed group holds an assignment and a member; an unnamed user holds one too
    const input = estate((e) => {
      e.identityCenter.unnamed = { userIds: ["ic-unnamed"], groupIds: ["icg-unnamed"] };
      e.identityCenter.memberships.push({ groupId: "icg-unnamed", userId: "ic-ana" });
      e.identityCenter.assignments.push({
        accountId: DEV,
        permissionSetArn: arn("dev"),
        principalType: "GROUP",
        principalId: "icg-unnamed",
      });
    });

    // Act
    const plan = planEstate(input);

    // Assess: nothing is deleted for them, both are reported
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual(
      expect.arrayContaining(unnamedEntryFindings({ userIds: ["ic-unnamed"], groupIds: ["icg-unnamed"] })),
    );
    expect(plan.findings.filter((f) => f.kind === "unnamed-identity-store-entry")).toHaveLength(2);
  });

  it("reports nothing when every entry has a name", () => {
    expect(unnamedEntryFindings(undefined)).toEqual([]);
  });
});

describe("planUserRun for a leaver SCIM already deleted", () => {
  const truth: UserTruth = {
    observedAt: NOW,
    okta: { found: true, status: "DEPROVISIONED", login: "jane.doe@example.com", groups: [] },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      userId: "ic-jane",
      userName: "jane.doe@example.com",
      resolution: { outcome: "resolved", userId: "ic-jane", via: "link", detail: "deleted", deleted: true },
      memberships: [],
      directAssignments: [
        { accountId: DEV, permissionSetArn: arn("admin"), principalType: "USER", principalId: "ic-jane" },
      ],
      groupAssignments: [],
      denies: [],
    },
  };

  it("still denies every session, deletes the orphaned assignment and reports it", () => {
    const plan = planUserRun(truth, { holdMs: 3_600_000, now: NOW });
    expect(plan.decision).toBe("revoke");
    expect(plan.denies).toEqual([expect.objectContaining({ userId: "ic-jane", scope: "all" })]);
    expect(plan.assignmentDeletions).toHaveLength(1);
    expect(plan.findings).toEqual(
      truth.identityCenter.directAssignments.map((a) => orphanedAssignmentFinding(a)),
    );
  });
});
