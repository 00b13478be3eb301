import { type OrganizationsClient, paginateListPolicies } from "@aws-sdk/client-organizations";
import {
  attachedPolicyIds,
  describeSlot,
  REVOCATION_SCP_MARKER,
} from "../../adapters/organizations/revocation-scps.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { leaverHeadroom } from "../../core/revocation/scp-headroom.ts";
import { allItems } from "../aws-pages.ts";

/** How many leavers' Denies the org has room for, as the probe reads it (no Deny ledger). */
export interface ScpHeadroom {
  /** SCPs attached to the root: FullAWSAccess, Control Tower's, other tools', the tool's own. */
  attachedOnRoot: number;
  /** Policies carrying the tool's revocation marker (any deploy's slots), and how many are attached. */
  toolSlots: number;
  toolSlotsAttached: number;
  /** Slots a deploy may fill: its attached ones and, for the rest, the places left on the root. */
  usableSlots: number;
  /** Identity-store user ids the tool's attached slots already hold (counted as whole-user Denies). */
  idsInSlots: number;
  leavers: number;
  maxPolicyChars: number;
  maxPoliciesPerTarget: number;
}

/** An identity-store user id as the Deny statements carry it (core/revocation/deny-statements.ts). */
const USER_ID = /"([0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;

/**
 * The headroom in leavers for the org it reads, at the given quotas: the slots other SCPs leave on
 * the root, filled at the current encoding (leaverHeadroom shards exactly), after the ids the tool's
 * attached slots already hold. Doctor counts the deploy's own ledger instead; the probe has none.
 */
export async function readScpHeadroom(
  organizations: OrganizationsClient,
  rootId: string,
  quotas: { maxPolicyChars: number; maxPoliciesPerTarget: number },
): Promise<ScpHeadroom> {
  const policies = await allItems(
    paginateListPolicies({ client: organizations }, { Filter: "SERVICE_CONTROL_POLICY" }),
    (p) => p.Policies,
  );
  const tool = policies
    .filter((p) => p.Description === REVOCATION_SCP_MARKER && p.Id)
    .map((p) => p.Id as string);
  const attached = await attachedPolicyIds(organizations, rootId);
  const onRoot = new Set(attached);
  const toolAttached = tool.filter((id) => onRoot.has(id));
  const places = Math.max(0, quotas.maxPoliciesPerTarget - attached.length);
  const usableSlots =
    toolAttached.length +
    Math.min(tool.length - toolAttached.length, places) +
    // With no slot created yet (no deploy), a deploy would create its slots in the free places.
    (tool.length === 0 ? places : 0);
  const ids = new Set<string>();
  for (const id of toolAttached) {
    for (const match of (await describeSlot(organizations, id)).content.matchAll(USER_ID))
      ids.add(match[1] as string);
  }
  const inForce: DenyEntry[] = [...ids].map((userId) => ({
    userId,
    scope: "all",
    reason: "leaver",
    createdAt: "",
    expiresAt: "",
  }));
  return {
    attachedOnRoot: attached.length,
    toolSlots: tool.length,
    toolSlotsAttached: toolAttached.length,
    usableSlots,
    idsInSlots: ids.size,
    leavers: leaverHeadroom(inForce, { maxChars: quotas.maxPolicyChars, maxPolicies: usableSlots }),
    maxPolicyChars: quotas.maxPolicyChars,
    maxPoliciesPerTarget: quotas.maxPoliciesPerTarget,
  };
}
