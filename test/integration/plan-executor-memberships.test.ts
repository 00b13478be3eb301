/**
 * The estate executor's membership additions against the Identity Center emulator: a user already a
 * member (identitystore ConflictException, Reason UNIQUENESS_CONSTRAINT_VIOLATION) is recorded done,
 * "already a member", after one CreateGroupMembership and one GetGroupMembershipId: never retried.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { PlanAction } from "../../core/plan/plan.ts";
import { ALREADY_A_MEMBER } from "../../workflows/membership-additions.ts";
import { executorWithoutDenies, identityCenterOnLoopback } from "../support/identity-center-on-loopback.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("PlanExecutor: membership additions", () => {
  it("records a new membership SUCCEEDED, and one that exists SUCCEEDED 'already a member', without retrying it", async () => {
    // Prepare: jane is already in readers, not in writers
    const { ic, adapter, close } = await identityCenterOnLoopback({
      limits: { identityStoreTps: 0, ssoAdminTps: 0 },
    });
    cleanups.push(close);
    const jane = ic.seed.user({ userName: "jane.doe@example.com" });
    const readers = ic.seed.group({ displayName: "readers" });
    const writers = ic.seed.group({ displayName: "writers" });
    ic.seed.membership(readers, jane);
    const executor = executorWithoutDenies(adapter);
    const add = (groupId: string): PlanAction => ({
      kind: "membership.add",
      groupId,
      userId: jane,
      why: "test",
    });

    // Act
    const outcomes = await executor.execute([add(readers), add(writers)]);

    // Assess
    expect(outcomes.map((o) => [o.target.groupId, o.status, o.note])).toEqual([
      [readers, "SUCCEEDED", ALREADY_A_MEMBER],
      [writers, "SUCCEEDED", undefined],
    ]);
    // one CreateGroupMembership per addition (none retried) and one read of the existing membership
    expect(ic.snapshot().calls.identityStore).toEqual({ CreateGroupMembership: 2, GetGroupMembershipId: 1 });
    expect(
      ic
        .snapshot()
        .memberships.filter((m) => m.userId === jane)
        .map((m) => m.groupId)
        .sort(),
    ).toEqual([readers, writers].sort());
  });
});
