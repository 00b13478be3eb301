import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import {
  createIamEmulator,
  type IamEmulator,
  ORGANIZATION_ACCESS_ROLE,
} from "../../local/emulators/iam/index.ts";
import { startGateway } from "../../local/stack/gateway.ts";
import { AwsQueryModel, type CheckedQueryAnswer, recordQueryAnswers } from "../support/aws-query-model.ts";

/**
 * The IAM and STS emulator driven by the real SDK v3 clients over the AWS Query protocol; every answer
 * (success or error) is checked against the vendored botocore models (test/fixtures/aws/models).
 */

const MANAGEMENT = "111111111111";
const CREATED = "222222222222";
const INVITED = "333333333333";
const OUTSIDE = "444444444444";
const models = { iam: new AwsQueryModel("iam"), sts: new AwsQueryModel("sts") };
const answers: CheckedQueryAnswer[] = [];

let clock = Date.parse("2026-06-01T12:00:00Z");
let emulator: IamEmulator;
let server: RunningServer;

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const clientsFor = (credentials?: Credentials) => {
  const config = { ...localClientConfig(server.endpoint), ...(credentials ? { credentials } : {}) };
  return {
    iam: recordQueryAnswers(new iam.IAMClient(config), models.iam, answers),
    sts: recordQueryAnswers(new sts.STSClient(config), models.sts, answers),
  };
};
const management = () => clientsFor();
const sessionOf = (result: sts.AssumeRoleCommandOutput): Credentials => ({
  accessKeyId: result.Credentials?.AccessKeyId ?? "",
  secretAccessKey: result.Credentials?.SecretAccessKey ?? "",
  sessionToken: result.Credentials?.SessionToken ?? "",
});
const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
  }
  throw new Error("expected the call to fail");
};
const trust = (principal: Record<string, unknown>, condition?: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: principal,
        Action: "sts:AssumeRole",
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });

beforeAll(async () => {
  emulator = createIamEmulator({
    managementAccountId: MANAGEMENT,
    organization: {
      joinedMethod: (id) =>
        ({ [CREATED]: "CREATED", [INVITED]: "INVITED" })[id] as "CREATED" | "INVITED" | undefined,
    },
    now: () => clock,
  });
  server = await startAwsQueryServer(emulator.services);
});
afterAll(() => server.close());
beforeEach(() => {
  clock = Date.parse("2026-06-01T12:00:00Z");
});

describe("STS", () => {
  it("GetCallerIdentity names the management account's root for the local stack's key", async () => {
    const identity = await management().sts.send(new sts.GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: MANAGEMENT,
      Arn: `arn:aws:iam::${MANAGEMENT}:root`,
      UserId: MANAGEMENT,
    });
  });

  it("AssumeRole into a created member account's OrganizationAccountAccessRole scopes later IAM calls to it", async () => {
    const roleArn = `arn:aws:iam::${CREATED}:role/${ORGANIZATION_ACCESS_ROLE}`;
    const assumed = await management().sts.send(
      new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "run-42" }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${CREATED}:assumed-role/${ORGANIZATION_ACCESS_ROLE}/run-42`,
    );
    expect(assumed.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{16}:run-42$/);
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.Expiration?.getTime()).toBe(clock + 3_600_000);
    const member = clientsFor(sessionOf(assumed));
    const identity = await member.sts.send(new sts.GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(CREATED);
    await member.iam.send(new iam.CreateUserCommand({ UserName: "only-in-member" }));
    const inMember = await member.iam.send(new iam.ListUsersCommand({}));
    const inManagement = await management().iam.send(new iam.ListUsersCommand({}));
    expect(inMember.Users?.map((u) => u.Arn)).toContain(`arn:aws:iam::${CREATED}:user/only-in-member`);
    expect(inManagement.Users?.map((u) => u.UserName)).not.toContain("only-in-member");
    const role = await member.iam.send(new iam.GetRoleCommand({ RoleName: ORGANIZATION_ACCESS_ROLE }));
    expect(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? ""))).toEqual(
      JSON.parse(trust({ AWS: `arn:aws:iam::${MANAGEMENT}:root` })),
    );
  });

  it("an invited member account, and an account outside the organization, have no access role", async () => {
    for (const account of [INVITED, OUTSIDE]) {
      const roleArn = `arn:aws:iam::${account}:role/${ORGANIZATION_ACCESS_ROLE}`;
      const error = await errorOf(
        management().sts.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "run-1" })),
      );
      expect(error).toEqual({
        name: "AccessDenied",
        status: 403,
        message: `User: arn:aws:iam::${MANAGEMENT}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      });
    }
  });

  it("honours the trust policy's ExternalId condition", async () => {
    const roleArn = emulator.seed.role({
      accountId: OUTSIDE,
      name: "okta-aws-lifecycle-discovery",
      trustPolicy: trust({ AWS: MANAGEMENT }, { StringEquals: { "sts:ExternalId": "oal-7f3a" } }),
    });
    const assume = (ExternalId?: string) =>
      management().sts.send(
        new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "discovery", ExternalId }),
      );
    expect((await errorOf(assume())).name).toBe("AccessDenied");
    expect((await errorOf(assume("wrong-id"))).name).toBe("AccessDenied");
    expect((await assume("oal-7f3a")).AssumedRoleUser?.Arn).toContain(
      `arn:aws:sts::${OUTSIDE}:assumed-role/`,
    );
  });

  it("admits a named IAM user and refuses another of the same account", async () => {
    const admitted = emulator.seed.user({ accountId: OUTSIDE, name: "hub-admin" });
    emulator.seed.user({ accountId: OUTSIDE, name: "someone-else" });
    const roleArn = emulator.seed.role({
      accountId: OUTSIDE,
      name: "hub-admin-only",
      trustPolicy: trust({ AWS: admitted }),
    });
    const keyOf = (userName: string) => emulator.seed.accessKey({ accountId: OUTSIDE, userName });
    const as = (key: { accessKeyId: string; secretAccessKey: string }) =>
      clientsFor(key).sts.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" }));
    expect((await as(keyOf("hub-admin"))).AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${OUTSIDE}:assumed-role/hub-admin-only/s1`,
    );
    expect((await errorOf(as(keyOf("someone-else")))).name).toBe("AccessDenied");
  });

  it("role chaining: a session may assume a role trusting its role, for at most an hour, keeping its source identity", async () => {
    const hub = emulator.seed.role({
      accountId: MANAGEMENT,
      name: "okta-hub",
      trustPolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: MANAGEMENT },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
          },
        ],
      }),
      maxSessionDuration: 43_200,
    });
    const spoke = emulator.seed.role({
      accountId: OUTSIDE,
      name: "spoke-admin",
      trustPolicy: trust({ AWS: hub }),
      maxSessionDuration: 43_200,
    });
    const hubSession = await management().sts.send(
      new sts.AssumeRoleCommand({
        RoleArn: hub,
        RoleSessionName: "alice@example.com",
        SourceIdentity: "alice@example.com",
      }),
    );
    expect(hubSession.SourceIdentity).toBe("alice@example.com");
    const chained = clientsFor(sessionOf(hubSession)).sts;
    const tooLong = await errorOf(
      chained.send(
        new sts.AssumeRoleCommand({ RoleArn: spoke, RoleSessionName: "alice", DurationSeconds: 7_200 }),
      ),
    );
    expect(tooLong).toMatchObject({ name: "ValidationError", status: 400 });
    expect(tooLong.message).toContain("1 hour session limit for roles assumed by role chaining");
    const spokeSession = await chained.send(
      new sts.AssumeRoleCommand({ RoleArn: spoke, RoleSessionName: "alice" }),
    );
    expect(spokeSession.SourceIdentity).toBe("alice@example.com");
  });

  it("a SourceIdentity needs sts:SetSourceIdentity in the trust policy", async () => {
    const roleArn = emulator.seed.role({
      accountId: OUTSIDE,
      name: "no-source-identity",
      trustPolicy: trust({ AWS: MANAGEMENT }),
    });
    const error = await errorOf(
      management().sts.send(
        new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", SourceIdentity: "bob" }),
      ),
    );
    expect(error.name).toBe("AccessDenied");
  });

  it("refuses durations past the role's MaxSessionDuration and expired session credentials", async () => {
    const roleArn = `arn:aws:iam::${CREATED}:role/${ORGANIZATION_ACCESS_ROLE}`;
    const tooLong = await errorOf(
      management().sts.send(
        new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", DurationSeconds: 7_200 }),
      ),
    );
    expect(tooLong.message).toBe(
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    const session = await management().sts.send(
      new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", DurationSeconds: 900 }),
    );
    clock += 900_000;
    const expired = await errorOf(clientsFor(sessionOf(session)).iam.send(new iam.ListUsersCommand({})));
    expect(expired).toMatchObject({ name: "ExpiredToken", status: 403 });
  });

  it("refuses unknown keys, and a bad session name with the member named", async () => {
    const unknown = await errorOf(
      clientsFor({ accessKeyId: "AKIAnotarealkey00000", secretAccessKey: "x" }).sts.send(
        new sts.GetCallerIdentityCommand({}),
      ),
    );
    expect(unknown).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
    const bad = await errorOf(
      management().sts.send(
        new sts.AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${CREATED}:role/${ORGANIZATION_ACCESS_ROLE}`,
          RoleSessionName: "has space",
        }),
      ),
    );
    expect(bad).toMatchObject({ name: "ValidationError", status: 400 });
    expect(bad.message).toContain("at 'roleSessionName' failed to satisfy constraint");
  });
});

describe("IAM users and their credentials", () => {
  it("users: create, get (case-insensitive), duplicate, tags, paging, delete conflicts", async () => {
    const { iam: client } = management();
    const created = await client.send(
      new iam.CreateUserCommand({
        UserName: "Jane.Doe",
        Tags: [{ Key: "okta:login", Value: "jane.doe@example.com" }],
      }),
    );
    expect(created.User?.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:user/Jane.Doe`);
    expect(created.User?.UserId).toMatch(/^AIDA/);
    expect((await client.send(new iam.GetUserCommand({ UserName: "jane.doe" }))).User?.UserName).toBe(
      "Jane.Doe",
    );
    expect(await errorOf(client.send(new iam.CreateUserCommand({ UserName: "JANE.DOE" })))).toMatchObject({
      name: "EntityAlreadyExistsException",
      status: 409,
    });
    await client.send(
      new iam.TagUserCommand({ UserName: "Jane.Doe", Tags: [{ Key: "team", Value: "payments" }] }),
    );
    const tags = await client.send(new iam.ListUserTagsCommand({ UserName: "Jane.Doe" }));
    expect(tags.Tags).toEqual([
      { Key: "okta:login", Value: "jane.doe@example.com" },
      { Key: "team", Value: "payments" },
    ]);
    for (const name of ["p1", "p2", "p3", "p4", "p5"])
      await client.send(new iam.CreateUserCommand({ UserName: name, Path: "/paged/" }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new iam.ListUsersCommand({ PathPrefix: "/paged/", MaxItems: 2, Marker: marker }),
      );
      seen.push(...(page.Users ?? []).map((u) => u.UserName ?? ""));
      marker = page.IsTruncated ? page.Marker : undefined;
      pages++;
    } while (marker);
    expect(seen).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(pages).toBe(3);
    await client.send(new iam.CreateAccessKeyCommand({ UserName: "p1" }));
    expect(await errorOf(client.send(new iam.DeleteUserCommand({ UserName: "p1" })))).toMatchObject({
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must delete access keys first.",
    });
    await client.send(new iam.DeleteUserCommand({ UserName: "p2" }));
    expect(await errorOf(client.send(new iam.GetUserCommand({ UserName: "p2" })))).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name p2 cannot be found.",
    });
  });

  it("access keys: two at most, deactivate, last use (seeded and recorded), delete", async () => {
    const { iam: client } = management();
    emulator.seed.user({ accountId: MANAGEMENT, name: "legacy-ci" });
    const old = emulator.seed.accessKey({
      accountId: MANAGEMENT,
      userName: "legacy-ci",
      createdAt: new Date("2019-03-01T00:00:00Z"),
      lastUsed: { date: new Date("2025-11-30T08:00:00Z"), service: "s3", region: "eu-west-1" },
    });
    const fresh = await client.send(new iam.CreateAccessKeyCommand({ UserName: "legacy-ci" }));
    expect(fresh.AccessKey?.SecretAccessKey).toHaveLength(40);
    expect(
      await errorOf(client.send(new iam.CreateAccessKeyCommand({ UserName: "legacy-ci" }))),
    ).toMatchObject({
      name: "LimitExceededException",
      status: 409,
    });
    const lastUsed = await client.send(new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: old.accessKeyId }));
    expect(lastUsed).toMatchObject({
      UserName: "legacy-ci",
      AccessKeyLastUsed: {
        LastUsedDate: new Date("2025-11-30T08:00:00Z"),
        ServiceName: "s3",
        Region: "eu-west-1",
      },
    });
    const neverUsed = await client.send(
      new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: fresh.AccessKey?.AccessKeyId }),
    );
    expect(neverUsed.AccessKeyLastUsed).toEqual({ ServiceName: "N/A", Region: "N/A" });
    // The key signs a call: its use is recorded, and a deactivated key signs nothing.
    const legacy = clientsFor(old);
    expect((await legacy.sts.send(new sts.GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${MANAGEMENT}:user/legacy-ci`,
    );
    const recorded = await client.send(new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: old.accessKeyId }));
    expect(recorded.AccessKeyLastUsed).toMatchObject({ ServiceName: "sts", LastUsedDate: new Date(clock) });
    await client.send(
      new iam.UpdateAccessKeyCommand({
        UserName: "legacy-ci",
        AccessKeyId: old.accessKeyId,
        Status: "Inactive",
      }),
    );
    const listed = await client.send(new iam.ListAccessKeysCommand({ UserName: "legacy-ci" }));
    expect(listed.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [old.accessKeyId, "Inactive"],
      [fresh.AccessKey?.AccessKeyId, "Active"],
    ]);
    expect(await errorOf(legacy.sts.send(new sts.GetCallerIdentityCommand({})))).toMatchObject({
      name: "InvalidClientTokenId",
      status: 403,
    });
    await client.send(
      new iam.DeleteAccessKeyCommand({ UserName: "legacy-ci", AccessKeyId: old.accessKeyId }),
    );
    expect(
      await errorOf(
        client.send(new iam.DeleteAccessKeyCommand({ UserName: "legacy-ci", AccessKeyId: old.accessKeyId })),
      ),
    ).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
    expect(
      await errorOf(
        client.send(new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: "AKIAunknownkey000000" })),
      ),
    ).toMatchObject({ name: "AccessDenied", status: 403 });
  });

  it("an IAM user's own key acts on itself when UserName is omitted; the root must name one", async () => {
    emulator.seed.user({ accountId: OUTSIDE, name: "self-service" });
    const key = emulator.seed.accessKey({ accountId: OUTSIDE, userName: "self-service" });
    const own = await clientsFor(key).iam.send(new iam.ListAccessKeysCommand({}));
    expect(own.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([key.accessKeyId]);
    const root = await errorOf(management().iam.send(new iam.ListAccessKeysCommand({})));
    expect(root).toMatchObject({
      name: "ValidationError",
      message: "Must specify userName when calling with non-User credentials",
    });
  });

  it("login profiles and MFA devices", async () => {
    const { iam: client } = management();
    emulator.seed.user({
      accountId: MANAGEMENT,
      name: "console-user",
      mfaDevices: [`arn:aws:iam::${MANAGEMENT}:mfa/console-user`],
    });
    expect(
      await errorOf(client.send(new iam.GetLoginProfileCommand({ UserName: "console-user" }))),
    ).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
    await client.send(
      new iam.CreateLoginProfileCommand({
        UserName: "console-user",
        Password: "Correct-Horse-9",
        PasswordResetRequired: true,
      }),
    );
    expect(
      (await client.send(new iam.GetLoginProfileCommand({ UserName: "console-user" }))).LoginProfile,
    ).toMatchObject({
      UserName: "console-user",
      PasswordResetRequired: true,
    });
    expect(
      await errorOf(
        client.send(
          new iam.CreateLoginProfileCommand({ UserName: "console-user", Password: "Another-Pass-1" }),
        ),
      ),
    ).toMatchObject({ name: "EntityAlreadyExistsException", status: 409 });
    await client.send(new iam.DeleteLoginProfileCommand({ UserName: "console-user" }));
    expect(
      await errorOf(client.send(new iam.DeleteLoginProfileCommand({ UserName: "console-user" }))),
    ).toMatchObject({
      name: "NoSuchEntityException",
    });
    const devices = await client.send(new iam.ListMFADevicesCommand({ UserName: "console-user" }));
    expect(devices.MFADevices?.map((d) => d.SerialNumber)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:mfa/console-user`,
    ]);
    await client.send(
      new iam.DeactivateMFADeviceCommand({
        UserName: "console-user",
        SerialNumber: `arn:aws:iam::${MANAGEMENT}:mfa/console-user`,
      }),
    );
    expect(
      (await client.send(new iam.ListMFADevicesCommand({ UserName: "console-user" }))).MFADevices,
    ).toEqual([]);
  });

  it("user and role inline policies: put, get URL-encoded, list, size quota, malformed, delete", async () => {
    const { iam: client } = management();
    emulator.seed.user({ accountId: MANAGEMENT, name: "leaver" });
    const deny = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
    });
    await client.send(
      new iam.PutUserPolicyCommand({ UserName: "leaver", PolicyName: "oal-revoked", PolicyDocument: deny }),
    );
    const got = await client.send(
      new iam.GetUserPolicyCommand({ UserName: "leaver", PolicyName: "oal-revoked" }),
    );
    expect(got.PolicyDocument).not.toContain("{");
    expect(decodeURIComponent(got.PolicyDocument ?? "")).toBe(deny);
    expect((await client.send(new iam.ListUserPoliciesCommand({ UserName: "leaver" }))).PolicyNames).toEqual([
      "oal-revoked",
    ]);
    const huge = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "*",
          Resource: Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::bucket-${i}`),
        },
      ],
    });
    expect(
      await errorOf(
        client.send(
          new iam.PutUserPolicyCommand({ UserName: "leaver", PolicyName: "big", PolicyDocument: huge }),
        ),
      ),
    ).toMatchObject({
      name: "LimitExceededException",
      status: 409,
    });
    expect(
      await errorOf(
        client.send(
          new iam.PutUserPolicyCommand({
            UserName: "leaver",
            PolicyName: "bad",
            PolicyDocument: "{not json",
          }),
        ),
      ),
    ).toMatchObject({ name: "MalformedPolicyDocumentException", status: 400 });
    await client.send(new iam.DeleteUserPolicyCommand({ UserName: "leaver", PolicyName: "oal-revoked" }));
    expect(
      await errorOf(
        client.send(new iam.GetUserPolicyCommand({ UserName: "leaver", PolicyName: "oal-revoked" })),
      ),
    ).toMatchObject({
      name: "NoSuchEntityException",
    });

    await client.send(
      new iam.CreateRoleCommand({
        RoleName: "okta-federated",
        AssumeRolePolicyDocument: trust({ AWS: MANAGEMENT }),
      }),
    );
    await client.send(
      new iam.PutRolePolicyCommand({
        RoleName: "okta-federated",
        PolicyName: "oal-revoked",
        PolicyDocument: deny,
      }),
    );
    expect(
      (await client.send(new iam.ListRolePoliciesCommand({ RoleName: "okta-federated" }))).PolicyNames,
    ).toEqual(["oal-revoked"]);
    const rolePolicy = await client.send(
      new iam.GetRolePolicyCommand({ RoleName: "okta-federated", PolicyName: "oal-revoked" }),
    );
    expect(decodeURIComponent(rolePolicy.PolicyDocument ?? "")).toBe(deny);
    await client.send(
      new iam.DeleteRolePolicyCommand({ RoleName: "okta-federated", PolicyName: "oal-revoked" }),
    );
    expect(
      (await client.send(new iam.ListRolePoliciesCommand({ RoleName: "okta-federated" }))).PolicyNames,
    ).toEqual([]);
  });

  it("roles: create, duplicate, list, get unknown, malformed trust policy", async () => {
    const { iam: client } = management();
    const created = await client.send(
      new iam.CreateRoleCommand({
        RoleName: "reader",
        Path: "/oal/",
        AssumeRolePolicyDocument: trust({ AWS: MANAGEMENT }),
        MaxSessionDuration: 7_200,
      }),
    );
    expect(created.Role).toMatchObject({
      Arn: `arn:aws:iam::${MANAGEMENT}:role/oal/reader`,
      MaxSessionDuration: 7_200,
    });
    expect(created.Role?.RoleId).toMatch(/^AROA/);
    expect(
      await errorOf(
        client.send(
          new iam.CreateRoleCommand({
            RoleName: "READER",
            AssumeRolePolicyDocument: trust({ AWS: MANAGEMENT }),
          }),
        ),
      ),
    ).toMatchObject({ name: "EntityAlreadyExistsException", status: 409 });
    const listed = await client.send(new iam.ListRolesCommand({ PathPrefix: "/oal/" }));
    expect(listed.Roles?.map((r) => r.RoleName)).toEqual(["reader"]);
    expect(await errorOf(client.send(new iam.GetRoleCommand({ RoleName: "missing" })))).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
      message: "The role with name missing cannot be found.",
    });
    expect(
      await errorOf(
        client.send(new iam.CreateRoleCommand({ RoleName: "broken", AssumeRolePolicyDocument: "[]" })),
      ),
    ).toMatchObject({ name: "MalformedPolicyDocumentException" });
    expect(await errorOf(client.send(new iam.CreateUserCommand({ UserName: "bad name" })))).toMatchObject({
      name: "ValidationError",
      status: 400,
      message: expect.stringContaining(
        "at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ),
    });
  });

  it("SAML providers of an account: listed and read, unknown and malformed ARNs refused", async () => {
    const arn = emulator.seed.samlProvider({ accountId: OUTSIDE, name: "Okta" });
    const roleArn = emulator.seed.role({
      accountId: OUTSIDE,
      name: "reader-for-saml",
      trustPolicy: trust({ AWS: MANAGEMENT }),
    });
    const member = clientsFor(
      sessionOf(
        await management().sts.send(
          new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "discovery" }),
        ),
      ),
    ).iam;
    const listed = await member.send(new iam.ListSAMLProvidersCommand({}));
    expect(listed.SAMLProviderList?.map((p) => p.Arn)).toEqual([arn]);
    const provider = await member.send(new iam.GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(provider.SAMLMetadataDocument).toContain("EntityDescriptor");
    const unknown = `arn:aws:iam::${OUTSIDE}:saml-provider/Other`;
    expect(
      await errorOf(member.send(new iam.GetSAMLProviderCommand({ SAMLProviderArn: unknown }))),
    ).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });
    expect(
      await errorOf(
        member.send(new iam.GetSAMLProviderCommand({ SAMLProviderArn: "arn:aws:iam::not-an-arn-at-all" })),
      ),
    ).toMatchObject({ name: "InvalidInputException", status: 400 });
    expect((await management().iam.send(new iam.ListSAMLProvidersCommand({}))).SAMLProviderList).toEqual([]);
  });
});

describe("credential report", () => {
  it("is absent, then in progress, then a CSV of the account's users as of its start, reused for four hours", async () => {
    const account = "555555555555";
    const roleArn = emulator.seed.role({
      accountId: account,
      name: "auditor",
      trustPolicy: trust({ AWS: MANAGEMENT }),
      maxSessionDuration: 43_200,
    });
    const client = clientsFor(
      sessionOf(
        await management().sts.send(
          new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "sweep", DurationSeconds: 43_200 }),
        ),
      ),
    ).iam;
    emulator.seed.user({
      accountId: account,
      name: "acquired.dev",
      loginProfile: true,
      mfaDevices: [`arn:aws:iam::${account}:mfa/acquired.dev`],
      createdAt: new Date("2018-01-02T03:04:05Z"),
    });
    emulator.seed.accessKey({
      accountId: account,
      userName: "acquired.dev",
      createdAt: new Date("2019-03-01T00:00:00Z"),
      lastUsed: { date: new Date("2025-11-30T08:00:00Z"), service: "s3", region: "eu-west-1" },
    });
    expect(await errorOf(client.send(new iam.GetCredentialReportCommand({})))).toMatchObject({
      name: "CredentialReportNotPresentException",
      status: 410,
    });
    emulator.limits.credentialReportMs = 5_000;
    try {
      expect((await client.send(new iam.GenerateCredentialReportCommand({}))).State).toBe("STARTED");
      expect(await errorOf(client.send(new iam.GetCredentialReportCommand({})))).toMatchObject({
        name: "CredentialReportNotReadyException",
        status: 404,
      });
      emulator.seed.user({ accountId: account, name: "created-after-the-start" });
      clock += 5_000;
      expect((await client.send(new iam.GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
      const report = await client.send(new iam.GetCredentialReportCommand({}));
      expect(report.ReportFormat).toBe("text/csv");
      const [header = "", ...rows] = Buffer.from(report.Content ?? new Uint8Array())
        .toString("utf8")
        .split("\n");
      const columns = header.split(",");
      const row = (user: string) => {
        const cells = rows.map((r) => r.split(",")).find((cells) => cells[0] === user);
        return cells && Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
      };
      expect(columns).toHaveLength(22);
      expect(row("<root_account>")?.password_enabled).toBe("not_supported");
      expect(row("acquired.dev")).toMatchObject({
        arn: `arn:aws:iam::${account}:user/acquired.dev`,
        user_creation_time: "2018-01-02T03:04:05+00:00",
        password_enabled: "true",
        mfa_active: "true",
        access_key_1_active: "true",
        access_key_1_last_rotated: "2019-03-01T00:00:00+00:00",
        access_key_1_last_used_date: "2025-11-30T08:00:00+00:00",
        access_key_1_last_used_region: "eu-west-1",
        access_key_1_last_used_service: "s3",
        access_key_2_active: "false",
        access_key_2_last_rotated: "N/A",
      });
      expect(row("created-after-the-start")).toBeUndefined();
      clock += 4 * 3600 * 1000;
      expect((await client.send(new iam.GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    } finally {
      emulator.limits.credentialReportMs = 0;
    }
  });
});

describe("conformance", () => {
  it("every answer above conforms to the IAM and STS models", () => {
    const operations = new Set(answers.map((a) => `${a.service}:${a.operation}`));
    expect(operations.size).toBeGreaterThanOrEqual(30);
    expect(answers.some((a) => a.status !== 200)).toBe(true);
    expect(answers.flatMap((a) => a.problems)).toEqual([]);
  });

  it("the model check catches a non-conforming answer", () => {
    const problems = models.iam.check("GetUser", {
      status: 200,
      headers: { "content-type": "text/xml", "x-amzn-requestid": "r1" },
      text: '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>a</UserName></User></GetUserResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetUserResponse>',
    });
    expect(problems.join("\n")).toContain("must have required property 'Arn'");
    const wrongStatus = models.iam.check("GetUser", {
      status: 400,
      headers: { "content-type": "text/xml", "x-amzn-requestid": "r2" },
      text: "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>m</Message></Error><RequestId>r2</RequestId></ErrorResponse>",
    });
    expect(wrongStatus).toEqual(["GetUser 400: NoSuchEntity answered with HTTP 400, documented 404"]);
  });

  it("the local gateway serves IAM and STS at / and leaves Okta's form-encoded token endpoint to Okta", async () => {
    const okta: string[] = [];
    const gateway = await startGateway(0, {
      oktaHook: async () => ({ statusCode: 200 }),
      okta: async (req, res) => {
        okta.push(req.url ?? "");
        res.writeHead(200).end("{}");
        return true;
      },
      aws: [],
      awsQuery: emulator.services,
      state: async () => ({}),
      page: async () => "page",
    });
    try {
      const viaGateway = new sts.STSClient(localClientConfig(gateway.url));
      expect((await viaGateway.send(new sts.GetCallerIdentityCommand({}))).Account).toBe(MANAGEMENT);
      const token = await fetch(`${gateway.url}/oauth2/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expect(token.status).toBe(200);
      expect(okta).toEqual(["/oauth2/v1/token"]);
    } finally {
      await gateway.close();
    }
  });

  it("an unknown Action answers InvalidAction", async () => {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=MakeMeAdmin&Version=2010-05-08",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidAction</Code>");
  });
});
