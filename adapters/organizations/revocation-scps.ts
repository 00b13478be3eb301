/**
 * The tool's revocation SCPs live in a fixed set of **slots**: SCPs created once, at deploy time
 * (infra/revocation-scp-slots.ts; the local stack seeds the same), named `<prefix>-1`, `<prefix>-2`, ...,
 * described with the tool's marker and attached to the root. At run time the tool only rewrites a slot's
 * content (UpdatePolicy) and re-attaches a slot someone detached (AttachPolicy): it never creates,
 * tags, detaches or deletes a policy, so its roles can be granted those two writes on the slots' exact
 * ARNs and nothing else (infra/permissions.ts). A slot with no Deny holds {@link REVOCATION_SCP_PLACEHOLDER}
 * and stays attached: its place on the root is reserved for the next revocation, which then never
 * waits on (or fails at) an attachment.
 */
import {
  AttachPolicyCommand,
  DescribePolicyCommand,
  type OrganizationsClient,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import type { DenyEntry } from "../../core/estate.ts";
import type { DenyStatement } from "../../core/revocation/deny-statement.ts";
import type { FederatedMassFallback } from "../../core/revocation/federated-mass-fallback.ts";
import {
  type FitScpResult,
  fitRevocationScps,
  type MassFallbackMode,
} from "../../core/revocation/fit-revocation-scps.ts";
import type { MassFallback } from "../../core/revocation/mass-fallback.ts";
import { orderScpWrites } from "../../core/revocation/order-scp-writes.ts";
import { RevocationScpSlotError, required } from "./errors.ts";
import { type ConflictRetry, retryPolicyConflicts } from "./retry-conflicts.ts";

const SCP = "SERVICE_CONTROL_POLICY";

/** The Description that marks a policy as one of the tool's slots (with the name prefix). */
export const REVOCATION_SCP_MARKER =
  "Managed by okta-aws-lifecycle: revocation Denies on identitystore:userId. Changes are overwritten.";
export const MANAGED_BY_TAG = { Key: "managed-by", Value: "okta-aws-lifecycle" };

/**
 * The content of a slot that holds no Deny. Organizations refuses an SCP without a statement, so it is a
 * Deny that matches no request: `aws:PrincipalArn` cannot be both absent (`Null` true) and match `*`.
 * Its one action, LeaveOrganization, is one AWS recommends denying anyway, so even a misreading of the
 * condition could not lock anyone out of their work.
 */
export const REVOCATION_SCP_PLACEHOLDER = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "EmptyRevocationSlot",
      Effect: "Deny",
      Action: "organizations:LeaveOrganization",
      Resource: "*",
      Condition: { Null: { "aws:PrincipalArn": "true" }, StringLike: { "aws:PrincipalArn": "*" } },
    },
  ],
});

/**
 * How many slots a deploy creates unless told otherwise (`OAL_REVOCATION_SCP_SLOTS`), and the local stack
 * seeds. Each takes one of the root's SCP places for good (5 by default, FullAWSAccess included).
 */
export const DEFAULT_REVOCATION_SCP_SLOTS = 2;

/** What a slot is created with (deploy, local stack): its name, the marker and the placeholder. */
export function revocationScpSlot(namePrefix: string, slot: number) {
  return {
    name: `${namePrefix}-${slot + 1}`,
    description: REVOCATION_SCP_MARKER,
    content: REVOCATION_SCP_PLACEHOLDER,
    tags: { [MANAGED_BY_TAG.Key]: MANAGED_BY_TAG.Value },
  };
}

export interface ToolPolicy {
  id: string;
  name: string;
  /** 0-based: `<prefix>-1` is slot 0. */
  slot: number;
}

export interface RevocationScpSettings {
  client: OrganizationsClient;
  /** The slots' policy ids, in slot order. */
  slots: readonly string[];
  targetId: string;
  maxPolicyChars: number;
  maxPoliciesPerTarget: number;
  /** How UpdatePolicy and AttachPolicy are retried on Organizations' conflicts (retry-conflicts.ts). */
  conflictRetry: ConflictRetry;
  /** policy `revocation.massFallback`. @default "ask" */
  massFallback?: MassFallbackMode;
}

export interface RevocationScpWrite {
  /** The slots holding the Denies, in order. */
  policyIds: string[];
  /** Statements no slot had room for (covered by `fallback` when there is one). */
  overflow: DenyStatement[];
  /** The mass fallback written into the first slot, or null. */
  fallback: MassFallback | null;
  /** The federated mass fallback (Okta-trusting roles) written into the first slot, or null. */
  federatedFallback: FederatedMassFallback | null;
  /** Users whose Denies no slot holds and no fallback covers. */
  uncovered: string[];
  /**
   * Organizations refused a document within `maxPolicyChars` (its limit is lower than configured):
   * the slots were written at `writtenChars`, the largest halving of the configured size it took.
   */
  limitHit?: { configuredChars: number; writtenChars: number };
}

/** The smallest document size tried before giving up on halving: below it a slot holds a few ids. */
const MIN_POLICY_CHARS = 640;

/** Organizations' answer when a document is larger than the limit it applies (API reference, UpdatePolicy). */
function isContentLimitExceeded(error: unknown): boolean {
  const e = error as { name?: string; Reason?: string };
  return e.name === "ConstraintViolationException" && e.Reason === "POLICY_CONTENT_LIMIT_EXCEEDED";
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The slots found by name prefix and Description marker (ListPolicies), by slot: for callers not told
 * the slot ids (the CLI with an administrator's credentials). The deployed functions are told them.
 */
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

/** A slot as stored: its name and content. Refuses a policy that is not one of the tool's slots. */
export async function describeSlot(
  client: OrganizationsClient,
  policyId: string,
): Promise<{ name: string; content: string }> {
  const { Policy } = await client.send(new DescribePolicyCommand({ PolicyId: policyId }));
  const summary = Policy?.PolicySummary;
  if (summary?.Description !== REVOCATION_SCP_MARKER || summary.Type !== SCP) {
    throw new RevocationScpSlotError(
      `policy ${policyId} is not a revocation SCP slot (its Description is not the tool's marker): ` +
        "the tool never writes another policy",
    );
  }
  return {
    name: required("DescribePolicy", "Policy.PolicySummary.Name", summary.Name),
    content: required("DescribePolicy", "Policy.Content", Policy?.Content),
  };
}

/**
 * Makes the slots hold exactly `denies`, attached to the target: renders and shards them into the slots
 * that are (or can be, given the target's room) attached, writes the placeholder into the slots left
 * empty, in the order core/revocation orderScpWrites gives (a Deny still wanted stays in force while
 * shards are rewritten, unless Denies swap documents), and attaches a slot found detached. Content is
 * compared first, so the same Denies twice make no write. Only UpdatePolicy and AttachPolicy, only on
 * the slots.
 *
 * Not safe to run concurrently for the same target: callers serialize it (each call writes the
 * whole Deny set it was given, so a stale set would undo a newer one).
 */
export async function writeRevocationScps(
  settings: RevocationScpSettings,
  denies: readonly DenyEntry[],
): Promise<RevocationScpWrite> {
  // The configured size is a setting (AWS reported raising it to 10,240 in 2026); when Organizations
  // refuses a document within it, its real limit is lower: write again at half the size, and say so.
  for (let chars = settings.maxPolicyChars; ; chars = Math.floor(chars / 2)) {
    try {
      const written = await writeAtSize(settings, denies, chars);
      return chars === settings.maxPolicyChars
        ? written
        : { ...written, limitHit: { configuredChars: settings.maxPolicyChars, writtenChars: chars } };
    } catch (error) {
      if (!isContentLimitExceeded(error) || chars / 2 < MIN_POLICY_CHARS) throw error;
    }
  }
}

async function writeAtSize(
  settings: RevocationScpSettings,
  denies: readonly DenyEntry[],
  maxChars: number,
): Promise<RevocationScpWrite> {
  const { client, targetId } = settings;
  if (settings.slots.length === 0) throw new RevocationScpSlotError("no revocation SCP slot to write");
  const attached = new Set(await attachedPolicyIds(client, targetId));
  const detached = settings.slots.filter((id) => !attached.has(id));
  const room = Math.max(0, settings.maxPoliciesPerTarget - attached.size);
  // Slots in force first (in slot order), then as many detached ones as the target has room for.
  const usable = [...settings.slots.filter((id) => attached.has(id)), ...detached.slice(0, room)];
  const fit: FitScpResult = fitRevocationScps(denies, {
    maxChars,
    maxPolicies: usable.length,
    massFallback: settings.massFallback ?? "ask",
  });
  const { documents, overflow } = fit;

  const stored = new Map(
    await Promise.all(usable.map(async (id) => [id, (await describeSlot(client, id)).content] as const)),
  );
  const inForce = usable.map((id) => (attached.has(id) ? (stored.get(id) as string) : null));
  const next = usable.map((_, slot) => documents[slot] ?? REVOCATION_SCP_PLACEHOLDER);

  const plan = orderScpWrites(inForce, next);
  for (const slot of [...plan.creates, ...plan.updates]) {
    const id = usable[slot] as string;
    const content = next[slot] as string;
    if (stored.get(id) !== content) {
      await retryPolicyConflicts(
        () => client.send(new UpdatePolicyCommand({ PolicyId: id, Content: content })),
        settings.conflictRetry,
      );
    }
    if (!attached.has(id)) {
      await retryPolicyConflicts(
        () => client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: targetId })),
        settings.conflictRetry,
      );
      attached.add(id);
    }
  }
  return {
    policyIds: usable.slice(0, documents.length),
    overflow,
    fallback: fit.fallback,
    federatedFallback: fit.federatedFallback,
    uncovered: fit.uncovered,
  };
}
