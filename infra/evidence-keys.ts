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
    { retainOnDelete: true },
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
  new aws.kms.Alias(
    "EvidenceSigningKeyAlias",
    { name: `alias/okta-aws-lifecycle-${$app.stage}-evidence-signing`, targetKeyId: signing.keyId },
    { retainOnDelete: true },
  );

  return { encryption, signing };
}
