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
 *
 * A redeploy after `sst remove` adopts the retained slots rather than creating them again (their names
 * are fixed, and CreatePolicy refuses a duplicate name): `retained` (infra/retained-revocation-scp-slots.ts,
 * read before any resource) gives each found slot's id to Pulumi's `import` option, and its attachment's
 * `<root id>:<policy id>` when it is still on the root (a detached one is attached again). The import
 * compares the program's inputs with the slot: name, description, type and tags are the deploy's own, and
 * `content` is ignored (the Denies it holds stay). On a first deploy nothing is found and the slots are
 * created; on every later deploy the slot is in the stack's state with that same id, which Pulumi treats
 * as an ordinary update (docs: "If the resource exists and has the same ID or ImportID, the resource is
 * treated like any other resource", pulumi/pulumi developer-docs/architecture/import.md).
 */
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import type { RetainedRevocationScpSlots } from "./retained-revocation-scp-slots.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export function revocationScpSlots(deps: {
  names: ResourceNames;
  parameters: DeploymentParameters;
  /** The stage's slots that already exist (a redeploy after `sst remove`): adopted, not created. */
  retained?: RetainedRevocationScpSlots;
}) {
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
    const retained = deps.retained?.[n];
    const policy = new aws.organizations.Policy(
      `RevocationScpSlot${n}`,
      {
        name: names.revocationScp(n),
        description: RUNTIME_CONTRACT.revocationScpSlot.description,
        type: "SERVICE_CONTROL_POLICY",
        content: RUNTIME_CONTRACT.revocationScpSlot.placeholder,
        tags: { [RUNTIME_CONTRACT.managedByTag.key]: RUNTIME_CONTRACT.managedByTag.value },
      },
      {
        ignoreChanges: ["content"],
        retainOnDelete: true,
        ...(retained ? { import: retained.policyId } : {}),
      },
    );
    new aws.organizations.PolicyAttachment(
      `RevocationScpSlot${n}Attachment`,
      { policyId: policy.id, targetId: rootId },
      {
        retainOnDelete: true,
        // The provider's import id of an attachment: `<target id>:<policy id>`.
        ...(retained?.attachedTo ? { import: `${retained.attachedTo}:${retained.policyId}` } : {}),
      },
    );
    return policy;
  });
  return { ids: $resolve(policies.map((p) => p.id)), rootId };
}
