import { type IAMClient, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import { z } from "zod";
import type { AbacCanaryProver, CanaryCase, CanaryOutcome } from "../../core/plan/abac-canary.ts";
import { parseIamResponse } from "./unexpected-response-error.ts";

/** The account canary sessions and resources are named in: any, as ABAC does not depend on it. */
const CANARY_ACCOUNT = "123456789012";

/**
 * The condition keys a canary case states in full: a tag key it leaves out is a session (or resource)
 * without that tag, which is what the case asks about. Any other key the policies need and the case
 * cannot give (aws:SourceIp, aws:RequestedRegion...) leaves the answer unproven.
 */
const STATED_IN_FULL = /^aws:(PrincipalTag|ResourceTag)\//i;

const SimulateCustomPolicyOutput = z.object({
  EvaluationResults: z
    .array(
      z.object({
        EvalActionName: z.string(),
        EvalDecision: z.enum(["allowed", "explicitDeny", "implicitDeny"]),
        MissingContextValues: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  IsTruncated: z.boolean().optional(),
  Marker: z.string().optional(),
});

export interface SimulateCustomPolicyProverOptions {
  /**
   * The resource each action is simulated on. Default `*`, "all resources" (IAM API Reference,
   * SimulateCustomPolicy, ResourceArns); the CLI and local stack pass an ARN of the action's resource
   * type (local/runtime/abac-canary-prover.ts), which a Lambda cannot read.
   */
  resourceArn?: (action: string) => Promise<string>;
}

/**
 * Answers canary cases with IAM's own policy simulator, `iam:SimulateCustomPolicy` (IAM API
 * Reference): the permission set's documents as `PolicyInputList`, the session's tags as
 * `aws:PrincipalTag/<key>` and the resource's as `aws:ResourceTag/<key>` context entries (type
 * `string`), the Identity Center role as `aws:PrincipalArn`; every page of `EvaluationResults`
 * (Marker/IsTruncated) is read. `allowed` is allowed, `explicitDeny`/`implicitDeny` denied, unless
 * the simulator reports `MissingContextValues` the case does not state in full: then the case is
 * unproven, never "denied" (a real session would carry the key, and the answer might differ).
 * Needs `iam:SimulateCustomPolicy` on Resource `*` (Service Authorization Reference: no resource types).
 */
export function createSimulateCustomPolicyProver(
  iam: IAMClient,
  options: SimulateCustomPolicyProverOptions = {},
): AbacCanaryProver {
  const resourceArn = options.resourceArn ?? (async () => "*");
  return {
    async evaluate(c: CanaryCase, documents: readonly string[]): Promise<CanaryOutcome> {
      const tags = (prefix: string, values: Record<string, string>) =>
        Object.entries(values).map(([key, value]) => ({
          ContextKeyName: `${prefix}/${key}`,
          ContextKeyValues: [value],
          ContextKeyType: "string" as const,
        }));
      const principalArn = `arn:aws:iam::${CANARY_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${c.permissionSet}_canary`;
      const input = {
        PolicyInputList: [...documents],
        ActionNames: [c.action],
        ResourceArns: [await resourceArn(c.action)],
        ContextEntries: [
          {
            ContextKeyName: "aws:PrincipalArn",
            ContextKeyValues: [principalArn],
            ContextKeyType: "string" as const,
          },
          ...tags("aws:PrincipalTag", c.principalTags),
          ...tags("aws:ResourceTag", c.resourceTags),
        ],
      };
      const decisions: string[] = [];
      const missing = new Set<string>();
      let marker: string | undefined;
      do {
        const page = parseIamResponse(
          "SimulateCustomPolicy",
          SimulateCustomPolicyOutput,
          await iam.send(
            new SimulateCustomPolicyCommand({ ...input, ...(marker ? { Marker: marker } : {}) }),
          ),
        );
        for (const result of page.EvaluationResults) {
          decisions.push(result.EvalDecision);
          for (const key of result.MissingContextValues ?? [])
            if (!STATED_IN_FULL.test(key)) missing.add(key);
        }
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker !== undefined);
      if (missing.size > 0)
        return {
          unproven: `the IAM policy simulator needs context keys the canary cannot give: ${[...missing].sort().join(", ")}`,
        };
      if (decisions.length === 0)
        return { unproven: "the IAM policy simulator returned no evaluation result" };
      return decisions.every((d) => d === "allowed") ? "allowed" : "denied";
    },
  };
}
