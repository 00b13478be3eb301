import { generateKeyPairSync, sign } from "node:crypto";
import { canonicalize } from "../../../core/evidence/canonical-json.ts";
import { chainRecords, hashRecord } from "../../../core/evidence/hash-chain.ts";
import { dayOfRecordKey, evidenceKey, manifestKey } from "../../../core/evidence/layout.ts";
import {
  buildDailyManifest,
  hashSignedManifest,
  publicKeyFingerprint,
  type SignedManifest,
  signedManifestText,
  signManifest,
} from "../../../core/evidence/manifest.ts";
import type { EvidenceDraft } from "../../../core/evidence/record.ts";
import type { StoredObject } from "../../../core/evidence/verify-evidence.ts";
import type { EvidenceSigner } from "../../../core/ports.ts";

/** An in-memory ECDSA P-256 signer, as the local stack's. */
export function testSigner(): EvidenceSigner & { pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    keyId: publicKeyFingerprint(pem),
    pem,
    sign: async (bytes) => sign("sha256", bytes, privateKey),
    publicKeyPem: async () => pem,
  };
}

/** A bucket as the evidence store leaves it: records as canonical JSON, one signed manifest per day. */
export interface SignedBucket {
  records: StoredObject[];
  manifests: StoredObject[];
  signed: Map<string, SignedManifest>;
}

/** Chains the drafts, stores them under their keys and signs each day's manifest, linked day to day. */
export async function signedBucket(
  drafts: readonly EvidenceDraft[],
  signer: EvidenceSigner,
  /** When each day's manifest was written. @default the day's last second (before it ended) */
  generatedAt: (day: string) => string = (day) => `${day}T23:59:59.000Z`,
): Promise<SignedBucket> {
  const chained = chainRecords(drafts, null);
  const records = chained.map((record) => ({ key: evidenceKey(record), text: canonicalize(record) }));
  const days = [...new Set(records.map((r) => dayOfRecordKey(r.key) as string))].sort();
  const manifests: StoredObject[] = [];
  const signed = new Map<string, SignedManifest>();
  let previous: { date: string; sha256: string } | null = null;
  for (const day of days) {
    const entries = chained
      .map((record, i) => ({ record, key: (records[i] as StoredObject).key }))
      .filter(({ key }) => dayOfRecordKey(key) === day);
    const manifest = buildDailyManifest({
      date: day,
      generatedAt: generatedAt(day),
      records: entries.map(({ record, key }) => ({
        key,
        sequence: record.sequence,
        sha256: hashRecord(record),
      })),
      firstPreviousHash: entries[0]?.record.previousHash ?? null,
      previousManifest: previous,
    });
    const signedManifest = await signManifest(manifest, signer);
    signed.set(day, signedManifest);
    manifests.push({ key: manifestKey(day), text: signedManifestText(signedManifest) });
    previous = { date: day, sha256: hashSignedManifest(signedManifest) };
  }
  return { records, manifests, signed };
}
