/**
 * Identity Center as a delegated administrator sees it, over the wire with the real SDK client and
 * every answer checked against the sso-admin model: changes in the management account, or to a
 * permission set provisioned there, answer AccessDeniedException unless signed by the management
 * account; everything else, and every read, goes through.
 */
import * as ssoAdmin from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulator,
} from "../../local/emulators/identity-center/index.ts";
import { AwsAnswerLog } from "../support/aws-answer-log.ts";
import { AwsModel } from "../support/aws-model.ts";

const MANAGEMENT = "123456789012";
const DELEGATED = "210987654321";
const MEMBER = "345678901234";
const KEYS: Record<string, string> = { "management-key": MANAGEMENT, "delegated-key": DELEGATED };

let ic: IdentityCenterEmulator;
let server: RunningServer;
const log = new AwsAnswerLog();
const client = (accessKeyId: string) =>
  log.attach(
    new ssoAdmin.SSOAdminClient({
      ...localClientConfig(server.endpoint),
      credentials: { accessKeyId, secretAccessKey: "secret" },
    }),
    new AwsModel("sso-admin"),
  );
let delegated: ssoAdmin.SSOAdminClient;
let management: ssoAdmin.SSOAdminClient;
let inManagement: string;
let elsewhere: string;
let groupId: string;

/** The error name a call answered, or "ok". */
async function outcome(c: ssoAdmin.SSOAdminClient, command: unknown): Promise<string> {
  try {
    await c.send(command as never);
    return "ok";
  } catch (error) {
    return (error as Error).name;
  }
}

beforeAll(async () => {
  ic = createIdentityCenterEmulator({
    limits: { latencyMs: 1, ssoAdminTps: 0, identityStoreTps: 0 },
    delegatedAdministration: {
      managementAccountId: MANAGEMENT,
      accountOf: (key) => (key ? KEYS[key] : undefined),
    },
  });
  server = await startAwsJsonServer(ic.services);
  delegated = client("delegated-key");
  management = client("management-key");
  inManagement = ic.seed.permissionSet({ name: "BreakGlass" });
  elsewhere = ic.seed.permissionSet({ name: "Developer" });
  ic.seed.provision(MANAGEMENT, inManagement);
  ic.seed.provision(MEMBER, inManagement);
  groupId = ic.seed.group({ displayName: "developers" });
});

afterAll(async () => {
  delegated.destroy();
  management.destroy();
  await server.close();
});

describe("Identity Center emulator: the delegated administrator", () => {
  const assignment = (accountId: string, permissionSetArn: string) => ({
    InstanceArn: ic.instanceArn,
    TargetId: accountId,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: permissionSetArn,
    PrincipalType: "GROUP" as const,
    PrincipalId: groupId,
  });
  const inline = (permissionSetArn: string) =>
    new ssoAdmin.PutInlinePolicyToPermissionSetCommand({
      InstanceArn: ic.instanceArn,
      PermissionSetArn: permissionSetArn,
      InlinePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
      }),
    });

  it("refuses its changes in the management account and to sets provisioned there", async () => {
    // Act
    const results = {
      assignInManagement: await outcome(
        delegated,
        new ssoAdmin.CreateAccountAssignmentCommand(assignment(MANAGEMENT, elsewhere)),
      ),
      assignManagementSet: await outcome(
        delegated,
        new ssoAdmin.CreateAccountAssignmentCommand(assignment(MEMBER, inManagement)),
      ),
      inlineOnManagementSet: await outcome(delegated, inline(inManagement)),
      provisionToManagement: await outcome(
        delegated,
        new ssoAdmin.ProvisionPermissionSetCommand({
          InstanceArn: ic.instanceArn,
          PermissionSetArn: elsewhere,
          TargetId: MANAGEMENT,
          TargetType: "AWS_ACCOUNT",
        }),
      ),
      unsigned: await outcome(client("unknown-key"), inline(inManagement)),
    };

    // Assess
    expect(results).toEqual({
      assignInManagement: "AccessDeniedException",
      assignManagementSet: "AccessDeniedException",
      inlineOnManagementSet: "AccessDeniedException",
      provisionToManagement: "AccessDeniedException",
      unsigned: "AccessDeniedException",
    });
    const refusals = log.answers.filter((a) => a.errorCode === "AccessDeniedException");
    expect(refusals.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(log.answers.flatMap((a) => a.problems)).toEqual([]);
  });

  it("lets it change everything else and read everything, and lets the management account change all", async () => {
    // Act
    const results = {
      assignElsewhere: await outcome(
        delegated,
        new ssoAdmin.CreateAccountAssignmentCommand(assignment(MEMBER, elsewhere)),
      ),
      inlineElsewhere: await outcome(delegated, inline(elsewhere)),
      listManagement: await outcome(
        delegated,
        new ssoAdmin.ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: ic.instanceArn,
          AccountId: MANAGEMENT,
        }),
      ),
      managementInline: await outcome(management, inline(inManagement)),
      readManagementSet: await outcome(
        delegated,
        new ssoAdmin.GetInlinePolicyForPermissionSetCommand({
          InstanceArn: ic.instanceArn,
          PermissionSetArn: inManagement,
        }),
      ),
      managementAssign: await outcome(
        management,
        new ssoAdmin.CreateAccountAssignmentCommand(assignment(MANAGEMENT, inManagement)),
      ),
    };

    // Assess
    expect(results).toEqual({
      assignElsewhere: "ok",
      inlineElsewhere: "ok",
      listManagement: "ok",
      managementInline: "ok",
      readManagementSet: "ok",
      managementAssign: "ok",
    });
    expect(log.answers.flatMap((a) => a.problems)).toEqual([]);
  });
});
