/**
 * The Identity Center emulator's limits, seen through the real SDK clients: the sso-admin token
 * bucket, 10 outstanding assignment operations, one permission-set update per account at a time,
 * injected failures. A manual clock keeps operations IN_PROGRESS until a test moves time on.
 */
import { IdentitystoreClient, ListUsersCommand } from "@aws-sdk/client-identitystore";
import {
  CreateAccountAssignmentCommand,
  type CreateAccountAssignmentCommandInput,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListPermissionSetsCommand,
  ProvisionPermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulatorOptions,
} from "../../local/emulators/identity-center/index.ts";

const LATENCY_MS = 1_000;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An emulator on loopback driven by a manual clock, with one permission set and one user. */
async function start(options: IdentityCenterEmulatorOptions = {}) {
  const clock = { t: 1_700_000_000_000 };
  const ic = createIdentityCenterEmulator({
    now: () => clock.t,
    ...options,
    limits: { latencyMs: LATENCY_MS, ssoAdminTps: 0, identityStoreTps: 0, ...options.limits },
  });
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
    await server.close();
  });
  const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
  const otherPermissionSetArn = ic.seed.permissionSet({ name: "DeveloperAccess" });
  const userId = ic.seed.user({ userName: "jane.doe@example.com" });
  const assignment = (accountId: string, arn = permissionSetArn): CreateAccountAssignmentCommandInput => ({
    InstanceArn: ic.instanceArn,
    TargetId: accountId,
    TargetType: "AWS_ACCOUNT",
    PermissionSetArn: arn,
    PrincipalType: "USER",
    PrincipalId: userId,
  });
  return { ic, clock, ssoAdmin, identityStore, permissionSetArn, otherPermissionSetArn, userId, assignment };
}

const account = (n: number) => String(100_000_000_000 + n);

describe("Identity Center emulator: rate limit", () => {
  it("answers ThrottlingException to a burst above the sso-admin rate", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start({ limits: { ssoAdminTps: 5 } });

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn })),
      ),
    );

    // Assess: the bucket holds 5 tokens and the frozen clock refills none
    const rejected = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(rejected.map((e) => e.name)).toEqual(Array(7).fill("ThrottlingException"));
    expect(ic.snapshot().throttled.ssoAdmin).toEqual({ ListPermissionSets: 7 });
  });

  it("refills the bucket as time passes", async () => {
    // Prepare
    const { ic, clock, ssoAdmin } = await start({ limits: { ssoAdminTps: 2 } });
    const list = () => ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }));
    await list();
    await list();
    await expect(list()).rejects.toMatchObject({ name: "ThrottlingException" });

    // Act
    clock.t += 500;

    // Assess: half a second at 2 TPS is one token
    await expect(list()).resolves.toMatchObject({ PermissionSets: expect.any(Array) });
    await expect(list()).rejects.toMatchObject({ name: "ThrottlingException" });
  });

  it("keeps identitystore on its own bucket while sso-admin is throttled", async () => {
    // Prepare
    const { ic, ssoAdmin, identityStore } = await start({
      limits: { ssoAdminTps: 1, identityStoreTps: 100 },
    });
    await ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }));
    await expect(
      ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn })),
    ).rejects.toMatchObject({
      name: "ThrottlingException",
    });

    // Act
    const users = await identityStore.send(new ListUsersCommand({ IdentityStoreId: ic.identityStoreId }));

    // Assess
    expect(users.Users?.map((u) => u.UserName)).toEqual(["jane.doe@example.com"]);
  });

  it("throttles by probability when throttleRate is switched on at runtime", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start();
    ic.faults.throttleRate = 1;

    // Act
    const error = await ssoAdmin
      .send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }))
      .catch((e) => e);
    ic.faults.throttleRate = 0;
    const after = await ssoAdmin.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }));

    // Assess
    // HTTP 429: the model's status for ThrottlingException (test/fixtures/aws/models/sso-admin.json).
    expect(error).toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } });
    expect(after.PermissionSets).toHaveLength(2);
  });

  it("answers InternalServerException (HTTP 500) when serverErrorRate says so", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start({ faults: { serverErrorRate: 1 } });

    // Act
    const error = await ssoAdmin
      .send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }))
      .catch((e) => e);

    // Assess
    expect(error).toMatchObject({ name: "InternalServerException", $fault: "server" });
    expect(error.$metadata.httpStatusCode).toBe(500);
  });
});

describe("Identity Center emulator: asynchronous operation limits", () => {
  it("rejects the 11th outstanding assignment operation with ThrottlingException", async () => {
    // Prepare: ten creations IN_PROGRESS, each in its own account
    const { ic, ssoAdmin, assignment } = await start();
    for (let n = 0; n < 10; n++)
      await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(n))));

    // Act
    const error = await ssoAdmin
      .send(new CreateAccountAssignmentCommand(assignment(account(10))))
      .catch((e) => e);

    // Assess
    expect(error.name).toBe("ThrottlingException");
    expect(error.message).toBe("There are too many requests processing. Please try again later.");
    expect(ic.snapshot().operations.outstandingAssignmentOps).toBe(10);
  });

  it("counts deletions toward the limit and frees a slot once an operation completes", async () => {
    // Prepare: five creations and five deletions IN_PROGRESS
    const { ic, clock, ssoAdmin, assignment, permissionSetArn, userId } = await start();
    for (let n = 0; n < 5; n++) {
      ic.seed.assignment({
        accountId: account(n),
        permissionSetArn,
        principalType: "USER",
        principalId: userId,
      });
      await ssoAdmin.send(new DeleteAccountAssignmentCommand(assignment(account(n))));
      await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(100 + n))));
    }
    await expect(
      ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(200)))),
    ).rejects.toMatchObject({ name: "ThrottlingException" });

    // Act
    clock.t += LATENCY_MS;
    const accepted = await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(200))));

    // Assess
    expect(accepted.AccountAssignmentCreationStatus?.Status).toBe("IN_PROGRESS");
    expect(ic.snapshot().operations).toMatchObject({ outstandingAssignmentOps: 1, succeeded: 10 });
  });

  it("answers ConflictException to a second permission-set update on the same account", async () => {
    // Prepare
    const { ic, clock, ssoAdmin, assignment, otherPermissionSetArn } = await start();
    await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(1))));

    // Act
    const sameAccount = await ssoAdmin
      .send(new CreateAccountAssignmentCommand(assignment(account(1), otherPermissionSetArn)))
      .catch((e) => e);
    const provision = await ssoAdmin
      .send(
        new ProvisionPermissionSetCommand({
          InstanceArn: ic.instanceArn,
          PermissionSetArn: otherPermissionSetArn,
          TargetType: "AWS_ACCOUNT",
          TargetId: account(1),
        }),
      )
      .catch((e) => e);
    const otherAccount = await ssoAdmin.send(
      new CreateAccountAssignmentCommand(assignment(account(2), otherPermissionSetArn)),
    );
    clock.t += LATENCY_MS;
    const afterCompletion = await ssoAdmin.send(
      new CreateAccountAssignmentCommand(assignment(account(1), otherPermissionSetArn)),
    );

    // Assess
    expect(sameAccount.name).toBe("ConflictException");
    expect(sameAccount.message).toContain(account(1));
    expect(provision.name).toBe("ConflictException");
    expect(otherAccount.AccountAssignmentCreationStatus?.Status).toBe("IN_PROGRESS");
    expect(afterCompletion.AccountAssignmentCreationStatus?.Status).toBe("IN_PROGRESS");
  });

  it("ends the next N operations FAILED with a FailureReason when failNextOperations is set", async () => {
    // Prepare
    const { ic, clock, ssoAdmin, assignment } = await start();
    ic.faults.failNextOperations = 1;
    const failing = await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(1))));
    const succeeding = await ssoAdmin.send(new CreateAccountAssignmentCommand(assignment(account(2))));

    // Act
    clock.t += LATENCY_MS;
    const describe = (requestId: string | undefined) =>
      ssoAdmin.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: ic.instanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      );
    const failed = await describe(failing.AccountAssignmentCreationStatus?.RequestId);
    const succeeded = await describe(succeeding.AccountAssignmentCreationStatus?.RequestId);

    // Assess
    expect(failed.AccountAssignmentCreationStatus).toMatchObject({
      Status: "FAILED",
      FailureReason: expect.stringContaining("failNextOperations"),
    });
    expect(succeeded.AccountAssignmentCreationStatus?.Status).toBe("SUCCEEDED");
    expect(succeeded.AccountAssignmentCreationStatus?.FailureReason).toBeUndefined();
    expect(ic.faults.failNextOperations).toBe(0);
    expect(ic.snapshot().assignments.map((a) => a.accountId)).toEqual([account(2)]);
  });
});
