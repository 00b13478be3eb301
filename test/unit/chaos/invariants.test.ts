import { describe, expect, it } from "vitest";
import {
  checkAssignments,
  checkDenyInForce,
  checkEventsAccounted,
  checkNoAccess,
  checkNoDenyOutlivesHold,
  fullyDenied,
} from "../../../chaos/invariants.ts";
import type { Oracle } from "../../../chaos/oracle.ts";
import type { IdentityCenterSnapshot } from "../../../local/emulators/identity-center/snapshot.ts";
import type { OrganizationsSnapshot } from "../../../local/emulators/organizations/snapshot.ts";

const oracle = (assignments: string[], noAccess: string[] = []): Oracle => ({
  assignments: new Set(assignments),
  owns: (_group, set) => set !== "Unowned",
  noAccess: new Set(noAccess),
  active: new Set(),
});

const ic = (over: Partial<IdentityCenterSnapshot> = {}): IdentityCenterSnapshot =>
  ({
    instanceArn: "arn:aws:sso:::instance/ssoins-1",
    identityStoreId: "d-1",
    permissionSets: [
      { arn: "ps-admin", name: "Admin" },
      { arn: "ps-unowned", name: "Unowned" },
    ],
    users: [{ userId: "u-1", userName: "gone@example.com" }],
    groups: [{ groupId: "g-1", displayName: "aws-admins" }],
    memberships: [],
    assignments: [],
    provisioned: [],
    ...over,
  }) as never;

const denyScp = (userId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OktaAwsLifecycleDeny0",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "identitystore:userId": [userId] } },
      },
    ],
  });
const org = (contents: string[]): OrganizationsSnapshot =>
  ({ policies: contents.map((content, i) => ({ id: `p-${i}`, awsManaged: false, content })) }) as never;
const ledgerDeny = (userId: string, expiresAt: string) => ({
  denyId: `d-${userId}`,
  deny: {
    userId,
    scope: "all" as const,
    reason: "leaver" as const,
    createdAt: "2026-01-01T00:00:00Z",
    expiresAt,
  },
});

describe("chaos invariants", () => {
  it("reports assignments missing and assignments the policy does not grant, ignoring unowned ones", () => {
    const snapshot = ic({
      assignments: [
        { accountId: "2", permissionSetArn: "ps-admin", principalType: "GROUP", principalId: "g-1" },
        { accountId: "3", permissionSetArn: "ps-unowned", principalType: "GROUP", principalId: "g-1" },
      ],
    });
    expect(checkAssignments(snapshot, oracle(["aws-admins|Admin|1"]))).toEqual([
      "missing assignment aws-admins|Admin|1",
      "assignment the policy does not grant aws-admins|Admin|2",
    ]);
    expect(checkAssignments(snapshot, oracle(["aws-admins|Admin|2"]))).toEqual([]);
  });

  it("reports a membership or a direct assignment left to a user who must have no access", () => {
    const snapshot = ic({
      memberships: [{ membershipId: "m", groupId: "g-1", userId: "u-1" }],
      assignments: [
        { accountId: "1", permissionSetArn: "ps-admin", principalType: "USER", principalId: "u-1" },
      ],
    });
    expect(checkNoAccess(snapshot, oracle([], ["gone@example.com"]))).toHaveLength(2);
    // While their every session is denied, a late membership grants nothing: excused until the holds end
    expect(checkNoAccess(snapshot, oracle([], ["gone@example.com"]), new Set(["u-1"]))).toEqual([]);
    expect(checkNoAccess(snapshot, oracle([], []))).toEqual([]);
  });

  it("requires a Deny in the ledger and the SCPs only while the hold runs", () => {
    const input = {
      ic: ic(),
      oracle: oracle([], ["gone@example.com"]),
      inactiveSince: new Map([["gone@example.com", 1_000]]),
      lifted: new Set<string>(),
      holdMs: 5_000,
    };
    expect(checkDenyInForce({ ...input, org: org([]), ledger: [], now: 2_000 })).toHaveLength(2);
    expect(
      checkDenyInForce({
        ...input,
        org: org([denyScp("u-1")]),
        ledger: [ledgerDeny("u-1", "2099-01-01T00:00:00Z")],
        now: 2_000,
      }),
    ).toEqual([]);
    expect(checkDenyInForce({ ...input, org: org([]), ledger: [], now: 7_000 })).toEqual([]);
    expect(
      checkDenyInForce({
        ...input,
        org: org([]),
        ledger: [],
        now: 2_000,
        lifted: new Set(["gone@example.com"]),
      }),
    ).toEqual([]);
  });

  it("counts as fully denied only a user with an all-sessions Deny in both the ledger and the SCPs", () => {
    const deny = ledgerDeny("u-1", "2099-01-01T00:00:00Z");
    expect([...fullyDenied(org([denyScp("u-1")]), [deny])]).toEqual(["u-1"]);
    expect([...fullyDenied(org([]), [deny])]).toEqual([]);
    expect([...fullyDenied(org([denyScp("u-1")]), [])]).toEqual([]);
  });

  it("reports a Deny past its hold or its expiry, and an SCP Deny with no ledger entry", () => {
    const now = Date.parse("2026-06-01T00:00:00Z");
    const base = ledgerDeny("u-1", "2026-07-01T00:00:00Z");
    const recent = { ...base, deny: { ...base.deny, createdAt: new Date(now - 1_000).toISOString() } };
    const old = { ...base, deny: { ...base.deny, createdAt: new Date(now - 5_000).toISOString() } };
    expect(
      checkNoDenyOutlivesHold({
        org: org([]),
        ledger: [recent],
        holdMs: 4_000,
        estateDenies: new Set<string>(),
        now,
      }),
    ).toEqual([]);
    expect(
      checkNoDenyOutlivesHold({
        org: org([]),
        ledger: [old],
        holdMs: 4_000,
        estateDenies: new Set<string>(),
        now,
      }),
    ).toHaveLength(1);
    // An estate run's Deny is held until its recorded expiry, not the user runs' hold
    expect(
      checkNoDenyOutlivesHold({
        org: org([]),
        ledger: [old],
        holdMs: 4_000,
        estateDenies: new Set(["u-1|all"]),
        now,
      }),
    ).toEqual([]);
    expect(
      checkNoDenyOutlivesHold({
        org: org([]),
        ledger: [ledgerDeny("u-1", "2026-05-01T00:00:00Z")],
        holdMs: 1e12,
        estateDenies: new Set<string>(),
        now,
      }),
    ).toHaveLength(1);
    expect(
      checkNoDenyOutlivesHold({
        org: org([denyScp("u-2")]),
        ledger: [],
        holdMs: 1e12,
        estateDenies: new Set<string>(),
        now,
      }),
    ).toEqual(["SCP Deny for user u-2 has no ledger entry"]);
    expect(
      checkNoDenyOutlivesHold({
        org: org([denyScp("u-1")]),
        ledger: [recent],
        holdMs: 4_000,
        estateDenies: new Set<string>(),
        now,
      }),
    ).toEqual([]);
  });

  it("reports accepted events no evidence record names", () => {
    expect(checkEventsAccounted(["a", "b"], new Set(["a"]))).toEqual([
      "accepted event b is named in no evidence record",
    ]);
  });
});
