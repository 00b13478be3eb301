import { createServer } from "node:net";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";

/**
 * The discovery adapter (adapters/iam) against the IAM/STS emulator over the real SDK clients: it
 * assumes each account's discovery role as the tool (the management account's key here), reads users,
 * keys, passwords, MFA devices and Okta-trusting roles, and turns each account's failure into a problem
 * for that account alone.
 */

const TOOL = "111111111111";
const MEMBER = "222222222222";
const OUTSIDE = "333333333333";
const WRONG_NAME = "444444444444";
const WRONG_EXTERNAL_ID = "555555555555";
const UNKNOWN = "666666666666";
const MANY_USERS = "777777777777";
const DISCOVERY = "okta-aws-lifecycle-discovery";
const NOW = Date.parse("2026-06-01T12:00:00Z");

let emulator: IamEmulator;
let server: RunningServer;

const toolTrust = (externalId?: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${TOOL}:root` },
      Action: "sts:AssumeRole",
      ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
    },
  ],
});
const samlTrust = (providerArn: string, action: string | string[] = "sts:AssumeRoleWithSAML") => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: action,
      Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
    },
  ],
});
const account = (
  accountId: string,
  roles: Partial<CredentialAccount["roles"]> = {},
  inOrganization = true,
): CredentialAccount => ({
  accountId,
  name: `acct-${accountId.slice(0, 3)}`,
  inOrganization,
  roles: { discovery: DISCOVERY, revocation: "okta-aws-lifecycle-revocation", ...roles },
});
const discovery = (endpoint = server.endpoint) => {
  const config = localClientConfig(endpoint);
  return new IamCredentialDiscovery({
    sessions: new MemberAccountSessions({ sts: new STSClient(config), now: () => NOW }),
    connection: { endpoint: config.endpoint, region: config.region, maxAttempts: 1 },
    accountConcurrency: 3,
    userConcurrency: 2,
  });
};

beforeAll(async () => {
  emulator = createIamEmulator({ managementAccountId: TOOL, now: () => NOW });
  const seed = emulator.seed;
  seed.role({ accountId: MEMBER, name: DISCOVERY, trustPolicy: toolTrust() });
  seed.user({
    accountId: MEMBER,
    name: "jane.doe",
    tags: { "okta:login": "jane.doe@corp.example", team: "data" },
    loginProfile: true,
    passwordLastUsed: new Date("2026-05-30T08:00:00Z"),
    mfaDevices: [`arn:aws:iam::${MEMBER}:mfa/jane.doe`],
  });
  seed.accessKey({
    accountId: MEMBER,
    userName: "jane.doe",
    createdAt: new Date("2024-01-02T00:00:00Z"),
    lastUsed: { date: new Date("2026-05-31T10:00:00Z"), service: "s3", region: "eu-west-1" },
  });
  seed.accessKey({ accountId: MEMBER, userName: "jane.doe", status: "Inactive" });
  seed.user({ accountId: MEMBER, name: "ci-deployer" });
  seed.accessKey({ accountId: MEMBER, userName: "ci-deployer", createdAt: new Date("2025-01-01T00:00:00Z") });
  const okta = seed.samlProvider({ accountId: MEMBER, name: "Okta" });
  seed.role({ accountId: MEMBER, name: "okta-admin", trustPolicy: samlTrust(okta) });
  seed.role({
    accountId: MEMBER,
    name: "okta-readonly",
    path: "/federated/",
    trustPolicy: samlTrust(okta, ["sts:TagSession", "STS:AssumeRoleWith*"]),
  });
  // Trusts a provider of another account: not this account's federation.
  seed.role({
    accountId: MEMBER,
    name: "foreign-saml",
    trustPolicy: samlTrust(`arn:aws:iam::${OUTSIDE}:saml-provider/Okta`),
  });
  seed.role({
    accountId: MEMBER,
    name: "okta-denied",
    trustPolicy: { ...samlTrust(okta), Statement: [{ ...samlTrust(okta).Statement[0], Effect: "Deny" }] },
  });

  seed.role({ accountId: OUTSIDE, name: "okta-read", trustPolicy: toolTrust("acq-2026") });
  seed.user({ accountId: OUTSIDE, name: "Legacy.Admin", tags: { "okta:email": "ops@acquired.example" } });
  seed.accessKey({ accountId: OUTSIDE, userName: "Legacy.Admin" });
  const acquiredOkta = seed.samlProvider({ accountId: OUTSIDE, name: "okta-acquired" });
  seed.role({ accountId: OUTSIDE, name: "Okta-Power", trustPolicy: samlTrust(acquiredOkta) });

  seed.role({ accountId: WRONG_NAME, name: "okta-aws-lifecycle-discover", trustPolicy: toolTrust() });
  seed.role({ accountId: WRONG_EXTERNAL_ID, name: DISCOVERY, trustPolicy: toolTrust("the-right-one") });

  seed.role({ accountId: MANY_USERS, name: DISCOVERY, trustPolicy: toolTrust() });
  for (let i = 0; i < 120; i++)
    seed.user({ accountId: MANY_USERS, name: `user-${String(i).padStart(3, "0")}` });

  server = await startAwsQueryServer(emulator.services);
});
afterAll(() => server.close());

describe("IAM credential discovery", () => {
  it("reads a member account's users with tags, keys and their last use, passwords, MFA devices, and its Okta-trusting roles", async () => {
    const result = await discovery().discover([account(MEMBER)], { runId: "run-1" });

    expect(result.problems).toEqual([]);
    expect(result.accounts).toHaveLength(1);
    const [read] = result.accounts;
    expect(read?.users.map((user) => user.userName)).toEqual(["ci-deployer", "jane.doe"]);
    const jane = read?.users[1];
    expect(jane).toMatchObject({
      accountId: MEMBER,
      arn: `arn:aws:iam::${MEMBER}:user/jane.doe`,
      tags: { "okta:login": "jane.doe@corp.example", team: "data" },
      hasConsolePassword: true,
      passwordLastUsed: "2026-05-30T08:00:00.000Z",
      mfaDevices: [{ serialNumber: `arn:aws:iam::${MEMBER}:mfa/jane.doe`, enableDate: expect.any(String) }],
    });
    expect(jane?.accessKeys).toEqual([
      {
        id: expect.stringMatching(/^AKIA/),
        status: "Active",
        createDate: "2024-01-02T00:00:00.000Z",
        lastUsed: { date: "2026-05-31T10:00:00.000Z", serviceName: "s3", region: "eu-west-1" },
      },
      // Never used: GetAccessKeyLastUsed's N/A reads as no service, no region.
      {
        id: expect.stringMatching(/^AKIA/),
        status: "Inactive",
        createDate: expect.any(String),
        lastUsed: {},
      },
    ]);
    expect(read?.users[0]).toMatchObject({ hasConsolePassword: false, tags: {}, mfaDevices: [] });
    expect(read?.users[0]?.passwordLastUsed).toBeUndefined();
    expect(read?.oktaTrustingRoles).toEqual([
      { accountId: MEMBER, roleName: "okta-admin", arn: `arn:aws:iam::${MEMBER}:role/okta-admin` },
      {
        accountId: MEMBER,
        roleName: "okta-readonly",
        arn: `arn:aws:iam::${MEMBER}:role/federated/okta-readonly`,
      },
    ]);
  });

  it("reads an outside account through its own role name and external id", async () => {
    const outside = account(OUTSIDE, { discovery: "okta-read", externalId: "acq-2026" }, false);
    const result = await discovery().discover([outside], { runId: "run-2" });

    expect(result.problems).toEqual([]);
    expect(result.accounts[0]?.users.map((user) => [user.userName, user.tags])).toEqual([
      ["Legacy.Admin", { "okta:email": "ops@acquired.example" }],
    ]);
    expect(result.accounts[0]?.oktaTrustingRoles.map((role) => role.roleName)).toEqual(["Okta-Power"]);
  });

  it("follows IAM's Marker past the first page of users", async () => {
    const result = await discovery().discover([account(MANY_USERS)], { runId: "run-3" });

    expect(result.problems).toEqual([]);
    const names = result.accounts[0]?.users.map((user) => user.userName) ?? [];
    expect(names).toHaveLength(120);
    expect(new Set(names).size).toBe(120);
    expect(names.at(-1)).toBe("user-119");
  });

  it("makes a wrong role name, an external id mismatch and an unknown account each a problem for that account only", async () => {
    const result = await discovery().discover(
      [
        account(WRONG_NAME),
        account(MEMBER),
        account(WRONG_EXTERNAL_ID, { externalId: "not-the-right-one" }, false),
        account(UNKNOWN),
        account(OUTSIDE, { discovery: "okta-read", externalId: "acq-2026" }, false),
      ],
      { runId: "run-4" },
    );

    expect(result.accounts.map((read) => read.accountId)).toEqual([MEMBER, OUTSIDE]);
    expect(result.accounts[0]?.users).toHaveLength(2);
    expect(result.problems.map((problem) => [problem.accountId, problem.code])).toEqual([
      [WRONG_NAME, "role-not-assumable"],
      [WRONG_EXTERNAL_ID, "role-not-assumable"],
      [UNKNOWN, "role-not-assumable"],
    ]);
    const [wrongName, wrongExternalId] = result.problems;
    expect(wrongName?.message).toContain(`arn:aws:iam::${WRONG_NAME}:role/${DISCOVERY}`);
    expect(wrongName?.message).toContain("wrong role name, the StackSet instance is missing in this account");
    expect(wrongName?.fix).toContain("deploy the member-roles StackSet to this account");
    expect(wrongExternalId?.message).toContain("with this external id");
    expect(wrongExternalId?.fix).toContain(
      `deploy infra/templates/member-roles.json in ${WRONG_EXTERNAL_ID} by hand`,
    );
  });

  it("makes an STS it cannot reach an account-unreachable problem for each account", async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const result = await discovery(`http://127.0.0.1:${closed}`).discover(
      [account(MEMBER), account(OUTSIDE, {}, false)],
      { runId: "run-5" },
    );

    expect(result.accounts).toEqual([]);
    expect(result.problems.map((problem) => [problem.accountId, problem.code])).toEqual([
      [MEMBER, "account-unreachable"],
      [OUTSIDE, "account-unreachable"],
    ]);
    expect(result.problems[0]?.message).toContain("STS could not be reached");
  });

  it("leaves out a user deleted between ListUsers and its reads, and still reads the account", async () => {
    const [iamService] = emulator.services;
    if (iamService === undefined) throw new Error("no IAM service");
    const listTags = iamService.operations.ListUserTags;
    if (listTags === undefined) throw new Error("no ListUserTags");
    iamService.operations.ListUserTags = (input, request) => {
      // The user goes away after ListUsers listed it: its reads answer NoSuchEntity.
      if (input.UserName === "ci-deployer") emulator.state.account(MEMBER).users.delete("ci-deployer");
      return listTags(input, request);
    };
    try {
      const result = await discovery().discover([account(MEMBER)], { runId: "run-6" });

      expect(result.problems).toEqual([]);
      expect(result.accounts[0]?.users.map((user) => user.userName)).toEqual(["jane.doe"]);
    } finally {
      iamService.operations.ListUserTags = listTags;
      emulator.seed.user({ accountId: MEMBER, name: "ci-deployer" });
    }
  });

  it("assumes each role once per run, with a session name naming the run", async () => {
    const reader = discovery();
    emulator.resetCallCounts();
    await reader.discover([account(MEMBER)], { runId: "estate/2026-06-01T12:00:00Z#7" });
    await reader.discover([account(MEMBER)], { runId: "estate/2026-06-01T12:00:00Z#7" });

    expect(emulator.callCounts()["sts:AssumeRole"]).toBe(1);
    const names = [...emulator.state.sessions.values()].map((session) => session.sessionName);
    expect(names).toContain("oal-estate-2026-06-01T12-00-00Z-7");
  });
});
