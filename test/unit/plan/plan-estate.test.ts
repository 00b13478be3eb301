import { describe, expect, it } from "vitest";
import { applyPlan } from "../../../core/plan/apply-plan.ts";
import { isRevocationUpkeep, type PlanAction } from "../../../core/plan/plan.ts";
import { type PlanInput, planEstate } from "../../../core/plan/plan-estate.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { arn, DEV, estate, MGMT, NOW, oktaGroup, oktaUser, PROD } from "../../support/estate-builder.ts";

const kinds = (actions: PlanAction[]) => actions.map((a) => a.kind);
const hoursAfterNow = (h: number) => new Date(Date.parse(NOW) + h * 3_600_000).toISOString();

describe("planEstate", () => {
  it("finds nothing to do when Identity Center already equals the policy", () => {
    const plan = planEstate(estate());
    expect(plan).toMatchObject({ status: "ready", actions: [], findings: [], managedAssignmentCount: 3 });
  });

  it("creates the assignments a rule asks for, including on a new account in a targeted OU", () => {
    const plan = planEstate(
      estate((e) => {
        e.organization.accounts.push({
          id: "333333333333",
          name: "new",
          parentId: "ou-root-workload",
          tags: {},
          status: "ACTIVE",
        });
      }),
    );
    expect(plan.actions).toEqual([
      {
        kind: "assignment.create",
        assignment: {
          accountId: "333333333333",
          permissionSetArn: arn("dev"),
          principalType: "GROUP",
          principalId: "icg-devs",
        },
        rule: "devs",
      },
    ]);
  });

  it("deletes an owned assignment no rule grants, but only reports an unmanaged one", () => {
    const plan = planEstate(
      estate((e) => {
        e.identityCenter.assignments.push(
          {
            accountId: DEV,
            permissionSetArn: arn("admin"),
            principalType: "GROUP",
            principalId: "icg-admins",
          },
          { accountId: DEV, permissionSetArn: arn("admin"), principalType: "GROUP", principalId: "icg-devs" },
        );
        e.policy.guards.maxDeletePercent = 100;
      }),
    );
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: "assignment.delete",
        assignment: expect.objectContaining({ accountId: DEV, principalId: "icg-admins" }),
      }),
    ]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["unmanaged-assignment"]);
  });

  it("owns every assignment of a declared permission set with scope permission-sets", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy.ownership.scope = "permission-sets";
        e.policy.guards.maxDeletePercent = 100;
        e.identityCenter.assignments.push({
          accountId: DEV,
          permissionSetArn: arn("admin"),
          principalType: "GROUP",
          principalId: "icg-devs",
        });
        e.identityCenter.assignments.push({
          accountId: DEV,
          permissionSetArn: "arn:other",
          principalType: "GROUP",
          principalId: "icg-devs",
        });
      }),
    );
    expect(
      plan.actions.map((a) => (a.kind === "assignment.delete" ? a.assignment.permissionSetArn : a.kind)),
    ).toEqual([arn("admin")]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["unmanaged-assignment"]);
  });

  it("reports a direct user assignment, and deletes it only when the policy says so", () => {
    const direct = {
      accountId: DEV,
      permissionSetArn: arn("admin"),
      principalType: "USER" as const,
      principalId: "ic-ben",
    };
    const reported = planEstate(estate((e) => void e.identityCenter.assignments.push(direct)));
    expect(reported.actions).toEqual([]);
    expect(reported.findings.map((f) => f.kind)).toEqual(["direct-user-assignment"]);

    const deleted = planEstate(
      estate((e) => {
        e.identityCenter.assignments.push(direct);
        e.policy.ownership.directUserAssignments = "delete";
        e.policy.guards.maxDeletePercent = 100;
      }),
    );
    expect(deleted.actions).toEqual([
      { kind: "assignment.delete", assignment: direct, why: "direct user assignment (policy: delete)" },
    ]);
  });

  it("revokes a leaver: Deny first (inline in the management account, re-provisioned), then memberships and direct assignments", () => {
    const plan = planEstate(
      estate((e) => {
        oktaUser(e, "ana").status = "SUSPENDED";
        e.identityCenter.provisioned.push({
          accountId: MGMT,
          permissionSetArn: arn("admin"),
          outdated: false,
        });
        e.identityCenter.assignments.push({
          accountId: DEV,
          permissionSetArn: arn("admin"),
          principalType: "USER",
          principalId: "ic-ana",
        });
      }),
    );
    expect(kinds(plan.actions)).toEqual([
      "deny.add",
      "permission-set.reprovision",
      "assignment.delete",
      "membership.remove",
      "membership.remove",
    ]);
    expect(plan.actions[0]).toEqual({
      kind: "deny.add",
      deny: {
        userId: "ic-ana",
        scope: "all",
        reason: "leaver",
        createdAt: NOW,
        expiresAt: hoursAfterNow(12),
      },
      inlinePermissionSetArns: [arn("admin")],
    });
    // The write outdates the set in every account it is provisioned to: one call brings them all up.
    expect(plan.actions[1]).toEqual({
      kind: "permission-set.reprovision",
      permissionSetArn: arn("admin"),
      target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: [PROD, MGMT] },
      cause: "revocation",
      why: "inline Deny changed",
    });
    expect(plan.findings.map((f) => f.kind)).toEqual(["orphaned-user"]);
  });

  it("holds a Deny for the longest session duration when that exceeds the policy's hold", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy.revocation.hold = "PT2H";
        oktaUser(e, "ben").status = "DEPROVISIONED";
      }),
    );
    expect(plan.actions[0]).toMatchObject({ kind: "deny.add", deny: { expiresAt: hoursAfterNow(4) } });
  });

  it("does not Deny a leaver that already has no access, nor one already under a leaver Deny", () => {
    const noAccess = planEstate(
      estate((e) => {
        oktaUser(e, "ben").status = "DEPROVISIONED";
        e.identityCenter.memberships = e.identityCenter.memberships.filter((m) => m.userId !== "ic-ben");
        oktaGroup(e, "aws-devs").memberIds = ["00uana"];
      }),
    );
    expect(noAccess.actions).toEqual([]);

    const alreadyDenied = planEstate(
      estate((e) => {
        oktaUser(e, "ben").status = "DEPROVISIONED";
        e.identityCenter.denies.push({
          userId: "ic-ben",
          scope: "all",
          reason: "leaver",
          createdAt: NOW,
          expiresAt: hoursAfterNow(1),
        });
      }),
    );
    expect(kinds(alreadyDenied.actions)).toEqual(["membership.remove"]);
  });

  it("matches Okta users to Identity Center users by the app's username format", () => {
    // Prepare: the app names users by the login's prefix (ana, ben), and ben is suspended
    const plan = planEstate(
      estate((e) => {
        e.policy.okta.identityCenterApp.userNameFormat = "oktaUsernamePrefix";
        for (const u of e.identityCenter.users) u.userName = u.userName.replace(/@.*/, "");
        oktaUser(e, "ben").status = "SUSPENDED";
      }),
    );
    // Assess: ben is revoked as the leaver he is; nobody is reported as missing from Okta
    expect(plan.actions[0]).toMatchObject({ kind: "deny.add", deny: { userId: "ic-ben", reason: "leaver" } });
    expect(plan.findings.map((f) => f.message)).toEqual([
      "'ben' is SUSPENDED in Okta but still has access in Identity Center.",
    ]);
  });

  it("falls back to the login when the username format has nothing to give", () => {
    // email format, but the Okta users carry no email: matched by login as before
    const plan = planEstate(
      estate((e) => {
        e.policy.okta.identityCenterApp.userNameFormat = "email";
        oktaUser(e, "ben").status = "SUSPENDED";
      }),
    );
    expect(plan.actions[0]).toMatchObject({ kind: "deny.add", deny: { userId: "ic-ben" } });
  });

  it("treats a user Okta is still deactivating as a leaver, and says so", () => {
    const plan = planEstate(
      estate((e) => {
        const ben = oktaUser(e, "ben");
        ben.status = "ACTIVE";
        ben.transitioningToStatus = "DEPROVISIONED";
      }),
    );
    expect(plan.actions[0]).toMatchObject({ kind: "deny.add", deny: { userId: "ic-ben", reason: "leaver" } });
    expect(plan.findings.map((f) => f.message)).toContain(
      "'ben@example.com' is ACTIVE, transitioning to DEPROVISIONED in Okta but still has access in Identity Center.",
    );
  });

  it("with the inline method, writes the Deny into every provisioned permission set and re-provisions each, once per set", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy.revocation.method = "inline";
        oktaUser(e, "ben").status = "SUSPENDED";
      }),
    );
    expect(plan.actions[0]).toMatchObject({
      kind: "deny.add",
      inlinePermissionSetArns: [arn("admin"), arn("dev")],
    });
    expect(plan.actions.filter((a) => a.kind === "permission-set.reprovision")).toEqual([
      expect.objectContaining({
        permissionSetArn: arn("dev"),
        target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: [PROD, DEV] },
      }),
      expect.objectContaining({
        permissionSetArn: arn("admin"),
        target: { type: "AWS_ACCOUNT", accountId: PROD },
      }),
    ]);
  });

  it("scopes a mover's Deny to the permission sets and accounts they lost, and keeps what another group still grants", () => {
    const plan = planEstate(
      estate((e) => {
        oktaGroup(e, "aws-admins").memberIds = []; // ana left aws-admins
        e.policy.guards.abortOnEmptyGroup = false;
        e.identityCenter.assignments.push({
          accountId: DEV,
          permissionSetArn: arn("dev"),
          principalType: "GROUP",
          principalId: "icg-admins",
        });
        e.policy.ownership.scope = "declared";
      }),
    );
    // ana keeps Developer on DEV through aws-devs, so only Admin on PROD is denied.
    expect(plan.actions.filter((a) => a.kind === "deny.add")).toEqual([
      {
        kind: "deny.add",
        deny: {
          userId: "ic-ana",
          scope: { permissionSetName: "Admin", accountIds: [PROD] },
          reason: "mover",
          createdAt: NOW,
          expiresAt: hoursAfterNow(12),
        },
        inlinePermissionSetArns: [],
      },
    ]);
    expect(plan.findings.map((f) => f.kind)).toContain("stale-membership");
    expect(kinds(plan.actions)).not.toContain("membership.remove");
  });

  it("removes a stale membership itself when the policy owns membership sync", () => {
    const plan = planEstate(
      estate((e) => {
        oktaGroup(e, "aws-admins").memberIds = ["00uben"];
        e.policy.ownership.membershipSync = true;
      }),
    );
    expect(kinds(plan.actions)).toEqual(["deny.add", "membership.remove", "membership.add"]);
    const after = applyPlan(estate().identityCenter, plan.actions);
    expect(after.memberships).toContainEqual({ groupId: "icg-admins", userId: "ic-ben" });
    expect(after.memberships).not.toContainEqual({ groupId: "icg-admins", userId: "ic-ana" });
  });

  it("lifts a leaver Deny when the user is active again, and a mover Deny whose access came back", () => {
    const plan = planEstate(
      estate((e) => {
        e.identityCenter.denies.push(
          { userId: "ic-ana", scope: "all", reason: "leaver", createdAt: NOW, expiresAt: hoursAfterNow(3) },
          {
            userId: "ic-ana",
            scope: { permissionSetName: "Admin", accountIds: [PROD] },
            reason: "mover",
            createdAt: NOW,
            expiresAt: hoursAfterNow(3),
          },
          {
            userId: "ic-ben",
            scope: { permissionSetName: "Admin", accountIds: [PROD] },
            reason: "mover",
            createdAt: NOW,
            expiresAt: hoursAfterNow(3),
          },
        );
      }),
    );
    const lifts = plan.actions.filter((a) => a.kind === "deny.lift");
    expect(lifts.map((a) => [a.deny.userId, a.deny.reason, a.why])).toEqual([
      ["ic-ana", "leaver", "access-regained"],
      ["ic-ana", "mover", "access-regained"],
    ]);
  });

  it("never lifts a Deny recorded after Okta was read: a leaver run saw newer truth than this read", () => {
    // Prepare: Okta said ACTIVE at readAt; both Denies were recorded a second later
    const readAt = new Date(Date.parse(NOW) - 1_000).toISOString();
    const plan = planEstate({
      ...estate((e) => {
        e.identityCenter.denies.push(
          { userId: "ic-ana", scope: "all", reason: "leaver", createdAt: NOW, expiresAt: hoursAfterNow(3) },
          {
            userId: "ic-ana",
            scope: { permissionSetName: "Admin", accountIds: [PROD] },
            reason: "mover",
            createdAt: NOW,
            expiresAt: hoursAfterNow(3),
          },
        );
      }),
      oktaReadAt: readAt,
    });

    // Assess
    expect(plan.actions.filter((a) => a.kind === "deny.lift")).toEqual([]);
  });

  it("lifts expired Denies of any kind", () => {
    const expired = {
      userId: "ic-ben",
      scope: "all" as const,
      issuedBefore: NOW,
      reason: "attribute-change" as const,
      createdAt: NOW,
      expiresAt: NOW,
    };
    const plan = planEstate(estate((e) => void e.identityCenter.denies.push(expired)));
    expect(plan.actions).toEqual([
      {
        kind: "deny.lift",
        deny: expired,
        inlinePermissionSetArns: [arn("admin"), arn("dev")].filter(() => false),
        why: "expired",
      },
    ]);
  });

  it("reports SCIM lag, and repairs a missing membership only with membership sync", () => {
    const lagging = (sync: boolean) =>
      planEstate(
        estate((e) => {
          e.okta.users.push({ id: "00ucleo", login: "cleo@example.com", status: "ACTIVE" });
          oktaGroup(e, "aws-devs").memberIds = ["00uana", "00uben", "00ucleo"];
          oktaGroup(e, "aws-admins").memberIds = ["00uana", "00uben"];
          e.policy.ownership.membershipSync = sync;
        }),
      );
    const reported = lagging(false);
    expect(reported.actions).toEqual([]);
    expect(reported.findings.map((f) => [f.kind, f.subject])).toEqual([
      ["scim-lag", { oktaUserId: "00ucleo", group: "aws-devs" }],
      ["scim-lag", { userId: "ic-ben", groupId: "icg-admins" }],
    ]);
    expect(lagging(true).actions).toEqual([
      { kind: "membership.add", groupId: "icg-admins", userId: "ic-ben", why: "member in Okta" },
    ]);
  });

  it("does not report users Okta has not activated yet (STAGED, PROVISIONED) as SCIM lag", () => {
    const plan = planEstate(
      estate((e) => {
        e.okta.users.push(
          { id: "00unew", login: "new@example.com", status: "STAGED" },
          { id: "00uwait", login: "wait@example.com", status: "PROVISIONED" },
        );
        oktaGroup(e, "aws-devs").memberIds = ["00uana", "00uben", "00unew", "00uwait"];
      }),
    );
    expect(plan.findings).toEqual([]);
  });

  it("re-provisions a permission set that is outdated in an account", () => {
    const plan = planEstate(
      estate((e) => {
        e.identityCenter.provisioned = e.identityCenter.provisioned.map((p) => ({
          ...p,
          outdated: p.accountId === PROD && p.permissionSetArn === arn("dev"),
        }));
      }),
    );
    expect(plan.actions).toEqual([
      {
        kind: "permission-set.reprovision",
        permissionSetArn: arn("dev"),
        target: { type: "AWS_ACCOUNT", accountId: PROD },
        cause: "drift",
        why: "outdated in this account",
      },
    ]);
  });

  /** Admin provisioned to the management account too, current there and outdated in PROD and DEV. */
  const afterUserRunDenyWrite = (e: PlanInput) => {
    e.identityCenter.provisioned.push(
      { accountId: MGMT, permissionSetArn: arn("admin"), outdated: false },
      { accountId: DEV, permissionSetArn: arn("admin"), outdated: false },
    );
    for (const p of e.identityCenter.provisioned)
      if (p.permissionSetArn === arn("admin") && p.accountId !== MGMT) p.outdated = true;
  };

  it("brings a set a user run's Deny write left outdated up to date with one all-accounts call, as revocation upkeep", () => {
    // Prepare: the user run wrote the inline Deny and re-provisioned the management account only
    const input = estate(afterUserRunDenyWrite);

    // Act
    const plan = planEstate(input);

    // Assess
    expect(plan.actions).toEqual([
      {
        kind: "permission-set.reprovision",
        permissionSetArn: arn("admin"),
        target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: [PROD, DEV] },
        cause: "revocation",
        why: "outdated since an inline Deny write that re-provisioned the management account only",
      },
    ]);
    expect(plan.actions.every(isRevocationUpkeep)).toBe(true);
    const after = applyPlan(input.identityCenter, plan.actions);
    expect(after.provisioned.filter((p) => p.outdated)).toEqual([]);
    expect(planEstate({ ...input, identityCenter: after }).actions).toEqual([]);
  });

  it("reports a set outdated in several accounts that carries no inline Deny as drift, still in one call", () => {
    const plan = planEstate(
      estate((e) => {
        for (const p of e.identityCenter.provisioned) p.outdated = p.permissionSetArn === arn("dev");
      }),
    );
    expect(plan.actions).toEqual([
      {
        kind: "permission-set.reprovision",
        permissionSetArn: arn("dev"),
        target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: [PROD, DEV] },
        cause: "drift",
        why: "outdated in these accounts",
      },
    ]);
    expect(plan.actions.some(isRevocationUpkeep)).toBe(false);
  });

  it("as delegated administrator, never re-provisions a set provisioned to the management account everywhere", () => {
    const plan = planEstate({ ...estate(afterUserRunDenyWrite), managesManagementAccount: false });
    expect(plan.actions.map((a) => (a.kind === "permission-set.reprovision" ? a.target : a.kind))).toEqual([
      { type: "AWS_ACCOUNT", accountId: PROD },
      { type: "AWS_ACCOUNT", accountId: DEV },
    ]);
  });

  it("counts an expired Deny's lift as revocation upkeep, and nothing a repair does", () => {
    const lift: PlanAction = {
      kind: "deny.lift",
      deny: { userId: "u", scope: "all", reason: "leaver", createdAt: NOW, expiresAt: NOW },
      inlinePermissionSetArns: [],
      why: "expired",
    };
    expect(isRevocationUpkeep(lift)).toBe(true);
    expect(isRevocationUpkeep({ ...lift, why: "access-regained" })).toBe(false);
    expect(isRevocationUpkeep({ kind: "membership.add", groupId: "g", userId: "u", why: "scim lag" })).toBe(
      false,
    );
  });

  it("reports Identity Center users unknown to Okta without touching them", () => {
    const plan = planEstate(
      estate((e) => {
        e.identityCenter.users.push(
          { userId: "ic-ghost", userName: "ghost@example.com" },
          { userId: "ic-idle", userName: "idle@example.com" },
        );
        e.identityCenter.memberships.push({ groupId: "icg-devs", userId: "ic-ghost" });
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual([
      expect.objectContaining({
        kind: "orphaned-user",
        subject: { userId: "ic-ghost", userName: "ghost@example.com" },
      }),
    ]);
  });

  it("reports rules it cannot bind: missing Identity Center group, missing permission set, unknown targets, failed group read", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy = PolicyDocument.parse({
          version: 1,
          permissionSets: { Developer: {}, Ghost: {} },
          rules: [
            {
              name: "devs",
              group: { name: "aws-devs" },
              permissionSet: "Developer",
              targets: { ous: ["ou-root-workload"] },
            },
            {
              name: "ghost",
              group: "aws-devs",
              permissionSet: "Ghost",
              targets: { accounts: ["123412341234"], ous: ["ou-root-missing1"] },
            },
            { name: "unpushed", group: "aws-new", permissionSet: "Developer", targets: { accounts: [PROD] } },
          ],
        });
        e.okta.groups.push({ id: "00gnew", name: "aws-new", memberIds: null });
        e.policy.guards.maxDeletePercent = 100;
      }),
    );
    expect(plan.findings.map((f) => `${f.kind}:${JSON.stringify(f.subject)}`)).toEqual([
      'group-not-provisioned:{"rule":"unpushed","group":"aws-new"}',
      'okta-read-failed:{"rule":"unpushed","group":"aws-new"}',
      'permission-set-missing:{"rule":"ghost","permissionSet":"Ghost"}',
      'unknown-target:{"rule":"ghost","target":"123412341234"}',
      'unknown-target:{"rule":"ghost","target":"ou-root-missing1"}',
      `unmanaged-assignment:{"accountId":"${PROD}","permissionSetArn":"${arn("admin")}","principalId":"icg-admins"}`,
    ]);
  });

  it("reports a rule whose Okta group (named in object form) Okta did not return", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy.rules.push({
          name: "gone",
          group: { name: "aws-gone" },
          permissionSet: "Developer",
          targets: { accounts: [DEV], ous: [] },
        });
      }),
    );
    expect(plan.findings).toContainEqual({
      kind: "okta-group-unresolved",
      message: "Rule 'gone' names Okta group aws-gone, which Okta did not return.",
      subject: { rule: "gone" },
    });
    expect(plan.status).toBe("ready");
  });

  it("treats a membership in a group Identity Center does not list as kept", () => {
    const plan = planEstate(
      estate((e) => void e.identityCenter.memberships.push({ groupId: "icg-unlisted", userId: "ic-ben" })),
    );
    expect(plan.actions).toEqual([]);
  });

  it("resolves a rule that names its Okta group by id", () => {
    const plan = planEstate(
      estate((e) => {
        e.policy.rules[1] = {
          ...(e.policy.rules[1] as (typeof e.policy.rules)[number]),
          group: { id: "00gadmins0000000000" },
        };
        oktaGroup(e, "aws-admins").id = "00gadmins0000000000";
      }),
    );
    expect(plan).toMatchObject({ status: "ready", actions: [] });
  });

  describe("guards", () => {
    it("blocks a plan with more deletions than guards.maxDeletes", () => {
      const plan = planEstate(
        estate((e) => {
          e.policy.rules = e.policy.rules.slice(0, 1);
          e.policy.ownership.scope = "all";
          e.policy.guards.maxDeletes = 0;
          e.policy.guards.maxDeletePercent = 100;
        }),
      );
      expect(plan.status).toBe("blocked");
      expect(plan.violations.map((v) => v.guard)).toEqual(["max-deletes"]);
    });

    it("counts users newly denied (movers) against guards.maxDeletes and maxDeletePercent", () => {
      // Prepare: a half-read aws-admins: ana reads as no longer a member, so she gets a mover Deny
      const plan = planEstate(
        estate((e) => {
          oktaGroup(e, "aws-admins").memberIds = [];
          e.policy.guards.abortOnEmptyGroup = false;
          e.policy.guards.maxDeletes = 0;
          e.policy.guards.maxDeletePercent = 40;
        }),
      );
      // Assess: one of two Identity Center users newly denied trips both limits
      expect(plan.status).toBe("blocked");
      expect(plan.violations.map((v) => v.guard)).toEqual(
        expect.arrayContaining(["max-denied-users", "max-denied-percent"]),
      );
      expect(plan.violations.find((v) => v.guard === "max-denied-percent")?.message).toContain(
        "1 of 2 Identity Center users (50.0%)",
      );
    });

    it("does not count a leaver's Deny as a newly denied mover", () => {
      const plan = planEstate(
        estate((e) => {
          oktaUser(e, "ben").status = "SUSPENDED";
          e.policy.guards.maxDeletes = 5;
          e.policy.guards.maxDeletePercent = 100;
        }),
      );
      expect(plan.violations).toEqual([]);
    });

    it("blocks a plan deleting more than guards.maxDeletePercent of managed assignments", () => {
      const plan = planEstate(
        estate((e) => {
          e.policy.rules = e.policy.rules.slice(0, 1);
          e.policy.ownership.scope = "all";
        }),
      );
      expect(plan.violations).toEqual([
        {
          guard: "max-delete-percent",
          message: expect.stringContaining("1 of 3 managed assignments (33.3%)"),
        },
      ]);
    });

    it("blocks on an Okta group that reads as empty while Identity Center has members", () => {
      const plan = planEstate(
        estate((e) => {
          oktaGroup(e, "aws-devs").memberIds = [];
        }),
      );
      // both developers would also be newly denied: the Deny guard trips as well
      expect(plan.violations.map((v) => v.guard)).toEqual(["max-denied-percent", "empty-okta-group"]);
    });

    it("blocks a rule whose group name two Okta groups share (an APP_GROUP beside an OKTA_GROUP), never taking the first", () => {
      // Prepare: an Active Directory group with the same name as the policy's 'aws-devs'
      const input = estate((e) => {
        e.okta.groups.push({ id: "00gadgroup0000000001", name: "aws-devs", memberIds: null });
      });

      // Act
      const plan = planEstate(input);

      // Assess
      expect(plan.status).toBe("blocked");
      expect(plan.violations.map((v) => v.guard)).toEqual(["okta-group-ambiguous"]);
      const ambiguous = plan.findings.filter((f) => f.kind === "okta-group-ambiguous");
      expect(ambiguous.map((f) => f.subject.group)).toEqual(["aws-devs"]);
      expect(ambiguous[0]?.message).toContain("00gadgroup0000000001");
      expect(ambiguous[0]?.message).toContain("name the group by id");
    });

    it("binds a rule that names the shared group by id to that group alone", () => {
      const input = estate((e) => {
        const devs = oktaGroup(e, "aws-devs");
        e.okta.groups.push({ id: "00gadgroup0000000001", name: "aws-devs", memberIds: null });
        for (const rule of e.policy.rules) if (rule.group === "aws-devs") rule.group = { id: devs.id };
      });
      const plan = planEstate(input);
      expect(plan.violations).toEqual([]);
      expect(plan.findings.map((f) => f.kind)).not.toContain("okta-group-ambiguous");
      expect(plan.actions).toEqual([]);
    });

    it("blocks when Okta returns none of the policy's groups, and when a group named by id is missing", () => {
      expect(
        planEstate(
          estate((e) => {
            e.okta = { users: [], groups: [] };
          }),
        ).violations.map((v) => v.guard),
      ).toEqual(["empty-okta-read"]);
      const byId = planEstate(
        estate((e) => {
          e.policy.rules[1] = {
            ...(e.policy.rules[1] as (typeof e.policy.rules)[number]),
            group: { id: "00gmissing0000000000" },
          };
        }),
      );
      expect(byId.violations.map((v) => v.guard)).toEqual(["okta-group-unresolved"]);
      expect(byId.findings.map((f) => f.kind)).toContain("okta-group-unresolved");
    });
  });
});
