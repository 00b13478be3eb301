/**
 * The Identity Center emulator's wire behaviour through the real SDK clients (and raw fetch where
 * the SDK would not send the request): unknown operations, validation, identitystore lookups,
 * the inline-policy limit, provisioning status, pagination tokens, and the state snapshot.
 */
import {
  CreateGroupMembershipCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  IsMemberInGroupsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-identitystore";
import {
  CreatePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";

const LATENCY_MS = 1_000;
const ACCOUNT = "123456789012";
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start() {
  const clock = { t: 1_700_000_000_000 };
  const ic = createIdentityCenterEmulator({
    now: () => clock.t,
    limits: { latencyMs: LATENCY_MS, ssoAdminTps: 0, identityStoreTps: 0 },
  });
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
    await server.close();
  });
  /** Sends a raw AWS JSON 1.1 request, as the SDK would but without its client-side shapes. */
  const raw = async (target: string, body: unknown) => {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { __type: string; message: string } };
  };
  return { ic, clock, ssoAdmin, identityStore, raw };
}

/** A policy document with exactly `n` non-whitespace bytes, padded with `pad` spaces. */
function policyWithNonWhitespace(n: number, pad = 0): string {
  const skeleton =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Sid":""}]}';
  const filler = "A".repeat(n - skeleton.length);
  return skeleton.replace('"Sid":""', `"Sid":"${filler}"`) + " ".repeat(pad);
}

describe("Identity Center emulator: protocol", () => {
  it("answers UnknownOperationException for an operation sso-admin does not have", async () => {
    // Prepare
    const { raw } = await start();

    // Act
    const answer = await raw("SWBExternalService.DisableUser", {});

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("UnknownOperationException");
  });

  it("lists the one instance with its identity store", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start();

    // Act
    const { Instances } = await ssoAdmin.send(new ListInstancesCommand({}));

    // Assess
    expect(Instances).toEqual([
      expect.objectContaining({
        InstanceArn: ic.instanceArn,
        IdentityStoreId: ic.identityStoreId,
        Status: "ACTIVE",
      }),
    ]);
    expect(ic.instanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    expect(ic.identityStoreId).toMatch(/^d-\d{10}$/);
  });

  it("names every missing or invalid member in one ValidationException", async () => {
    // Prepare
    const { ic, raw } = await start();

    // Act
    const answer = await raw("SWBExternalService.CreateAccountAssignment", {
      InstanceArn: ic.instanceArn,
      TargetId: "12345",
      TargetType: "AWS_ACCOUNT",
      PrincipalType: "ROBOT",
      PrincipalId: "00000000-0000-4000-8000-000000000000",
    });

    // Assess
    expect(answer.body.__type).toBe("ValidationException");
    expect(answer.body.message).toMatch(/^3 validation errors detected: /);
    expect(answer.body.message).toContain("Value '12345' at 'targetId' failed to satisfy constraint");
    expect(answer.body.message).toContain("Value null at 'permissionSetArn' failed to satisfy constraint");
    expect(answer.body.message).toContain("Value 'ROBOT' at 'principalType' failed to satisfy constraint");
  });

  it("answers ResourceNotFoundException for an unknown permission set or principal", async () => {
    // Prepare
    const { ic, raw } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    const request = {
      InstanceArn: ic.instanceArn,
      TargetId: ACCOUNT,
      TargetType: "AWS_ACCOUNT",
      PrincipalType: "GROUP",
      PrincipalId: "00000000-0000-4000-8000-000000000000",
    };

    // Act
    const unknownSet = await raw("SWBExternalService.CreateAccountAssignment", {
      ...request,
      PermissionSetArn: `${permissionSetArn.slice(0, -4)}ffff`,
    });
    const unknownGroup = await raw("SWBExternalService.CreateAccountAssignment", {
      ...request,
      PermissionSetArn: permissionSetArn,
    });

    // Assess
    expect(unknownSet.body.__type).toBe("ResourceNotFoundException");
    expect(unknownGroup.body.__type).toBe("ResourceNotFoundException");
    expect(unknownGroup.body.message).toContain("GROUP");
  });

  it("rejects a duplicate permission set name with ConflictException", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start();
    await ssoAdmin.send(new CreatePermissionSetCommand({ InstanceArn: ic.instanceArn, Name: "ReadOnly" }));

    // Act
    const error = await ssoAdmin
      .send(new CreatePermissionSetCommand({ InstanceArn: ic.instanceArn, Name: "ReadOnly" }))
      .catch((e) => e);

    // Assess
    expect(error.name).toBe("ConflictException");
  });

  it("refuses a NextToken from another list with ValidationException", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start();
    for (const name of ["A", "B", "C"]) ic.seed.permissionSet({ name });
    const first = await ssoAdmin.send(
      new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn, MaxResults: 2 }),
    );

    // Act
    const error = await ssoAdmin
      .send(
        new ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: ic.instanceArn,
          AccountId: ACCOUNT,
          NextToken: first.NextToken,
        }),
      )
      .catch((e) => e);
    const second = await ssoAdmin.send(
      new ListPermissionSetsCommand({
        InstanceArn: ic.instanceArn,
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );

    // Assess
    expect(error.name).toBe("ValidationException");
    expect(first.PermissionSets).toHaveLength(2);
    expect(second.PermissionSets).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("Identity Center emulator: identitystore lookups", () => {
  it("resolves GetUserId by userName and answers ResourceNotFoundException for an unknown one", async () => {
    // Prepare
    const { ic, identityStore } = await start();
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });
    const byUserName = (value: string) =>
      new GetUserIdCommand({
        IdentityStoreId: ic.identityStoreId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: value } },
      });

    // Act
    const found = await identityStore.send(byUserName("jane.doe@example.com"));
    const missing = await identityStore.send(byUserName("nobody@example.com")).catch((e) => e);

    // Assess
    expect(found.UserId).toBe(userId);
    expect(missing.name).toBe("ResourceNotFoundException");
  });

  it("resolves GetGroupMembershipId for a membership created through the API", async () => {
    // Prepare
    const { ic, identityStore } = await start();
    const userId = ic.seed.user({ userName: "jane.doe@example.com" });
    const groupId = ic.seed.group({ displayName: "aws-prod-readonly" });
    const otherGroupId = ic.seed.group({ displayName: "aws-dev" });
    const created = await identityStore.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: ic.identityStoreId,
        GroupId: groupId,
        MemberId: { UserId: userId },
      }),
    );

    // Act
    const found = await identityStore.send(
      new GetGroupMembershipIdCommand({
        IdentityStoreId: ic.identityStoreId,
        GroupId: groupId,
        MemberId: { UserId: userId },
      }),
    );
    const missing = await identityStore
      .send(
        new GetGroupMembershipIdCommand({
          IdentityStoreId: ic.identityStoreId,
          GroupId: otherGroupId,
          MemberId: { UserId: userId },
        }),
      )
      .catch((e) => e);
    const check = await identityStore.send(
      new IsMemberInGroupsCommand({
        IdentityStoreId: ic.identityStoreId,
        MemberId: { UserId: userId },
        GroupIds: [groupId, otherGroupId],
      }),
    );

    // Assess
    expect(found.MembershipId).toBe(created.MembershipId);
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(check.Results?.map((r) => r.MembershipExists)).toEqual([true, false]);
  });

  it("filters ListUsers on UserName and returns AWS fields only", async () => {
    // Prepare
    const { ic, identityStore } = await start();
    ic.seed.user({ userName: "jane.doe@example.com", displayName: "Jane Doe" });
    ic.seed.user({ userName: "john.roe@example.com" });

    // Act
    const { Users } = await identityStore.send(
      new ListUsersCommand({
        IdentityStoreId: ic.identityStoreId,
        Filters: [{ AttributePath: "UserName", AttributeValue: "jane.doe@example.com" }],
      }),
    );

    // Assess
    expect(Users).toHaveLength(1);
    expect(Object.keys(Users?.[0] ?? {}).sort()).toEqual(
      ["CreatedAt", "DisplayName", "IdentityStoreId", "UserId", "UserName"].sort(),
    );
  });
});

describe("Identity Center emulator: inline policy and provisioning", () => {
  it("accepts 10,240 non-whitespace bytes (whitespace free) and rejects 10,241", async () => {
    // Prepare
    const { ic, ssoAdmin } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    const put = (InlinePolicy: string) =>
      ssoAdmin.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: ic.instanceArn,
          PermissionSetArn: permissionSetArn,
          InlinePolicy,
        }),
      );

    // Act
    const atLimit = await put(policyWithNonWhitespace(10_240, 5_000));
    const overLimit = await put(policyWithNonWhitespace(10_241)).catch((e) => e);

    // Assess
    expect(atLimit.$metadata.httpStatusCode).toBe(200);
    expect(overLimit.name).toBe("ValidationException");
    expect(overLimit.message).toContain("10241 non-whitespace bytes");
    expect(ic.snapshot().permissionSets[0]?.inlinePolicy).toBe(policyWithNonWhitespace(10_240, 5_000));
  });

  it("reports a pair NOT_PROVISIONED after an inline change and PROVISIONED again after ProvisionPermissionSet", async () => {
    // Prepare
    const { ic, clock, ssoAdmin } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    ic.seed.provision(ACCOUNT, permissionSetArn);
    const provisioned = async (
      status: "LATEST_PERMISSION_SET_PROVISIONED" | "LATEST_PERMISSION_SET_NOT_PROVISIONED",
    ) =>
      (
        await ssoAdmin.send(
          new ListPermissionSetsProvisionedToAccountCommand({
            InstanceArn: ic.instanceArn,
            AccountId: ACCOUNT,
            ProvisioningStatus: status,
          }),
        )
      ).PermissionSets ?? [];
    const before = await provisioned("LATEST_PERMISSION_SET_NOT_PROVISIONED");

    // Act
    await ssoAdmin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: ic.instanceArn,
        PermissionSetArn: permissionSetArn,
        InlinePolicy: policyWithNonWhitespace(200),
      }),
    );
    const outdated = await provisioned("LATEST_PERMISSION_SET_NOT_PROVISIONED");
    const started = await ssoAdmin.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: ic.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetType: "AWS_ACCOUNT",
        TargetId: ACCOUNT,
      }),
    );
    clock.t += LATENCY_MS;
    const status = await ssoAdmin.send(
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: ic.instanceArn,
        ProvisionPermissionSetRequestId: started.PermissionSetProvisioningStatus?.RequestId,
      }),
    );

    // Assess
    expect(before).toEqual([]);
    expect(outdated).toEqual([permissionSetArn]);
    expect(started.PermissionSetProvisioningStatus).toMatchObject({
      Status: "IN_PROGRESS",
      AccountId: ACCOUNT,
    });
    expect(status.PermissionSetProvisioningStatus?.Status).toBe("SUCCEEDED");
    expect(await provisioned("LATEST_PERMISSION_SET_NOT_PROVISIONED")).toEqual([]);
    expect(await provisioned("LATEST_PERMISSION_SET_PROVISIONED")).toEqual([permissionSetArn]);
  });

  it("provisions the latest version to every account a set is provisioned to with ALL_PROVISIONED_ACCOUNTS, and nowhere else", async () => {
    // Prepare: a set provisioned to three accounts, edited, another set outdated in one of them
    const { ic, clock, ssoAdmin } = await start();
    const accounts = ["111111111111", "222222222222", "333333333333"];
    const edited = ic.seed.permissionSet({ name: "Admin" });
    const other = ic.seed.permissionSet({ name: "ReadOnly" });
    for (const account of accounts) ic.seed.provision(account, edited);
    ic.seed.provision(accounts[0] as string, other);
    for (const arn of [edited, other])
      await ssoAdmin.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: ic.instanceArn,
          PermissionSetArn: arn,
          InlinePolicy: policyWithNonWhitespace(200),
        }),
      );
    const outdatedIn = async (account: string) =>
      (
        await ssoAdmin.send(
          new ListPermissionSetsProvisionedToAccountCommand({
            InstanceArn: ic.instanceArn,
            AccountId: account,
            ProvisioningStatus: "LATEST_PERMISSION_SET_NOT_PROVISIONED",
          }),
        )
      ).PermissionSets ?? [];

    // Act: one call, no TargetId
    const started = await ssoAdmin.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: ic.instanceArn,
        PermissionSetArn: edited,
        TargetType: "ALL_PROVISIONED_ACCOUNTS",
      }),
    );
    clock.t += LATENCY_MS;
    const status = await ssoAdmin.send(
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: ic.instanceArn,
        ProvisionPermissionSetRequestId: started.PermissionSetProvisioningStatus?.RequestId,
      }),
    );

    // Assess
    expect(started.PermissionSetProvisioningStatus?.Status).toBe("IN_PROGRESS");
    expect(started.PermissionSetProvisioningStatus?.AccountId).toBeUndefined();
    expect(status.PermissionSetProvisioningStatus?.Status).toBe("SUCCEEDED");
    expect(await outdatedIn(accounts[0] as string)).toEqual([other]);
    expect(await outdatedIn(accounts[1] as string)).toEqual([]);
    expect(await outdatedIn(accounts[2] as string)).toEqual([]);
    expect(ic.snapshot().calls.ssoAdmin.ProvisionPermissionSet).toBe(1);
  });
});

describe("Identity Center emulator: snapshot", () => {
  it("is a copy: changing it changes nothing in the emulator", async () => {
    // Prepare
    const { ic } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly", inlinePolicy: "{}" });
    const snapshot = ic.snapshot();

    // Act
    const first = snapshot.permissionSets[0];
    if (first) first.inlinePolicy = "tampered";
    snapshot.assignments.push({
      accountId: ACCOUNT,
      permissionSetArn,
      principalType: "USER",
      principalId: "x",
    });

    // Assess
    expect(ic.snapshot().permissionSets[0]?.inlinePolicy).toBe("{}");
    expect(ic.snapshot().assignments).toEqual([]);
  });
});
