import { describe, expect, it } from "vitest";
import type { OktaUser } from "../../../core/estate.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";
import { readUserTruth } from "../../../usecases/reconcile-user/read-user-truth.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";

const NOW = "2026-12-07T06:30:00.000Z";
const SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111";

/** ReadTruth over fakes that count Identity Center's reads; `status` per Okta user id. */
function harness(
  status: Record<string, OktaUser["status"]>,
  inIdentityCenter = (_id: string) => true,
  linked: Record<string, string> = {},
  store: {
    /** What DescribeUser answers per Identity Center user id (default: no user name, no external id). */
    identities?: Record<string, { userName: string | null; externalIds: { issuer: string; id: string }[] }>;
    externalIdIssuer?: string;
  } = {},
) {
  const calls: string[] = [];
  const read = readUserTruth({
    policy: { rules: [] },
    sessionTagAttributes: [],
    sessionTags: { get: async () => null } as never,
    okta: {
      getUser: async (id: string) => {
        calls.push(`okta getUser ${id}`);
        return { id, login: `${id}@example.com`, status: status[id] ?? "ACTIVE" };
      },
      listUserGroups: async (id: string) => {
        calls.push(`okta listUserGroups ${id}`);
        return [{ id: "00g1", name: "aws-team" }];
      },
      findGroupsByName: async () => [],
      findGroupById: async () => null,
    } as never,
    identityCenter: {
      findUserIdByUserName: async (name: string) => {
        calls.push("GetUserId");
        return inIdentityCenter(name.split("@")[0] ?? name) ? `ic-${name}` : null;
      },
      describeUser: async (userId: string) => {
        calls.push("DescribeUser");
        return { userId, userName: null, externalIds: [], ...store.identities?.[userId] };
      },
      findUserIdByExternalId: async () => {
        calls.push("GetUserId");
        return null;
      },
      listGroups: async () => {
        calls.push("ListGroups");
        return [{ groupId: "g-1", displayName: "aws-team" }];
      },
      listPermissionSets: async () => {
        calls.push("ListPermissionSets");
        return [{ arn: SET, name: "DeveloperAccess", sessionDuration: "PT1H" }];
      },
      listUserGroupMemberships: async () => {
        calls.push("ListGroupMembershipsForMember");
        return [{ groupId: "g-1", membershipId: "m-1" }];
      },
      listAssignmentsForPrincipal: async (principalId: string, type: string) => {
        calls.push(`ListAccountAssignmentsForPrincipal ${type}`);
        return type === "GROUP"
          ? [{ accountId: "111111111111", permissionSetArn: SET, principalType: "GROUP", principalId }]
          : [];
      },
    } as never,
    ledger: { list: async () => [] } as never,
    links: {
      get: async (id: string) =>
        linked[id] === undefined
          ? null
          : {
              oktaUserId: id,
              identityCenterUserId: linked[id],
              oktaLogin: `${id}@example.com`,
              linkedAt: NOW,
            },
      put: async () => {},
    } as never,
    externalIdIssuer: store.externalIdIssuer,
    userNames: { format: "oktaUsername" },
    instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
    identityStoreId: "d-1111111111",
    now: () => NOW,
  });
  const run = (id: string, earlier?: UserTruth) =>
    read({
      runId: `run-${id}`,
      user: { id },
      trigger: { event: { subject: "user" } },
      ...(earlier ? { truth: earlier, plan: { deniedFirstAs: String(earlier.identityCenter.userId) } } : {}),
    } as unknown as UserRunState);
  return { calls, run };
}

describe("ReadTruth in a burst of leavers", () => {
  it("leaver runs share the catalogues and a group's listing; their own assignments are read fresh", async () => {
    // Prepare
    const { calls, run } = harness({ "00u1": "DEPROVISIONED", "00u2": "DEPROVISIONED", "00u3": "SUSPENDED" });

    // Act: three leavers at once
    const truths = await Promise.all([run("00u1"), run("00u2"), run("00u3")]);

    // Assess: one read of each shared thing, one direct-assignment read per leaver
    expect(calls.filter((c) => c === "ListPermissionSets")).toHaveLength(1);
    expect(calls.filter((c) => c === "ListGroups")).toHaveLength(1);
    expect(calls.filter((c) => c.endsWith("GROUP"))).toHaveLength(1);
    expect(calls.filter((c) => c.endsWith("USER"))).toHaveLength(3);
    for (const truth of truths) {
      expect(truth.permissionSetNames).toEqual({ [SET]: "DeveloperAccess" });
      expect(truth.identityCenter.groupAssignments).toHaveLength(1);
    }
  });

  it("a mover's run reads everything fresh, leavers' reads notwithstanding", async () => {
    // Prepare
    const { calls, run } = harness({ "00u1": "DEPROVISIONED" });
    await run("00u1");
    calls.length = 0;

    // Act: two active users' runs
    await run("00u4");
    await run("00u5");

    // Assess
    expect(calls.filter((c) => c === "ListPermissionSets")).toHaveLength(2);
    expect(calls.filter((c) => c === "ListGroups")).toHaveLength(2);
    expect(calls.filter((c) => c.endsWith("GROUP"))).toHaveLength(2);
  });

  it("a leaver whom Identity Center holds costs one Okta call (their status); their groups are not read", async () => {
    // Prepare
    const { calls, run } = harness({ "00u1": "DEPROVISIONED", "00u2": "SUSPENDED" });

    // Act
    const truths = await Promise.all([run("00u1"), run("00u2")]);

    // Assess
    expect(calls.filter((c) => c.startsWith("okta "))).toEqual(["okta getUser 00u1", "okta getUser 00u2"]);
    for (const truth of truths) {
      expect(truth.okta.groupsRead).toBe(false);
      expect(truth.identityCenter.userId).not.toBeNull();
    }
  });

  it("a deactivated user Identity Center does not hold: their groups are read to judge a lost leaver", async () => {
    // Prepare: 00u1 is gone from Identity Center, though in a group it holds (aws-team)
    const { calls, run } = harness({ "00u1": "DEPROVISIONED" }, (id) => id !== "00u1");

    // Act
    const truth = await run("00u1");

    // Assess
    expect(calls).toContain("okta listUserGroups 00u1");
    expect(truth.okta.groupsRead).toBeUndefined();
    expect(truth.identityCenter.resolution?.outcome).toBe("unresolved");
  });

  it("an active user's groups are read with their status", async () => {
    // Prepare
    const { calls, run } = harness({});

    // Act
    const truth = await run("00u4");

    // Assess
    expect(calls.filter((c) => c.startsWith("okta "))).toEqual([
      "okta getUser 00u4",
      "okta listUserGroups 00u4",
    ]);
    expect(truth.okta.groups.map((g) => g.name)).toEqual(["aws-team"]);
  });

  it("a leaver the pipeline recorded is denied on the record first: one Okta call, nothing read from Identity Center", async () => {
    // Prepare
    const { calls, run } = harness({ "00u1": "DEPROVISIONED" }, () => true, { "00u1": "ic-recorded" });

    // Act
    const truth = await run("00u1");

    // Assess
    expect(calls).toEqual(["okta getUser 00u1"]);
    expect(truth.identityCenter).toMatchObject({
      userId: "ic-recorded",
      accessRead: false,
      memberships: [],
      directAssignments: [],
      resolution: { outcome: "resolved", via: "link", userId: "ic-recorded" },
    });
    expect(truth.okta).toMatchObject({ found: true, status: "DEPROVISIONED", groupsRead: false });
  });

  it("after the Deny the same leaver's truth is read whole, and the record does not choose the user", async () => {
    // Prepare
    const { calls, run } = harness({ "00u1": "DEPROVISIONED" }, () => true, { "00u1": "ic-recorded" });
    const first = await run("00u1");
    calls.length = 0;

    // Act
    const truth = await run("00u1", first);

    // Assess: Okta's answer of the first read stands; resolved by the login it gave, and the access read
    expect(calls.filter((c) => c.startsWith("okta "))).toEqual([]);
    expect(calls).toEqual(
      expect.arrayContaining(["GetUserId", "DescribeUser", "ListGroupMembershipsForMember"]),
    );
    expect(truth.identityCenter.accessRead).toBeUndefined();
    expect(truth.identityCenter.userId).toBe("ic-00u1@example.com");
    expect(truth.identityCenter.memberships).toHaveLength(1);
    // the record named another user: the identity store is asked whose it is (here: nothing readable)
    expect(truth.identityCenter.recordedUser).toEqual({ userId: "ic-recorded", verdict: "unknown" });
  });

  it("after the Deny, a record the identity store confirms costs one DescribeUser: its user name is the one Okta's answer gives", async () => {
    // Prepare
    const { calls, run } = harness(
      { "00u1": "DEPROVISIONED" },
      () => true,
      { "00u1": "ic-recorded" },
      {
        identities: { "ic-recorded": { userName: "00u1@example.com", externalIds: [] } },
      },
    );
    const first = await run("00u1");
    calls.length = 0;

    // Act
    const truth = await run("00u1", first);

    // Assess: the same user the search by name would find, with one read instead of two
    expect(calls.filter((c) => c === "GetUserId")).toEqual([]);
    expect(calls.filter((c) => c === "DescribeUser")).toHaveLength(1);
    expect(truth.identityCenter.resolution).toMatchObject({
      outcome: "resolved",
      via: "login",
      userId: "ic-recorded",
    });
    expect(truth.identityCenter.recordedUser).toBeUndefined();
  });

  it("after the Deny, a confirmed record whose external id names another Okta user is a conflict, as the search would judge it", async () => {
    // Prepare
    const { run } = harness(
      { "00u1": "DEPROVISIONED" },
      () => true,
      { "00u1": "ic-recorded" },
      {
        identities: {
          "ic-recorded": {
            userName: "00u1@example.com",
            externalIds: [{ issuer: "okta", id: "00uOtherOtherOther12" }],
          },
        },
      },
    );
    const first = await run("00u1");

    // Act
    const truth = await run("00u1", first);

    // Assess
    expect(truth.identityCenter.resolution).toMatchObject({ outcome: "conflict", userId: "ic-recorded" });
  });

  it("after the Deny, with an issuer, the record is confirmed by this Okta user's external id, and searched for without it", async () => {
    // Prepare
    const identities = {
      "ic-a": { userName: "00u1@example.com", externalIds: [{ issuer: "okta", id: "00u1" }] },
      "ic-b": { userName: "00u2@example.com", externalIds: [] },
    };
    const { calls, run } = harness(
      { "00u1": "DEPROVISIONED", "00u2": "DEPROVISIONED" },
      () => true,
      { "00u1": "ic-a", "00u2": "ic-b" },
      { identities, externalIdIssuer: "okta" },
    );
    const [first1, first2] = await Promise.all([run("00u1"), run("00u2")]);
    calls.length = 0;

    // Act
    const confirmed = await run("00u1", first1);
    const confirmedCalls = calls.filter((c) => c === "GetUserId").length;
    const searched = await run("00u2", first2);

    // Assess
    expect(confirmed.identityCenter.resolution).toMatchObject({
      outcome: "resolved",
      via: "external-id",
      userId: "ic-a",
    });
    expect(confirmedCalls).toBe(0);
    expect(calls.filter((c) => c === "GetUserId").length).toBeGreaterThan(0);
    expect(searched.identityCenter.resolution).toMatchObject({ outcome: "resolved" });
  });

  it("an active user's record never shortens their read", async () => {
    // Prepare
    const { calls, run } = harness({}, () => true, { "00u4": "ic-recorded" });

    // Act
    const truth = await run("00u4");

    // Assess
    expect(truth.identityCenter.accessRead).toBeUndefined();
    expect(calls).toContain("ListGroupMembershipsForMember");
  });
});
