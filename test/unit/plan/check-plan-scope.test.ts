import { describe, expect, it } from "vitest";
import type { Organization } from "../../../core/estate.ts";
import {
  checkEstatePlanScope,
  checkUserRunPlanScope,
  PlanOutsidePolicyError,
} from "../../../core/plan/check-plan-scope.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import type { PlanInput } from "../../../core/plan/plan-estate.ts";
import type { UserRunPlan } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";

const INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111";
const STORE = "d-1111111111";
const PS_DEV = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-dev";
const PS_OTHER = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-other";
const policy = (membershipSync: boolean) =>
  PolicyDocument.parse({
    version: 1,
    permissionSets: { Dev: {} },
    rules: [
      {
        name: "devs-by-name",
        group: { name: "aws-devs" },
        permissionSet: "Dev",
        targets: { accounts: ["222222222222"] },
      },
      { name: "devs", group: "aws-devs", permissionSet: "Dev", targets: { accounts: ["222222222222"] } },
      {
        name: "ops",
        group: { id: "00g00000000000000ops" },
        permissionSet: "Dev",
        targets: { accounts: ["222222222222"] },
      },
      {
        name: "gone",
        group: { id: "00g0000000000000gone" },
        permissionSet: "Dev",
        targets: { accounts: ["222222222222"] },
      },
    ],
    ownership: { membershipSync },
  });

const truth: UserTruth = {
  observedAt: "2026-11-24T10:00:00.000Z",
  okta: {
    found: true,
    status: "ACTIVE",
    login: "jane@example.com",
    groups: [{ id: "00g00000000000000ops", name: "aws-ops" }],
  },
  icGroupsByName: { "aws-devs": "g-devs", "aws-ops": "g-ops", "customer-admins": "g-admins" },
  groupAssignments: {
    "g-admins": [
      {
        accountId: "222222222222",
        permissionSetArn: PS_OTHER,
        principalType: "GROUP",
        principalId: "g-admins",
      },
    ],
  },
  identityCenter: {
    instanceArn: INSTANCE,
    identityStoreId: STORE,
    userId: "u-jane",
    userName: "jane@example.com",
    memberships: [{ membershipId: "m-1", groupId: "g-devs", groupName: "aws-devs" }],
    directAssignments: [
      { accountId: "222222222222", permissionSetArn: PS_DEV, principalType: "USER", principalId: "u-jane" },
      { accountId: "222222222222", permissionSetArn: PS_DEV, principalType: "USER", principalId: "u-john" },
    ],
    groupAssignments: [
      { accountId: "222222222222", permissionSetArn: PS_DEV, principalType: "GROUP", principalId: "g-devs" },
    ],
    denies: [],
  },
};

const emptyPlan: UserRunPlan = {
  decision: "adjust",
  reason: "test",
  denies: [],
  lifts: [],
  assignmentDeletions: [],
  membershipRemovals: [],
  membershipAdditions: [],
  findings: [],
  sessionTags: {},
  accountsAffected: [],
  holdSeconds: 3600,
  actions: [],
};
const deletion = (
  principalType: "USER" | "GROUP",
  principalId: string,
  arn = PS_DEV,
  instance = INSTANCE,
) => ({
  InstanceArn: instance,
  TargetId: "222222222222",
  TargetType: "AWS_ACCOUNT" as const,
  PermissionSetArn: arn,
  PrincipalType: principalType,
  PrincipalId: principalId,
});
const addition = (groupId: string, userId = "u-jane", store = STORE) => ({
  IdentityStoreId: store,
  GroupId: groupId,
  MemberId: { UserId: userId },
});

describe("checkUserRunPlanScope", () => {
  it("accepts a plan that stays within the policy and the run's truth", () => {
    // Prepare
    const plan: UserRunPlan = {
      ...emptyPlan,
      denies: [{ userId: "u-jane", scope: "all", reason: "leaver", createdAt: "", expiresAt: "" }],
      assignmentDeletions: [deletion("USER", "u-jane"), deletion("GROUP", "g-devs")],
      membershipRemovals: [{ IdentityStoreId: STORE, MembershipId: "m-1" }],
      membershipAdditions: [addition("g-ops")],
    };

    // Act
    const violations = checkUserRunPlanScope(plan, policy(true), truth);

    // Assess
    expect(violations).toEqual([]);
  });

  it("names every action that reaches outside: other users, unread assignments, customer groups, sync off", () => {
    // Prepare
    const plan: UserRunPlan = {
      ...emptyPlan,
      denies: [{ userId: "u-john", scope: "all", reason: "leaver", createdAt: "", expiresAt: "" }],
      assignmentDeletions: [
        deletion("USER", "u-john"),
        deletion("GROUP", "g-admins", PS_OTHER),
        deletion("USER", "u-jane", PS_OTHER),
        deletion("USER", "u-jane", PS_DEV, "arn:aws:sso:::instance/ssoins-2222222222222222"),
      ],
      membershipRemovals: [{ IdentityStoreId: "d-2222222222", MembershipId: "m-john" }],
      membershipAdditions: [addition("g-admins", "u-john", "d-2222222222")],
    };

    // Act
    const violations = checkUserRunPlanScope(plan, policy(false), truth);

    // Assess
    expect(violations.map((v) => `${v.at} ${v.why}`)).toEqual([
      "assignmentDeletions[0] not the run's user",
      "assignmentDeletions[1] not a group the policy names",
      "assignmentDeletions[2] not an assignment the run read",
      "assignmentDeletions[3] not this instance",
      "membershipRemovals[0] not this store",
      "membershipRemovals[0] not one of the user's",
      "membershipAdditions[0] membershipSync is off",
      "membershipAdditions[0] not this store",
      "membershipAdditions[0] not the run's user",
      "membershipAdditions[0] not a group the policy names",
      "denies[0] not the run's user",
    ]);
    expect(violations[6]?.names).toBe("GroupId=g-admins");
  });

  it("reads a truth without group maps as naming no policy group", () => {
    // Prepare
    const bare: UserTruth = { ...truth, icGroupsByName: undefined, groupAssignments: undefined };

    // Act
    const violations = checkUserRunPlanScope(
      { ...emptyPlan, membershipAdditions: [addition("g-devs")] },
      policy(true),
      bare,
    );

    // Assess
    expect(violations.map((v) => v.why)).toEqual(["not a group the policy names"]);
  });
});

describe("checkEstatePlanScope", () => {
  const organization: Organization = {
    rootId: "r-ab12",
    units: [{ id: "r-ab12", name: "Root", parentId: null }],
    accounts: [
      { id: "111111111111", name: "management", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
      { id: "222222222222", name: "dev", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
    ],
  };
  const input = (
    membershipSync: boolean,
    permissionSets = [{ arn: PS_DEV, name: "Dev", sessionDuration: "PT1H" }],
  ) =>
    ({
      policy: policy(membershipSync),
      okta: { users: [], groups: [{ id: "00g00000000000000ops", name: "aws-ops", type: "OKTA_GROUP" }] },
      organization,
      identityCenter: {
        instanceArn: INSTANCE,
        identityStoreId: STORE,
        permissionSets,
        users: [],
        groups: [
          { groupId: "g-devs", displayName: "aws-devs" },
          { groupId: "g-ops", displayName: "aws-ops" },
          { groupId: "g-admins", displayName: "customer-admins" },
        ],
        memberships: [],
        provisioned: [],
        assignments: [],
        denies: [],
      },
      now: "2026-11-24T10:00:00.000Z",
    }) as unknown as PlanInput;
  const create = (principalId: string, accountId: string, permissionSetArn = PS_DEV): PlanAction => ({
    kind: "assignment.create",
    assignment: { accountId, permissionSetArn, principalType: "GROUP", principalId },
    rule: "devs",
  });

  it("accepts the grants the rules resolve to, and membership adds to policy groups with sync on", () => {
    // Prepare
    const actions: PlanAction[] = [
      create("g-devs", "222222222222"),
      create("g-ops", "222222222222"),
      { kind: "membership.add", groupId: "g-ops", userId: "u-1", why: "scim lag" },
      { kind: "membership.remove", groupId: "g-admins", userId: "u-1", why: "stale" },
    ];

    // Act
    const violations = checkEstatePlanScope(actions, input(true));

    // Assess
    expect(violations).toEqual([]);
  });

  it("refuses grants no rule makes (the management account, another set, a customer group) and adds with sync off", () => {
    // Prepare
    const actions: PlanAction[] = [
      create("g-devs", "111111111111"),
      create("g-devs", "222222222222", PS_OTHER),
      create("g-admins", "222222222222"),
      { kind: "membership.add", groupId: "g-ops", userId: "u-1", why: "scim lag" },
    ];

    // Act
    const violations = checkEstatePlanScope(actions, input(false));
    const withSync = checkEstatePlanScope(
      [{ kind: "membership.add", groupId: "g-admins", userId: "u-1", why: "scim lag" }],
      input(true),
    );
    const setMissing = checkEstatePlanScope([create("g-devs", "222222222222")], input(true, []));

    // Assess
    expect(violations.map((v) => v.at)).toEqual([
      "actions[0] (assignment.create)",
      "actions[1] (assignment.create)",
      "actions[2] (assignment.create)",
      "actions[3] (membership.add)",
    ]);
    expect(violations[0]?.names).toBe(`GROUP g-devs ${PS_DEV} in 111111111111`);
    expect(violations[3]?.why).toBe("membershipSync is off");
    expect(withSync.map((v) => v.why)).toEqual(["not a group the policy names"]);
    expect(setMissing).toHaveLength(1);
  });

  it("carries every violation in the error the plan tasks throw", () => {
    // Act
    const error = new PlanOutsidePolicyError("run-1", [
      { at: "actions[0]", names: "GroupId=g-x", why: "no" },
    ]);

    // Assess
    expect(error.name).toBe("PlanOutsidePolicyError");
    expect(error.message).toBe(
      "run run-1: the plan names what the policy does not own, so none of it is applied: actions[0] GroupId=g-x: no",
    );
    expect(error.violations).toHaveLength(1);
  });
});
