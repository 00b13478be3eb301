/**
 * The Identity Center emulator and adapter under the AWS behaviour switches AWS's documentation leaves
 * open (local/emulators/aws-behaviour-switches.ts, docs/aws-behaviour.md), and with the entries the
 * identitystore model allows but the pipeline cannot match (no UserName, no DisplayName): through the
 * real SDK clients.
 */
import { DeleteUserCommand, DescribeUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { IdentityCenterAdapter, type OperationProgress } from "../../adapters/identity-center.ts";
import type { Assignment } from "../../core/estate.ts";
import { isPrincipalDeletedFailure } from "../../core/plan/orphaned-assignments.ts";
import type { AwsBehaviourSwitches } from "../../local/emulators/aws-behaviour-switches.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(behaviour: Partial<AwsBehaviourSwitches> = {}) {
  const ic = createIdentityCenterEmulator({
    behaviour,
    limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0 },
  });
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
    await server.close();
  });
  const adapter = new IdentityCenterAdapter({
    ssoAdmin,
    identityStore,
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
  });
  return { ic, adapter, identityStore };
}

async function settle(read: () => Promise<OperationProgress>): Promise<OperationProgress> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const progress = await read();
    if (progress.status !== "IN_PROGRESS") return progress;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("operation still IN_PROGRESS after 200 polls");
}

/** A user with a direct assignment and a group assignment through one membership. */
function seedUserWithAccess(ic: ReturnType<typeof createIdentityCenterEmulator>) {
  const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
  const userId = ic.seed.user({ userName: "jane@example.com" });
  const groupId = ic.seed.group({ displayName: "aws-readonly" });
  ic.seed.membership(groupId, userId);
  const direct: Assignment = {
    accountId: "200000000001",
    permissionSetArn,
    principalType: "USER",
    principalId: userId,
  };
  const inherited: Assignment = {
    accountId: "200000000002",
    permissionSetArn,
    principalType: "GROUP",
    principalId: groupId,
  };
  ic.seed.assignment(direct);
  ic.seed.assignment(inherited);
  return { userId, groupId, direct, inherited };
}

describe("orphanedAssignmentDeletion: an assignment whose user SCIM deleted", () => {
  it.each([
    ["fails-404", "FAILED", 1],
    ["succeeds", "SUCCEEDED", 0],
  ] as const)("%s: the deletion ends %s, and %i assignment stays listed", async (value, status, left) => {
    // Prepare: the user is deleted from the identity store; its direct assignment stays listed
    const { ic, adapter, identityStore } = await start({ orphanedAssignmentDeletion: value });
    const { userId, direct } = seedUserWithAccess(ic);
    await identityStore.send(new DeleteUserCommand({ IdentityStoreId: ic.identityStoreId, UserId: userId }));
    expect(await adapter.listAssignmentsForPrincipal(userId, "USER")).toEqual([direct]);

    // Act
    const { requestId } = await adapter.deleteAssignment(direct);
    const progress = await settle(() => adapter.assignmentDeletionStatus(requestId));

    // Assess
    expect(progress.status).toBe(status);
    if (value === "fails-404") {
      expect(progress.failureReason).toBe(
        `Received a 404 status error: the USER assignee ${userId} was not found in directory ${ic.identityStoreId}`,
      );
      expect(isPrincipalDeletedFailure(progress.failureReason, userId)).toBe(true);
    }
    expect(await adapter.listAssignmentsForPrincipal(userId, "USER")).toHaveLength(left);
    // a deleted user's memberships went with it: none, not an error
    expect(await adapter.listUserGroupMemberships(userId)).toEqual([]);
  });

  it("an assignment of a user that still exists is deleted under fails-404", async () => {
    const { ic, adapter } = await start({ orphanedAssignmentDeletion: "fails-404" });
    const { userId, direct } = seedUserWithAccess(ic);
    const { requestId } = await adapter.deleteAssignment(direct);
    expect((await settle(() => adapter.assignmentDeletionStatus(requestId))).status).toBe("SUCCEEDED");
    expect(await adapter.listAssignmentsForPrincipal(userId, "USER")).toEqual([]);
  });
});

describe("listForPrincipalIncludesInherited: what ListAccountAssignmentsForPrincipal answers for a USER", () => {
  it.each([false, true])("%s: the adapter returns only the user's own assignments", async (value) => {
    // Prepare
    const { ic, adapter } = await start({ listForPrincipalIncludesInherited: value });
    const { userId, direct, inherited } = seedUserWithAccess(ic);
    const sso = ic.services.find((s) => s.targetPrefix !== "AWSIdentityStore");
    const raw = (await sso?.operations.ListAccountAssignmentsForPrincipal?.({
      InstanceArn: ic.instanceArn,
      PrincipalId: userId,
      PrincipalType: "USER",
    })) as { AccountAssignments: { PrincipalType: string; PrincipalId: string }[] };

    // Act
    const listed = await adapter.listAssignmentsForPrincipal(userId, "USER");

    // Assess: the emulator answers per the switch; the adapter keeps the user's own items only
    expect(raw.AccountAssignments.map((a) => `${a.PrincipalType}|${a.PrincipalId}`).sort()).toEqual(
      value ? [`GROUP|${inherited.principalId}`, `USER|${userId}`].sort() : [`USER|${userId}`],
    );
    expect(listed).toEqual([direct]);
  });
});

describe("entries without a name (User.UserName and Group.DisplayName are optional in the model)", () => {
  it("are left out of users and groups and listed as unnamed, their memberships kept", async () => {
    // Prepare
    const { ic, adapter } = await start();
    const named = ic.seed.user({ userName: "jane@example.com" });
    const unnamedUser = ic.seed.user({ displayName: "No Name" });
    const group = ic.seed.group({ displayName: "aws-readonly" });
    const unnamedGroup = ic.seed.group({ description: "pushed without a name" });
    ic.seed.membership(unnamedGroup, named);
    ic.seed.membership(group, unnamedUser);

    // Act
    const state = await adapter.readState([]);

    // Assess
    expect(state.users).toEqual([{ userId: named, userName: "jane@example.com" }]);
    expect(state.groups).toEqual([{ groupId: group, displayName: "aws-readonly" }]);
    expect(state.unnamed).toEqual({ userIds: [unnamedUser], groupIds: [unnamedGroup] });
    expect(state.memberships).toEqual(
      expect.arrayContaining([
        { groupId: unnamedGroup, userId: named },
        { groupId: group, userId: unnamedUser },
      ]),
    );
    expect(await adapter.listGroups()).toEqual([{ groupId: group, displayName: "aws-readonly" }]);
    expect((await adapter.describeUser(unnamedUser))?.userName).toBeNull();
  });
});

describe("UserStatus (a member of the identitystore model that only SCIM sets)", () => {
  it("is answered once set, and absent before", async () => {
    const { ic, identityStore } = await start();
    const userId = ic.seed.user({ userName: "jane@example.com" });
    const read = () =>
      identityStore.send(new DescribeUserCommand({ IdentityStoreId: ic.identityStoreId, UserId: userId }));
    expect((await read()).UserStatus).toBeUndefined();
    ic.seed.userStatus(userId, "DISABLED");
    expect((await read()).UserStatus).toBe("DISABLED");
  });
});
