import { createHash, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { type AwsJsonService, AwsServiceError } from "./aws-json-protocol.ts";
import { signDigestP256 } from "./ecdsa-p256.ts";

/**
 * The part of AWS KMS the evidence signer uses, over AWS JSON 1.1 (`TrentService`): `Sign` and
 * `GetPublicKey` for ECC_NIST_P256 SIGN_VERIFY keys, with KMS's field names, base64 blobs, message
 * types (RAW up to 4,096 bytes, DIGEST of exactly 32 bytes for ECDSA_SHA_256) and error types, so the
 * real `@aws-sdk/client-kms` client runs against it.
 */
export function createKmsSigningEmulator(options: { region?: string; account?: string } = {}) {
  const region = options.region ?? "us-east-1";
  const account = options.account ?? "000000000000";
  const keys = new Map<
    string,
    { arn: string; privateKey: KeyObject; publicKey: KeyObject; enabled: boolean }
  >();

  const find = (keyId: unknown) => {
    const key = [...keys.values()].find((k) => k.arn === keyId || k.arn.endsWith(`/${String(keyId)}`));
    if (key === undefined)
      throw new AwsServiceError("NotFoundException", `Key '${String(keyId)}' does not exist`);
    if (!key.enabled) throw new AwsServiceError("DisabledException", `${key.arn} is disabled.`);
    return key;
  };

  const service: AwsJsonService = {
    targetPrefix: "TrentService",
    operations: {
      Sign: (input: {
        KeyId?: string;
        Message?: string;
        MessageType?: string;
        SigningAlgorithm?: string;
      }) => {
        const key = find(input.KeyId);
        if (input.SigningAlgorithm !== "ECDSA_SHA_256") {
          throw new AwsServiceError(
            "InvalidKeyUsageException",
            `${String(input.SigningAlgorithm)} is not valid for ${key.arn}`,
          );
        }
        const message = Buffer.from(input.Message ?? "", "base64");
        const type = input.MessageType ?? "RAW";
        if (type === "RAW" && message.byteLength > 4096) {
          throw new AwsServiceError(
            "ValidationException",
            "Message must be at most 4096 bytes long; use MessageType DIGEST",
          );
        }
        if (type === "DIGEST" && message.byteLength !== 32) {
          throw new AwsServiceError("ValidationException", "Digest must be 32 bytes long for ECDSA_SHA_256");
        }
        const digest = type === "DIGEST" ? message : createHash("sha256").update(message).digest();
        // ECDSA over the digest itself, with no further hashing (as KMS does for DIGEST).
        const signature = signDigestP256(key.privateKey, digest);
        return { KeyId: key.arn, Signature: signature.toString("base64"), SigningAlgorithm: "ECDSA_SHA_256" };
      },
      GetPublicKey: (input: { KeyId?: string }) => {
        const key = find(input.KeyId);
        return {
          KeyId: key.arn,
          KeySpec: "ECC_NIST_P256",
          KeyUsage: "SIGN_VERIFY",
          PublicKey: key.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
          SigningAlgorithms: ["ECDSA_SHA_256"],
        };
      },
    },
  };

  return {
    service,
    /** Creates a signing key and returns its ARN. */
    createSigningKey(): string {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const arn = `arn:aws:kms:${region}:${account}:key/${randomUUID()}`;
      keys.set(arn, { arn, privateKey, publicKey, enabled: true });
      return arn;
    },
    /** Disables a key: Sign then fails with DisabledException (a fault to test with). */
    disable(arn: string): void {
      const key = keys.get(arn);
      if (key) key.enabled = false;
    },
  };
}
