/**
 * The key policy of the evidence signing key (infra/evidence-keys.ts), as data. Pure (no sst globals):
 * test/unit/infra-evidence-signing-key.test.ts checks it with a policy simulator.
 *
 * Without a key policy of its own, KMS gives a key `kms:*` to the account root, so any principal of the
 * account whose IAM policy allows `kms:Sign` (an administrator's `*`) could sign a manifest that
 * `evidence verify` trusts, for instance one re-signing a truncated day. This policy:
 * - lets the account administer the key (IAM decides who), but not use it for signing, nor create grants;
 * - lets the account read the public key and verify (`GetPublicKey`, `Verify`, `DescribeKey`): auditors
 *   check manifests offline with the public key (docs/evidence.md);
 * - allows `kms:Sign` only to the roles whose permissions (infra/permissions.ts) include it, the
 *   evidence writers, and denies it to every other principal, grants included.
 * A key administrator can still change the policy (`PutKeyPolicy`, recorded in CloudTrail): KMS refuses
 * a policy that would lock the account out of its own key.
 */
import { type PermissionFacts, type RoleKey, rolePermissions } from "./permissions.ts";

/** Key administration, without any cryptographic use and without `kms:CreateGrant`. */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:UpdateKeyDescription",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** What auditors need: the public key, and verification inside KMS for those who prefer it. */
export const PUBLIC_KEY_ACTIONS = ["kms:GetPublicKey", "kms:Verify", "kms:DescribeKey"];

/** The roles whose permissions include `kms:Sign`: the functions that write evidence. */
export function evidenceSignerRoles(facts: PermissionFacts): RoleKey[] {
  return (Object.entries(rolePermissions(facts)) as [RoleKey, { grants: { actions: string[] }[] }][])
    .filter(([, role]) => role.grants.some((g) => g.actions.includes("kms:Sign")))
    .map(([key]) => key)
    .sort();
}

/**
 * The signing key's policy, given the ARNs of the deployed evidence-writing roles.
 * @throws Error when no role may sign (the policy would leave nothing able to write a manifest).
 */
export function evidenceSigningKeyPolicy(input: {
  partition: string;
  accountId: string;
  signerRoleArns: readonly string[];
}) {
  if (input.signerRoleArns.length === 0) {
    throw new Error("no evidence-writing role to allow kms:Sign to: manifests could not be signed");
  }
  const account = { AWS: `arn:${input.partition}:iam::${input.accountId}:root` };
  const signers = [...input.signerRoleArns].sort();
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Sid: "AdministerTheKeyNotSign",
        Effect: "Allow" as const,
        Principal: account,
        Action: KEY_ADMINISTRATION_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "ReadThePublicKey",
        Effect: "Allow" as const,
        Principal: account,
        Action: PUBLIC_KEY_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "SignByEvidenceWriters",
        Effect: "Allow" as const,
        Principal: account,
        Action: "kms:Sign",
        Resource: "*",
        Condition: { ArnEquals: { "aws:PrincipalArn": signers } },
      },
      {
        Sid: "NoOneElseSigns",
        Effect: "Deny" as const,
        Principal: { AWS: "*" },
        Action: "kms:Sign",
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": signers } },
      },
    ],
  };
}
