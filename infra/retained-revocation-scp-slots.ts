/**
 * Revocation SCP slots a removed stage left in the organization. The slots and their root attachments
 * are retained on `sst remove` (deleting one would lift the Denies it holds: infra/revocation-scp-slots.ts),
 * and Organizations refuses a second SCP of the same name (CreatePolicy: DuplicatePolicyException), so a
 * redeploy of the stage would fail on its first slot. The KMS aliases could simply stop being retained
 * (infra/evidence-keys.ts); a slot cannot, so the deploy adopts it instead: it finds the stage's slots
 * by name before any resource exists and gives each to Pulumi's `import` resource option.
 */
import type { ResourceNames } from "./names.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

/** A slot found in the organization: its policy id, and the root it is attached to (if it still is). */
export interface RetainedRevocationScpSlot {
  policyId: string;
  attachedTo?: string;
}

/** Slot number (1-based) -> the slot of that name that already exists. */
export type RetainedRevocationScpSlots = Record<number, RetainedRevocationScpSlot>;

/** Thrown when a policy has a slot's name but not the tool's marker: adopting it would take over a stranger's SCP. */
export class ForeignRevocationScpError extends Error {
  override name = "ForeignRevocationScpError";
}

/**
 * Reads the organization's SCPs (organizations:ListPolicies, DescribePolicy per SCP, ListPoliciesForTarget
 * on the root, through the provider's data sources) and returns the stage's slots `1..count` that exist.
 * @throws ForeignRevocationScpError when a policy named like a slot lacks the tool's description marker.
 */
export async function findRetainedRevocationScpSlots(deps: {
  names: Pick<ResourceNames, "revocationScp">;
  count: number;
  rootId: string;
}): Promise<RetainedRevocationScpSlots> {
  const filter = "SERVICE_CONTROL_POLICY";
  const [all, attached] = await Promise.all([
    aws.organizations.getPolicies({ filter }),
    aws.organizations.getPoliciesForTarget({ targetId: deps.rootId, filter }),
  ]);
  const policies = await Promise.all(all.ids.map((policyId) => aws.organizations.getPolicy({ policyId })));
  const onRoot = new Set(attached.ids);
  const found: RetainedRevocationScpSlots = {};
  for (let n = 1; n <= deps.count; n++) {
    const name = deps.names.revocationScp(n);
    const policy = policies.find((p) => p.name === name);
    if (policy === undefined) continue;
    if (policy.description !== RUNTIME_CONTRACT.revocationScpSlot.description) {
      throw new ForeignRevocationScpError(
        `the SCP ${policy.policyId} is named ${name} but was not created by okta-aws-lifecycle (its description ` +
          `is not the tool's marker): rename or delete it, or deploy under another stage name`,
      );
    }
    found[n] = {
      policyId: policy.policyId,
      ...(onRoot.has(policy.policyId) ? { attachedTo: deps.rootId } : {}),
    };
  }
  return found;
}
