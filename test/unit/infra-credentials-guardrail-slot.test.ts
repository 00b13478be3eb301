import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeEach, describe, expect, it } from "vitest";
import { resourceNames } from "../../infra/names.ts";
import { readDeploymentParameters } from "../../infra/parameters.ts";
import {
  ESTATE_TASK_ROLES,
  type PermissionFacts,
  policyDocument,
  rolePermissions,
} from "../../infra/permissions.ts";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import { type DeclaredResource, installFakeSstGlobals, resolved } from "../support/fake-sst-globals.ts";

const names = resourceNames("okta-aws-lifecycle", "test");
// Loaded through a variable so the type check (no SST globals) does not follow into infra/ components.
const slotModule = "../../infra/credentials-guardrail-slot.ts";
const retainedModule = "../../infra/retained-guardrail-scp-slot.ts";
type Retained = { policyId: string; attachedTo?: string };
const { credentialsGuardrailSlot } = (await import(slotModule)) as {
  credentialsGuardrailSlot: (deps: { names: typeof names; rootId: string; retained?: Retained }) => unknown;
};
const { findRetainedGuardrailScpSlot, ForeignGuardrailScpError } = (await import(retainedModule)) as {
  findRetainedGuardrailScpSlot: (deps: {
    names: typeof names;
    rootId: string;
  }) => Promise<Retained | undefined>;
  ForeignGuardrailScpError: new (...args: never[]) => Error;
};

const ROOT = "r-ab12";
const ACCOUNT = "111122223333";
const MANAGEMENT = "999988887777";
const ORG = "o-abcdef1234";
const MARKER = RUNTIME_CONTRACT.guardrailScpSlot.description;

/** An organization's SCPs as the provider's data sources read them. */
function organizationWith(policies: { id: string; name: string; description: string; onRoot: boolean }[]) {
  (globalThis as Record<string, unknown>).aws = {
    organizations: {
      getPolicies: async () => ({ ids: policies.map((p) => p.id) }),
      getPoliciesForTarget: async (args: { targetId: string }) => ({
        ids: args.targetId === ROOT ? policies.filter((p) => p.onRoot).map((p) => p.id) : [],
      }),
      getPolicy: async (args: { policyId: string }) => {
        const p = policies.find((x) => x.id === args.policyId);
        if (!p) throw new Error(`PolicyNotFoundException ${args.policyId}`);
        return { policyId: p.id, name: p.name, description: p.description };
      },
    },
  };
}

describe("infra: the credentials guardrail SCP slot (issue 16)", () => {
  let declared: DeclaredResource[];
  beforeEach(() => {
    declared = installFakeSstGlobals();
  });

  it("creates one slot, tagged and described as the tool's, holding the placeholder, attached to the root, retained", () => {
    // Act
    credentialsGuardrailSlot({ names, rootId: ROOT });

    // Assess
    const policy = declared.find((d) => d.type === "aws.organizations.Policy");
    expect(resolved(policy?.args)).toEqual({
      name: "okta-aws-lifecycle-test-credentials-guardrail",
      description: MARKER,
      type: "SERVICE_CONTROL_POLICY",
      content: RUNTIME_CONTRACT.guardrailScpSlot.placeholder,
      tags: { [RUNTIME_CONTRACT.managedByTag.key]: RUNTIME_CONTRACT.managedByTag.value },
    });
    expect(policy?.opts).toEqual({ ignoreChanges: ["content"], retainOnDelete: true });
    const attachment = declared.find((d) => d.type === "aws.organizations.PolicyAttachment");
    expect(resolved(attachment?.args)).toMatchObject({ targetId: ROOT });
    expect(attachment?.opts).toEqual({ retainOnDelete: true });
    // The placeholder denies nothing: its condition needs aws:PrincipalArn both absent and present.
    const placeholder = JSON.parse(RUNTIME_CONTRACT.guardrailScpSlot.placeholder);
    expect(placeholder.Statement[0].Condition).toEqual({
      Null: { "aws:PrincipalArn": "true" },
      StringLike: { "aws:PrincipalArn": "*" },
    });
  });

  it("adopts a slot a removed stage retained, and its attachment while it is still on the root", async () => {
    // Prepare
    organizationWith([
      { id: "p-guard001", name: names.guardrailScp, description: MARKER, onRoot: true },
      { id: "p-cust0001", name: "acme-deny-regions", description: "Acme", onRoot: true },
    ]);

    // Act
    const retained = await findRetainedGuardrailScpSlot({ names, rootId: ROOT });
    declared = installFakeSstGlobals();
    credentialsGuardrailSlot({ names, rootId: ROOT, ...(retained ? { retained } : {}) });

    // Assess
    expect(retained).toEqual({ policyId: "p-guard001", attachedTo: ROOT });
    expect(declared.find((d) => d.name === "CredentialsGuardrailScpSlot")?.opts).toMatchObject({
      import: "p-guard001",
    });
    expect(declared.find((d) => d.name === "CredentialsGuardrailScpSlotAttachment")?.opts).toMatchObject({
      import: `${ROOT}:p-guard001`,
    });
  });

  it("refuses to adopt a policy with the slot's name but not the tool's marker, naming the fix", async () => {
    // Prepare
    organizationWith([{ id: "p-cust0001", name: names.guardrailScp, description: "Acme", onRoot: true }]);

    // Act
    const found = findRetainedGuardrailScpSlot({ names, rootId: ROOT });

    // Assess
    await expect(found).rejects.toBeInstanceOf(ForeignGuardrailScpError);
    await expect(found).rejects.toThrow(/OAL_CREDENTIALS_GUARDRAIL=off/);
  });
});

describe("infra/parameters: OAL_CREDENTIALS_GUARDRAIL", () => {
  const base = { OAL_OKTA_ORG_URL: "https://acme.okta.com", OAL_POLICY: "policy.yaml" };

  it("is off by default, on with `on`, and names the variable and its values when wrong", () => {
    expect(readDeploymentParameters(base).credentialsGuardrail).toBe(false);
    expect(readDeploymentParameters({ ...base, OAL_CREDENTIALS_GUARDRAIL: "on" }).credentialsGuardrail).toBe(
      true,
    );
    expect(() => readDeploymentParameters({ ...base, OAL_CREDENTIALS_GUARDRAIL: "yes" })).toThrow(
      /OAL_CREDENTIALS_GUARDRAIL/,
    );
  });

  it("counts the guardrail slot against the root's SCP places", () => {
    const full = { ...base, OAL_REVOCATION_SCP_SLOTS: "4", OAL_SCP_MAX_PER_TARGET: "5" };
    // Four slots and FullAWSAccess fill the root's five places; the guardrail slot would be a sixth.
    expect(readDeploymentParameters(full).revocationScpSlots).toBe(4);
    expect(() => readDeploymentParameters({ ...full, OAL_CREDENTIALS_GUARDRAIL: "on" })).toThrow(
      /credentials guardrail slot.*use at most 3 slots/,
    );
  });
});

describe("infra/permissions: the sweep may rewrite the guardrail slot and nothing else in Organizations", () => {
  const facts: PermissionFacts = {
    partition: "aws",
    region: "eu-west-1",
    accountId: ACCOUNT,
    managementAccountId: MANAGEMENT,
    organizationId: ORG,
    instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
    identityStoreId: "d-1234567890",
    names,
    evidenceBucket: "okta-aws-lifecycle-test-evidencebucket-abcdef",
    revocationScpIds: ["p-slot0001", "p-slot0002"],
    membershipSync: false,
  };
  const scpArn = (id: string) =>
    `arn:aws:organizations::${MANAGEMENT}:policy/${ORG}/service_control_policy/${id}`;
  const guardrailSlot = scpArn("p-guard001");
  const revocationSlot = scpArn("p-slot0001");
  const customerScp = scpArn("p-abc12345");
  const root = `arn:aws:organizations::${MANAGEMENT}:root/${ORG}/r-ab12`;
  const scpType = { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" };
  const toolTag = {
    [`aws:ResourceTag/${RUNTIME_CONTRACT.managedByTag.key}`]: RUNTIME_CONTRACT.managedByTag.value,
  };
  const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

  async function allows(f: PermissionFacts, role: string, action: string, resource: string, context = {}) {
    const grants = rolePermissions(f)[role as keyof ReturnType<typeof rolePermissions>].grants;
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: context,
        },
        identityPolicies: [{ name: "least-privilege", policy: policyDocument(grants) }],
        serviceControlPolicies: [
          { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
          { orgIdentifier: ACCOUNT, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
        ],
        resourceControlPolicies: [],
      } as never,
      {},
    );
    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
    return result.overallResult === "Allowed";
  }

  it("with the slot: DescribePolicy and UpdatePolicy on exactly that slot; no create, attach, detach, delete or tag anywhere", async () => {
    // Prepare
    const on = { ...facts, guardrailScpId: "p-guard001" };
    const sweep = ESTATE_TASK_ROLES.sweepCredentials;
    const asTools = { ...scpType, ...toolTag };

    // Act
    const results = {
      describeSlot: await allows(on, sweep, "organizations:DescribePolicy", guardrailSlot),
      updateSlot: await allows(on, sweep, "organizations:UpdatePolicy", guardrailSlot, scpType),
      updateRevocationSlot: await allows(on, sweep, "organizations:UpdatePolicy", revocationSlot, scpType),
      updateCustomerScp: await allows(on, sweep, "organizations:UpdatePolicy", customerScp, asTools),
      describeCustomerScp: await allows(on, sweep, "organizations:DescribePolicy", customerScp, toolTag),
      createScp: await allows(on, sweep, "organizations:CreatePolicy", customerScp, scpType),
      attachSlot: await allows(on, sweep, "organizations:AttachPolicy", guardrailSlot, scpType),
      attachToRoot: await allows(on, sweep, "organizations:AttachPolicy", root, scpType),
      detachSlot: await allows(on, sweep, "organizations:DetachPolicy", guardrailSlot, scpType),
      deleteSlot: await allows(on, sweep, "organizations:DeletePolicy", guardrailSlot, scpType),
      tagSlot: await allows(on, sweep, "organizations:TagResource", guardrailSlot, scpType),
      otherEstateTaskUpdatesSlot: await allows(
        on,
        ESTATE_TASK_ROLES.planEstateRun,
        "organizations:UpdatePolicy",
        guardrailSlot,
        scpType,
      ),
    };

    // Assess
    expect(results).toEqual({
      describeSlot: true,
      updateSlot: true,
      updateRevocationSlot: false,
      updateCustomerScp: false,
      describeCustomerScp: false,
      createScp: false,
      attachSlot: false,
      attachToRoot: false,
      detachSlot: false,
      deleteSlot: false,
      tagSlot: false,
      otherEstateTaskUpdatesSlot: false,
    });
  });

  it("without the slot (OAL_CREDENTIALS_GUARDRAIL=off): no Organizations write at all", async () => {
    // Act
    const sweep = ESTATE_TASK_ROLES.sweepCredentials;
    const updates = await allows(facts, sweep, "organizations:UpdatePolicy", guardrailSlot, scpType);
    const grants = rolePermissions(facts)[sweep].grants;

    // Assess
    expect(updates).toBe(false);
    expect(grants.flatMap((g) => g.actions).filter((a) => a === "organizations:UpdatePolicy")).toEqual([]);
  });
});
