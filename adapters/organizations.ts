/**
 * AWS Organizations through the SDK v3: the organization's structure (root, OUs, accounts, tags) and
 * the tool's revocation SCPs. The only code that calls this API.
 *
 * The adapter does not retry: configure the injected client's retry strategy (`maxAttempts`) and
 * retry {@link RETRYABLE_ORGANIZATIONS_ERRORS} in the caller.
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { DenyEntry, Organization } from "../core/estate.ts";
import type { RevocationScpPort } from "../core/ports.ts";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "../core/revocation/shard-scps.ts";
import { findRootId, readOrganization } from "./organizations/read-organization.ts";
import {
  attachedPolicyIds,
  listToolPolicies,
  policyContent,
  type RevocationScpWrite,
  writeRevocationScps,
} from "./organizations/revocation-scps.ts";

export {
  isRetryableOrganizationsError,
  RETRYABLE_ORGANIZATIONS_ERRORS,
  UnexpectedOrganizationsResponseError,
} from "./organizations/errors.ts";
export { accountStatus } from "./organizations/read-organization.ts";
export {
  MANAGED_BY_TAG,
  REVOCATION_SCP_MARKER,
  type RevocationScpWrite,
} from "./organizations/revocation-scps.ts";

/** Names of the tool's revocation SCPs: `<prefix>-1`, `<prefix>-2`, ... */
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
}

export interface RevocationScpOptions {
  /** @default "okta-aws-lifecycle-revocation" */
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

  constructor(options: OrganizationsAdapterOptions) {
    this.client = options.client;
    this.maxPolicyChars = options.maxPolicyChars ?? SCP_MAX_CHARS;
    this.maxPoliciesPerTarget = options.maxPoliciesPerTarget ?? SCP_MAX_PER_TARGET;
  }

  /** Root, OUs (the root included, with `parentId: null`), accounts with their parent, tags and status. */
  readOrganization(): Promise<Organization> {
    return readOrganization(this.client);
  }

  /**
   * Makes the tool's SCPs on the target hold exactly `denies` (sharded, each at most `maxPolicyChars`),
   * in the slots the target has left; returns their ids and what did not fit. Idempotent: the same
   * Denies a second time make no write.
   */
  async writeRevocationScps(
    denies: readonly DenyEntry[],
    options: RevocationScpOptions = {},
  ): Promise<RevocationScpWrite> {
    return writeRevocationScps(
      {
        client: this.client,
        namePrefix: options.namePrefix ?? DEFAULT_REVOCATION_SCP_PREFIX,
        targetId: options.targetId ?? (await findRootId(this.client)),
        maxPolicyChars: this.maxPolicyChars,
        maxPoliciesPerTarget: this.maxPoliciesPerTarget,
      },
      denies,
    );
  }

  /** The tool's revocation SCPs attached to the target, in order, with their content. */
  async listRevocationScps(options: RevocationScpOptions = {}): Promise<RevocationScp[]> {
    const targetId = options.targetId ?? (await findRootId(this.client));
    const tool = await listToolPolicies(this.client, options.namePrefix ?? DEFAULT_REVOCATION_SCP_PREFIX);
    const attached = new Set(await attachedPolicyIds(this.client, targetId));
    const scps: RevocationScp[] = [];
    for (const t of tool.filter((p) => attached.has(p.id))) {
      scps.push({ policyId: t.id, name: t.name, content: await policyContent(this.client, t.id) });
    }
    return scps;
  }

  /** The revocation SCPs of one target as the workflows' port (fixed options, e.g. the root). */
  revocationScpPort(options: RevocationScpOptions = {}): RevocationScpPort {
    return {
      writeRevocationScps: (denies) => this.writeRevocationScps(denies, options),
      listRevocationScps: () => this.listRevocationScps(options),
    };
  }
}
