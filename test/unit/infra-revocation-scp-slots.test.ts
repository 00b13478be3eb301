import { beforeEach, describe, expect, it } from "vitest";
import { resourceNames } from "../../infra/names.ts";
import type { DeploymentParameters } from "../../infra/parameters.ts";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import { type DeclaredResource, installFakeSstGlobals, resolved } from "../support/fake-sst-globals.ts";

const names = resourceNames("okta-aws-lifecycle", "test");
// Loaded through a variable so the type check (no SST globals) does not follow into infra/ components.
const retainedModule = "../../infra/retained-revocation-scp-slots.ts";
const slotsModule = "../../infra/revocation-scp-slots.ts";
type Retained = Record<number, { policyId: string; attachedTo?: string }>;
const { findRetainedRevocationScpSlots, ForeignRevocationScpError } = (await import(retainedModule)) as {
  findRetainedRevocationScpSlots: (deps: {
    names: typeof names;
    count: number;
    rootId: string;
  }) => Promise<Retained>;
  ForeignRevocationScpError: new (...args: never[]) => Error;
};
const { revocationScpSlots } = (await import(slotsModule)) as {
  revocationScpSlots: (deps: {
    names: typeof names;
    parameters: DeploymentParameters;
    retained?: Retained;
  }) => unknown;
};

const ROOT = "r-ab12";
const parameters = { revocationScpSlots: 2, rootId: ROOT } as DeploymentParameters;
const MARKER = RUNTIME_CONTRACT.revocationScpSlot.description;

/** An organization's SCPs as the provider's data sources read them (ListPolicies, DescribePolicy, ListPoliciesForTarget). */
function organizationWith(policies: { id: string; name: string; description: string; onRoot: boolean }[]) {
  const g = globalThis as Record<string, unknown>;
  g.aws = {
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

const optsOf = (declared: DeclaredResource[], name: string) =>
  declared.find((d) => d.name === name)?.opts as Record<string, unknown> | undefined;

describe("infra: revocation SCP slots on a first deploy and on a redeploy after sst remove (issue 15)", () => {
  let declared: DeclaredResource[];
  beforeEach(() => {
    declared = installFakeSstGlobals();
  });

  it("first deploy: finds no slot, so creates each slot and its attachment (no import)", async () => {
    // Prepare
    organizationWith([{ id: "p-guard001", name: "customer-guardrail", description: "ours", onRoot: true }]);

    // Act
    const retained = await findRetainedRevocationScpSlots({ names, count: 2, rootId: ROOT });
    declared = installFakeSstGlobals();
    revocationScpSlots({ names, parameters, retained });

    // Assess
    expect(retained).toEqual({});
    const policies = declared.filter((d) => d.type === "aws.organizations.Policy");
    expect(policies.map((p) => resolved(p.args.name))).toEqual([
      names.revocationScp(1),
      names.revocationScp(2),
    ]);
    for (const d of declared) {
      expect(d.opts, d.name).not.toHaveProperty("import");
      expect(d.opts, d.name).toMatchObject({ retainOnDelete: true });
    }
  });

  it("redeploy after remove: adopts the retained slots by id, and their attachments where still on the root", async () => {
    // Prepare: slot 1 retained and attached; slot 2 retained but detached by someone since.
    organizationWith([
      { id: "p-slot0001", name: names.revocationScp(1), description: MARKER, onRoot: true },
      { id: "p-slot0002", name: names.revocationScp(2), description: MARKER, onRoot: false },
      { id: "p-other001", name: "okta-aws-lifecycle-prod-revocation-1", description: MARKER, onRoot: true },
    ]);

    // Act
    const retained = await findRetainedRevocationScpSlots({ names, count: 2, rootId: ROOT });
    declared = installFakeSstGlobals();
    revocationScpSlots({ names, parameters, retained });

    // Assess
    expect(retained).toEqual({
      1: { policyId: "p-slot0001", attachedTo: ROOT },
      2: { policyId: "p-slot0002" },
    });
    expect(optsOf(declared, "RevocationScpSlot1")).toMatchObject({
      import: "p-slot0001",
      ignoreChanges: ["content"],
    });
    expect(optsOf(declared, "RevocationScpSlot1Attachment")).toMatchObject({ import: `${ROOT}:p-slot0001` });
    expect(optsOf(declared, "RevocationScpSlot2")).toMatchObject({ import: "p-slot0002" });
    // Detached: attached again, not imported.
    expect(optsOf(declared, "RevocationScpSlot2Attachment")).not.toHaveProperty("import");
    // An import must match the slot: the deploy declares exactly what it created it with.
    const slot1 = declared.find((d) => d.name === "RevocationScpSlot1");
    expect(resolved(slot1?.args)).toMatchObject({
      name: names.revocationScp(1),
      description: MARKER,
      type: "SERVICE_CONTROL_POLICY",
      tags: { [RUNTIME_CONTRACT.managedByTag.key]: RUNTIME_CONTRACT.managedByTag.value },
    });
  });

  it("refuses to adopt a policy that has a slot's name but not the tool's marker, naming the fix", async () => {
    // Prepare
    organizationWith([
      { id: "p-cust0001", name: names.revocationScp(1), description: "Acme deny list", onRoot: true },
    ]);

    // Act
    const find = findRetainedRevocationScpSlots({ names, count: 2, rootId: ROOT });

    // Assess
    await expect(find).rejects.toThrow(ForeignRevocationScpError);
    await expect(find).rejects.toThrow(
      /p-cust0001 is named okta-aws-lifecycle-test-revocation-1.*rename or delete it/,
    );
  });
});
