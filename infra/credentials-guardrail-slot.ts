/**
 * The credentials guardrail SCP slot (issue 16, `OAL_CREDENTIALS_GUARDRAIL=on`): one SCP created by the
 * deploy, named `<prefix>-credentials-guardrail`, described with the tool's marker, tagged as the tool's,
 * holding a placeholder that denies nothing and attached to the organization's root. The estate run's
 * sweep then only rewrites its content (adapters/organizations/credentials-guardrail-slot.ts): the
 * guardrail when the policy's `credentials.guardrail` is on, the placeholder again when it is off. Its
 * role names this exact policy ARN for DescribePolicy and UpdatePolicy and nothing else in Organizations
 * (infra/permissions.ts), so it can neither create, attach, detach nor delete any policy.
 *
 * Like the revocation slots (infra/revocation-scp-slots.ts): the content is the tool's (`ignoreChanges`),
 * the slot and its attachment are retained on `sst remove` (deleting it would lift the guardrail without
 * a record), and a redeploy adopts a retained slot through Pulumi's `import` option (`retained`, found
 * by infra/retained-guardrail-scp-slot.ts before any resource exists).
 */
import type { ResourceNames } from "./names.ts";
import type { RetainedGuardrailScpSlot } from "./retained-guardrail-scp-slot.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export function credentialsGuardrailSlot(deps: {
  names: Pick<ResourceNames, "guardrailScp">;
  /** The root the revocation slots are attached to (infra/revocation-scp-slots.ts `rootId`). */
  rootId: $util.Input<string>;
  /** The stage's slot, when it already exists (a redeploy after `sst remove`): adopted, not created. */
  retained?: RetainedGuardrailScpSlot | undefined;
}) {
  const { names, retained } = deps;
  const policy = new aws.organizations.Policy(
    "CredentialsGuardrailScpSlot",
    {
      name: names.guardrailScp,
      description: RUNTIME_CONTRACT.guardrailScpSlot.description,
      type: "SERVICE_CONTROL_POLICY",
      content: RUNTIME_CONTRACT.guardrailScpSlot.placeholder,
      tags: { [RUNTIME_CONTRACT.managedByTag.key]: RUNTIME_CONTRACT.managedByTag.value },
    },
    {
      ignoreChanges: ["content"],
      retainOnDelete: true,
      ...(retained ? { import: retained.policyId } : {}),
    },
  );
  new aws.organizations.PolicyAttachment(
    "CredentialsGuardrailScpSlotAttachment",
    { policyId: policy.id, targetId: deps.rootId },
    {
      retainOnDelete: true,
      // The provider's import id of an attachment: `<target id>:<policy id>`.
      ...(retained?.attachedTo ? { import: `${retained.attachedTo}:${retained.policyId}` } : {}),
    },
  );
  return { id: policy.id };
}
