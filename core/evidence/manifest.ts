import { createHash, createPublicKey, verify } from "node:crypto";
import { z } from "zod";
import { type Parsed, toFieldErrors } from "../field-error.ts";
import type { EvidenceSigner } from "../ports.ts";
import { canonicalize } from "./canonical-json.ts";
import { sha256Hex } from "./hash-chain.ts";
import type { Day } from "./layout.ts";
import { isoInstantSchema, sha256HexSchema } from "./record.ts";

/*
 * The signed daily manifest: the list of a day's records with their chain position and SHA-256, signed
 * with an asymmetric key (KMS in AWS, a local key pair on a laptop). It covers what the hash chain alone
 * cannot see (the last record of the chain removed or altered) and settles which of two records changed
 * when a link breaks. Manifests are chained too: each carries the hash of the previous day's manifest.
 *
 * The signature is ECDSA P-256 over SHA-256 of the manifest's canonical JSON (UTF-8). Stored as the
 * canonical JSON of `{ manifest, signature }` at v1/chain/YYYY/MM/DD.json.
 */

/** The manifest format version. */
export const MANIFEST_SCHEMA_VERSION = 1;
/** The one signature algorithm manifests use (KMS's name for it). */
export const MANIFEST_SIGNING_ALGORITHM = "ECDSA_SHA_256";

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a day written YYYY-MM-DD");
const sequenceSchema = z.number().int().nonnegative();

/** One record of the day, as the writer stored it. */
export const manifestRecordSchema = z.strictObject({
  key: z.string().min(1),
  sequence: sequenceSchema,
  sha256: sha256HexSchema,
});

export const dailyManifestSchema = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  kind: z.literal("daily-manifest"),
  date: daySchema,
  /** When this version of the manifest was written (the day's manifest is refreshed after each append). */
  generatedAt: isoInstantSchema,
  /** The day's records in chain order. */
  records: z.array(manifestRecordSchema).min(1),
  firstSequence: sequenceSchema,
  lastSequence: sequenceSchema,
  /** The chain link into the day: the record just before `firstSequence` (`null` when it is 0). */
  previousRecord: z.strictObject({ sequence: sequenceSchema, sha256: sha256HexSchema }).nullable(),
  /** The previous day that has records: its manifest file's SHA-256 (`null` for the first manifest). */
  previousManifest: z.strictObject({ date: daySchema, sha256: sha256HexSchema }).nullable(),
});

export const manifestSignatureSchema = z.strictObject({
  algorithm: z.literal(MANIFEST_SIGNING_ALGORITHM),
  keyId: z.string().min(1),
  /** Base64 of the DER-encoded ECDSA signature. */
  value: z.base64(),
});

export const signedManifestSchema = z.strictObject({
  manifest: dailyManifestSchema,
  signature: manifestSignatureSchema,
});

export type ManifestRecord = z.infer<typeof manifestRecordSchema>;
export type DailyManifest = z.infer<typeof dailyManifestSchema>;
export type ManifestSignature = z.infer<typeof manifestSignatureSchema>;
export type SignedManifest = z.infer<typeof signedManifestSchema>;

/** What the writer knows about the day when it builds the manifest. */
export interface DailyManifestInput {
  date: Day;
  generatedAt: string;
  /** The day's records, in any order (at least one). */
  records: readonly ManifestRecord[];
  /** The `previousHash` the day's first record carries (`null` at the genesis record). */
  firstPreviousHash: string | null;
  previousManifest: { date: Day; sha256: string } | null;
}

/** Thrown when a manifest would list no record: a day without records has no manifest. */
export class EmptyManifestError extends Error {
  override name = "EmptyManifestError";
}

/**
 * Builds the day's manifest: records sorted by sequence, the first and last sequence, and the links
 * to the previous record and the previous manifest.
 * @throws EmptyManifestError when `records` is empty.
 */
export function buildDailyManifest(input: DailyManifestInput): DailyManifest {
  const records = [...input.records]
    .sort((a, b) => a.sequence - b.sequence)
    .map(({ key, sequence, sha256 }) => ({ key, sequence, sha256 }));
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) {
    throw new EmptyManifestError(`no record on ${input.date}: a day without records has no manifest`);
  }
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: "daily-manifest",
    date: input.date,
    generatedAt: input.generatedAt,
    records,
    firstSequence: first.sequence,
    lastSequence: last.sequence,
    previousRecord:
      input.firstPreviousHash === null
        ? null
        : { sequence: first.sequence - 1, sha256: input.firstPreviousHash },
    previousManifest: input.previousManifest,
  };
}

/** The exact bytes a manifest's signature covers: its canonical JSON in UTF-8. */
export function manifestSigningBytes(manifest: DailyManifest): Uint8Array {
  return new TextEncoder().encode(canonicalize(manifest));
}

/** Signs a manifest with the given signer. */
export async function signManifest(manifest: DailyManifest, signer: EvidenceSigner): Promise<SignedManifest> {
  const signature = await signer.sign(manifestSigningBytes(manifest));
  return {
    manifest,
    signature: {
      algorithm: MANIFEST_SIGNING_ALGORITHM,
      keyId: signer.keyId,
      value: Buffer.from(signature).toString("base64"),
    },
  };
}

/** The text a signed manifest is stored as (canonical JSON). */
export function signedManifestText(signed: SignedManifest): string {
  return canonicalize(signed);
}

/** SHA-256 of a stored manifest: what the next day's manifest carries as `previousManifest.sha256`. */
export function hashSignedManifest(signed: SignedManifest): string {
  return sha256Hex(signedManifestText(signed));
}

/** Validates an untrusted value (a stored manifest, parsed JSON) against the signed manifest schema. */
export function parseSignedManifest(value: unknown): Parsed<SignedManifest> {
  const result = signedManifestSchema.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, errors: toFieldErrors(result.error) };
}

/**
 * Whether the signature of `signed` verifies with one of `publicKeysPem`, offline (node:crypto). Returns
 * the index of the key that verifies it, or `null`. A malformed key counts as not verifying.
 */
export function verifyManifestSignature(
  signed: SignedManifest,
  publicKeysPem: readonly string[],
): number | null {
  const bytes = manifestSigningBytes(signed.manifest);
  const signature = Buffer.from(signed.signature.value, "base64");
  const index = publicKeysPem.findIndex((pem) => {
    try {
      return verify("sha256", bytes, createPublicKey(pem), signature);
    } catch {
      return false;
    }
  });
  return index === -1 ? null : index;
}

/** A short, stable name for a public key: `local:` + the first 16 hex digits of SHA-256(DER). */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  return `local:${createHash("sha256").update(der).digest("hex").slice(0, 16)}`;
}
