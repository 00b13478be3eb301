import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { denyKey } from "../../../core/plan/deny-key.ts";
import { mergeDenyFirstPlan } from "../../../core/plan/merge-deny-first-plan.ts";
import { planUserRun, type UserRunPlan } from "../../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../../core/plan/user-truth.ts";

const FIRST_AT = "2026-06-01T12:00:00.000Z";
const SECOND_AT = "2026-06-01T12:00:02.000Z";
const HOLD = 12 * 3_600_000;

/** The Deny-first truth: the recorded user, nothing read from Identity Center. */
const firstTruth = (recorded: string): UserTruth => ({
  observedAt: FIRST_AT,
  okta: { found: true, status: "DEPROVISIONED", login: "jane@example.com", groups: [], groupsRead: false },
  identityCenter: {
    instanceArn: "arn:aws:sso:::instance/ssoins-1",
    identityStoreId: "d-1234567890",
    userId: recorded,
    userName: "jane@example.com",
    resolution: { outcome: "resolved", userId: recorded, via: "link", detail: "recorded" },
    memberships: [],
    directAssignments: [],
    groupAssignments: [],
    denies: [],
    accessRead: false,
  },
});

/** The whole truth after the Deny: `found` is the user it resolves to, `denies` what the ledger holds. */
function secondTruth(
  found: string,
  denies: DenyEntry[],
  resolution?: NonNullable<UserTruth["identityCenter"]["resolution"]>,
): UserTruth {
  return {
    observedAt: SECOND_AT,
    okta: { found: true, status: "DEPROVISIONED", login: "jane@example.com", groups: [], groupsRead: false },
    identityCenter: {
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      identityStoreId: "d-1234567890",
      userId: found,
      userName: "jane@example.com",
      resolution: resolution ?? { outcome: "resolved", userId: found, via: "external-id", detail: "found" },
      memberships: [{ membershipId: "m-1", groupId: "g-devs", groupName: "aws-devs" }],
      directAssignments: [],
      groupAssignments: [
        {
          accountId: "111111111111",
          permissionSetArn: "arn:ps/dev",
          principalType: "GROUP",
          principalId: "g-devs",
        },
      ],
      denies,
    },
  };
}

const first = planUserRun(firstTruth("ic-jane"), { holdMs: HOLD, now: FIRST_AT });
const firstDeny = first.denies[0] as DenyEntry;

describe("mergeDenyFirstPlan", () => {
  it("the Deny-first plan denies the recorded user and removes nothing yet", () => {
    // Assess
    expect(first.decision).toBe("revoke");
    expect(first.denies).toEqual([expect.objectContaining({ userId: "ic-jane", scope: "all" })]);
    expect([first.assignmentDeletions, first.membershipRemovals]).toEqual([[], []]);
  });

  it("the whole read confirms the record: the removals of the whole read, the first Deny carried, nothing applied again", () => {
    // Arrange
    const truth = secondTruth("ic-jane", [firstDeny]);
    const second = planUserRun(truth, { holdMs: HOLD, now: SECOND_AT });
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect(second.denies).toEqual([]);
    expect(merged.denies).toEqual([firstDeny]);
    expect(merged.reapplyDeny).toBe(false);
    expect(merged.membershipRemovals).toEqual([{ IdentityStoreId: "d-1234567890", MembershipId: "m-1" }]);
    expect(merged.actions.map((a) => a.kind)).toEqual(["deny.add", "membership.remove"]);
    expect(merged.findings).toEqual([]);
    expect(merged.holdSeconds).toBe(43_200);
    expect(merged.reason).toContain("denied first as Identity Center user ic-jane");
  });

  it("the whole read finds another user: both are denied, applied again, and a finding says the record was stale", () => {
    // Arrange
    const truth = secondTruth("ic-jane-2", []);
    const second = planUserRun(truth, { holdMs: HOLD, now: SECOND_AT });
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect(merged.denies.map((d) => d.userId)).toEqual(["ic-jane", "ic-jane-2"]);
    expect(merged.reapplyDeny).toBe(true);
    expect(merged.findings).toEqual([
      expect.objectContaining({
        kind: "identity-link-stale",
        subject: { identityCenterUserId: "ic-jane", foundUserId: "ic-jane-2" },
      }),
    ]);
    expect(merged.reason).toContain("both are denied");
  });

  it("the whole read finds the recorded user is another Okta user's: the first Deny is lifted, nothing else is done", () => {
    // Arrange
    const conflict = { outcome: "conflict", userId: "ic-jane", detail: "another user's" } as const;
    const truth = secondTruth("ic-jane", [firstDeny], conflict);
    truth.identityCenter.userId = null;
    const second = planUserRun(truth, { holdMs: HOLD, now: SECOND_AT });
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect(merged.decision).toBe("unverifiable");
    expect(merged.denies).toEqual([]);
    expect(merged.lifts).toEqual([firstDeny]);
    expect(merged.reapplyDeny).toBe(true);
    expect(merged.actions).toContainEqual(
      expect.objectContaining({ kind: "deny.lift", why: "identity-conflict" }),
    );
    expect(merged.findings.map((f) => f.kind)).toEqual(["identity-conflict", "identity-link-stale"]);
    expect(merged.reason).toContain("that Deny is lifted");
  });

  it("the whole read finds another user and the recorded one is another Okta user's: only the one found stays denied", () => {
    // Arrange
    const truth = secondTruth("ic-jane-2", []);
    truth.identityCenter.recordedUser = { userId: "ic-jane", verdict: "other-user" };
    const second = planUserRun(truth, { holdMs: HOLD, now: SECOND_AT });
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect(merged.decision).toBe("revoke");
    expect(merged.denies.map((d) => d.userId)).toEqual(["ic-jane-2"]);
    expect(merged.lifts).toEqual([firstDeny]);
    expect(merged.reapplyDeny).toBe(true);
  });

  it("the first Deny was not recorded (its write failed): the whole read's new Deny stands for it", () => {
    // Arrange
    const truth = secondTruth("ic-jane", []);
    const second = planUserRun(truth, { holdMs: HOLD, now: SECOND_AT });
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect(merged.denies).toEqual(second.denies);
    expect(merged.denies[0]?.createdAt).toBe(SECOND_AT);
    expect(merged.reapplyDeny).toBe(true);
  });

  it("the plan after a Deny-first pass never names a recorded user (the workflow reads the whole truth once)", () => {
    // Arrange
    const truth = secondTruth("ic-jane", [firstDeny]);
    const second = { ...planUserRun(truth, { holdMs: HOLD, now: SECOND_AT }), deniedFirstAs: "ic-jane" };
    // Act
    const merged = mergeDenyFirstPlan(first, second, truth, "ic-jane");
    // Assess
    expect("deniedFirstAs" in merged).toBe(false);
  });

  it("no first Deny is dropped unseen, none is both added and lifted, and anything changed is applied again", () => {
    const deny = (userId: string, createdAt: string): DenyEntry => ({
      userId,
      scope: "all",
      reason: "leaver",
      createdAt,
      expiresAt: "2026-06-02T00:00:00.000Z",
    });
    const pool = [
      deny("ic-jane", FIRST_AT),
      deny("ic-jane", SECOND_AT),
      deny("ic-other", SECOND_AT),
      deny("ic-jane-2", SECOND_AT),
    ];
    const subset = fc.subarray(pool);
    fc.assert(
      fc.property(
        subset,
        subset,
        subset,
        fc.constantFrom("ic-jane", "ic-jane-2"),
        fc.boolean(),
        (firstDenies, secondDenies, secondLifts, found, conflict) => {
          // Arrange
          const truth = secondTruth(
            found,
            [],
            conflict ? { outcome: "conflict", userId: "ic-jane", detail: "x" } : undefined,
          );
          const plan = (denies: DenyEntry[], lifts: DenyEntry[]): UserRunPlan => ({
            ...first,
            denies,
            lifts,
          });
          // Act
          const merged = mergeDenyFirstPlan(
            plan(firstDenies, []),
            plan(secondDenies, secondLifts),
            truth,
            "ic-jane",
          );
          // Assess
          const same = (d: DenyEntry) => `${d.userId}|${d.reason}`;
          const added = new Set(merged.denies.map(denyKey));
          const lifted = new Set(merged.lifts.map(denyKey));
          for (const d of firstDenies) {
            const accounted =
              added.has(denyKey(d)) ||
              lifted.has(denyKey(d)) ||
              secondDenies.some((s) => same(s) === same(d));
            expect(accounted).toBe(true);
          }
          expect([...added].filter((k) => lifted.has(k))).toEqual(
            secondDenies.map(denyKey).filter((k) => secondLifts.map(denyKey).includes(k)),
          );
          expect(merged.reapplyDeny).toBe(secondDenies.length > 0 || merged.lifts.length > 0);
        },
      ),
    );
  });
});
