/**
 * IdentityCenterAdapter against the Identity Center emulator, through the real SDK clients:
 * the assignment lifecycle with polling, full pagination, minimal reads (provisioned pairs only),
 * provisioning after an inline change, failures, and validation of what AWS answers.
 */
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import {
  IdentityCenterAdapter,
  isRetryableIdentityCenterError,
  isUniquenessConflict,
  type OperationProgress,
  UnexpectedIdentityCenterResponseError,
} from "../../adapters/identity-center.ts";
import type { Assignment } from "../../core/estate.ts";
import { type AwsJsonService, AwsServiceError } from "../../local/emulators/aws-json-protocol.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulator,
  type IdentityCenterEmulatorOptions,
} from "../../local/emulators/identity-center/index.ts";
import type { PageShape } from "../../local/emulators/page-shape.ts";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const account = (n: number) => String(200_000_000_000 + n);

interface StartOptions extends IdentityCenterEmulatorOptions {
  pageSize?: number;
  /** Replaces the services the server answers with (to make "AWS" answer something odd). */
  services?: (ic: IdentityCenterEmulator) => AwsJsonService[];
}

/** Emulator (real clock, 5 ms operations, no rate limit) + server + adapter over real SDK clients. */
async function start(options: StartOptions = {}) {
  const { pageSize, services, ...emulatorOptions } = options;
  const ic = createIdentityCenterEmulator({
    ...emulatorOptions,
    limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0, ...emulatorOptions.limits },
  });
  const server = await startAwsJsonServer(services ? services(ic) : ic.services);
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
    ...(pageSize === undefined ? {} : { pageSize }),
  });
  return { ic, adapter };
}

/** Polls an async operation until it leaves IN_PROGRESS (bounded, so a bug fails instead of hanging). */
async function settle(read: () => Promise<OperationProgress>): Promise<OperationProgress> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const progress = await read();
    if (progress.status !== "IN_PROGRESS") return progress;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("operation still IN_PROGRESS after 200 polls");
}

describe("IdentityCenterAdapter: assignments", () => {
  it("creates, polls, lists, deletes and polls an assignment", async () => {
    // Prepare
    const { ic, adapter } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    const groupId = ic.seed.group({ displayName: "aws-prod-readonly" });
    const assignment: Assignment = {
      accountId: account(1),
      permissionSetArn,
      principalType: "GROUP",
      principalId: groupId,
    };

    // Act
    const created = await adapter.createAssignment(assignment);
    const creation = await settle(() => adapter.assignmentCreationStatus(created.requestId));
    const listed = await adapter.listAssignments(account(1), permissionSetArn);
    const forGroup = await adapter.listAssignmentsForPrincipal(groupId, "GROUP");
    const provisioned = await adapter.listProvisionedPermissionSets(account(1));
    const deleted = await adapter.deleteAssignment(assignment);
    const deletion = await settle(() => adapter.assignmentDeletionStatus(deleted.requestId));

    // Assess
    expect(creation).toEqual({ status: "SUCCEEDED" });
    expect(listed).toEqual([assignment]);
    expect(forGroup).toEqual([assignment]);
    expect(provisioned).toEqual([{ permissionSetArn, outdated: false }]);
    expect(deletion).toEqual({ status: "SUCCEEDED" });
    expect(await adapter.listAssignments(account(1), permissionSetArn)).toEqual([]);
    expect(ic.snapshot().assignments).toEqual([]);
  });

  it("surfaces a FAILED operation with its reason and leaves no assignment", async () => {
    // Prepare
    const { ic, adapter } = await start({ faults: { failNextOperations: 1 } });
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });

    // Act
    const { requestId } = await adapter.createAssignment({
      accountId: account(1),
      permissionSetArn,
      principalType: "USER",
      principalId: userId,
    });
    const progress = await settle(() => adapter.assignmentCreationStatus(requestId));

    // Assess
    expect(progress.status).toBe("FAILED");
    expect(progress.failureReason).toMatch(/failNextOperations/);
    expect(await adapter.listAssignmentsForPrincipal(userId, "USER")).toEqual([]);
  });

  // AWS may answer short or empty pages with a NextToken (local/emulators/page-shape.ts).
  it.each<{ pageShape: PageShape; calls: number }>([
    { pageShape: "full", calls: 12 },
    { pageShape: "short", calls: 24 },
    { pageShape: "empty-first", calls: 13 },
  ])(
    "follows every page: 120 assignments read 10 at a time, in $calls calls under $pageShape pages",
    async ({ pageShape, calls }) => {
      // Prepare
      const { ic, adapter } = await start({ pageSize: 10, limits: { pageShape } });
      const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
      const expected: Assignment[] = [];
      for (let n = 0; n < 120; n++) {
        const principalId = ic.seed.user({ userName: `user${n}@example.com` });
        const assignment: Assignment = {
          accountId: account(1),
          permissionSetArn,
          principalType: "USER",
          principalId,
        };
        ic.seed.assignment(assignment);
        expected.push(assignment);
      }

      // Act
      const listed = await adapter.listAssignments(account(1), permissionSetArn);
      const users = await adapter.listUsers();

      // Assess
      expect(listed).toHaveLength(120);
      expect(new Set(listed.map((a) => a.principalId))).toEqual(new Set(expected.map((a) => a.principalId)));
      expect(ic.snapshot().calls.ssoAdmin.ListAccountAssignments).toBe(calls);
      expect(users).toHaveLength(120);
      expect(new Set(users.map((u) => u.userId))).toEqual(new Set(expected.map((a) => a.principalId)));
      expect(ic.snapshot().calls.identityStore.ListUsers).toBe(calls);
    },
  );

  it("lets a ConflictException through for the caller to retry", async () => {
    // Prepare
    const { ic, adapter } = await start({ limits: { latencyMs: 60_000 } });
    const readOnly = ic.seed.permissionSet({ name: "ReadOnly" });
    const developer = ic.seed.permissionSet({ name: "DeveloperAccess" });
    const groupId = ic.seed.group({ displayName: "devs" });
    await adapter.createAssignment({
      accountId: account(1),
      permissionSetArn: readOnly,
      principalType: "GROUP",
      principalId: groupId,
    });

    // Act
    const error = await adapter
      .createAssignment({
        accountId: account(1),
        permissionSetArn: developer,
        principalType: "GROUP",
        principalId: groupId,
      })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "ConflictException" });
    expect(isRetryableIdentityCenterError(error)).toBe(true);
    expect(isRetryableIdentityCenterError(new Error("ValidationException"))).toBe(false);
  });
});

describe("IdentityCenterAdapter: permission sets and provisioning", () => {
  it("marks a pair outdated after an inline change and current after provisioning", async () => {
    // Prepare
    const { ic, adapter } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "PlatformAdmin", sessionDuration: "PT4H" });
    const groupId = ic.seed.group({ displayName: "platform" });
    ic.seed.assignment({
      accountId: account(1),
      permissionSetArn,
      principalType: "GROUP",
      principalId: groupId,
    });
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
    });
    const before = await adapter.getInlinePolicy(permissionSetArn);

    // Act
    await adapter.putInlinePolicy(permissionSetArn, document);
    const afterPut = await adapter.listProvisionedPermissionSets(account(1));
    const { requestId } = await adapter.provisionPermissionSet(permissionSetArn, account(1));
    const provisioning = await settle(() => adapter.provisioningStatus(requestId));
    const afterProvision = await adapter.listProvisionedPermissionSets(account(1));

    // Assess
    expect(before).toBeNull();
    expect(await adapter.getInlinePolicy(permissionSetArn)).toBe(document);
    expect(afterPut).toEqual([{ permissionSetArn, outdated: true }]);
    expect(provisioning).toEqual({ status: "SUCCEEDED" });
    expect(afterProvision).toEqual([{ permissionSetArn, outdated: false }]);
    expect(await adapter.listPermissionSets()).toEqual([
      { arn: permissionSetArn, name: "PlatformAdmin", sessionDuration: "PT4H" },
    ]);
  });
});

describe("IdentityCenterAdapter: users and memberships", () => {
  it("finds a user by userName, or null", async () => {
    // Prepare
    const { ic, adapter } = await start();
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });

    // Act
    const found = await adapter.findUserIdByUserName("jane.doe@example.com");
    const missing = await adapter.findUserIdByUserName("nobody@example.com");

    // Assess
    expect(found).toBe(userId);
    expect(missing).toBeNull();
  });

  it.each<PageShape>(["full", "short", "empty-first"])(
    "lists, removes and adds a user's group memberships (%s pages)",
    async (pageShape) => {
      // Prepare
      const { ic, adapter } = await start({ pageSize: 1, limits: { pageShape } });
      const userId = ic.seed.user({ userName: "jane.doe@example.com" });
      const readers = ic.seed.group({ displayName: "readers" });
      const writers = ic.seed.group({ displayName: "writers" });
      const readersMembership = ic.seed.membership(readers, userId);
      const writersMembership = ic.seed.membership(writers, userId);

      // Act
      const before = await adapter.listUserGroupMemberships(userId);
      await adapter.deleteMembership(readersMembership);
      const afterDelete = await adapter.listUserGroupMemberships(userId);
      const { membershipId: recreated } = await adapter.createMembership(readers, userId);

      // Assess
      expect(before).toEqual(
        [
          { membershipId: readersMembership, groupId: readers },
          { membershipId: writersMembership, groupId: writers },
        ].sort((a, b) => a.groupId.localeCompare(b.groupId)),
      );
      expect(afterDelete).toEqual([{ membershipId: writersMembership, groupId: writers }]);
      expect(await adapter.listGroupMemberships(readers)).toEqual([{ membershipId: recreated, userId }]);
    },
  );

  it("counts a duplicate membership as done: one CreateGroupMembership (UNIQUENESS_CONSTRAINT_VIOLATION), one read, no retry", async () => {
    // Prepare: jane is already a member of readers
    const { ic, adapter } = await start();
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });
    const readers = ic.seed.group({ displayName: "readers" });
    const existing = ic.seed.membership(readers, userId);

    // Act
    const added = await adapter.createMembership(readers, userId);

    // Assess
    expect(added).toEqual({ membershipId: existing, alreadyMember: true });
    expect(ic.snapshot().calls.identityStore).toEqual({ CreateGroupMembership: 1, GetGroupMembershipId: 1 });
    expect(await adapter.listGroupMemberships(readers)).toEqual([{ membershipId: existing, userId }]);
  });

  it("lets a concurrent-modification ConflictException through as retryable; a uniqueness one is not", async () => {
    // Prepare: identitystore answers every CreateGroupMembership with a CONCURRENT_MODIFICATION conflict
    const { ic, adapter } = await start({
      services: (ic) =>
        ic.services.map((service) =>
          service.targetPrefix !== "AWSIdentityStore"
            ? service
            : {
                ...service,
                operations: {
                  ...service.operations,
                  CreateGroupMembership: () => {
                    throw new AwsServiceError("ConflictException", "Concurrent modification", 409, {
                      Reason: "CONCURRENT_MODIFICATION",
                    });
                  },
                },
              },
        ),
    });
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });
    const readers = ic.seed.group({ displayName: "readers" });

    // Act
    const error = await adapter.createMembership(readers, userId).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "ConflictException", Reason: "CONCURRENT_MODIFICATION" });
    expect(isRetryableIdentityCenterError(error)).toBe(true);
    expect(isUniquenessConflict(error)).toBe(false);
    const duplicate = Object.assign(new Error("exists"), {
      name: "ConflictException",
      Reason: "UNIQUENESS_CONSTRAINT_VIOLATION",
    });
    expect(isRetryableIdentityCenterError(duplicate)).toBe(false);
    expect(isUniquenessConflict(duplicate)).toBe(true);
  });
});

describe("IdentityCenterAdapter: readState", () => {
  // Every list here fits one page (so "short" pages change nothing); an empty first page doubles each.
  it.each<{ pageShape: PageShape; pages: number }>([
    { pageShape: "full", pages: 1 },
    { pageShape: "short", pages: 1 },
    { pageShape: "empty-first", pages: 2 },
  ])(
    "reads assignments of provisioned pairs only, with the minimal number of calls ($pageShape pages)",
    async ({ pageShape, pages }) => {
      // Prepare: 3 permission sets x 4 accounts = 12 pairs, of which 3 are provisioned
      const { ic, adapter } = await start({ limits: { pageShape } });
      const sets = ["ReadOnly", "DeveloperAccess", "BillingViewer"].map((name) =>
        ic.seed.permissionSet({ name }),
      );
      const [readOnly, developer, billing] = sets as [string, string, string];
      const alice = ic.seed.user({ userName: "alice@example.com" });
      const bob = ic.seed.user({ userName: "bob@example.com" });
      const devs = ic.seed.group({ displayName: "devs" });
      const finance = ic.seed.group({ displayName: "finance" });
      ic.seed.membership(devs, alice);
      ic.seed.membership(devs, bob);
      ic.seed.membership(finance, bob);
      const assignments: Assignment[] = [
        { accountId: account(1), permissionSetArn: readOnly, principalType: "GROUP", principalId: devs },
        { accountId: account(1), permissionSetArn: developer, principalType: "GROUP", principalId: devs },
        { accountId: account(1), permissionSetArn: developer, principalType: "USER", principalId: alice },
        { accountId: account(3), permissionSetArn: billing, principalType: "GROUP", principalId: finance },
      ];
      for (const a of assignments) ic.seed.assignment(a);
      ic.seed.assignment({
        accountId: account(9),
        permissionSetArn: readOnly,
        principalType: "USER",
        principalId: bob,
      });
      const accounts = [account(1), account(2), account(3), account(4)];

      // Act
      const state = await adapter.readState(accounts);

      // Assess: the state
      expect(state.provisioned).toHaveLength(3);
      expect(state.provisioned.every((p) => !p.outdated)).toBe(true);
      expect(new Set(state.assignments)).toEqual(new Set(assignments));
      expect(state.assignments).toHaveLength(4);
      expect(state.permissionSets.map((p) => p.name)).toEqual([
        "BillingViewer",
        "DeveloperAccess",
        "ReadOnly",
      ]);
      expect(state.users.map((u) => u.userName)).toEqual(["alice@example.com", "bob@example.com"]);
      expect(state.groups.map((g) => g.displayName)).toEqual(["devs", "finance"]);
      expect(state.memberships).toHaveLength(3);
      expect(state.denies).toEqual([]);
      // Assess: the calls (one ListAccountAssignments per provisioned pair, not per account x set;
      // the pairs listed per permission set, as 3 sets are fewer than 4 accounts: 2 listings each)
      // (each list call once per page)
      expect(ic.snapshot().calls).toEqual({
        ssoAdmin: {
          ListPermissionSets: 1 * pages,
          DescribePermissionSet: 3,
          ListAccountsForProvisionedPermissionSet: 6 * pages,
          ListAccountAssignments: 3 * pages,
        },
        identityStore: { ListUsers: 1 * pages, ListGroups: 1 * pages, ListGroupMemberships: 2 * pages },
      });
    },
  );
});

describe("IdentityCenterAdapter: readState lists provisioned pairs from the smaller side", () => {
  it("reads the same pairs, outdated ones included, per permission set and per account", async () => {
    // Prepare: 2 permission sets in 3 accounts; one pair outdated by an inline policy edit; a pair
    // in an account outside the run (suspended) that neither side may return
    const { ic, adapter } = await start({ limits: { pageShape: "short" } });
    const readOnly = ic.seed.permissionSet({ name: "ReadOnly" });
    const admin = ic.seed.permissionSet({ name: "Admin" });
    const group = ic.seed.group({ displayName: "devs" });
    const pairs: [string, string][] = [
      [account(1), readOnly],
      [account(2), readOnly],
      [account(2), admin],
      [account(3), admin],
      [account(9), admin],
    ];
    for (const [accountId, permissionSetArn] of pairs) {
      ic.seed.assignment({ accountId, permissionSetArn, principalType: "GROUP", principalId: group });
    }
    await adapter.putInlinePolicy(
      admin,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
      }),
    );
    const expected = [
      { accountId: account(1), permissionSetArn: readOnly, outdated: false },
      { accountId: account(2), permissionSetArn: admin, outdated: true },
      { accountId: account(2), permissionSetArn: readOnly, outdated: false },
      { accountId: account(3), permissionSetArn: admin, outdated: true },
    ].sort((a, b) =>
      `${a.accountId} ${a.permissionSetArn}`.localeCompare(`${b.accountId} ${b.permissionSetArn}`),
    );

    // Act: 2 sets < 3 accounts is read per set; 2 sets >= 2 accounts per account
    const before = ic.snapshot().calls.ssoAdmin;
    const perSet = await adapter.readState([account(1), account(2), account(3)]);
    const middle = ic.snapshot().calls.ssoAdmin;
    const perAccount = await adapter.readState([account(1), account(2)]);
    const after = ic.snapshot().calls.ssoAdmin;

    // Assess: the same pairs either way, and each read used only its own listing
    expect(perSet.provisioned).toEqual(expected);
    expect(perSet.assignments).toHaveLength(4);
    expect(perAccount.provisioned).toEqual(expected.filter((p) => p.accountId !== account(3)));
    const delta = (a: Record<string, number>, b: Record<string, number>, op: string) =>
      (a[op] ?? 0) - (b[op] ?? 0);
    expect(delta(middle, before, "ListAccountsForProvisionedPermissionSet")).toBe(4);
    expect(delta(middle, before, "ListPermissionSetsProvisionedToAccount")).toBe(0);
    expect(delta(after, middle, "ListAccountsForProvisionedPermissionSet")).toBe(0);
    expect(delta(after, middle, "ListPermissionSetsProvisionedToAccount")).toBe(4);
  });
});

describe("IdentityCenterAdapter: a scoped readState lists only what its pairs name", () => {
  it("reads one permission set's pairs with its two listings, and one pair's with its account's two", async () => {
    // Prepare: 3 sets in 4 accounts
    const { ic, adapter } = await start();
    const sets = ["ReadOnly", "Admin", "Billing"].map((name) => ic.seed.permissionSet({ name }));
    const [readOnly, admin] = sets as [string, string, string];
    const group = ic.seed.group({ displayName: "devs" });
    const accounts = [account(1), account(2), account(3), account(4)];
    for (const accountId of accounts) {
      for (const permissionSetArn of sets) {
        ic.seed.assignment({ accountId, permissionSetArn, principalType: "GROUP", principalId: group });
      }
    }
    const calls = () => ic.snapshot().calls.ssoAdmin;
    const listings = (after: Record<string, number>, before: Record<string, number>) => ({
      perSet:
        (after.ListAccountsForProvisionedPermissionSet ?? 0) -
        (before.ListAccountsForProvisionedPermissionSet ?? 0),
      perAccount:
        (after.ListPermissionSetsProvisionedToAccount ?? 0) -
        (before.ListPermissionSetsProvisionedToAccount ?? 0),
      assignments: (after.ListAccountAssignments ?? 0) - (before.ListAccountAssignments ?? 0),
    });

    // Act
    const c0 = calls();
    const oneSet = await adapter.readState(accounts, { pairs: (_a, ps) => ps === admin });
    const c1 = calls();
    const onePair = await adapter.readState(accounts, {
      pairs: (a, ps) => a === account(2) && ps === readOnly,
    });
    const c2 = calls();

    // Assess
    expect(oneSet.provisioned.map((p) => [p.accountId, p.permissionSetArn])).toEqual(
      accounts.map((a) => [a, admin]),
    );
    expect(listings(c1, c0)).toEqual({ perSet: 2, perAccount: 0, assignments: 4 });
    expect(onePair.provisioned.map((p) => [p.accountId, p.permissionSetArn])).toEqual([
      [account(2), readOnly],
    ]);
    expect(listings(c2, c1)).toEqual({ perSet: 0, perAccount: 2, assignments: 1 });
  });
});

describe("IdentityCenterAdapter: unexpected responses", () => {
  it("names the field when AWS answers something the adapter cannot rely on", async () => {
    // Prepare: an identitystore whose ListUsers leaves out UserId (required in the model; UserName is not)
    const { adapter } = await start({
      services: (ic) =>
        ic.services.map((service) =>
          service.targetPrefix !== "AWSIdentityStore"
            ? service
            : {
                ...service,
                operations: {
                  ...service.operations,
                  ListUsers: () => ({ Users: [{ IdentityStoreId: ic.identityStoreId, UserName: "jane" }] }),
                },
              },
        ),
    });

    // Act
    const error = await adapter.listUsers().catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(UnexpectedIdentityCenterResponseError);
    expect(error).toMatchObject({ operation: "ListUsers", field: "Users[0].UserId" });
    expect((error as Error).message).toBe(
      "ListUsers returned an unexpected response: Users[0].UserId: required",
    );
  });

  it("refuses to follow a NextToken that repeats", async () => {
    // Prepare: a ListGroups that always answers the same page
    const { adapter } = await start({
      services: (ic) =>
        ic.services.map((service) =>
          service.targetPrefix !== "AWSIdentityStore"
            ? service
            : {
                ...service,
                operations: { ...service.operations, ListGroups: () => ({ Groups: [], NextToken: "again" }) },
              },
        ),
    });

    // Act
    const error = await adapter.listGroups().catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "UnexpectedIdentityCenterResponseError", field: "NextToken" });
  });
});
