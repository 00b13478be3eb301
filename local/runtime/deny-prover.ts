import { createHash } from "node:crypto";
import type { DenyProver } from "../../core/ports.ts";
import { sessionDeniedByRevocation } from "./session-denied-by-revocation.ts";

/**
 * The role a permission set creates in an account, as Identity Center names it: its suffix is 16 hex
 * characters that differ per account and permission set (derived here, never one fixed value, so a
 * Deny that matched a fixed suffix, or any suffix length, could not pass the proof by accident).
 */
export function identityCenterRoleArn(accountId: string, permissionSetName: string): string {
  const suffix = createHash("sha256").update(`${accountId}/${permissionSetName}`).digest("hex").slice(0, 16);
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSetName}_${suffix}`;
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
      return sessionDeniedByRevocation({
        rootId,
        accountId,
        principal,
        context: {
          "identitystore:userId": userId,
          "aws:PrincipalArn": principal,
          "aws:TokenIssueTime": tokenIssuedAt ?? new Date().toISOString(),
        },
        identityPolicies: inline.map((text, i) => ({ name: `InlinePolicy${i}`, text })),
        scps,
      });
    },
  };
}
