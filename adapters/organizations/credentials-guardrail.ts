/**
 * The credentials guardrail SCP in Organizations (core/credentials/guardrail-scp.ts): found by its name
 * (ListPolicies), read (DescribePolicy, ListTargetsForPolicy), and, when the policy turns it on,
 * created (CreatePolicy, tagged as the tool's), brought up to date (UpdatePolicy) and attached to the
 * root (AttachPolicy). Content is compared first: an unchanged guardrail makes no write. It never
 * detaches or deletes a policy: turning the guardrail off leaves it where it is, for a person to
 * detach (the estate run says so in a finding). Writes are retried on Organizations' two conflicts
 * (retry-conflicts.ts), like the revocation SCPs'.
 */
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  type OrganizationsClient,
  paginateListPolicies,
  paginateListTargetsForPolicy,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import type { GuardrailScp } from "../../core/credentials/guardrail-scp.ts";
import { required } from "./errors.ts";
import { findRootId } from "./read-organization.ts";
import { type ConflictRetry, DEFAULT_CONFLICT_RETRY, retryPolicyConflicts } from "./retry-conflicts.ts";
import { MANAGED_BY_TAG } from "./revocation-scps.ts";

const SCP = "SERVICE_CONTROL_POLICY";

/** The guardrail as Organizations holds it. */
export interface StoredGuardrail {
  policyId: string;
  content: string;
  /** Attached to the organization's root. */
  attached: boolean;
  /**
   * The deploy's slot holding its placeholder: nothing is in force (credentials-guardrail-slot.ts).
   * Absent for the SCP this class creates by name.
   */
  placeholder?: boolean;
}

/** What `ensure` did: each write it made, in order. */
export interface GuardrailWrite {
  policyId: string;
  writes: ("CreatePolicy" | "UpdatePolicy" | "AttachPolicy")[];
  /** The slot writer's content before and after, read back (credentials-guardrail-slot.ts). */
  before?: string;
  after?: string;
}

export class CredentialsGuardrail {
  private readonly client: OrganizationsClient;
  private readonly retry: ConflictRetry;

  constructor(options: { client: OrganizationsClient; conflictRetry?: Partial<ConflictRetry> }) {
    this.client = options.client;
    this.retry = { ...DEFAULT_CONFLICT_RETRY, ...options.conflictRetry };
  }

  /** The SCP named `name`, its content and whether it is attached to the root; `null` when there is none. */
  async read(name: string): Promise<StoredGuardrail | null> {
    let policyId: string | undefined;
    for await (const page of paginateListPolicies({ client: this.client }, { Filter: SCP })) {
      policyId ??= page.Policies?.find((p) => p.Name === name)?.Id;
    }
    if (policyId === undefined) return null;
    const { Policy } = await this.client.send(new DescribePolicyCommand({ PolicyId: policyId }));
    const rootId = await findRootId(this.client);
    let attached = false;
    for await (const page of paginateListTargetsForPolicy({ client: this.client }, { PolicyId: policyId })) {
      attached ||= (page.Targets ?? []).some((t) => t.TargetId === rootId);
    }
    return { policyId, content: required("DescribePolicy", "Policy.Content", Policy?.Content), attached };
  }

  /** Makes the guardrail exist with exactly `scp.content`, attached to the root. */
  async ensure(scp: GuardrailScp): Promise<GuardrailWrite> {
    const stored = await this.read(scp.name);
    const writes: GuardrailWrite["writes"] = [];
    let policyId = stored?.policyId;
    if (policyId === undefined) {
      const created = await retryPolicyConflicts(
        () =>
          this.client.send(
            new CreatePolicyCommand({
              Name: scp.name,
              Description: scp.description,
              Type: SCP,
              Content: scp.content,
              Tags: [MANAGED_BY_TAG],
            }),
          ),
        this.retry,
      );
      policyId = required("CreatePolicy", "Policy.PolicySummary.Id", created.Policy?.PolicySummary?.Id);
      writes.push("CreatePolicy");
    } else if (stored?.content !== scp.content) {
      const id = policyId;
      await retryPolicyConflicts(
        () => this.client.send(new UpdatePolicyCommand({ PolicyId: id, Content: scp.content })),
        this.retry,
      );
      writes.push("UpdatePolicy");
    }
    if (stored?.attached !== true) {
      const [id, rootId] = [policyId, await findRootId(this.client)];
      await retryPolicyConflicts(
        () => this.client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: rootId })),
        this.retry,
      );
      writes.push("AttachPolicy");
    }
    return { policyId, writes };
  }
}
