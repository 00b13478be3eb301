/**
 * The revocation SCP slots: a fixed number of SCPs (`OAL_REVOCATION_SCP_SLOTS`) created by the deploy,
 * named `okta-aws-lifecycle-<stage>-revocation-<n>`, described with the tool's marker, holding the empty
 * placeholder and attached to the organization's root. At run time the Deny tasks only rewrite a slot's
 * content and re-attach a slot found detached (adapters/organizations/revocation-scps.ts), so their roles
 * name these exact policy ARNs and can neither create, tag, detach nor delete any policy
 * (infra/permissions.ts). An empty slot stays attached: its place on the root is reserved, so a
 * revocation never waits on an attachment or finds the root full.
 *
 * The content is the tool's from then on (`ignoreChanges`). Slots and attachments are retained when the
 * stack is removed: deleting one would lift the Denies it holds; docs/deploy.md says how to remove them
 * once the holds have ended.
 */
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export function revocationScpSlots(deps: { names: ResourceNames; parameters: DeploymentParameters }) {
  const { names, parameters } = deps;
  const rootId = parameters.rootId
    ? $output(parameters.rootId)
    : aws.organizations.getOrganizationOutput({}).apply((org) => {
        const [root] = org.roots;
        if (root === undefined) throw new Error("organizations:ListRoots found no root: set OAL_ROOT_ID");
        return root.id;
      });
  const policies = Array.from({ length: parameters.revocationScpSlots }, (_, i) => {
    const n = i + 1;
    const policy = new aws.organizations.Policy(
      `RevocationScpSlot${n}`,
      {
        name: names.revocationScp(n),
        description: RUNTIME_CONTRACT.revocationScpSlot.description,
        type: "SERVICE_CONTROL_POLICY",
        content: RUNTIME_CONTRACT.revocationScpSlot.placeholder,
        tags: { [RUNTIME_CONTRACT.managedByTag.key]: RUNTIME_CONTRACT.managedByTag.value },
      },
      { ignoreChanges: ["content"], retainOnDelete: true },
    );
    new aws.organizations.PolicyAttachment(
      `RevocationScpSlot${n}Attachment`,
      { policyId: policy.id, targetId: rootId },
      { retainOnDelete: true },
    );
    return policy;
  });
  return { ids: $resolve(policies.map((p) => p.id)), rootId };
}
