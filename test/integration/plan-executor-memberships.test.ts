/**
 * The estate executor's membership additions against the Identity Center emulator: a user already a
 * member (identitystore ConflictException, Reason UNIQUENESS_CONSTRAINT_VIOLATION) is recorded done,
 * "already a member", after one CreateGroupMembership and one GetGroupMembershipId: never retried.
 */
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import type { PlanAction } from "../../core/plan/plan.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";
import { PlanExecutor } from "../../usecases/reconcile-estate/plan-executor.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";
import { ALREADY_A_MEMBER } from "../../workflows/membership-additions.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("PlanExecutor: membership additions", () => {
  it("records a new membership SUCCEEDED, and one that exists SUCCEEDED 'already a member', without retrying it", async () => {
    // Prepare: jane is already in readers, not in writers
    const ic = createIdentityCenterEmulator({ limits: { identityStoreTps: 0, ssoAdminTps: 0 } });
    const server = await startAwsJsonServer(ic.services);
    const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
    const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
    cleanups.push(async () => {
      ssoAdmin.destroy();
      identityStore.destroy();
      await server.close();
    });
    const jane = ic.seed.user({ userName: "jane.doe@example.com" });
    const readers = ic.seed.group({ displayName: "readers" });
    const writers = ic.seed.group({ displayName: "writers" });
    ic.seed.membership(readers, jane);
    const executor = new PlanExecutor({
      identityCenter: new IdentityCenterAdapter({
        ssoAdmin,
        identityStore,
        instanceArn: ic.instanceArn,
        identityStoreId: ic.identityStoreId,
      }),
      ledger: {} as never, // no Deny in this plan
      enforce: {} as never,
      budget: new ThrottleBudget({ callsPerSecond: 1_000 }),
      now: () => "2026-12-07T00:00:00.000Z",
      sleep: async () => {},
    });
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
