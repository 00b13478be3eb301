import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IamCustomerManagedPolicyLookup } from "../../adapters/iam/customer-managed-policy-lookup.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import type { OrgAccount } from "../../core/estate.ts";
import type { EstateScope } from "../../core/plan/estate-scope.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { localClientConfig, type RunningServer } from "../../local/emulators/aws-json-server.ts";
import { startAwsQueryServer } from "../../local/emulators/aws-query-server.ts";
import { createIamEmulator, type IamEmulator } from "../../local/emulators/iam/index.ts";
import { checkCustomerManagedPolicies } from "../../usecases/reconcile-estate/check-customer-managed-policies.ts";

/**
 * The estate run's customer managed policy check (usecases/reconcile-estate/check-customer-managed-policies.ts)
 * through the real IAM and STS clients against the IAM emulator: GetPolicy in each account a declared set
 * reaches, through the account's discovery role.
 */

const TOOL = "111111111111";
const A = "222222222222";
const B = "333333333333";
const C = "444444444444";
/** No discovery role: AssumeRole is refused. */
const NO_ROLE = "555555555555";
const DISCOVERY = "okta-aws-lifecycle-discovery";
const DOCUMENT = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
};

const SETS = [
  { arn: "arn:ps-deploy", name: "Deploy", sessionDuration: "PT1H" },
  { arn: "arn:ps-logs", name: "Logs", sessionDuration: "PT1H" },
];
const account = (id: string): OrgAccount => ({
  id,
  name: `acct-${id.slice(0, 1)}`,
  parentId: "r-1",
  tags: {},
  status: "ACTIVE",
});
const organization = { accounts: [A, B, C, NO_ROLE].map(account) };
const pair = (accountId: string, permissionSetArn: string) => ({
  accountId,
  permissionSetArn,
  outdated: false,
});

function policy(): Policy {
  const result = loadPolicy(
    [
      "version: 1",
      "permissionSets:",
      "  Deploy:",
      "    customerManagedPolicies: [{ name: deploy }]",
      "    permissionsBoundary: { name: boundary, path: /shared/ }",
      "  Logs:",
      "    customerManagedPolicies: [{ name: deploy }]",
      "rules:",
      `  - { name: r, group: g, permissionSet: Deploy, targets: { accounts: ['${A}'] } }`,
    ].join("\n"),
    "policy.yaml",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

let emulator: IamEmulator;
let server: RunningServer;
let lookup: IamCustomerManagedPolicyLookup;
let run = 0;

beforeAll(async () => {
  emulator = createIamEmulator({ managementAccountId: TOOL });
  for (const accountId of [A, B, C]) {
    emulator.seed.role({
      accountId,
      name: DISCOVERY,
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TOOL}:root` }, Action: "sts:AssumeRole" },
        ],
      },
    });
    emulator.seed.managedPolicy({ accountId, name: "deploy", document: DOCUMENT });
  }
  // The boundary is everywhere but in B.
  for (const accountId of [A, C])
    emulator.seed.managedPolicy({ accountId, name: "boundary", path: "/shared/", document: DOCUMENT });
  server = await startAwsQueryServer(emulator.services);
  const config = localClientConfig(server.endpoint);
  lookup = new IamCustomerManagedPolicyLookup({
    sessions: new MemberAccountSessions({ sts: new STSClient(config) }),
    connection: { endpoint: server.endpoint, region: config.region as string },
  });
});

afterAll(() => server.close());

beforeEach(() => {
  emulator.resetCallCounts();
  run += 1;
});

const check = (
  provisioned: ReturnType<typeof pair>[],
  options: {
    plannedAssignments?: { accountId: string; permissionSetArn: string }[];
    scope?: EstateScope;
  } = {},
) =>
  checkCustomerManagedPolicies(
    {
      lookup,
      // A scoped run lists its sets' accounts (sso-admin); here, from the same pairs.
      accountsProvisionedWith: async (arn) => provisioned.filter((p) => p.permissionSetArn === arn),
      runId: `run-${run}`,
    },
    {
      policy: policy(),
      organization,
      identityCenter: { permissionSets: SETS, provisioned },
      plannedAssignments: options.plannedAssignments ?? [],
      ...(options.scope ? { scope: options.scope } : {}),
    },
  );

describe("checkCustomerManagedPolicies against the IAM emulator", () => {
  it("a policy missing in one account of several is one finding naming that account, set and policy; one GetPolicy per (account, policy)", async () => {
    const result = await check(
      [pair(A, "arn:ps-deploy"), pair(B, "arn:ps-deploy"), pair(A, "arn:ps-logs"), pair(B, "arn:ps-logs")],
      { plannedAssignments: [{ accountId: C, permissionSetArn: "arn:ps-deploy" }] },
    );

    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: "customer-managed-policy-missing",
        subject: expect.objectContaining({
          permissionSet: "Deploy",
          accountId: B,
          policyName: "boundary",
          policyPath: "/shared/",
          usedAs: "permissions-boundary",
        }),
      }),
    ]);
    expect(result.findings[0]?.message).toContain(`create the IAM policy /shared/boundary in account ${B}`);
    // A, B and C each: deploy and /shared/boundary, asked once though Deploy and Logs share deploy.
    expect(result).toMatchObject({ accounts: 3, lookups: 6 });
    expect(emulator.callCounts()).toEqual({ "sts:AssumeRole": 3, "iam:GetPolicy": 6 });
  });

  it("present everywhere: no finding", async () => {
    const result = await check([pair(A, "arn:ps-deploy"), pair(C, "arn:ps-deploy"), pair(B, "arn:ps-logs")]);

    expect(result.findings).toEqual([]);
    expect(emulator.callCounts()["iam:GetPolicy"]).toBe(5);
  });

  it("an account whose role cannot be assumed is one could-not-check finding with the fix; the others are still checked", async () => {
    const result = await check([
      pair(NO_ROLE, "arn:ps-deploy"),
      pair(B, "arn:ps-deploy"),
      pair(C, "arn:ps-logs"),
    ]);

    expect(result.findings.map((f) => `${f.kind} ${f.subject.accountId}`)).toEqual([
      `customer-managed-policy-missing ${B}`,
      `customer-managed-policy-unchecked ${NO_ROLE}`,
    ]);
    expect(result.findings[1]?.subject).toEqual(
      expect.objectContaining({
        code: "role-not-assumable",
        permissionSets: "Deploy",
        policies: "/deploy,/shared/boundary",
      }),
    );
    expect(result.findings[1]?.subject.fix).toContain("member-roles StackSet");
    expect(emulator.callCounts()).toEqual({ "sts:AssumeRole": 3, "iam:GetPolicy": 3 });
  });

  it("IAM refusing GetPolicy makes the account unchecked (discovery-role-denied), never missing", async () => {
    // Signed as A's discovery role while asking about B's policies: IAM refuses another account's policy.
    const config = localClientConfig(server.endpoint);
    const sessions = new MemberAccountSessions({ sts: new STSClient(config) });
    const crossed = new IamCustomerManagedPolicyLookup({
      sessions: {
        credentials: (request) => sessions.credentials({ ...request, accountId: A }),
      } as MemberAccountSessions,
      connection: { endpoint: server.endpoint, region: config.region as string },
    });
    const member = {
      accountId: B,
      name: "b",
      inOrganization: true,
      roles: { discovery: DISCOVERY, revocation: "r" },
    };

    const answer = await crossed.missingIn(member, [{ name: "deploy", path: "/" }], { runId: `run-${run}` });

    expect(answer).toEqual({
      accountId: B,
      problem: expect.objectContaining({ accountId: B, code: "discovery-role-denied" }),
    });
    expect(emulator.callCounts()["iam:GetPolicy"]).toBe(1);
  });

  it("a scoped run asks only for its own pairs, and for its own sets in every account they are provisioned to", async () => {
    const result = await check(
      [pair(A, "arn:ps-deploy"), pair(B, "arn:ps-deploy"), pair(B, "arn:ps-logs"), pair(C, "arn:ps-logs")],
      {
        plannedAssignments: [{ accountId: C, permissionSetArn: "arn:ps-deploy" }],
        scope: {
          permissionSetArns: ["arn:ps-logs"],
          pairs: [{ accountId: B, permissionSetArn: "arn:ps-deploy" }],
        },
      },
    );

    // Logs in B and C (deploy), the pair Deploy in B (deploy, boundary); not Deploy in A or C.
    expect(result.findings.map((f) => `${f.subject.permissionSet} ${f.subject.accountId}`)).toEqual([
      `Deploy ${B}`,
    ]);
    expect(emulator.callCounts()).toEqual({ "sts:AssumeRole": 2, "iam:GetPolicy": 3 });
  });
});
