import { verify } from "node:crypto";
import { KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvidenceSigningError, KmsEvidenceSigner } from "../../adapters/kms-evidence-signer.ts";
import { LocalEvidenceSigner } from "../../adapters/local-evidence-signer.ts";
import { buildDailyManifest, signManifest, verifyManifestSignature } from "../../core/evidence/manifest.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { createKmsSigningEmulator } from "../../local/emulators/kms-signing.ts";

/** A manifest too large for KMS's 4,096-byte RAW message limit. */
const bigManifest = buildDailyManifest({
  date: "2024-05-01",
  generatedAt: "2024-05-01T23:59:59.000Z",
  records: Array.from({ length: 100 }, (_, i) => ({
    key: `v1/runs/2024/05/01/${String(i).padStart(9, "0")}-run-${i}.run.json`,
    sequence: i,
    sha256: "ab".repeat(32),
  })),
  firstPreviousHash: null,
  previousManifest: null,
});

describe("KmsEvidenceSigner against the KMS emulator (real @aws-sdk/client-kms)", () => {
  let server: RunningServer;
  let kms: ReturnType<typeof createKmsSigningEmulator>;
  let client: KMSClient;
  beforeAll(async () => {
    kms = createKmsSigningEmulator();
    server = await startAwsJsonServer([kms.service]);
    client = new KMSClient(localClientConfig(server.endpoint));
  });
  afterAll(() => server.close());

  it("signs the SHA-256 digest of a manifest larger than KMS's raw limit; node:crypto verifies it with the public key", async () => {
    // Prepare
    const keyId = kms.createSigningKey();
    const signer = new KmsEvidenceSigner({ kms: client, keyId });

    // Act
    const signed = await signManifest(bigManifest, signer);
    const pem = await signer.publicKeyPem();

    // Assess
    expect(JSON.stringify(bigManifest).length).toBeGreaterThan(4096);
    expect(signed.signature.keyId).toBe(keyId);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(verifyManifestSignature(signed, [pem])).toBe(0);
    const bytes = new TextEncoder().encode("any bytes");
    expect(verify("sha256", bytes, pem, await signer.sign(bytes))).toBe(true);
  });

  it("fails with a retryable error when KMS refuses to sign, and asks again for a public key it could not read", async () => {
    // Prepare
    const keyId = kms.createSigningKey();
    kms.disable(keyId);
    const disabled = new KmsEvidenceSigner({ kms: client, keyId });
    const unknown = new KmsEvidenceSigner({
      kms: client,
      keyId: "arn:aws:kms:us-east-1:000000000000:key/missing",
    });

    // Act
    const attempt = disabled.sign(new Uint8Array([1]));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(EvidenceSigningError);
    await expect(attempt).rejects.toMatchObject({
      name: "DependencyUnavailableError",
      message: expect.stringContaining("is disabled"),
    });
    await expect(unknown.publicKeyPem()).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(unknown.publicKeyPem()).rejects.toMatchObject({ name: "NotFoundException" });
  });
});

describe("LocalEvidenceSigner", () => {
  it("signs like KMS, and another process signs the same with its exported private key", async () => {
    // Prepare
    const signer = LocalEvidenceSigner.generate();
    const again = LocalEvidenceSigner.fromPrivateKeyPem(signer.privateKeyPem());

    // Act
    const one = await signManifest(bigManifest, signer);
    const two = await signManifest(bigManifest, again);

    // Assess
    expect(again.keyId).toBe(signer.keyId);
    expect(signer.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    const pem = await signer.publicKeyPem();
    expect(verifyManifestSignature(one, [pem])).toBe(0);
    expect(verifyManifestSignature(two, [pem])).toBe(0);
  });
});
