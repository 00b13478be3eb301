/**
 * The first thing a deploy does (sst.config.ts): read every parameter and the deploying account, and
 * decide the topology (infra/topology.ts), so a setting that cannot work fails before any resource.
 */
import type { ResourceNames } from "./names.ts";
import { readDeploymentParameters } from "./parameters.ts";
import { findRetainedGuardrailScpSlot } from "./retained-guardrail-scp-slot.ts";
import { findRetainedRevocationScpSlots } from "./retained-revocation-scp-slots.ts";
import { type DeployingAccount, resolveTopology } from "./topology.ts";

/**
 * Reads the parameters and the deploying account (sts:GetCallerIdentity, organizations:DescribeOrganization
 * and ListRoots through the provider's data sources), then resolves the topology and finds the revocation
 * SCP slots an earlier `sst remove` retained. Throws before any resource exists. Call it first in `run()`.
 */
export async function preflight(
  env: Record<string, string | undefined>,
  names: Pick<ResourceNames, "prefix" | "rolePath" | "revocationScp" | "guardrailScp">,
) {
  const parameters = readDeploymentParameters(env);
  const [caller, organization, partition] = await Promise.all([
    aws.getCallerIdentity({}),
    // With OAL_ROOT_ID set, DescribeOrganization alone (works from any member account); otherwise the
    // full read, whose ListRoots also tells whether SCPs are enabled on the root.
    aws.organizations.getOrganization({ returnOrganizationOnly: parameters.rootId !== undefined }),
    aws.getPartition({}),
  ]);
  const root = parameters.rootId === undefined ? organization.roots[0] : undefined;
  const account: DeployingAccount = {
    partition: partition.partition,
    accountId: caller.accountId,
    managementAccountId: parameters.managementAccountId ?? organization.masterAccountId,
    ...(root
      ? {
          rootId: root.id,
          scpEnabled: root.policyTypes.some(
            (t) => t.type === "SERVICE_CONTROL_POLICY" && t.status === "ENABLED",
          ),
        }
      : {}),
  };
  const topology = resolveTopology(parameters, account, names);
  const rootId = parameters.rootId ?? root?.id;
  // A redeploy after `sst remove` adopts the slots the removal retained (infra/revocation-scp-slots.ts).
  const retainedScpSlots = rootId
    ? await findRetainedRevocationScpSlots({ names, count: parameters.revocationScpSlots, rootId })
    : {};
  // And the credentials guardrail slot, when the deploy turns it on (infra/credentials-guardrail-slot.ts).
  const retainedGuardrailSlot =
    rootId && parameters.credentialsGuardrail
      ? await findRetainedGuardrailScpSlot({ names, rootId })
      : undefined;
  return { parameters, account, topology, retainedScpSlots, retainedGuardrailSlot };
}

export type Preflight = Awaited<ReturnType<typeof preflight>>;
