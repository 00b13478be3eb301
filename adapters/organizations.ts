/**
 * AWS Organizations through the SDK v3: the organization's structure (root, OUs, accounts, tags) and
 * the tool's revocation SCPs. The only code that calls this API.
 *
 * Throttling and 5xx are the injected client's retry strategy's (`maxAttempts`). The adapter retries its
 * policy writes on Organizations' two conflicts itself (organizations/retry-conflicts.ts); what still
 * fails is for the caller, which retries {@link RETRYABLE_ORGANIZATIONS_ERRORS}.
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { DenyEntry, Organization } from "../core/estate.ts";
import type { RevocationScpPort } from "../core/ports.ts";
import type { MassFallbackMode } from "../core/revocation/fit-revocation-scps.ts";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../core/revocation/shard-scps.ts";
import { RevocationScpSlotError } from "./organizations/errors.ts";
import { findRootId, readOrganization } from "./organizations/read-organization.ts";
import { type ConflictRetry, DEFAULT_CONFLICT_RETRY } from "./organizations/retry-conflicts.ts";
import {
  attachedPolicyIds,
  describeSlot,
  listToolPolicies,
  REVOCATION_SCP_PLACEHOLDER,
  type RevocationScpWrite,
  writeRevocationScps,
} from "./organizations/revocation-scps.ts";

export {
  isRetryableOrganizationsError,
  RETRYABLE_ORGANIZATIONS_ERRORS,
  RevocationScpSlotError,
  UnexpectedOrganizationsResponseError,
} from "./organizations/errors.ts";
export { accountStatus } from "./organizations/read-organization.ts";
export {
  DEFAULT_REVOCATION_SCP_SLOTS,
  MANAGED_BY_TAG,
  REVOCATION_SCP_MARKER,
  REVOCATION_SCP_PLACEHOLDER,
  type RevocationScpWrite,
  revocationScpSlot,
} from "./organizations/revocation-scps.ts";

/**
 * Name prefix of the revocation SCP slots the local stack seeds and the CLI looks for when it is not
 * told the slot ids: `<prefix>-1`, `<prefix>-2`, ... (a deployed stage names its own
 * `okta-aws-lifecycle-<stage>-revocation-<n>`, infra/revocation-scp-slots.ts).
 */
export const DEFAULT_REVOCATION_SCP_PREFIX = "okta-aws-lifecycle-revocation";

export interface OrganizationsAdapterOptions {
  client: OrganizationsClient;
  /**
   * Characters per SCP, whitespace included. Reported raised to 10,240 in May 2026 (unverified);
   * 5,120 fits both.
   * @default 5120
   */
  maxPolicyChars?: number;
  /**
   * SCPs attached directly to one target, FullAWSAccess included.
   * @default 5
   */
  maxPoliciesPerTarget?: number;
  /**
   * How policy writes are retried on ConcurrentModificationException and PolicyChangesInProgressException.
   * @default DEFAULT_CONFLICT_RETRY (6 attempts, full-jitter backoff from 200 ms, capped at 3.2 s)
   */
  conflictRetry?: Partial<ConflictRetry>;
}

export interface RevocationScpOptions {
  /**
   * The slots' policy ids, in slot order (the deployed functions get them from their configuration).
   * Unset: the slots are found by name prefix and marker (ListPolicies).
   */
  slots?: readonly string[];
  /** How slots are found when `slots` is unset. @default "okta-aws-lifecycle-revocation" */
  namePrefix?: string;
  /** Where the SCPs are attached. @default the organization's root */
  targetId?: string;
}

/** One of the tool's revocation SCPs in force on the target. */
export interface RevocationScp {
  policyId: string;
  name: string;
  /** The policy document as stored (compact JSON). */
  content: string;
}

export class OrganizationsAdapter {
  private readonly client: OrganizationsClient;
  private readonly maxPolicyChars: number;
  private readonly maxPoliciesPerTarget: number;
  private readonly conflictRetry: ConflictRetry;

  constructor(options: OrganizationsAdapterOptions) {
    this.client = options.client;
    this.maxPolicyChars = options.maxPolicyChars ?? SCP_MAX_CHARS;
    this.maxPoliciesPerTarget = options.maxPoliciesPerTarget ?? SCP_MAX_PER_TARGET;
    this.conflictRetry = { ...DEFAULT_CONFLICT_RETRY, ...options.conflictRetry };
  }

  /**
   * Root, OUs (the root included, with `parentId: null`), accounts with their parent, tags and status.
   * `tagsOf`: read only these accounts' tags (read-organization.ts). @default every account's
   */
  readOrganization(options: { tagsOf?: readonly string[] } = {}): Promise<Organization> {
    return readOrganization(this.client, options);
  }

  /**
   * The same structure, with only `accountIds` in `accounts` (with their tags): what a scoped estate run
   * needs to resolve the policy's targets for those accounts, without a tag read per account.
   */
  async readOrganizationAround(accountIds: readonly string[]): Promise<Organization> {
    const organization = await readOrganization(this.client, { tagsOf: accountIds });
    const wanted = new Set(accountIds);
    return { ...organization, accounts: organization.accounts.filter((a) => wanted.has(a.id)) };
  }

  /**
   * Makes the revocation SCP slots on the target hold exactly `denies` (sharded, each at most
   * `maxPolicyChars`), the empty ones the placeholder; returns the slots holding Denies and what did
   * not fit. Only rewrites and (re-)attaches slots. Idempotent: the same Denies a second time make no
   * write.
   */
  async writeRevocationScps(
    denies: readonly DenyEntry[],
    options: RevocationScpOptions & { massFallback?: MassFallbackMode } = {},
  ): Promise<RevocationScpWrite> {
    return writeRevocationScps(
      {
        client: this.client,
        slots: await this.slots(options),
        targetId: options.targetId ?? (await this.rootId()),
        maxPolicyChars: this.maxPolicyChars,
        maxPoliciesPerTarget: this.maxPoliciesPerTarget,
        conflictRetry: this.conflictRetry,
        ...(options.massFallback ? { massFallback: options.massFallback } : {}),
      },
      denies,
    );
  }

  /** The slots attached to the target that hold Denies (not the placeholder), in order, with their content. */
  async listRevocationScps(options: RevocationScpOptions = {}): Promise<RevocationScp[]> {
    const targetId = options.targetId ?? (await this.rootId());
    const slots = await this.slots(options);
    const attached = new Set(await attachedPolicyIds(this.client, targetId));
    const scps: RevocationScp[] = [];
    for (const policyId of slots.filter((id) => attached.has(id))) {
      const { name, content } = await describeSlot(this.client, policyId);
      if (content !== REVOCATION_SCP_PLACEHOLDER) scps.push({ policyId, name, content });
    }
    return scps;
  }

  /** The organization's root (it never changes): asked once per process, not on every Deny write. */
  private root: Promise<string> | undefined;
  private rootId(): Promise<string> {
    if (this.root === undefined) {
      const asked = findRootId(this.client);
      this.root = asked;
      asked.catch(() => {
        if (this.root === asked) this.root = undefined;
      });
    }
    return this.root;
  }

  private async slots(options: RevocationScpOptions): Promise<readonly string[]> {
    if (options.slots !== undefined) return options.slots;
    const prefix = options.namePrefix ?? DEFAULT_REVOCATION_SCP_PREFIX;
    const found = (await listToolPolicies(this.client, prefix)).map((p) => p.id);
    if (found.length === 0) {
      throw new RevocationScpSlotError(
        `no revocation SCP slot named ${prefix}-<n> with the tool's marker: the deploy (or the local stack) creates them`,
      );
    }
    return found;
  }

  /** The revocation SCPs of one target as the workflows' port (fixed options, e.g. the root). */
  revocationScpPort(options: RevocationScpOptions = {}): RevocationScpPort {
    return {
      writeRevocationScps: (denies, write = {}) => this.writeRevocationScps(denies, { ...options, ...write }),
      listRevocationScps: () => this.listRevocationScps(options),
    };
  }
}
