/**
 * The credentials guardrail slot a removed stage left in the organization (it is retained on
 * `sst remove`, infra/credentials-guardrail-slot.ts). Organizations refuses a second SCP of the same
 * name (CreatePolicy: DuplicatePolicyException), so the deploy finds it by name first and adopts it,
 * as it does the revocation slots (infra/retained-revocation-scp-slots.ts).
 */
import type { ResourceNames } from "./names.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

/** The slot found in the organization: its policy id, and the root it is attached to (if it still is). */
export interface RetainedGuardrailScpSlot {
  policyId: string;
  attachedTo?: string;
}

/** Thrown when a policy has the slot's name but not the tool's marker: adopting it would take over a stranger's SCP. */
export class ForeignGuardrailScpError extends Error {
  override name = "ForeignGuardrailScpError";
}

/**
 * Reads the organization's SCPs (ListPolicies, DescribePolicy, ListPoliciesForTarget on the root, through
 * the provider's data sources) and returns the stage's guardrail slot when it exists.
 * @throws ForeignGuardrailScpError when a policy named like the slot lacks the tool's description marker.
 */
export async function findRetainedGuardrailScpSlot(deps: {
  names: Pick<ResourceNames, "guardrailScp">;
  rootId: string;
}): Promise<RetainedGuardrailScpSlot | undefined> {
  const filter = "SERVICE_CONTROL_POLICY";
  const [all, attached] = await Promise.all([
    aws.organizations.getPolicies({ filter }),
    aws.organizations.getPoliciesForTarget({ targetId: deps.rootId, filter }),
  ]);
  const policies = await Promise.all(all.ids.map((policyId) => aws.organizations.getPolicy({ policyId })));
  const policy = policies.find((p) => p.name === deps.names.guardrailScp);
  if (policy === undefined) return undefined;
  if (policy.description !== RUNTIME_CONTRACT.guardrailScpSlot.description) {
    throw new ForeignGuardrailScpError(
      `the SCP ${policy.policyId} is named ${deps.names.guardrailScp} but was not created by okta-aws-lifecycle ` +
        "(its description is not the tool's marker): rename or delete it, deploy under another stage name, " +
        "or set OAL_CREDENTIALS_GUARDRAIL=off",
    );
  }
  return {
    policyId: policy.policyId,
    ...(attached.ids.includes(policy.policyId) ? { attachedTo: deps.rootId } : {}),
  };
}
