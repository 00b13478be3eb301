import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { publicKeyFingerprint } from "../core/evidence/manifest.ts";
import type { EvidenceSigner } from "../core/ports.ts";

/**
 * Signs manifests with an ECDSA P-256 key pair held in memory: the local stack generates one at start
 * and publishes its public key (.local/endpoints.json, the state page), as KMS would in AWS. Same
 * algorithm and signature encoding as the KMS signer, so one verifier checks both.
 */
export class LocalEvidenceSigner implements EvidenceSigner {
  readonly keyId: string;
  readonly #privateKey: KeyObject;
  readonly #publicKeyPem: string;

  constructor(keys: { privateKey: KeyObject; publicKey: KeyObject }) {
    this.#privateKey = keys.privateKey;
    this.#publicKeyPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
    this.keyId = publicKeyFingerprint(this.#publicKeyPem);
  }

  /** A signer with a fresh P-256 key pair. */
  static generate(): LocalEvidenceSigner {
    return new LocalEvidenceSigner(generateKeyPairSync("ec", { namedCurve: "P-256" }));
  }

  /** The signer of a PKCS#8 PEM private key (another process signing for the same local stack). */
  static fromPrivateKeyPem(pem: string): LocalEvidenceSigner {
    const privateKey = createPrivateKey(pem);
    return new LocalEvidenceSigner({ privateKey, publicKey: createPublicKey(privateKey) });
  }

  /** The private key as PKCS#8 PEM: only for the local stack's throwaway key (.local/endpoints.json). */
  privateKeyPem(): string {
    return this.#privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  }

  async sign(bytes: Uint8Array): Promise<Uint8Array> {
    return sign("sha256", bytes, { key: this.#privateKey, dsaEncoding: "der" });
  }

  async publicKeyPem(): Promise<string> {
    return this.#publicKeyPem;
  }
}
