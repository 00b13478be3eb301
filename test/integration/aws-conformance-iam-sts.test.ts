import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";
import { operationsImported, PRODUCT_FOLDERS } from "../support/aws-operations-used.ts";
import { AwsQueryModel, type CheckedQueryAnswer, recordQueryAnswers } from "../support/aws-query-model.ts";

/**
 * The AWS conformance suite's IAM and STS part (AWS Query protocol, XML): every IAM and STS operation
 * the product calls (adapters/iam, the CLI's doctor) is called here through the real SDK v3 clients,
 * with valid and invalid input, and every answer is checked against the vendored botocore models
 * (test/fixtures/aws/models, scripts/vendor-aws-models.ts) by test/support/aws-query-model.ts: output
 * shape, error code listed for the operation or common to Query services, HTTP status, `Type`, request id.
 * The JSON services' part is test/integration/aws-conformance.test.ts.
 */

const TOOL = "111111111111";
const MEMBER = "222222222222";
const OTHER = "333333333333";
const DISCOVERY_ROLE = `arn:aws:iam::${MEMBER}:role/okta-aws-lifecycle-discovery`;
const DENY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
});
const models = { iam: new AwsQueryModel("iam"), sts: new AwsQueryModel("sts") };
const answers: CheckedQueryAnswer[] = [];

let emulator: IamEmulator;
let server: RunningServer;
let tool: { sts: sts.STSClient };
let member: { iam: iam.IAMClient; sts: sts.STSClient };
let keyIds: { jane: string; other: string };

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const clientsFor = (credentials?: Credentials) => {
  const config = { ...localClientConfig(server.endpoint), ...(credentials ? { credentials } : {}) };
  return {
    iam: recordQueryAnswers(new iam.IAMClient(config), models.iam, answers),
    sts: recordQueryAnswers(new sts.STSClient(config), models.sts, answers),
  };
};

/** Sends a command; an AWS error is returned, not thrown (its answer is recorded either way). */
async function send(client: { send(command: never): Promise<unknown> }, command: unknown) {
  try {
    return { output: (await client.send(command as never)) as Record<string, unknown> };
  } catch (error) {
    if ((error as { $metadata?: unknown }).$metadata === undefined) throw error;
    return { error: error as Error };
  }
}

/** Runs `calls`, then returns the problems and `Operation status [code]` of each answer they got. */
async function answersOf(calls: () => Promise<unknown>) {
  const from = answers.length;
  await calls();
  const got = answers.slice(from);
  return {
    problems: got.flatMap((answer) => answer.problems),
    outcomes: got.map((answer) => `${answer.operation} ${answer.status}`),
  };
}

beforeAll(async () => {
  emulator = createIamEmulator({ managementAccountId: TOOL, now: () => Date.parse("2026-06-01T12:00:00Z") });
  const seed = emulator.seed;
  seed.role({
    accountId: MEMBER,
    name: "okta-aws-lifecycle-discovery",
    trustPolicy: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TOOL}:root` }, Action: "sts:AssumeRole" },
      ],
    },
  });
  seed.user({
    accountId: MEMBER,
    name: "jane.doe",
    tags: { "okta:login": "jane.doe@corp.example" },
    loginProfile: true,
    mfaDevices: [`arn:aws:iam::${MEMBER}:mfa/jane.doe`],
  });
  const jane = seed.accessKey({
    accountId: MEMBER,
    userName: "jane.doe",
    lastUsed: { date: new Date("2026-05-31T10:00:00Z"), service: "s3", region: "eu-west-1" },
  });
  seed.user({ accountId: OTHER, name: "elsewhere" });
  const other = seed.accessKey({ accountId: OTHER, userName: "elsewhere" });
  keyIds = { jane: jane.accessKeyId, other: other.accessKeyId };
  const okta = seed.samlProvider({ accountId: MEMBER, name: "Okta" });
  seed.role({
    accountId: MEMBER,
    name: "okta-admin",
    trustPolicy: {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Federated: okta }, Action: "sts:AssumeRoleWithSAML" }],
    },
  });
  server = await startAwsQueryServer(emulator.services);
  tool = clientsFor();
  const assumed = await tool.sts.send(
    new sts.AssumeRoleCommand({ RoleArn: DISCOVERY_ROLE, RoleSessionName: "oal-conformance" }),
  );
  member = clientsFor({
    accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
    secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
    sessionToken: assumed.Credentials?.SessionToken ?? "",
  });
});

afterAll(() => server.close());

describe("AWS conformance: STS", () => {
  it("AssumeRole: a role the caller may assume, one that does not exist, a bad session name", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      await send(
        tool.sts,
        new sts.AssumeRoleCommand({ RoleArn: DISCOVERY_ROLE, RoleSessionName: "oal-run-1" }),
      );
      await send(
        tool.sts,
        new sts.AssumeRoleCommand({ RoleArn: `${DISCOVERY_ROLE}-typo`, RoleSessionName: "oal-run-1" }),
      );
      await send(tool.sts, new sts.AssumeRoleCommand({ RoleArn: DISCOVERY_ROLE, RoleSessionName: "run 1!" }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual(["AssumeRole 200", "AssumeRole 403", "AssumeRole 400"]);
  });

  it("GetCallerIdentity: the tool, a session in a member account, an unknown key", async () => {
    const unknown = clientsFor({ accessKeyId: "AKIAunknownkey0000000", secretAccessKey: "x" });
    const { problems, outcomes } = await answersOf(async () => {
      await send(tool.sts, new sts.GetCallerIdentityCommand({}));
      const session = await send(member.sts, new sts.GetCallerIdentityCommand({}));
      expect(session.output?.Account).toBe(MEMBER);
      await send(unknown.sts, new sts.GetCallerIdentityCommand({}));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual(["GetCallerIdentity 200", "GetCallerIdentity 200", "GetCallerIdentity 403"]);
  });
});

describe("AWS conformance: IAM discovery reads", () => {
  it("ListUsers, ListUserTags, GetLoginProfile, ListMFADevices: found, and an unknown user or a bad page size", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      await send(member.iam, new iam.ListUsersCommand({}));
      await send(member.iam, new iam.ListUsersCommand({ MaxItems: 0 }));
      await send(member.iam, new iam.ListUserTagsCommand({ UserName: "jane.doe" }));
      await send(member.iam, new iam.ListUserTagsCommand({ UserName: "nobody" }));
      await send(member.iam, new iam.GetLoginProfileCommand({ UserName: "jane.doe" }));
      await send(member.iam, new iam.GetLoginProfileCommand({ UserName: "nobody" }));
      await send(member.iam, new iam.ListMFADevicesCommand({ UserName: "jane.doe" }));
      await send(member.iam, new iam.ListMFADevicesCommand({ UserName: "nobody" }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "ListUsers 200",
      "ListUsers 400",
      "ListUserTags 200",
      "ListUserTags 404",
      "GetLoginProfile 200",
      "GetLoginProfile 404",
      "ListMFADevices 200",
      "ListMFADevices 404",
    ]);
  });

  it("ListAccessKeys and GetAccessKeyLastUsed: the account's key, an unknown user, another account's key", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      await send(member.iam, new iam.ListAccessKeysCommand({ UserName: "jane.doe" }));
      await send(member.iam, new iam.ListAccessKeysCommand({ UserName: "nobody" }));
      await send(member.iam, new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: keyIds.jane }));
      await send(member.iam, new iam.GetAccessKeyLastUsedCommand({ AccessKeyId: keyIds.other }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "ListAccessKeys 200",
      "ListAccessKeys 404",
      "GetAccessKeyLastUsed 200",
      "GetAccessKeyLastUsed 403",
    ]);
  });

  it("ListSAMLProviders and ListRoles: listed, and refused to an unsigned key or for a bad marker", async () => {
    const unknown = clientsFor({ accessKeyId: "AKIAunknownkey0000000", secretAccessKey: "x" });
    const { problems, outcomes } = await answersOf(async () => {
      await send(member.iam, new iam.ListSAMLProvidersCommand({}));
      await send(unknown.iam, new iam.ListSAMLProvidersCommand({}));
      const roles = await send(member.iam, new iam.ListRolesCommand({}));
      const okta = ((roles.output?.Roles ?? []) as iam.Role[]).find((role) => role.RoleName === "okta-admin");
      expect(decodeURIComponent(okta?.AssumeRolePolicyDocument ?? "")).toContain("sts:AssumeRoleWithSAML");
      await send(member.iam, new iam.ListRolesCommand({ Marker: "not-a-marker" }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "ListSAMLProviders 200",
      "ListSAMLProviders 403",
      "ListRoles 200",
      "ListRoles 400",
    ]);
  });
});

describe("AWS conformance: IAM revocation writes", () => {
  it("UpdateAccessKey, DeleteLoginProfile, DeactivateMFADevice: done, then refused for what is gone", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      const key = { UserName: "jane.doe", AccessKeyId: keyIds.jane };
      await send(member.iam, new iam.UpdateAccessKeyCommand({ ...key, Status: "Inactive" }));
      await send(
        member.iam,
        new iam.UpdateAccessKeyCommand({ ...key, AccessKeyId: keyIds.other, Status: "Inactive" }),
      );
      await send(member.iam, new iam.DeleteLoginProfileCommand({ UserName: "jane.doe" }));
      await send(member.iam, new iam.DeleteLoginProfileCommand({ UserName: "jane.doe" }));
      const serial = { UserName: "jane.doe", SerialNumber: `arn:aws:iam::${MEMBER}:mfa/jane.doe` };
      await send(member.iam, new iam.DeactivateMFADeviceCommand(serial));
      await send(member.iam, new iam.DeactivateMFADeviceCommand(serial));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "UpdateAccessKey 200",
      "UpdateAccessKey 404",
      "DeleteLoginProfile 200",
      "DeleteLoginProfile 404",
      "DeactivateMFADevice 200",
      "DeactivateMFADevice 404",
    ]);
  });

  it("PutUserPolicy and GetUserPolicy: put and read back, malformed, unknown policy", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      const policy = { UserName: "jane.doe", PolicyName: "okta-aws-lifecycle-leaver-deny" };
      await send(member.iam, new iam.PutUserPolicyCommand({ ...policy, PolicyDocument: DENY }));
      await send(member.iam, new iam.PutUserPolicyCommand({ ...policy, PolicyDocument: "{not json" }));
      await send(member.iam, new iam.GetUserPolicyCommand(policy));
      await send(member.iam, new iam.GetUserPolicyCommand({ ...policy, PolicyName: "absent" }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "PutUserPolicy 200",
      "PutUserPolicy 400",
      "GetUserPolicy 200",
      "GetUserPolicy 404",
    ]);
  });

  it("PutRolePolicy, GetRolePolicy, DeleteRolePolicy: on an Okta-trusting role, an unknown role, a deleted policy", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      const policy = { RoleName: "okta-admin", PolicyName: "okta-aws-lifecycle-leaver-deny-00u1" };
      await send(member.iam, new iam.PutRolePolicyCommand({ ...policy, PolicyDocument: DENY }));
      await send(
        member.iam,
        new iam.PutRolePolicyCommand({ ...policy, RoleName: "nope", PolicyDocument: DENY }),
      );
      await send(member.iam, new iam.GetRolePolicyCommand(policy));
      await send(member.iam, new iam.DeleteRolePolicyCommand(policy));
      await send(member.iam, new iam.GetRolePolicyCommand(policy));
      await send(member.iam, new iam.DeleteRolePolicyCommand(policy));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "PutRolePolicy 200",
      "PutRolePolicy 404",
      "GetRolePolicy 200",
      "DeleteRolePolicy 200",
      "GetRolePolicy 404",
      "DeleteRolePolicy 404",
    ]);
  });
});

describe("AWS conformance: IAM customer managed policies", () => {
  it("CreatePolicy, GetPolicy, DeletePolicy: created and read by ARN; a taken name, a bad document, an unknown or malformed ARN", async () => {
    const arn = `arn:aws:iam::${MEMBER}:policy/team/payments-boundary`;
    let created: Record<string, unknown> | undefined;
    let read: Record<string, unknown> | undefined;
    const { problems, outcomes } = await answersOf(async () => {
      const create = { PolicyName: "payments-boundary", Path: "/team/", PolicyDocument: DENY };
      created = (await send(member.iam, new iam.CreatePolicyCommand(create))).output?.Policy as never;
      // Names are unique in the account whatever the path and case (CreatePolicy, PolicyName).
      await send(
        member.iam,
        new iam.CreatePolicyCommand({ ...create, PolicyName: "Payments-Boundary", Path: "/" }),
      );
      await send(
        member.iam,
        new iam.CreatePolicyCommand({ ...create, PolicyName: "other", PolicyDocument: "{not json" }),
      );
      await send(member.iam, new iam.CreatePolicyCommand({ ...create, PolicyName: "other", Path: "team" }));
      read = (await send(member.iam, new iam.GetPolicyCommand({ PolicyArn: arn }))).output?.Policy as never;
      // The same name under another path is another ARN: not found.
      await send(
        member.iam,
        new iam.GetPolicyCommand({ PolicyArn: `arn:aws:iam::${MEMBER}:policy/payments-boundary` }),
      );
      await send(member.iam, new iam.GetPolicyCommand({ PolicyArn: "arn:aws:iam::not-an-account:role/x" }));
      await send(member.iam, new iam.DeletePolicyCommand({ PolicyArn: arn }));
      await send(member.iam, new iam.GetPolicyCommand({ PolicyArn: arn }));
      await send(member.iam, new iam.DeletePolicyCommand({ PolicyArn: arn }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "CreatePolicy 200",
      "CreatePolicy 409",
      "CreatePolicy 400",
      "CreatePolicy 400",
      "GetPolicy 200",
      "GetPolicy 404",
      "GetPolicy 400",
      "DeletePolicy 200",
      "GetPolicy 404",
      "DeletePolicy 404",
    ]);
    expect(created).toEqual(read);
    expect(read).toEqual(
      expect.objectContaining({
        PolicyName: "payments-boundary",
        Path: "/team/",
        Arn: arn,
        PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{16}$/),
        DefaultVersionId: "v1",
        IsAttachable: true,
      }),
    );
  });

  it("GetPolicy: an error names its code, and another account's policy is refused", async () => {
    emulator.seed.managedPolicy({ accountId: OTHER, name: "elsewhere", document: DENY });
    const errors: string[] = [];
    const { problems, outcomes } = await answersOf(async () => {
      for (const PolicyArn of [
        `arn:aws:iam::${MEMBER}:policy/absent`,
        `arn:aws:iam::${OTHER}:policy/elsewhere`,
      ]) {
        const answer = await send(member.iam, new iam.GetPolicyCommand({ PolicyArn }));
        errors.push(answer.error?.name ?? "none");
      }
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual(["GetPolicy 404", "GetPolicy 403"]);
    expect(errors).toEqual(["NoSuchEntityException", "AccessDenied"]);
  });
});

describe("AWS conformance: IAM policy simulator", () => {
  it("SimulateCustomPolicy: decisions per action and resource, missing context keys, paging, bad input", async () => {
    const TEAM_ONLY = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "athena:GetWorkGroup",
          Resource: "*",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
          Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
        },
      ],
    });
    const workGroup = `arn:aws:athena:us-east-1:${MEMBER}:workgroup/canary`;
    const tag = (name: string, value: string) => ({
      ContextKeyName: name,
      ContextKeyValues: [value],
      ContextKeyType: "string" as const,
    });
    const request = {
      PolicyInputList: [TEAM_ONLY, DENY],
      ActionNames: ["athena:GetWorkGroup", "athena:DeleteWorkGroup"],
      ResourceArns: [workGroup],
    };
    let results: unknown[] = [];
    let page: unknown[] = [];
    const { problems, outcomes } = await answersOf(async () => {
      const allowed = await send(
        member.iam,
        new iam.SimulateCustomPolicyCommand({
          PolicyInputList: [TEAM_ONLY],
          ActionNames: request.ActionNames,
          ResourceArns: request.ResourceArns,
          ContextEntries: [tag("aws:PrincipalTag/team", "payments"), tag("aws:ResourceTag/team", "payments")],
        }),
      );
      results = (allowed.output?.EvaluationResults as unknown[]) ?? [];
      const paged = await send(member.iam, new iam.SimulateCustomPolicyCommand({ ...request, MaxItems: 1 }));
      const first = (paged.output?.EvaluationResults as Record<string, unknown>[] | undefined)?.[0];
      page = [paged.output?.IsTruncated, first?.EvalDecision, first?.MissingContextValues];
      const next = await send(
        member.iam,
        new iam.SimulateCustomPolicyCommand({
          ...request,
          MaxItems: 1,
          Marker: paged.output?.Marker as string,
        }),
      );
      page.push(next.output?.IsTruncated, (next.output?.EvaluationResults as unknown[])?.length);
      await send(
        member.iam,
        new iam.SimulateCustomPolicyCommand({ ...request, PolicyInputList: ["{not json"] }),
      );
      await send(
        member.iam,
        new iam.SimulateCustomPolicyCommand({ ...request, ActionNames: undefined as never }),
      );
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "SimulateCustomPolicy 200",
      "SimulateCustomPolicy 200",
      "SimulateCustomPolicy 200",
      "SimulateCustomPolicy 400",
      "SimulateCustomPolicy 400",
    ]);
    expect(results).toEqual([
      expect.objectContaining({
        EvalActionName: "athena:GetWorkGroup",
        EvalResourceName: workGroup,
        EvalDecision: "allowed",
        MissingContextValues: [],
      }),
      expect.objectContaining({ EvalActionName: "athena:DeleteWorkGroup", EvalDecision: "implicitDeny" }),
    ]);
    // Without context entries, the keys the policy needs are reported missing; the Deny wins.
    expect(page).toEqual([true, "explicitDeny", ["aws:PrincipalTag/team", "aws:ResourceTag/team"], false, 1]);
  });
});

describe("AWS conformance: IAM and STS coverage", () => {
  it("called every IAM and STS operation the product uses", () => {
    const used = [...operationsImported(PRODUCT_FOLDERS).keys()].filter((op) => /^(iam|sts):/.test(op));
    const called = new Set(answers.map((answer) => `${answer.service}:${answer.operation}`));

    // A product call listed here needs its valid and invalid calls in this file (and the emulator must serve it).
    expect(used.filter((operation) => !called.has(operation))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining(["sts:AssumeRole", "iam:ListUsers", "iam:ListRoles"]));
  });
});
