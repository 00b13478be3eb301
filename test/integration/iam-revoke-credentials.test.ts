import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountProblem } from "../../adapters/iam/account-problem.ts";
import { AssumeMemberRoleError, MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { IamCredentialRevocation, revocationClients } from "../../adapters/iam/revoke-credentials.ts";
import { accountRoles } from "../../core/credentials/account-roles.ts";
import { planCredentialRevocation } from "../../core/credentials/plan-credential-revocation.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";
import { credentialsPolicy, iamUser, key, person } from "../unit/credentials/credential-builders.ts";

/**
 * The revocation writer driven through the real SDK against the IAM/STS emulator: it assumes the
 * account's revocation role, ends each credential, and reads every change back.
 */

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const OUTSIDE = "333333333333";
const REVOCATION_ROLE = "okta-aws-lifecycle-revocation";
const credentials = credentialsPolicy({
  iamUsers: { removeMfaDevices: true },
  accounts: [{ id: OUTSIDE, name: "acquired", externalId: "acq-2026" }],
});
const leaver = person("jane.doe@corp.example");

let emulator: IamEmulator;
let server: RunningServer;
const clients = () =>
  revocationClients(
    new MemberAccountSessions({ sts: new sts.STSClient(localClientConfig(server.endpoint)) }),
    {
      endpoint: server.endpoint,
    },
  );
const accountOf = (accountId: string, inOrganization: boolean): CredentialAccount => ({
  accountId,
  name: accountId,
  inOrganization,
  roles: accountRoles(credentials, accountId),
});
const trust = (condition?: Record<string, unknown>) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` },
      Action: "sts:AssumeRole",
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});
const inAccount = async (accountId: string) => {
  const client = await clients()(accountOf(accountId, accountId !== OUTSIDE), "verify");
  return client;
};

beforeAll(async () => {
  emulator = createIamEmulator({ managementAccountId: MANAGEMENT });
  server = await startAwsQueryServer(emulator.services);
  emulator.seed.role({ accountId: MEMBER, name: REVOCATION_ROLE, trustPolicy: trust() });
  emulator.seed.role({
    accountId: OUTSIDE,
    name: REVOCATION_ROLE,
    trustPolicy: trust({ StringEquals: { "sts:ExternalId": "acq-2026" } }),
  });
  emulator.seed.role({ accountId: OUTSIDE, name: "Okta-Admin", trustPolicy: trust() });
  emulator.seed.user({
    accountId: MEMBER,
    name: "jane.doe",
    loginProfile: true,
    mfaDevices: [`arn:aws:iam::${MEMBER}:mfa/jane.doe`],
  });
});
afterAll(() => server.close());

describe("IamCredentialRevocation", () => {
  it("denies, deactivates every key, deletes the password and MFA device, each read back", async () => {
    const keyIds = [
      emulator.seed.accessKey({ accountId: MEMBER, userName: "jane.doe" }).accessKeyId,
      emulator.seed.accessKey({ accountId: MEMBER, userName: "jane.doe" }).accessKeyId,
    ];
    const user = iamUser(MEMBER, "jane.doe", {
      tags: { "okta:login": leaver.login },
      hasConsolePassword: true,
      accessKeys: keyIds.map((id) => key(id)),
      mfaDevices: [{ serialNumber: `arn:aws:iam::${MEMBER}:mfa/jane.doe` }],
    });
    const plan = planCredentialRevocation({
      leaver,
      ownerships: [{ outcome: "mapped", user, owner: leaver, by: { source: "tag", tagKey: "okta:login" } }],
      oktaTrustingRoles: [],
      credentials,
      hold: "PT12H",
      now: "2026-06-01T12:00:00.000Z",
    });
    const revocation = new IamCredentialRevocation(clients());

    const results = await revocation.apply(accountOf(MEMBER, true), plan.actions, { runId: "run-1" });

    expect(results.map((r) => [r.action.kind, r.status])).toEqual([
      ["iam-user.deny", "SUCCEEDED"],
      ["access-key.deactivate", "SUCCEEDED"],
      ["access-key.deactivate", "SUCCEEDED"],
      ["login-profile.delete", "SUCCEEDED"],
      ["mfa-device.deactivate", "SUCCEEDED"],
    ]);
    const member = await inAccount(MEMBER);
    const keys = await member.send(new iam.ListAccessKeysCommand({ UserName: "jane.doe" }));
    expect(keys.AccessKeyMetadata?.map((k) => k.Status)).toEqual(["Inactive", "Inactive"]);
    const policy = await member.send(
      new iam.GetUserPolicyCommand({ UserName: "jane.doe", PolicyName: "okta-aws-lifecycle-leaver-deny" }),
    );
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument ?? "")).Statement[0]).toMatchObject({
      Effect: "Deny",
      Action: "*",
    });
    await expect(member.send(new iam.GetLoginProfileCommand({ UserName: "jane.doe" }))).rejects.toMatchObject(
      {
        name: "NoSuchEntityException",
      },
    );
    expect((await member.send(new iam.ListMFADevicesCommand({ UserName: "jane.doe" }))).MFADevices).toEqual(
      [],
    );

    // A second run finds everything already ended: still SUCCEEDED (NoSuchEntity is done, not failed).
    const again = await revocation.apply(accountOf(MEMBER, true), plan.actions, { runId: "run-2" });
    expect(again.every((r) => r.status === "SUCCEEDED")).toBe(true);
  });

  it("puts the federated Deny on an outside account's Okta-trusting role with the external id, and lifts it", async () => {
    const plan = planCredentialRevocation({
      leaver,
      ownerships: [],
      oktaTrustingRoles: [
        { accountId: OUTSIDE, roleName: "Okta-Admin", arn: `arn:aws:iam::${OUTSIDE}:role/Okta-Admin` },
      ],
      credentials,
      hold: "PT12H",
      now: "2026-06-01T12:00:00.000Z",
    });
    const [action] = plan.actions;
    if (action?.kind !== "federated-deny.role") throw new Error("expected a role Deny");
    const revocation = new IamCredentialRevocation(clients());

    const results = await revocation.apply(accountOf(OUTSIDE, false), plan.actions, { runId: "run-3" });
    expect(results.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    const outside = await inAccount(OUTSIDE);
    const listed = await outside.send(new iam.ListRolePoliciesCommand({ RoleName: "Okta-Admin" }));
    expect(listed.PolicyNames).toEqual([action.policyName]);

    await revocation.liftRoleDeny(accountOf(OUTSIDE, false), "Okta-Admin", action.policyName, {
      runId: "run-3",
    });
    await revocation.liftRoleDeny(accountOf(OUTSIDE, false), "Okta-Admin", action.policyName, {
      runId: "run-3",
    });
    const after = await outside.send(new iam.ListRolePoliciesCommand({ RoleName: "Okta-Admin" }));
    expect(after.PolicyNames).toEqual([]);
  });

  it("a role it cannot assume (wrong name, no StackSet instance, wrong external id) changes nothing and names the role", async () => {
    const revocation = new IamCredentialRevocation(clients());
    const action = planCredentialRevocation({
      leaver,
      ownerships: [
        {
          outcome: "mapped",
          user: iamUser(MEMBER, "jane.doe"),
          owner: leaver,
          by: { source: "tag", tagKey: "okta:login" },
        },
      ],
      oktaTrustingRoles: [],
      credentials,
      hold: "PT12H",
      now: "2026-06-01T12:00:00.000Z",
    }).actions;
    const wrong: CredentialAccount = {
      ...accountOf(MEMBER, true),
      roles: { discovery: "x", revocation: "no-such-role" },
    };
    const error = await revocation.apply(wrong, action, { runId: "run-4" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeMemberRoleError);
    expect(accountProblem(wrong, "no-such-role", error)).toMatchObject({
      accountId: MEMBER,
      code: "role-not-assumable",
      message: expect.stringContaining(`arn:aws:iam::${MEMBER}:role/no-such-role`),
    });
    const noExternalId: CredentialAccount = {
      ...accountOf(OUTSIDE, false),
      roles: { discovery: "x", revocation: REVOCATION_ROLE },
    };
    await expect(revocation.apply(noExternalId, action, { runId: "run-4" })).rejects.toBeInstanceOf(
      AssumeMemberRoleError,
    );
  });

  it("a single failing action is FAILED with the error and the rest of the account still runs", async () => {
    emulator.seed.user({ accountId: MEMBER, name: "sam" });
    const keyId = emulator.seed.accessKey({ accountId: MEMBER, userName: "sam" }).accessKeyId;
    const sam = person("sam@corp.example");
    const ownerships = ["sam", "ghost"].map((name) => ({
      outcome: "mapped" as const,
      user: iamUser(MEMBER, name, { accessKeys: name === "sam" ? [key(keyId)] : [] }),
      owner: sam,
      by: { source: "tag" as const, tagKey: "okta:login" },
    }));
    const plan = planCredentialRevocation({
      leaver: sam,
      ownerships,
      oktaTrustingRoles: [],
      credentials,
      hold: "PT12H",
      now: "2026-06-01T12:00:00.000Z",
    });
    const revocation = new IamCredentialRevocation(clients());

    const results = await revocation.apply(accountOf(MEMBER, true), plan.actions, { runId: "run-5" });

    const byUser = results.map((r) => [
      r.action.kind,
      "userName" in r.action ? r.action.userName : "",
      r.status,
    ]);
    expect(byUser).toEqual([
      ["iam-user.deny", "ghost", "FAILED"],
      ["iam-user.deny", "sam", "SUCCEEDED"],
      ["access-key.deactivate", "sam", "SUCCEEDED"],
    ]);
    expect(results[0]?.error).toMatch(/^NoSuchEntityException: /);
  });
});
