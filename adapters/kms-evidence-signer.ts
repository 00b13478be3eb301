import { createHash, createPublicKey } from "node:crypto";
import { GetPublicKeyCommand, type KMSClient, SignCommand } from "@aws-sdk/client-kms";
import type { EvidenceSigner } from "../core/ports.ts";

/** Thrown when KMS does not sign or does not return a usable public key; the evidence write is retried. */
export class EvidenceSigningError extends Error {
  override name = "DependencyUnavailableError";
}

/**
 * Signs manifests with a KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY): the private key
 * never leaves KMS. KMS signs at most 4,096 bytes of raw message, and a day's manifest can be larger, so
 * this sends the SHA-256 digest (`MessageType: DIGEST`): for ECDSA_SHA_256 that is the same signature as
 * over the raw bytes, and `crypto.verify("sha256", bytes, publicKey, signature)` checks it.
 */
export class KmsEvidenceSigner implements EvidenceSigner {
  readonly keyId: string;
  readonly #kms: KMSClient;
  #publicKeyPem: Promise<string> | undefined;

  constructor(options: { kms: KMSClient; keyId: string }) {
    this.#kms = options.kms;
    this.keyId = options.keyId;
  }

  async sign(bytes: Uint8Array): Promise<Uint8Array> {
    const digest = createHash("sha256").update(bytes).digest();
    const result = await this.#kms
      .send(
        new SignCommand({
          KeyId: this.keyId,
          Message: digest,
          MessageType: "DIGEST",
          SigningAlgorithm: "ECDSA_SHA_256",
        }),
      )
      .catch((error: unknown) => {
        throw new EvidenceSigningError(`KMS did not sign with ${this.keyId}: ${(error as Error).message}`, {
          cause: error,
        });
      });
    if (result.Signature === undefined)
      throw new EvidenceSigningError(`KMS returned no signature for ${this.keyId}`);
    return result.Signature;
  }

  /** The key's public half, read once from KMS (`GetPublicKey`) and converted to PEM. */
  publicKeyPem(): Promise<string> {
    this.#publicKeyPem ??= this.#kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((result) => {
      if (result.PublicKey === undefined) {
        throw new EvidenceSigningError(`KMS returned no public key for ${this.keyId}`);
      }
      return createPublicKey({ key: Buffer.from(result.PublicKey), format: "der", type: "spki" })
        .export({ type: "spki", format: "pem" })
        .toString();
    });
    // A failed read is not remembered: the next call asks KMS again.
    this.#publicKeyPem.catch(() => {
      this.#publicKeyPem = undefined;
    });
    return this.#publicKeyPem;
  }
}
