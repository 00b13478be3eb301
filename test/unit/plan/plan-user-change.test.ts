import { describe, expect, it } from "vitest";
import type { Assignment, DenyEntry } from "../../../core/estate.ts";
import { planUserChange, type UserChangeOptions } from "../../../core/plan/plan-user-change.ts";
import { planUserRun } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";

const NOW = "2026-06-01T12:00:00.000Z";
const LATER = "2026-06-02T00:00:00.000Z";
const grant = (accountId: string, ps: string, groupId: string): Assignment => ({
  accountId,
  permissionSetArn: `arn:ps/${ps}`,
  principalType: "GROUP",
  principalId: groupId,
});

/** Ben: in Okta groups devs and admins; in Identity Center groups devs, admins and (stale) oncall. */
function truth(change: (t: UserTruth) => void = () => {}): UserTruth {
  const t: UserTruth = {
    observedAt: NOW,
    okta: {
      found: true,
      status: "ACTIVE",
      login: "ben@example.com",
      groups: [
        { id: "00gdevs", name: "devs" },
        { id: "00gadmins", name: "admins" },
      ],
      sessionTags: { team: "search" },
    },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1",
      userId: "ic-ben",
      userName: "ben@example.com",
      memberships: [
        { membershipId: "m-devs", groupId: "g-devs", groupName: "devs" },
        { membershipId: "m-admins", groupId: "g-admins", groupName: "admins" },
        { membershipId: "m-oncall", groupId: "g-oncall", groupName: "oncall" },
      ],
      directAssignments: [],
      groupAssignments: [],
      denies: [],
    },
    groupAssignments: {
      "g-devs": [grant("111111111111", "Dev", "g-devs")],
      "g-admins": [grant("111111111111", "Admin", "g-admins")],
      "g-oncall": [grant("111111111111", "Dev", "g-oncall"), grant("222222222222", "Admin", "g-oncall")],
      "g-data": [grant("333333333333", "Data", "g-data")],
    },
    icGroupsByName: { devs: "g-devs", admins: "g-admins", oncall: "g-oncall", data: "g-data" },
    permissionSetNames: { "arn:ps/Dev": "Dev", "arn:ps/Admin": "Admin", "arn:ps/Data": "Data" },
    previousSessionTags: { team: "search" },
  };
  change(t);
  return t;
}

const options = (change: Partial<UserChangeOptions> = {}): UserChangeOptions => ({
  now: NOW,
  holdMs: 12 * 3_600_000,
  membershipSync: false,
  sessionTagAttributes: ["team"],
  leftGroupNames: [],
  permissionSetNames: { "arn:ps/Dev": "Dev", "arn:ps/Admin": "Admin", "arn:ps/Data": "Data" },
  changedAt: "2026-06-01T11:59:00.000Z",
  ...change,
});
const moverDeny = (permissionSetName: string, accountIds: string[], expiresAt = LATER): DenyEntry => ({
  userId: "ic-ben",
  scope: { permissionSetName, accountIds },
  reason: "mover",
  createdAt: NOW,
  expiresAt,
});

describe("planUserChange (joiner / mover)", () => {
  it("denies only what a mover lost: Admin in 222222222222; Dev in 111111111111 stays through devs", () => {
    const plan = planUserChange(truth(), options());
    expect(plan.actions).toEqual([
      { kind: "deny.add", deny: moverDeny("Admin", ["222222222222"]), inlinePermissionSetArns: [] },
    ]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["stale-membership"]);
  });

  it("denies each lost permission set separately, in name order", () => {
    const plan = planUserChange(
      truth((t) => {
        t.groupAssignments?.["g-oncall"]?.push(grant("333333333333", "Data", "g-oncall"));
      }),
      options(),
    );
    expect(
      plan.actions.map((a) =>
        a.kind === "deny.add" && a.deny.scope !== "all" ? a.deny.scope.permissionSetName : a.kind,
      ),
    ).toEqual(["Admin", "Data"]);
  });

  it("removes the stale membership itself when the policy owns membership sync", () => {
    const plan = planUserChange(truth(), options({ membershipSync: true }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["membership.remove", "deny.add"]);
  });

  it("uses the event's hint when SCIM already removed the membership (the truth alone no longer shows it)", () => {
    const plan = planUserChange(
      truth((t) => {
        t.identityCenter.memberships = t.identityCenter.memberships.filter((m) => m.groupId !== "g-oncall");
      }),
      options({ leftGroupNames: ["oncall", "unknown-group"] }),
    );
    expect(plan.actions).toEqual([
      { kind: "deny.add", deny: moverDeny("Admin", ["222222222222"]), inlinePermissionSetArns: [] },
    ]);
  });

  it("reports a membership Okta has and Identity Center lacks, and adds it with membership sync", () => {
    const lagging = (t: UserTruth) => {
      t.okta.groups.push({ id: "00gdata", name: "data" }, { id: "00gnotpushed", name: "not-pushed" });
    };
    expect(planUserChange(truth(lagging), options()).findings.map((f) => f.kind)).toEqual([
      "scim-lag",
      "stale-membership",
    ]);
    expect(planUserChange(truth(lagging), options({ membershipSync: true })).actions).toContainEqual({
      kind: "membership.add",
      groupId: "g-data",
      userId: "ic-ben",
      why: "member in Okta",
    });
  });

  it("reports a joiner SCIM has not provisioned yet, and changes nothing", () => {
    const plan = planUserChange(
      truth((t) => {
        t.identityCenter.userId = null;
      }),
      options(),
    );
    expect(plan).toMatchObject({ actions: [], findings: [{ kind: "scim-lag" }] });
  });

  it("lifts a leaver Deny of a reactivated user and a mover Deny whose access came back; keeps a Deny still needed", () => {
    const leaver: DenyEntry = {
      userId: "ic-ben",
      scope: "all",
      reason: "leaver",
      createdAt: NOW,
      expiresAt: LATER,
    };
    const regained = moverDeny("Dev", ["111111111111"]);
    const stillNeeded = moverDeny("Admin", ["222222222222"]);
    const expired = moverDeny("Data", ["333333333333"], NOW);
    const plan = planUserChange(
      truth((t) => {
        t.identityCenter.denies = [leaver, regained, stillNeeded, expired];
      }),
      options(),
    );
    expect(plan.actions).toEqual([
      { kind: "deny.lift", deny: leaver, inlinePermissionSetArns: [], why: "access-regained" },
      { kind: "deny.lift", deny: regained, inlinePermissionSetArns: [], why: "access-regained" },
    ]);
  });

  it("never lifts a Deny recorded after Okta was read (a leaver run saw newer truth than this run)", () => {
    // Prepare: this run read Okta (ACTIVE) before a leaver run recorded its Deny; Identity Center and
    // the ledger were read after it (a slow, throttled read)
    const readAt = "2026-06-01T11:59:59.000Z";
    const newer: DenyEntry = {
      userId: "ic-ben",
      scope: "all",
      reason: "leaver",
      createdAt: NOW,
      expiresAt: LATER,
    };
    const older: DenyEntry = {
      ...newer,
      reason: "mover",
      scope: { permissionSetName: "Dev", accountIds: ["111111111111"] },
      createdAt: "2026-06-01T11:00:00.000Z",
    };

    // Act
    const plan = planUserChange(
      truth((t) => {
        t.okta.readAt = readAt;
        t.identityCenter.denies = [newer, older];
      }),
      options(),
    );

    // Assess: the older mover Deny (access came back) is lifted; the newer leaver Deny stays
    expect(plan.actions.filter((a) => a.kind === "deny.lift")).toEqual([
      { kind: "deny.lift", deny: older, inlinePermissionSetArns: [], why: "access-regained" },
    ]);
  });

  it("denies sessions issued before a session-tag attribute changed, once", () => {
    const moved = (t: UserTruth) => {
      t.okta.sessionTags = { team: "payments" };
      t.identityCenter.memberships.pop();
    };
    const plan = planUserChange(truth(moved), options());
    expect(plan.actions).toEqual([
      {
        kind: "deny.add",
        deny: {
          userId: "ic-ben",
          scope: "all",
          issuedBefore: "2026-06-01T11:59:00.000Z",
          reason: "attribute-change",
          createdAt: NOW,
          expiresAt: LATER,
        },
        inlinePermissionSetArns: [],
      },
    ]);
    expect(plan.sessionTags).toEqual({ team: "payments" });
    const again = planUserChange(
      truth((t) => {
        moved(t);
        t.identityCenter.denies = [
          plan.actions[0]?.kind === "deny.add" ? plan.actions[0].deny : moverDeny("x", []),
        ];
      }),
      options(),
    );
    expect(again.actions).toEqual([]);
  });

  it("remembers session tags the first time without revoking, and ignores other profile changes", () => {
    const first = planUserChange(
      truth((t) => {
        t.identityCenter.memberships.pop();
        delete t.previousSessionTags;
        delete t.okta.sessionTags;
      }),
      options(),
    );
    expect(first).toEqual({ actions: [], findings: [], sessionTags: { team: null } });
    const unrecorded = planUserChange(
      truth((t) => {
        t.identityCenter.memberships.pop();
        t.previousSessionTags = {};
        delete t.okta.sessionTags;
      }),
      options(),
    );
    expect(unrecorded.actions).toEqual([]);
  });

  it("falls back to ARNs and empty maps when names are unknown", () => {
    const plan = planUserChange(
      truth((t) => {
        delete t.groupAssignments;
        delete t.icGroupsByName;
      }),
      options({ permissionSetNames: {} }),
    );
    expect(plan.actions).toEqual([]);
  });
});

describe("planUserRun for active users", () => {
  const change = {
    membershipSync: true,
    sessionTagAttributes: ["team"],
    leftGroupNames: [],
    permissionSetNames: {},
    changedAt: NOW,
  };

  it("adjusts a mover: scoped Deny, stale membership removal, in the workflow's shapes", () => {
    const plan = planUserRun(truth(), { holdMs: 3_600_000, now: NOW, change });
    expect(plan).toMatchObject({
      decision: "adjust",
      membershipRemovals: [{ IdentityStoreId: "d-1", MembershipId: "m-oncall" }],
      denies: [{ reason: "mover" }],
      holdSeconds: 3600,
    });
  });

  it("adds a missing membership for a joiner when the policy owns membership sync", () => {
    const plan = planUserRun(
      truth((t) => {
        t.okta.groups.push({ id: "00gdata", name: "data" });
        t.identityCenter.memberships.pop();
      }),
      { holdMs: 3_600_000, now: NOW, change },
    );
    expect(plan).toMatchObject({
      decision: "adjust",
      membershipAdditions: [{ IdentityStoreId: "d-1", GroupId: "g-data", MemberId: { UserId: "ic-ben" } }],
      denies: [],
      holdSeconds: 0,
    });
  });

  it("lifts the leaver Deny of a user who is active again", () => {
    const leaver: DenyEntry = {
      userId: "ic-ben",
      scope: "all",
      reason: "leaver",
      createdAt: NOW,
      expiresAt: LATER,
    };
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.memberships.pop();
        t.identityCenter.denies = [leaver];
      }),
      { holdMs: 3_600_000, now: NOW, change },
    );
    expect(plan).toMatchObject({ decision: "adjust", lifts: [leaver], denies: [] });
  });

  it("changes nothing for a user whose access already matches", () => {
    const plan = planUserRun(
      truth((t) => {
        t.identityCenter.memberships.pop();
      }),
      { holdMs: 3_600_000, now: NOW, change },
    );
    expect(plan).toMatchObject({
      decision: "none",
      reason: "Okta status is ACTIVE: the user keeps their access, exactly as the policy grants it",
    });
  });
});

describe("planUserChange: Okta groups judged by id (APP_GROUPs may share an OKTA_GROUP's name)", () => {
  /** Ben left the OKTA_GROUP oncall (00goncall) but is in the AD APP_GROUP called oncall too. */
  const inAppGroup = (policyGroups: UserTruth["policyGroups"]) =>
    truth((t) => {
      t.okta.groups.push({ id: "00gadoncall", name: "oncall", type: "APP_GROUP" });
      t.policyGroups = policyGroups;
    });

  it("a same-named APP_GROUP is not the group the policy names by id: the mover loses its access", () => {
    // Act
    const plan = planUserChange(
      inAppGroup([{ name: "oncall", by: "id", oktaGroupIds: ["00goncall"] }]),
      options({ membershipSync: true }),
    );

    // Assess
    expect(plan.actions).toEqual([
      {
        kind: "membership.remove",
        groupId: "g-oncall",
        userId: "ic-ben",
        why: "no longer in the Okta group",
      },
      { kind: "deny.add", deny: moverDeny("Admin", ["222222222222"]), inlinePermissionSetArns: [] },
    ]);
    expect(plan.findings).toContainEqual({
      kind: "okta-group-name-shared",
      message:
        "'ben@example.com' is in Okta group 'oncall' (00gadoncall, APP_GROUP), which only shares its name with the policy's group (00goncall): it grants nothing.",
      subject: { oktaLogin: "ben@example.com", group: "oncall", oktaGroupId: "00gadoncall" },
    });
  });

  it("names every same-named group that grants nothing, in id order", () => {
    // Prepare: an LDAP group of the same name too, listed first
    const two = inAppGroup([{ name: "oncall", by: "id", oktaGroupIds: ["00goncall"] }]);
    two.okta.groups.unshift({ id: "00gldaponcall", name: "oncall", type: "APP_GROUP" });

    // Act
    const plan = planUserChange(two, options());

    // Assess
    expect(
      plan.findings.filter((f) => f.kind === "okta-group-name-shared").map((f) => f.subject.oktaGroupId),
    ).toEqual(["00gadoncall", "00gldaponcall"]);
  });

  it("the policy's own group, named by id, still counts beside a same-named APP_GROUP", () => {
    // Prepare
    const both = inAppGroup([{ name: "oncall", by: "id", oktaGroupIds: ["00goncall"] }]);
    both.okta.groups.push({ id: "00goncall", name: "oncall", type: "OKTA_GROUP" });

    // Act
    const plan = planUserChange(both, options());

    // Assess
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual([]);
  });

  it("a name the policy uses that two Okta groups have counts for neither: ambiguous, access Denied, membership left", () => {
    // Act
    const plan = planUserChange(
      inAppGroup([{ name: "oncall", by: "name", oktaGroupIds: ["00goncall", "00gadoncall"] }]),
      options({ membershipSync: true }),
    );

    // Assess
    expect(plan.actions).toEqual([
      { kind: "deny.add", deny: moverDeny("Admin", ["222222222222"]), inlinePermissionSetArns: [] },
    ]);
    expect(plan.findings.map((f) => f.kind)).toEqual(["okta-group-ambiguous", "stale-membership"]);
    expect(plan.findings[0]?.subject).toEqual({
      oktaLogin: "ben@example.com",
      group: "oncall",
      oktaGroupIds: "00gadoncall,00goncall",
    });
  });

  it("a name the policy uses that only one Okta group has counts, by that group's id", () => {
    // Prepare
    const unique = truth((t) => {
      t.policyGroups = [
        { name: "devs", by: "name", oktaGroupIds: ["00gdevs"] },
        { name: "admins", by: "name", oktaGroupIds: ["00gother"] },
      ];
    });

    // Act
    const plan = planUserChange(unique, options());

    // Assess: devs counts; admins is another group of that name (Okta's answers differ), so it does not
    expect(plan.findings.map((f) => f.kind)).toEqual([
      "okta-group-name-shared",
      "stale-membership",
      "stale-membership",
    ]);
    expect(
      plan.actions.map((a) => (a.kind === "deny.add" && a.deny.scope !== "all" ? a.deny.scope : a.kind)),
    ).toEqual([{ permissionSetName: "Admin", accountIds: ["111111111111", "222222222222"] }]);
  });

  it("a group the policy does not name counts by name, with or without a type", () => {
    // Act
    const plan = planUserChange(
      truth((t) => {
        t.policyGroups = [{ name: "unrelated", by: "id", oktaGroupIds: ["00gunrelated"] }];
        t.okta.groups.push({ id: "00goncall", name: "oncall" });
      }),
      options(),
    );

    // Assess
    expect(plan).toMatchObject({ actions: [], findings: [] });
  });
});
