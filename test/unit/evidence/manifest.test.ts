import { verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildDailyManifest,
  EmptyManifestError,
  hashSignedManifest,
  manifestSigningBytes,
  parseSignedManifest,
  publicKeyFingerprint,
  signedManifestText,
  signManifest,
  verifyManifestSignature,
} from "../../../core/evidence/manifest.ts";
import { testSigner } from "./signed-bucket.ts";

const sha = (c: string) => c.repeat(64);

const input = {
  date: "2024-05-01",
  generatedAt: "2024-05-01T23:59:59.000Z",
  records: [
    { key: "v1/runs/2024/05/01/120000000-b.json", sequence: 8, sha256: sha("b") },
    { key: "v1/runs/2024/05/01/110000000-a.json", sequence: 7, sha256: sha("a") },
  ],
  firstPreviousHash: sha("f"),
  previousManifest: { date: "2024-04-30", sha256: sha("e") },
};

describe("buildDailyManifest", () => {
  it("lists the day's records in chain order with the links into the day", () => {
    // Act
    const manifest = buildDailyManifest(input);

    // Assess
    expect(manifest).toEqual({
      schemaVersion: 1,
      kind: "daily-manifest",
      date: "2024-05-01",
      generatedAt: "2024-05-01T23:59:59.000Z",
      records: [input.records[1], input.records[0]],
      firstSequence: 7,
      lastSequence: 8,
      previousRecord: { sequence: 6, sha256: sha("f") },
      previousManifest: { date: "2024-04-30", sha256: sha("e") },
    });
  });

  it("has no previous record at the genesis record, and refuses a day without records", () => {
    // Act
    const genesis = buildDailyManifest({ ...input, firstPreviousHash: null, previousManifest: null });

    // Assess
    expect(genesis.previousRecord).toBeNull();
    expect(() => buildDailyManifest({ ...input, records: [] })).toThrow(EmptyManifestError);
    expect(() => buildDailyManifest({ ...input, records: [] })).toThrow(/no record on 2024-05-01/);
  });
});

describe("signed manifests", () => {
  it("are signed with ECDSA over SHA-256 of the canonical JSON, which node:crypto verifies offline", async () => {
    // Prepare
    const signer = testSigner();
    const manifest = buildDailyManifest(input);

    // Act
    const signed = await signManifest(manifest, signer);

    // Assess
    expect(signed.signature).toMatchObject({ algorithm: "ECDSA_SHA_256", keyId: signer.keyId });
    const bytes = manifestSigningBytes(manifest);
    expect(verify("sha256", bytes, signer.pem, Buffer.from(signed.signature.value, "base64"))).toBe(true);
    expect(verifyManifestSignature(signed, [signer.pem])).toBe(0);
    expect(parseSignedManifest(JSON.parse(signedManifestText(signed)))).toEqual({
      success: true,
      data: signed,
    });
  });

  it("do not verify once altered, with another key, or with a malformed key", async () => {
    // Prepare
    const signer = testSigner();
    const other = testSigner();
    const signed = await signManifest(buildDailyManifest(input), signer);
    const altered = { ...signed, manifest: { ...signed.manifest, lastSequence: 9 } };

    // Act + Assess
    expect(verifyManifestSignature(altered, [signer.pem])).toBeNull();
    expect(verifyManifestSignature(signed, [other.pem])).toBeNull();
    expect(verifyManifestSignature(signed, ["not a key", other.pem, signer.pem])).toBe(2);
  });

  it("hash as their stored text, and say what is wrong with an invalid one", async () => {
    // Prepare
    const signed = await signManifest(buildDailyManifest(input), testSigner());

    // Act
    const parsed = parseSignedManifest({ ...signed, signature: { ...signed.signature, algorithm: "RSA" } });

    // Assess
    expect(hashSignedManifest(signed)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSignedManifest(signed)).not.toBe(
      hashSignedManifest({ ...signed, signature: { ...signed.signature, keyId: "x" } }),
    );
    expect(parsed).toMatchObject({ success: false, errors: [{ path: "signature.algorithm" }] });
  });

  it("name a public key by a stable fingerprint", () => {
    // Prepare
    const signer = testSigner();

    // Act + Assess
    expect(publicKeyFingerprint(signer.pem)).toMatch(/^local:[0-9a-f]{16}$/);
    expect(publicKeyFingerprint(signer.pem)).toBe(signer.keyId);
    expect(publicKeyFingerprint(testSigner().pem)).not.toBe(signer.keyId);
  });
});
