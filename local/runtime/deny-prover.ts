import { createHash } from "node:crypto";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { DenyProver } from "../../core/ports.ts";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * The role a permission set creates in an account, as Identity Center names it: its suffix is 16 hex
 * characters that differ per account and permission set (derived here, never one fixed value, so a
 * Deny that matched a fixed suffix, or any suffix length, could not pass the proof by accident).
 */
export function identityCenterRoleArn(accountId: string, permissionSetName: string): string {
  const suffix = createHash("sha256").update(`${accountId}/${permissionSetName}`).digest("hex").slice(0, 16);
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSetName}_${suffix}`;
}

/** Thrown when the simulator could not evaluate a request (bad policy or request): never read as "denied". */
export class SimulationFailedError extends Error {
  override name = "SimulationFailedError";
}

/**
 * Proves Denies by evaluation, not by grepping: asks @cloud-copilot/iam-simulate whether a session of
 * the user, on the permission set's role, may act in the account given the SCPs (at the root, with
 * FullAWSAccess) and the permission set's inline policy. The session is otherwise allowed everything,
 * so a "denied" answer can only come from the revocation Deny. (Local stack and tests only: the
 * simulator is AGPL-licensed and is not bundled into the deployed functions.)
 */
export function createDenyProver(rootId: string): DenyProver {
  return {
    async isDenied({ userId, accountId, permissionSetName, scps, inline, tokenIssuedAt }) {
      const principal = identityCenterRoleArn(accountId, permissionSetName);
      const result = await runSimulation(
        {
          request: {
            principal,
            action: "s3:ListAllMyBuckets",
            resource: { resource: "*", accountId },
            contextVariables: {
              "identitystore:userId": userId,
              "aws:PrincipalArn": principal,
              "aws:TokenIssueTime": tokenIssuedAt ?? new Date().toISOString(),
            },
          },
          identityPolicies: [
            { name: "PermissionSetManagedPolicy", policy: ALLOW_ALL },
            ...inline.map((text, i) => ({ name: `InlinePolicy${i}`, policy: JSON.parse(text) })),
          ],
          serviceControlPolicies: [
            {
              orgIdentifier: rootId,
              policies: [
                { name: "FullAWSAccess", policy: ALLOW_ALL },
                ...scps.map((text, i) => ({ name: `Revocation${i}`, policy: JSON.parse(text) })),
              ],
            },
            { orgIdentifier: accountId, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
          ],
          resourceControlPolicies: [],
        } as never,
        {},
      );
      if (result.resultType === "error") throw new SimulationFailedError(JSON.stringify(result.errors));
      return result.overallResult !== "Allowed";
    },
  };
}
