import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { ChainHeadReading } from "../core/evidence/chain-head.ts";
import type { DeleteMarkerReading } from "../core/evidence/delete-markers.ts";
import {
  type Day,
  dayOfManifestKey,
  dayOfRecordKey,
  MANIFEST_PREFIX,
  manifestKey,
  RECORD_PREFIXES,
} from "../core/evidence/layout.ts";
import { addDays, inPeriod, isDay, monthFoldersOf, type Period } from "../core/evidence/period.ts";
import type { SnapshotRow } from "../core/evidence/record.ts";
import {
  type EvidenceVerification,
  type StoredObject,
  snapshotObjectOf,
  verifyEvidence,
} from "../core/evidence/verify-evidence.ts";
import type { ChainHeadSource, EvidenceBucket } from "./evidence-store.ts";

/** What a period's verification and export read from the bucket (see `VerifyEvidenceInput`). */
export interface LoadedPeriod {
  /** Records of the period and of the day before and after it, in key order. */
  records: StoredObject[];
  /** Manifests of the period, plus the one the earliest of them links back to (when it exists). */
  manifests: StoredObject[];
  /** The rows objects of the period's large snapshots: SHA-256 of their bytes, `null` when missing. */
  snapshotObjects: { key: string; sha256: string | null }[];
}

/** Where a long read is: objects listed, then read. */
export interface LoadProgress {
  phase: "list" | "read";
  done: number;
  total: number;
}

export interface LoadOptions {
  /** Parallel reads. @default 8 */
  concurrency?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  onDone: (done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Reads a period's evidence: lists the month folders it spans (one or a few List calls per month and
 * kind, not one per day), keeps the keys of the period's days (and of the neighbouring days, for
 * records that straddle midnight), then reads them in parallel.
 */
export async function loadEvidencePeriod(
  bucket: EvidenceBucket,
  period: Period,
  options: LoadOptions = {},
): Promise<LoadedPeriod> {
  const progress = options.onProgress ?? (() => {});
  const wide: Period = { from: addDays(period.from, -1), to: addDays(period.to, 1) };
  const prefixes = monthFoldersOf(wide).flatMap((month) =>
    [...RECORD_PREFIXES, MANIFEST_PREFIX].map((prefix) => `${prefix}${month}`),
  );
  const listed: string[] = [];
  for (const [i, prefix] of prefixes.entries()) {
    listed.push(...(await bucket.list(prefix)));
    progress({ phase: "list", done: i + 1, total: prefixes.length });
  }
  const recordKeys = listed.filter((key) => {
    const day = dayOfRecordKey(key);
    return day !== null && inPeriod(wide, day);
  });
  const manifestKeys = listed.filter((key) => {
    const day = dayOfManifestKey(key);
    return day !== null && inPeriod(period, day);
  });
  const keys = [...recordKeys, ...manifestKeys];
  const texts = await mapLimited(
    keys,
    options.concurrency ?? 8,
    (key) => bucket.get(key),
    (done) => progress({ phase: "read", done, total: keys.length }),
  );
  const objects = keys.map((key, i) => ({ key, text: texts[i] as string }));
  const records = objects.slice(0, recordKeys.length);
  const manifests = objects.slice(recordKeys.length);

  const earliest = manifests[0];
  const link = earliest === undefined ? null : previousManifestKey(earliest.text);
  if (link !== null && !manifests.some((m) => m.key === link)) {
    // A missing previous manifest is reported by the verifier as a broken link.
    const text = await bucket.get(link).catch(missingAsNull);
    if (text !== null) manifests.unshift({ key: link, text });
  }

  const referenced = records.flatMap((r) => {
    const day = dayOfRecordKey(r.key);
    const object = day !== null && inPeriod(period, day) ? snapshotObjectOf(parseJson(r.text)) : null;
    return object === null ? [] : [object.key];
  });
  const snapshotObjects = await mapLimited(
    referenced,
    options.concurrency ?? 8,
    async (key) => ({
      key,
      sha256: await bucket
        .getBytes(key)
        .then((bytes) => createHash("sha256").update(bytes).digest("hex"))
        .catch(missingAsNull),
    }),
    () => {},
  );
  return { records, manifests, snapshotObjects };
}

export interface VerifyOptions extends LoadOptions {
  /**
   * Where the chain head kept in DynamoDB is read (the state table). Without one, the check is
   * reported as not run.
   */
  chainHead?: ChainHeadSource;
  /** Why there is no `chainHead`, for the report. @default "no state table was given" */
  chainHeadUnavailable?: string;
  /** The verifier's current UTC day: from it on, days are still open. @default every day is closed */
  today?: Day;
}

/**
 * Reads a period's evidence and verifies it as `evidence verify` does (chain, signed manifests,
 * snapshot objects, the chain head kept in DynamoDB, delete markers): the one path the CLI's verify and
 * export and the chaos harness share. The chain head is read after the records were listed, so every
 * stored record has its claim by then.
 */
export async function loadAndVerifyPeriod(
  bucket: EvidenceBucket,
  period: Period,
  publicKeysPem: readonly string[],
  options: VerifyOptions = {},
): Promise<LoadedPeriod & { verification: EvidenceVerification }> {
  const loaded = await loadEvidencePeriod(bucket, period, options);
  const [deleteMarkers, chainHead] = await Promise.all([
    readDeleteMarkers(bucket, period),
    readChainHead(options),
  ]);
  return {
    ...loaded,
    verification: verifyEvidence({
      period,
      ...loaded,
      publicKeysPem,
      chainHead,
      deleteMarkers,
      ...(options.today === undefined ? {} : { today: options.today }),
    }),
  };
}

async function readChainHead(options: VerifyOptions): Promise<ChainHeadReading> {
  if (options.chainHead === undefined) {
    return { unavailable: options.chainHeadUnavailable ?? "no state table was given" };
  }
  try {
    return { head: await options.chainHead.readChainHead() };
  } catch (error) {
    return {
      unavailable: `the state table could not be read (${(error as Error).name}: ${(error as Error).message})`,
    };
  }
}

/**
 * The delete markers under the period's month folders. A store that cannot list versions (s3rver
 * answers MethodNotAllowed; a reader without `s3:ListBucketVersions` is denied) is reported, not guessed.
 */
async function readDeleteMarkers(bucket: EvidenceBucket, period: Period): Promise<DeleteMarkerReading> {
  const prefixes = monthFoldersOf(period).flatMap((month) =>
    [...RECORD_PREFIXES, MANIFEST_PREFIX].map((prefix) => `${prefix}${month}`),
  );
  try {
    const markers = [];
    for (const prefix of prefixes) markers.push(...(await bucket.deleteMarkers(prefix)));
    return { markers };
  } catch (error) {
    const name = (error as Error).name;
    // s3rver, the local S3, routes `GET ?versions` to 405 MethodNotAllowed; others answer 501.
    if (name === "NotImplemented" || name === "MethodNotAllowed") {
      return { unavailable: `this store cannot list object versions (ListObjectVersions: ${name})` };
    }
    return { unavailable: `ListObjectVersions failed (${name}: ${(error as Error).message})` };
  }
}

/** The rows of a large snapshot's gzipped JSON Lines object. */
export async function readSnapshotRows(bucket: EvidenceBucket, key: string): Promise<SnapshotRow[]> {
  const text = gunzipSync(await bucket.getBytes(key)).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as SnapshotRow);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function missingAsNull(error: Error): null {
  if (error.name === "NoSuchKey") return null;
  throw error;
}

/** The key of the manifest a stored manifest links back to, if it says so. */
function previousManifestKey(text: string): string | null {
  try {
    const date = (JSON.parse(text) as { manifest?: { previousManifest?: { date?: unknown } | null } })
      .manifest?.previousManifest?.date;
    return typeof date === "string" && isDay(date) ? manifestKey(date) : null;
  } catch {
    return null;
  }
}
