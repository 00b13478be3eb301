import type { CredentialProver } from "../../usecases/reconcile-user/credential-checks.ts";
import { sessionDeniedByRevocation } from "./session-denied-by-revocation.ts";

/**
 * A role id as IAM shows it in `aws:userid` (`AROA` + 17 characters); fixed, as the Denies match
 * `*:<name>`. Lower-case after the prefix, so that no secret scanner takes it for a real identifier.
 */
const ROLE_ID = "AROAexampleoktarole01";

/**
 * Proves credential Denies by evaluation (design.md "Denies are proven, not grepped"): an IAM user's
 * request, or a federated session of an Okta-trusting role with the condition keys AWS sets on it
 * (`aws:userid` = `<role id>:<RoleSessionName>`, `aws:SourceIdentity` when the IdP sent one; IAM User
 * Guide, "AWS global condition context keys"), otherwise allowed everything, against the revocation
 * SCPs (at the root, with FullAWSAccess) and the tool's inline policies. Local stack and tests only.
 */
export function createCredentialProver(rootId: string): CredentialProver {
  return {
    async isDenied({ accountId, principal, scps, identityPolicies }) {
      const request =
        principal.type === "iam-user"
          ? {
              principal: principal.arn,
              context: { "aws:userid": "AIDAexampleiamuser01", "aws:PrincipalArn": principal.arn },
            }
          : {
              principal: `arn:aws:sts::${accountId}:assumed-role/${principal.roleArn.split("/").at(-1)}/${principal.sessionName}`,
              context: {
                "aws:userid": `${ROLE_ID}:${principal.sessionName}`,
                "aws:PrincipalArn": principal.roleArn,
                "aws:TokenIssueTime": principal.tokenIssuedAt ?? new Date().toISOString(),
                ...(principal.sourceIdentity ? { "aws:SourceIdentity": principal.sourceIdentity } : {}),
              },
            };
      return sessionDeniedByRevocation({
        rootId,
        accountId,
        principal: request.principal,
        context: request.context,
        identityPolicies: identityPolicies.map((text, i) => ({ name: `ToolPolicy${i}`, text })),
        scps,
      });
    },
  };
}
