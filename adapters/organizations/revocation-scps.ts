/**
 * The tool's revocation SCPs: numbered policies `<prefix>-1`, `<prefix>-2`, ... whose Description is
 * the tool's marker. Policies without both (the customer's, FullAWSAccess) are never changed.
 */
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  type OrganizationsClient,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  paginateListTargetsForPolicy,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import type { DenyEntry } from "../../core/estate.ts";
import type { DenyStatement } from "../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../core/revocation/deny-statements.ts";
import { orderScpWrites } from "../../core/revocation/order-scp-writes.ts";
import { shardScps } from "../../core/revocation/shard-scps.ts";
import { required } from "./errors.ts";

const SCP = "SERVICE_CONTROL_POLICY";

/** The Description that marks a policy as the tool's (with the name prefix). */
export const REVOCATION_SCP_MARKER =
  "Managed by okta-aws-lifecycle: revocation Denies on identitystore:userId. Changes are overwritten.";
export const MANAGED_BY_TAG = { Key: "managed-by", Value: "okta-aws-lifecycle" };

export interface ToolPolicy {
  id: string;
  name: string;
  /** 0-based: `<prefix>-1` is slot 0. */
  slot: number;
}

export interface RevocationScpSettings {
  client: OrganizationsClient;
  namePrefix: string;
  targetId: string;
  maxPolicyChars: number;
  maxPoliciesPerTarget: number;
}

export interface RevocationScpWrite {
  /** The tool's policies holding the Denies, in order. */
  policyIds: string[];
  /** Statements no SCP had room for: they must be enforced another way (inline policies). */
  overflow: DenyStatement[];
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The tool's revocation SCPs (by name prefix and Description marker), by slot. */
export async function listToolPolicies(
  client: OrganizationsClient,
  namePrefix: string,
): Promise<ToolPolicy[]> {
  const numbered = new RegExp(`^${escapeRegExp(namePrefix)}-([1-9][0-9]*)$`);
  const policies = await collect(paginateListPolicies({ client }, { Filter: SCP }), (p) => p.Policies);
  const tool: ToolPolicy[] = [];
  for (const p of policies) {
    const match = numbered.exec(p.Name ?? "");
    if (!match || p.Description !== REVOCATION_SCP_MARKER) continue;
    tool.push({
      id: required("ListPolicies", "Policies[].Id", p.Id),
      name: p.Name as string,
      slot: Number(match[1]) - 1,
    });
  }
  return tool.sort((a, b) => a.slot - b.slot);
}

export async function attachedPolicyIds(client: OrganizationsClient, targetId: string): Promise<string[]> {
  const policies = await collect(
    paginateListPoliciesForTarget({ client }, { TargetId: targetId, Filter: SCP }),
    (p) => p.Policies,
  );
  return policies.map((p) => required("ListPoliciesForTarget", "Policies[].Id", p.Id));
}

export async function policyContent(client: OrganizationsClient, policyId: string): Promise<string> {
  const { Policy } = await client.send(new DescribePolicyCommand({ PolicyId: policyId }));
  return required("DescribePolicy", "Policy.Content", Policy?.Content);
}

/**
 * Makes the tool's SCPs hold exactly `denies`, attached to the target: renders and shards them into the
 * SCP slots the target has left (its limit minus the policies that are not the tool's), then creates,
 * updates and attaches in the order core/revocation orderScpWrites gives (a Deny still wanted stays in
 * force while shards are rewritten, unless Denies swap documents), and last detaches and deletes the
 * policies no longer needed. Content is compared first, so the same Denies twice make no write.
 *
 * Not safe to run concurrently for the same target: callers serialize it (each call writes the
 * whole Deny set it was given, so a stale set would undo a newer one).
 */
export async function writeRevocationScps(
  settings: RevocationScpSettings,
  denies: readonly DenyEntry[],
): Promise<RevocationScpWrite> {
  const { client, namePrefix, targetId } = settings;
  const tool = await listToolPolicies(client, namePrefix);
  const attached = new Set(await attachedPolicyIds(client, targetId));
  const foreign = [...attached].filter((id) => !tool.some((t) => t.id === id)).length;
  const { documents, overflow } = shardScps(denyStatements(denies), {
    maxChars: settings.maxPolicyChars,
    maxPolicies: Math.max(0, settings.maxPoliciesPerTarget - foreign),
  });

  const bySlot = new Map<number, ToolPolicy & { content: string }>();
  for (const t of tool) bySlot.set(t.slot, { ...t, content: await policyContent(client, t.id) });
  const inForce: (string | null)[] = [];
  for (const [slot, t] of bySlot) inForce[slot] = attached.has(t.id) ? t.content : null;
  const retiring = tool.filter((t) => t.slot >= documents.length);

  const retire = async (policy: ToolPolicy) => {
    const targets = await collect(
      paginateListTargetsForPolicy({ client }, { PolicyId: policy.id }),
      (p) => p.Targets,
    );
    for (const t of targets) {
      const id = required("ListTargetsForPolicy", "Targets[].TargetId", t.TargetId);
      await client.send(new DetachPolicyCommand({ PolicyId: policy.id, TargetId: id }));
      attached.delete(policy.id);
    }
    await client.send(new DeletePolicyCommand({ PolicyId: policy.id }));
  };
  const attach = async (policyId: string) => {
    // Only when retiring policies still take the room (a gap in the numbering) is one retired early.
    const early = attached.size >= settings.maxPoliciesPerTarget ? retiring.pop() : undefined;
    if (early) await retire(early);
    await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
    attached.add(policyId);
  };

  const plan = orderScpWrites(inForce, documents);
  for (const slot of [...plan.creates, ...plan.updates]) {
    const content = documents[slot] as string;
    const existing = bySlot.get(slot);
    if (existing === undefined) {
      const { Policy } = await client.send(
        new CreatePolicyCommand({
          Name: `${namePrefix}-${slot + 1}`,
          Description: REVOCATION_SCP_MARKER,
          Type: SCP,
          Content: content,
          Tags: [MANAGED_BY_TAG],
        }),
      );
      const id = required("CreatePolicy", "Policy.PolicySummary.Id", Policy?.PolicySummary?.Id);
      bySlot.set(slot, { id, name: `${namePrefix}-${slot + 1}`, slot, content });
      await attach(id);
      continue;
    }
    if (existing.content !== content) {
      await client.send(new UpdatePolicyCommand({ PolicyId: existing.id, Content: content }));
    }
    if (!attached.has(existing.id)) await attach(existing.id);
  }
  for (const policy of retiring) await retire(policy);

  const policyIds = documents.map((_, slot) => (bySlot.get(slot) as ToolPolicy).id);
  return { policyIds, overflow };
}
