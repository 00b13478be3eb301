import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { evidenceSignerRoles, evidenceSigningKeyPolicy } from "../../infra/evidence-signing-policy.ts";
import { resourceNames } from "../../infra/names.ts";
import {
  type PermissionFacts,
  policyDocument,
  type RoleKey,
  rolePermissions,
} from "../../infra/permissions.ts";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`;
// Asserted, not annotated: the facts other work adds (revocation SCP slots, membership sync) are optional here.
const facts = {
  partition: "aws",
  region: "eu-west-1",
  accountId: ACCOUNT,
  managementAccountId: "999988887777",
  organizationId: "o-abcdef1234",
  instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
  identityStoreId: "d-1234567890",
  names: resourceNames("okta-aws-lifecycle", "prod"),
  evidenceBucket: "okta-aws-lifecycle-prod-evidencebucket-abcdef",
  evidenceEncryptionKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
  evidenceSigningKeyArn: KEY,
  workBucket: "okta-aws-lifecycle-prod-workbucket-abcdef",
  revocationScpIds: [],
  membershipSync: false,
} as PermissionFacts;
const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/okta-aws-lifecycle/prod/${role}-abc1234`;
const signers = ["write-user-evidence", "estate-write-estate-evidence", "estate-sweep-credentials"] as const;
const keyPolicy = evidenceSigningKeyPolicy({
  partition: "aws",
  accountId: ACCOUNT,
  signerRoleArns: signers.map(roleArn),
});
const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
/** The key policy KMS gives a key created without one (what the signing key had before). */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
  ],
};

/** Whether `principal` (a deployed role, or an administrator allowed everything) may call `action` on the key. */
async function allows(
  principal: RoleKey | "administrator",
  action: string,
  resourcePolicy: unknown = keyPolicy,
) {
  const identity =
    principal === "administrator" ? ALLOW_ALL : policyDocument(rolePermissions(facts)[principal].grants);
  const result = await runSimulation(
    {
      request: {
        principal: roleArn(principal),
        action,
        resource: { resource: KEY, accountId: ACCOUNT },
        // What KMS sees for a role session: the role's ARN (path included).
        contextVariables: { "aws:PrincipalArn": roleArn(principal) },
      },
      identityPolicies: [{ name: "policy", policy: identity }],
      serviceControlPolicies: [
        { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
        { orgIdentifier: ACCOUNT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
      ],
      resourceControlPolicies: [],
      resourcePolicy,
    } as never,
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

describe("infra: the evidence signing key's policy (issue 12, point 9)", () => {
  it("finds the evidence writers from the role permissions: the roles granted kms:Sign", () => {
    // The credential sweep writes its own estate-run record (<run>.credentials, docs/credentials.md).
    expect(evidenceSignerRoles(facts)).toEqual([
      "estate-sweep-credentials",
      "estate-write-estate-evidence",
      "write-user-evidence",
    ]);
  });

  it("lets only the evidence writers sign: not an administrator allowed everything, not another task", async () => {
    // Act
    const results = {
      userEvidence: await allows("write-user-evidence", "kms:Sign"),
      estateTask: await allows("estate-write-estate-evidence", "kms:Sign"),
      sweepTask: await allows("estate-sweep-credentials", "kms:Sign"),
      estatePlanTask: await allows("estate-plan-estate-run", "kms:Sign"),
      estateBatchTask: await allows("estate-apply-estate-batch", "kms:Sign"),
      administrator: await allows("administrator", "kms:Sign"),
      verifyTask: await allows("verify-user-run", "kms:Sign"),
      administratorUnderDefaultPolicy: await allows("administrator", "kms:Sign", DEFAULT_KEY_POLICY),
    };

    // Assess
    expect(results).toEqual({
      userEvidence: true,
      estateTask: true,
      sweepTask: true,
      estatePlanTask: false,
      estateBatchTask: false,
      administrator: false,
      verifyTask: false,
      // What the key allowed before it had a policy of its own.
      administratorUnderDefaultPolicy: true,
    });
  });

  it("keeps the public key readable for auditors and the key administrable, without grants", async () => {
    // Act
    const results = {
      getPublicKey: await allows("administrator", "kms:GetPublicKey"),
      verify: await allows("administrator", "kms:Verify"),
      putKeyPolicy: await allows("administrator", "kms:PutKeyPolicy"),
      createGrant: await allows("administrator", "kms:CreateGrant"),
    };

    // Assess
    expect(results).toEqual({ getPublicKey: true, verify: true, putKeyPolicy: true, createGrant: false });
    expect(JSON.stringify(keyPolicy)).not.toContain("kms:*");
  });

  it("refuses to build a policy no role may sign with", () => {
    expect(() =>
      evidenceSigningKeyPolicy({ partition: "aws", accountId: ACCOUNT, signerRoleArns: [] }),
    ).toThrow("no evidence-writing role to allow kms:Sign to");
  });
});

/** A fake of the SST/Pulumi globals that records every resource the infra code declares. */
interface Declared {
  type: string;
  name: string;
  args: Record<string, unknown>;
  opts: Record<string, unknown> | undefined;
}
const declared: Declared[] = [];
/** A resolved output: `apply` runs at once. */
const output = (value: unknown) => ({
  value,
  apply: (fn: (v: unknown) => unknown) => output(fn(value)),
});
const resolved = (v: unknown) =>
  v !== null && typeof v === "object" && "apply" in v ? (v as unknown as { value: unknown }).value : v;

describe("infra: the signing key policy is declared with the deployed writer roles", () => {
  let restrict: (options: { signingKeyArn: string; facts: unknown; roleArns: Record<string, unknown> }) => {
    args?: unknown;
  };
  beforeAll(async () => {
    const g = globalThis as Record<string, unknown>;
    const resource = (type: string) =>
      class {
        constructor(name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) {
          declared.push({ type, name, args, opts });
        }
      };
    const namespace = (prefix: string) =>
      new Proxy({}, { get: (_, key) => resource(`${prefix}.${String(key)}`) });
    g.aws = new Proxy({}, { get: (_, ns) => namespace(`aws.${String(ns)}`) });
    g.$app = { stage: "test", name: "okta-aws-lifecycle" };
    g.$resolve = (values: Record<string, unknown>) =>
      output(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, resolved(v)])));
    // A computed specifier: infra/ is type-checked against SST's platform types, not with the application.
    const infraModule = "../../infra/evidence-keys.ts";
    ({ restrictEvidenceSigning: restrict } = (await import(infraModule)) as {
      restrictEvidenceSigning: typeof restrict;
    });
  });

  it("puts the policy on the signing key, kept when the stack is removed", () => {
    // Act
    restrict({
      signingKeyArn: KEY,
      facts: output(facts),
      roleArns: Object.fromEntries(signers.map((role) => [role, output(roleArn(role))])),
    });

    // Assess
    const declaredPolicy = declared.find((d) => d.type === "aws.kms.KeyPolicy");
    expect(declaredPolicy?.args.keyId).toBe(KEY);
    expect(JSON.parse(String(resolved(declaredPolicy?.args.policy)))).toEqual(keyPolicy);
    expect(declaredPolicy?.opts).toEqual({ retainOnDelete: true });
  });

  it("refuses a role that may not sign", () => {
    expect(() =>
      restrict({
        signingKeyArn: KEY,
        facts: output(facts),
        roleArns: { "verify-user-run": roleArn("verify") },
      }),
    ).toThrow("verify-user-run may not sign evidence");
  });
});
