import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { memberRolesTemplate } from "../../infra/member-roles-template.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";

/**
 * Discovery through the roles of infra/templates/member-roles.json, as CloudFormation would create them
 * in a member account, assumed by a task role of the tool's account (role chaining, as a Lambda does):
 * the template's trust (ArnLike aws:PrincipalArn on the tool's role path, sts:ExternalId) admits the
 * tool's task role with the external id, and nothing else.
 */

const TOOL = "111111111111";
const MEMBER = "222222222222";
const ROLE_PATH = "/okta-aws-lifecycle/prod/";
const TASK_ROLE = "okta-aws-lifecycle-prod-revoke-credentials";

let emulator: IamEmulator;
let server: RunningServer;

/** The template's trust policy, resolved for a stack instance in MEMBER. */
function trustFor(externalId: string) {
  const values: Record<string, unknown> = {
    "AWS::Partition": "aws",
    ToolAccountId: TOOL,
    ToolPrincipalArns: [`arn:aws:iam::${TOOL}:role${ROLE_PATH}*`],
    ExternalId: externalId,
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    const node = value as Record<string, unknown>;
    if (typeof node["Fn::Sub"] === "string")
      return node["Fn::Sub"].replace(/\$\{([\w:]+)\}/g, (_, name: string) => String(values[name]));
    if (typeof node.Ref === "string") return values[node.Ref];
    if (Array.isArray(node["Fn::If"])) return resolve(node["Fn::If"][externalId === "" ? 2 : 1]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve(memberRolesTemplate().Resources.DiscoveryRole.Properties.AssumeRolePolicyDocument) as Record<
    string,
    unknown
  >;
}

/** An STS client signed as a session of the tool account's role `path` + `roleName`. */
async function taskSession(roleName: string, path = ROLE_PATH) {
  const management = new STSClient(localClientConfig(server.endpoint));
  const assumed = await management.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${TOOL}:role${path}${roleName}`,
      RoleSessionName: "lambda",
    }),
  );
  const credentials = {
    accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
    secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
    sessionToken: assumed.Credentials?.SessionToken ?? "",
  };
  return new STSClient({ ...localClientConfig(server.endpoint), credentials });
}

const member = (externalId?: string): CredentialAccount => ({
  accountId: MEMBER,
  name: "payments",
  inOrganization: true,
  roles: {
    discovery: "okta-aws-lifecycle-discovery",
    revocation: "okta-aws-lifecycle-revocation",
    ...(externalId === undefined ? {} : { externalId }),
  },
});

beforeAll(async () => {
  emulator = createIamEmulator({ managementAccountId: TOOL });
  const lambdaTrust = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TOOL}:root` }, Action: "sts:AssumeRole" },
    ],
  };
  // Lambda assumes these in AWS; the management key stands in for it here.
  emulator.seed.role({ accountId: TOOL, name: TASK_ROLE, path: ROLE_PATH, trustPolicy: lambdaTrust });
  emulator.seed.role({ accountId: TOOL, name: "Admin", trustPolicy: lambdaTrust });
  emulator.seed.role({
    accountId: MEMBER,
    name: "okta-aws-lifecycle-discovery",
    trustPolicy: trustFor("oal-7f3a"),
  });
  emulator.seed.user({ accountId: MEMBER, name: "jane.doe", loginProfile: true });
  server = await startAwsQueryServer(emulator.services);
});
afterAll(() => server.close());

describe("discovery through the member-roles template's trust", () => {
  it("admits the tool's task role with the external id", async () => {
    const discovery = new IamCredentialDiscovery({
      sessions: new MemberAccountSessions({ sts: await taskSession(TASK_ROLE), durationSeconds: 900 }),
      connection: { endpoint: server.endpoint, region: "us-east-1", maxAttempts: 1 },
    });

    const result = await discovery.discover([member("oal-7f3a")], { runId: "run-1" });

    expect(result.problems).toEqual([]);
    expect(result.accounts[0]?.users.map((user) => [user.userName, user.hasConsolePassword])).toEqual([
      ["jane.doe", true],
    ]);
  });

  it("refuses the task role without the external id, and another role of the tool's account with it", async () => {
    const asTask = new IamCredentialDiscovery({
      sessions: new MemberAccountSessions({ sts: await taskSession(TASK_ROLE), durationSeconds: 900 }),
      connection: { endpoint: server.endpoint, region: "us-east-1", maxAttempts: 1 },
    });
    const asAdmin = new IamCredentialDiscovery({
      sessions: new MemberAccountSessions({ sts: await taskSession("Admin", "/"), durationSeconds: 900 }),
      connection: { endpoint: server.endpoint, region: "us-east-1", maxAttempts: 1 },
    });

    const withoutId = await asTask.discover([member()], { runId: "run-2" });
    const otherRole = await asAdmin.discover([member("oal-7f3a")], { runId: "run-3" });

    expect(withoutId.problems.map((problem) => problem.code)).toEqual(["role-not-assumable"]);
    expect(otherRole.problems.map((problem) => problem.code)).toEqual(["role-not-assumable"]);
  });
});
