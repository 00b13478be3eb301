import { evidenceSignerRoles, evidenceSigningKeyPolicy } from "./evidence-signing-policy.ts";
import type { PermissionFacts, RoleKey } from "./permissions.ts";

/**
 * The two KMS keys of the evidence:
 * - `encryption`: symmetric, encrypts every object of the evidence bucket at rest (SSE-KMS, with an
 *   S3 Bucket Key so each write does not call KMS). Rotated yearly by KMS.
 * - `signing`: asymmetric ECC_NIST_P256 (ECDSA with SHA-256); signs the daily manifests. Its private
 *   half never leaves KMS; anyone with the public key (`aws kms get-public-key`) verifies offline.
 *   KMS does not rotate asymmetric keys: a new key is a new `keyId` in the manifests it signs.
 *
 * Both are retained when the stack is removed: deleting the encryption key would make the locked
 * evidence unreadable, and deleting the signing key would leave past signatures without an owner
 * (their public key stays verifiable only if it was exported).
 *
 * Their aliases are not retained: an alias name is unique per account and Region, so a retained
 * `alias/okta-aws-lifecycle-<stage>-evidence` would make the next deploy of the stage fail after
 * `sst remove` (AlreadyExistsException). The alias is a convenience; the retained keys stay usable by
 * their ARN (the deploy output, and the retained bucket's encryption configuration), and a redeploy
 * points the alias at its own new keys.
 *
 * The signing key's policy names the roles that may sign, which exist only once the pipeline is built:
 * `restrictEvidenceSigning` sets it then (infra/lifecycle-stack.ts).
 */
export function evidenceKeys() {
  const encryption = new aws.kms.Key(
    "EvidenceEncryptionKey",
    {
      description: `okta-aws-lifecycle ${$app.stage}: encrypts the evidence bucket (SSE-KMS)`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    { retainOnDelete: true },
  );
  new aws.kms.Alias(
    "EvidenceEncryptionKeyAlias",
    { name: `alias/okta-aws-lifecycle-${$app.stage}-evidence`, targetKeyId: encryption.keyId },
    // Not retained: see above.
  );

  const signing = new aws.kms.Key(
    "EvidenceSigningKey",
    {
      description: `okta-aws-lifecycle ${$app.stage}: signs the daily evidence manifests (ECDSA P-256, SHA-256)`,
      keyUsage: "SIGN_VERIFY",
      customerMasterKeySpec: "ECC_NIST_P256",
      deletionWindowInDays: 30,
    },
    { retainOnDelete: true },
  );
  new aws.kms.Alias("EvidenceSigningKeyAlias", {
    name: `alias/okta-aws-lifecycle-${$app.stage}-evidence-signing`,
    targetKeyId: signing.keyId,
  });

  return { encryption, signing };
}

/**
 * Replaces the signing key's policy with one that allows `kms:Sign` to the evidence-writing roles only
 * (infra/evidence-signing-policy.ts). `roleArns`: the deployed evidence writers by role key (the estate
 * task only when the estate workflow is wired).
 * @throws Error at deploy when a given role is not one whose permissions include `kms:Sign`.
 */
export function restrictEvidenceSigning(options: {
  signingKeyArn: $util.Input<string>;
  facts: $util.Output<PermissionFacts>;
  roleArns: Partial<Record<RoleKey, $util.Input<string>>>;
}) {
  const policy = $resolve({
    facts: options.facts,
    arns: $resolve(options.roleArns as Record<string, $util.Input<string>>),
  }).apply(({ facts, arns }) => {
    const signers = evidenceSignerRoles(facts);
    const strangers = Object.keys(arns).filter((key) => !signers.includes(key as RoleKey));
    if (strangers.length > 0) {
      throw new Error(
        `${strangers.join(", ")} may not sign evidence (infra/permissions.ts grants it no kms:Sign)`,
      );
    }
    return JSON.stringify(
      evidenceSigningKeyPolicy({
        partition: facts.partition,
        accountId: facts.accountId,
        signerRoleArns: Object.values(arns),
      }),
    );
  });
  // Retained with the key: removing the resource would put KMS's default policy (account-wide) back.
  return new aws.kms.KeyPolicy(
    "EvidenceSigningKeyPolicy",
    { keyId: options.signingKeyArn, policy },
    { retainOnDelete: true },
  );
}
