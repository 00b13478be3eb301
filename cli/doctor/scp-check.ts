import {
  type OrganizationsClient,
  paginateListPolicies,
  paginateListRoots,
} from "@aws-sdk/client-organizations";
import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import { attachedPolicyIds, listToolPolicies } from "../../adapters/organizations/revocation-scps.ts";
import { DEFAULT_REVOCATION_SCP_PREFIX, OrganizationsAdapter } from "../../adapters/organizations.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import { leaverHeadroom } from "../../core/revocation/scp-headroom.ts";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../../core/revocation/shard-scps.ts";
import { allItems, firstItem } from "../aws-pages.ts";
import {
  type RevocationScpSlotSource,
  revocationScpSlotSource,
  slotOptions,
} from "../revocation-scp-slot-source.ts";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface ScpTarget {
  organizations: OrganizationsClient;
  /** The Deny ledger, to tell whether SCPs should exist. */
  ledger?: DenyLedger;
  /** The deploy's slot ids (outputs, flag, endpoints file), or the name fallback. @default by name */
  slots?: RevocationScpSlotSource;
  /** The organization's SCP quotas (a deploy's OAL_SCP_MAX_CHARS / OAL_SCP_MAX_PER_TARGET). @default 5120 and 5 */
  quotas?: { maxPolicyChars?: number; maxPoliciesPerTarget?: number };
  now: () => string;
}

const CHECK = "Revocation SCPs";

/**
 * SCPs are enabled on the root, the credentials can list them, the root has room for the tool's
 * revocation SCPs, and every Deny in force is held by an attached revocation SCP.
 */
export function checkScps(target: ScpTarget): Promise<CheckResult> {
  return guarded(
    CHECK,
    "run in the management account, or make this account a delegated administrator for Organizations policies",
    async () => {
      const root = await firstItem(paginateListRoots({ client: target.organizations }, {}), (p) => p.Roots);
      if (root?.Id === undefined)
        return problem(CHECK, "no organization root is visible", "run inside an AWS Organization");
      const scpType = root.PolicyTypes?.find((t) => t.Type === "SERVICE_CONTROL_POLICY");
      if (scpType?.Status !== "ENABLED") {
        return problem(
          CHECK,
          `service control policies are not enabled on ${root.Id}`,
          `aws organizations enable-policy-type --root-id ${root.Id} --policy-type SERVICE_CONTROL_POLICY`,
        );
      }
      const all = await allItems(
        paginateListPolicies({ client: target.organizations }, { Filter: "SERVICE_CONTROL_POLICY" }),
        (p) => p.Policies,
      );
      const adapter = new OrganizationsAdapter({ client: target.organizations });
      const slots = target.slots ?? revocationScpSlotSource([]);
      const tool = await adapter.listRevocationScps({ targetId: root.Id, ...slotOptions(slots) });
      const attached = await attachedPolicyIds(target.organizations, root.Id);
      const perTarget = target.quotas?.maxPoliciesPerTarget ?? SCP_MAX_PER_TARGET;
      const free = perTarget - attached.length + tool.length;
      const denies = target.ledger
        ? (await target.ledger.list()).filter((l) => denyInForce(l.deny, target.now()))
        : [];
      if (denies.length > 0 && tool.length === 0) {
        return problem(
          CHECK,
          `${denies.length} Deny(s) are in force but no revocation SCP is attached to ${root.Id}`,
          "re-run the estate reconcile (it re-renders the SCPs from the ledger) and check the apply-denies logs",
        );
      }
      if (free <= 0) {
        return problem(
          CHECK,
          `the root already has ${attached.length} SCPs attached (at most ${perTarget}): no room for a revocation SCP`,
          "detach or merge one of your SCPs; until then Denies go only into inline policies",
        );
      }
      // Headroom in leavers: the slots the tool may fill (attached, or detached with a place on the root,
      // every other SCP attached counted: FullAWSAccess, Control Tower's, other tools').
      const slotIds =
        slots.kind === "deployed"
          ? slots.slots
          : (await listToolPolicies(target.organizations, DEFAULT_REVOCATION_SCP_PREFIX)).map((p) => p.id);
      const onRoot = new Set(attached);
      const attachedSlots = slotIds.filter((id) => onRoot.has(id)).length;
      const maxChars = target.quotas?.maxPolicyChars ?? SCP_MAX_CHARS;
      const places = Math.max(0, perTarget - attached.length);
      const usable = attachedSlots + Math.min(slotIds.length - attachedSlots, places);
      const headroom = leaverHeadroom(
        denies.map((l) => l.deny),
        { maxChars, maxPolicies: usable },
      );
      return ok(
        CHECK,
        `SCPs enabled on ${root.Id}; ${all.length} SCP(s) listed; ${tool.length} revocation SCP(s) attached` +
          ` for ${denies.length} Deny(s) in force; room for ${free} at the root; ` +
          `headroom: ${headroom} more leavers' Denies fit in ${usable} slot(s) of ${maxChars} characters ` +
          `(beyond it the policy's revocation.massFallback decides); ` +
          (slots.kind === "deployed" ? `slots ${slots.slots.join(", ")} from ${slots.from}` : slots.note),
      );
    },
  );
}
