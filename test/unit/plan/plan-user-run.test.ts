import { describe, expect, it } from "vitest";
import { planUserRun } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";

const NOW = "2026-06-01T12:00:00.000Z";
const HOLD = 12 * 3_600_000;

function truth(change: (t: UserTruth) => void = () => {}): UserTruth {
  const t: UserTruth = {
    observedAt: NOW,
    okta: { found: true, status: "DEPROVISIONED", login: "jane.doe@example.com", groups: [] },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      userId: "ic-jane",
      userName: "jane.doe@example.com",
      memberships: [{ membershipId: "m-1", groupId: "g-devs", groupName: "aws-devs" }],
      directAssignments: [
        {
          accountId: "222222222222",
          permissionSetArn: "arn:ps/admin",
          principalType: "USER",
          principalId: "ic-jane",
        },
      ],
      groupAssignments: [
        {
          accountId: "111111111111",
          permissionSetArn: "arn:ps/dev",
          principalType: "GROUP",
          principalId: "g-devs",
        },
        {
          accountId: "222222222222",
          permissionSetArn: "arn:ps/dev",
          principalType: "GROUP",
          principalId: "g-devs",
        },
      ],
      denies: [],
    },
  };
  change(t);
  return t;
}

describe("planUserRun", () => {
  it("revokes a deactivated user: Deny on all sessions, direct assignments and memberships removed", () => {
    // Act
    const plan = planUserRun(truth(), { holdMs: HOLD, now: NOW });
    // Assess
    expect(plan).toMatchObject({
      decision: "revoke",
      reason: "leaver: Okta status is DEPROVISIONED",
      denies: [
        {
          userId: "ic-jane",
          scope: "all",
          reason: "leaver",
          createdAt: NOW,
          expiresAt: "2026-06-02T00:00:00.000Z",
        },
      ],
      assignmentDeletions: [
        {
          InstanceArn: "arn:aws:sso:::instance/ssoins-1",
          TargetId: "222222222222",
          TargetType: "AWS_ACCOUNT",
          PermissionSetArn: "arn:ps/admin",
          PrincipalType: "USER",
          PrincipalId: "ic-jane",
        },
      ],
      membershipRemovals: [{ IdentityStoreId: "d-1234567890", MembershipId: "m-1" }],
      accountsAffected: ["111111111111", "222222222222"],
      holdSeconds: 43_200,
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(["deny.add", "assignment.delete", "membership.remove"]);
  });

  it("treats a suspended user as a leaver (SCIM sends nothing for suspend)", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta.status = "SUSPENDED";
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.decision).toBe("revoke");
  });

  it("treats a user Okta no longer has (404) as a leaver", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta = { found: false, status: null, login: "jane.doe@example.com", groups: [] };
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.reason).toBe("leaver: the user no longer exists in Okta (deleted)");
  });

  it("does not revoke a user who is still ACTIVE in Okta, and says why", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta.status = "ACTIVE";
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan).toMatchObject({
      decision: "none",
      reason: "Okta status is ACTIVE: the user keeps their access",
      denies: [],
      assignmentDeletions: [],
      membershipRemovals: [],
    });
  });

  it("revokes nothing when Identity Center has no such user", () => {
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.userId = null;
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.decision).toBe("none");
    expect(plan.reason).toContain("Identity Center has no user 'jane.doe@example.com'");
  });

  it("does not add a second Deny while a leaver Deny is in force, but still removes access", () => {
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.denies = [
          {
            userId: "ic-jane",
            scope: "all",
            reason: "leaver",
            createdAt: NOW,
            expiresAt: "2026-06-01T13:00:00.000Z",
          },
        ];
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.denies).toEqual([]);
    expect(plan.actions.map((a) => a.kind)).toEqual(["assignment.delete", "membership.remove"]);
  });

  it("acts on nobody when no Identity Center user can be tied to an id Okta does not know", () => {
    // Prepare: Okta 404, and nothing trustworthy names an Identity Center user
    const detail = "Okta has no user 00uDOESNOTEXIST000001 and the pipeline has no record of it";
    const plan = planUserRun(
      truth((t) => {
        t.okta = { found: false, status: null, login: null, groups: [] };
        t.identityCenter.userId = null;
        t.identityCenter.resolution = { outcome: "unresolved", detail };
      }),
      { holdMs: HOLD, now: NOW },
    );
    // Assess
    expect(plan).toMatchObject({ decision: "unverifiable", reason: detail, denies: [], actions: [] });
    expect(plan.findings).toEqual([{ kind: "identity-unresolved", message: detail, subject: {} }]);
  });

  it("acts on nobody when the candidate Identity Center user belongs to another Okta user", () => {
    // Prepare: a deactivated Okta user whose login now names someone else's Identity Center user
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.resolution = { outcome: "conflict", userId: "ic-jane", detail: "another user" };
      }),
      { holdMs: HOLD, now: NOW },
    );
    // Assess
    expect(plan.decision).toBe("unverifiable");
    expect(plan.assignmentDeletions).toEqual([]);
    expect(plan.membershipRemovals).toEqual([]);
    expect(plan.findings).toEqual([
      { kind: "identity-conflict", message: "another user", subject: { identityCenterUserId: "ic-jane" } },
    ]);
  });

  it("revokes a leaver found through the pipeline's record", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta = { found: false, status: null, login: null, groups: [] };
        t.identityCenter.resolution = { outcome: "resolved", userId: "ic-jane", via: "link", detail: "link" };
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.decision).toBe("revoke");
  });

  it("revokes a user Okta is still deactivating (ACTIVE, transitioning to DEPROVISIONED)", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta.status = "ACTIVE";
        t.okta.transitioningToStatus = "DEPROVISIONED";
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.decision).toBe("revoke");
    expect(plan.reason).toBe("leaver: Okta status is ACTIVE, transitioning to DEPROVISIONED");
  });

  it("acts on nobody when Identity Center holds possible matches under another username format", () => {
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.userId = null;
        t.identityCenter.resolution = {
          outcome: "unmatched",
          candidates: [
            { userId: "ic-1", userName: "jane.doe" },
            { userId: "ic-2", userName: "jdoe" },
          ],
          detail: "holds jane.doe",
        };
      }),
      { holdMs: HOLD, now: NOW },
    );
    expect(plan.decision).toBe("unverifiable");
    expect(plan.findings).toEqual([
      {
        kind: "identity-unmatched",
        message: "holds jane.doe",
        subject: { identityCenterUserIds: "ic-1,ic-2" },
      },
    ]);
  });

  it("grants nothing to a user Okta has not activated yet (PROVISIONED until the welcome flow)", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta.status = "PROVISIONED";
        t.identityCenter.userId = null;
      }),
      {
        holdMs: HOLD,
        now: NOW,
        change: {
          membershipSync: true,
          sessionTagAttributes: [],
          leftGroupNames: [],
          permissionSetNames: {},
          changedAt: NOW,
        },
      },
    );
    expect(plan).toMatchObject({
      decision: "none",
      reason: "Okta status is PROVISIONED: the user is not active yet, so nothing is granted",
      actions: [],
      findings: [],
    });
  });
});
