/**
 * The credentials guardrail written into the deploy's slot (infra/credentials-guardrail-slot.ts,
 * `OAL_CREDENTIALS_GUARDRAIL=on`): the deploy creates the SCP, tags it as the tool's and attaches it to
 * the root; the estate run's role may only DescribePolicy and UpdatePolicy that one policy
 * (infra/permissions.ts). So this writer never creates, attaches, detaches nor deletes: `ensure` writes
 * the guardrail's content, `lift` writes the placeholder back (a Deny that matches nothing), each after
 * comparing the content (an unchanged slot makes no write) and each read back after the write. A policy
 * that is not the tool's slot (its Description is not the marker) is refused before any write.
 */
import {
  DescribePolicyCommand,
  type OrganizationsClient,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import type { GuardrailScp } from "../../core/credentials/guardrail-scp.ts";
import type { GuardrailWrite, StoredGuardrail } from "./credentials-guardrail.ts";
import { required } from "./errors.ts";
import { type ConflictRetry, DEFAULT_CONFLICT_RETRY, retryPolicyConflicts } from "./retry-conflicts.ts";

/** The Description that marks the policy as the tool's guardrail slot (infra/runtime-contract.ts `guardrailScpSlot`). */
export const GUARDRAIL_SLOT_MARKER =
  "Managed by okta-aws-lifecycle: the credentials guardrail (issue 16), or a placeholder when off. Changes are overwritten.";

/**
 * The slot's content when the guardrail is off. Organizations refuses an SCP without a statement, so it
 * is a Deny that matches no request: `aws:PrincipalArn` cannot be both absent (`Null` true) and match `*`.
 */
export const GUARDRAIL_SLOT_PLACEHOLDER =
  '{"Version":"2012-10-17","Statement":[{"Sid":"EmptyGuardrailSlot","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"},"StringLike":{"aws:PrincipalArn":"*"}}}]}';

/** Thrown when the slot id names a policy that is not the tool's guardrail slot. */
export class GuardrailSlotError extends Error {
  override name = "GuardrailSlotError";
}

export class CredentialsGuardrailSlot {
  private readonly client: OrganizationsClient;
  private readonly slotId: string;
  private readonly retry: ConflictRetry;

  constructor(options: {
    client: OrganizationsClient;
    slotId: string;
    conflictRetry?: Partial<ConflictRetry>;
  }) {
    this.client = options.client;
    this.slotId = options.slotId;
    this.retry = { ...DEFAULT_CONFLICT_RETRY, ...options.conflictRetry };
  }

  /**
   * The slot and its content (`name` is the SCP the plan shows; the slot keeps the deploy's own name).
   * `attached` is the deploy's: it attached the slot to the root, and this role may not list targets.
   * @throws GuardrailSlotError when the policy is not the tool's slot.
   */
  async read(_name?: string): Promise<StoredGuardrail> {
    const { Policy } = await this.client.send(new DescribePolicyCommand({ PolicyId: this.slotId }));
    const description = Policy?.PolicySummary?.Description;
    if (description !== GUARDRAIL_SLOT_MARKER) {
      throw new GuardrailSlotError(
        `${this.slotId} is not the credentials guardrail slot (its description is not the tool's marker): ` +
          "give GUARDRAIL_SCP_ID the deploy output guardrailScpId, or redeploy with OAL_CREDENTIALS_GUARDRAIL=on",
      );
    }
    const content = required("DescribePolicy", "Policy.Content", Policy?.Content);
    return {
      policyId: this.slotId,
      content,
      attached: true,
      placeholder: content === GUARDRAIL_SLOT_PLACEHOLDER,
    };
  }

  /** Writes the guardrail into the slot when it holds anything else. */
  ensure(scp: GuardrailScp): Promise<GuardrailWrite> {
    return this.write(scp.content);
  }

  /** Writes the placeholder back (the guardrail lifted) when the slot holds anything else. */
  lift(): Promise<GuardrailWrite> {
    return this.write(GUARDRAIL_SLOT_PLACEHOLDER);
  }

  private async write(content: string): Promise<GuardrailWrite> {
    const before = await this.read();
    if (before.content === content) {
      return { policyId: this.slotId, writes: [], before: before.content, after: before.content };
    }
    await retryPolicyConflicts(
      () => this.client.send(new UpdatePolicyCommand({ PolicyId: this.slotId, Content: content })),
      this.retry,
    );
    const after = await this.read();
    return { policyId: this.slotId, writes: ["UpdatePolicy"], before: before.content, after: after.content };
  }
}
