import { tryCanonicalize } from "./canonical-json.ts";
import {
  type BeyondChainHeadProblem,
  type ChainHeadProblem,
  type ChainHeadReading,
  checkChainHead,
} from "./chain-head.ts";
import type { ChainProblem } from "./chain-problem.ts";
import { checkDeleteMarkers, type DeleteMarkerProblem, type DeleteMarkerReading } from "./delete-markers.ts";
import { compareNotes, type EvidenceNote, type NotYetCoveredNote } from "./evidence-note.ts";
import { sha256Hex } from "./hash-chain.ts";
import { compareStorageOrder, type Day, dayOfManifestKey, dayOfRecordKey, manifestKey } from "./layout.ts";
import {
  hashSignedManifest,
  type ManifestRecord,
  parseSignedManifest,
  type SignedManifest,
  verifyManifestSignature,
} from "./manifest.ts";
import { compareManifestProblems, type ManifestProblem } from "./manifest-problem.ts";
import { inPeriod, type Period } from "./period.ts";
import { parseEvidenceRecord } from "./record.ts";
import { type ChainAnchor, type ChainEntry, verifyChain } from "./verify-chain.ts";

/*
 * `evidence verify` for a period: the hash chain (verify-chain.ts) and the signed daily manifests
 * together. The chain proves order and links; a manifest, signed by a key the verifier trusts,
 * proves which records a day holds and their exact hashes, covering what the chain cannot see (the
 * last record removed or altered) and naming the changed record when a link breaks. The chain head
 * kept in DynamoDB (chain-head.ts) covers a tail cut off and re-signed with the real key, and delete
 * markers (delete-markers.ts) name objects hidden from readers.
 *
 * Days before `today` are closed: each record filed under one must be in its signed manifest. The
 * current day is still open: its manifest is refreshed at most every few seconds, so a record it does
 * not list yet is a note (`not-yet-covered`), not a problem.
 */

/** An object as stored: its key and its text. */
export interface StoredObject {
  key: string;
  text: string;
}

export interface VerifyEvidenceInput {
  period: Period;
  /**
   * Stored records of the period's days and of the day before and after it (a record filed under a
   * neighbouring day can sit inside the period's chain range when two runs straddle midnight).
   */
  records: readonly StoredObject[];
  /**
   * Manifests of the period's days, plus the manifest the earliest of them names as its previous one
   * (when it exists): its absence is reported.
   */
  manifests: readonly StoredObject[];
  /** Public keys (PEM) the verifier trusts; a manifest must verify with one of them. */
  publicKeysPem: readonly string[];
  /**
   * The rows objects the period's snapshot records reference (large snapshots), as read: the SHA-256
   * of each object's bytes, or `null` when it is not in the bucket.
   */
  snapshotObjects?: readonly { key: string; sha256: string | null }[];
  /**
   * The verifier's current UTC day: days from it on are still open (see the file comment).
   * @default every day is closed
   */
  today?: Day;
  /** The chain head kept in DynamoDB, read after the records were listed. @default not checked */
  chainHead?: ChainHeadReading;
  /** Delete markers under the period's folders (ListObjectVersions). @default not checked */
  deleteMarkers?: DeleteMarkerReading;
}

/** One manifest as the verifier judged it. */
export interface CheckedManifest {
  key: string;
  date: Day;
  keyId: string | null;
  signature: "valid" | "invalid" | "unreadable";
  records: number;
}

export type EvidenceProblem =
  | ChainProblem
  | ManifestProblem
  | ChainHeadProblem
  | BeyondChainHeadProblem
  | DeleteMarkerProblem;

export interface EvidenceVerification {
  ok: boolean;
  period: Period;
  /**
   * Chain problems (in chain order), then manifest problems (by key), then the chain head's, then
   * delete markers (by key). Any problem fails the verification.
   */
  problems: EvidenceProblem[];
  /** What the verifier reports without failing (records not yet covered, checks it could not run). */
  notes: EvidenceNote[];
  /** Records of the period that were checked. */
  records: number;
  /** Manifests of the period. */
  manifests: CheckedManifest[];
  /** Where the verified chain range starts, and whether a signed manifest vouches for that start. */
  anchor: (ChainAnchor & { signed: boolean }) | null;
}

interface StoredRecord {
  key: string;
  day: Day | null;
  value: unknown;
  hash: string;
  claim: number | undefined;
}

interface Manifest {
  key: string;
  date: Day;
  signed: SignedManifest;
  fileHash: string;
  valid: boolean;
}

function readRecord({ key, text }: StoredObject): StoredRecord {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Unparseable: kept as text, which the chain reports as an invalid record.
  }
  const canonical = tryCanonicalize(value);
  const sequence = (value as { sequence?: unknown } | null)?.sequence;
  return {
    key,
    day: dayOfRecordKey(key),
    value,
    hash: sha256Hex(canonical.ok ? canonical.json : text),
    claim: Number.isSafeInteger(sequence) && (sequence as number) >= 0 ? (sequence as number) : undefined,
  };
}

/** Verifies the period's records against the chain and the signed manifests (see the file comment). */
export function verifyEvidence(input: VerifyEvidenceInput): EvidenceVerification {
  const { period } = input;
  const problems: ManifestProblem[] = [];
  const records = input.records.map(readRecord);
  const inRange = records.filter(
    (r): r is StoredRecord & { day: Day } => r.day !== null && inPeriod(period, r.day),
  );

  const manifests: Manifest[] = [];
  const checked: CheckedManifest[] = [];
  for (const object of input.manifests) {
    const date = dayOfManifestKey(object.key);
    if (date === null) continue;
    // The previous period's last manifest is read for the link only; its own problems are its period's.
    const report = inPeriod(period, date) ? problems : [];
    const manifest = readManifest(object, date, input.publicKeysPem, report);
    if (manifest !== null) manifests.push(manifest);
    if (!inPeriod(period, date)) continue;
    checked.push({
      key: object.key,
      date,
      keyId: manifest?.signed.signature.keyId ?? null,
      signature: manifest === null ? "unreadable" : manifest.valid ? "valid" : "invalid",
      records: manifest?.signed.manifest.records.length ?? 0,
    });
  }
  const trusted = manifests.filter((m) => m.valid && inPeriod(period, m.date));
  const { anchor, chainProblems } = checkChain(records, inRange, trusted);
  const notes: EvidenceNote[] = [];
  const open = (day: Day) => input.today !== undefined && day >= input.today;
  checkManifests(inRange, records, manifests, trusted, new Set(checked.map((m) => m.date)), open, {
    problems,
    notes,
  });
  checkSnapshotObjects(inRange, input.snapshotObjects ?? [], problems);
  const head = input.chainHead === undefined ? null : checkChainHead(input.chainHead, records, period);
  const markers = input.deleteMarkers === undefined ? null : checkDeleteMarkers(input.deleteMarkers, period);
  notes.push(...(head?.notes ?? []), ...(markers?.notes ?? []));

  problems.sort(compareManifestProblems);
  const all: EvidenceProblem[] = [
    ...chainProblems,
    ...problems,
    ...(head?.problems ?? []),
    ...(markers?.problems ?? []).sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key)),
  ];
  return {
    ok: all.length === 0,
    period,
    problems: all,
    notes: notes.sort(compareNotes),
    records: inRange.length,
    manifests: checked.sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key)),
    anchor,
  };
}

function readManifest(
  object: StoredObject,
  date: Day,
  publicKeysPem: readonly string[],
  problems: ManifestProblem[],
): Manifest | null {
  let value: unknown;
  try {
    value = JSON.parse(object.text);
  } catch {
    value = object.text;
  }
  const parsed = parseSignedManifest(value);
  if (!parsed.success) {
    const errors = parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    problems.push({
      kind: "manifest-invalid",
      key: object.key,
      errors: parsed.errors,
      message: `${object.key} is not a valid signed manifest: ${errors}`,
    });
    return null;
  }
  const signed = parsed.data;
  const valid = verifyManifestSignature(signed, publicKeysPem) !== null && signed.manifest.date === date;
  if (!valid) {
    const keyId = signed.signature.keyId;
    problems.push({
      kind: "bad-signature",
      key: object.key,
      keyId,
      message:
        signed.manifest.date === date
          ? `${object.key}: the signature (key ${keyId}) does not verify with the trusted public key${publicKeysPem.length === 1 ? "" : "s"}: the manifest was altered or signed by another key`
          : `${object.key} holds the manifest of ${signed.manifest.date}: it was moved or copied here`,
    });
  }
  return { key: object.key, date, signed, fileHash: hashSignedManifest(signed), valid };
}

/**
 * The chain over the period's sequence range. The range is what the period's records claim and its
 * trusted manifests list; records filed under a neighbouring day join when their sequence falls inside
 * it. The start is anchored on the signed manifest that lists the first sequence, when there is one.
 */
function checkChain(
  records: readonly StoredRecord[],
  inRange: readonly StoredRecord[],
  trusted: readonly Manifest[],
): { anchor: EvidenceVerification["anchor"]; chainProblems: ChainProblem[] } {
  const listed = trusted.flatMap((m) => m.signed.manifest.records);
  const sequences = [
    ...inRange.flatMap((r) => (r.claim === undefined ? [] : [r.claim])),
    ...listed.map((r) => r.sequence),
  ];
  if (sequences.length === 0) {
    const chain = verifyChain(inRange.map(({ key, value }) => ({ key, record: value })));
    return { anchor: null, chainProblems: chain.problems };
  }
  const min = Math.min(...sequences);
  const max = Math.max(...sequences);
  const listedKeys = new Set(listed.map((r) => r.key));
  const inRangeKeys = new Set(inRange.map((r) => r.key));
  const entries: ChainEntry[] = records
    .filter(
      (r) =>
        inRangeKeys.has(r.key) ||
        listedKeys.has(r.key) ||
        (r.claim !== undefined && r.claim >= min && r.claim <= max),
    )
    .sort((a, b) => compareStorageOrder(a.key, b.key))
    .map(({ key, value }) => ({ key, record: value }));

  const opening = trusted.find((m) => m.signed.manifest.firstSequence === min);
  const anchor =
    opening !== undefined
      ? { sequence: min, previousHash: opening.signed.manifest.previousRecord?.sha256 ?? null, signed: true }
      : unsignedAnchor(records, min);
  const chain = verifyChain(entries, { expectedFirst: anchor });
  return { anchor, chainProblems: chain.problems };
}

/** Without a manifest for the start, the first record's own link is taken as given (and reported unsigned). */
function unsignedAnchor(records: readonly StoredRecord[], min: number): ChainAnchor & { signed: boolean } {
  const first = records.find((r) => r.claim === min);
  const previousHash = (first?.value as { previousHash?: unknown } | undefined)?.previousHash;
  return {
    sequence: min,
    previousHash: min === 0 || typeof previousHash !== "string" ? null : previousHash,
    signed: false,
  };
}

function checkManifests(
  inRange: readonly (StoredRecord & { day: Day })[],
  records: readonly StoredRecord[],
  manifests: readonly Manifest[],
  trusted: readonly Manifest[],
  /** Days with an object at their manifest key, readable or not. */
  present: ReadonlySet<Day>,
  /** Whether a day is still open (its records need not all be in its manifest yet). */
  open: (day: Day) => boolean,
  { problems, notes }: { problems: ManifestProblem[]; notes: EvidenceNote[] },
): void {
  const byKey = new Map(records.map((r) => [r.key, r]));
  const listedByHash = new Map<string, ManifestRecord & { manifestKey: string }>();
  for (const m of trusted) {
    for (const r of m.signed.manifest.records) listedByHash.set(r.sha256, { ...r, manifestKey: m.key });
  }
  const manifestByDate = new Map(manifests.map((m) => [m.date, m]));

  for (const m of trusted) {
    const listedKeys = new Set<string>();
    for (const listed of m.signed.manifest.records) {
      listedKeys.add(listed.key);
      const stored = byKey.get(listed.key);
      if (stored === undefined) {
        problems.push({
          kind: "record-missing",
          key: listed.key,
          sequence: listed.sequence,
          manifestKey: m.key,
          message: `${listed.key} (sequence ${listed.sequence}) is listed in the signed manifest ${m.key} but is not in the bucket: it was removed`,
        });
      } else if (stored.hash !== listed.sha256) {
        problems.push(mismatch(stored, listed, m.key, listedByHash));
      }
    }
    linkToPrevious(m, manifestByDate, problems);
    const generatedAt = m.signed.manifest.generatedAt;
    for (const stored of inRange) {
      if (stored.day !== m.date || listedKeys.has(stored.key)) continue;
      const elsewhere = listedByHash.get(stored.hash);
      if (elsewhere !== undefined) problems.push(moved(stored, elsewhere, elsewhere.manifestKey));
      else if (open(m.date)) notes.push(notYetCovered(stored.key, m.date, generatedAt));
      else problems.push(unsigned(stored.key, m.key, m.date, generatedAt));
    }
  }

  const days = [...new Set(inRange.map((r) => r.day))].sort();
  for (const day of days) {
    if (present.has(day)) continue;
    const recordKeys = inRange.filter((r) => r.day === day).map((r) => r.key);
    if (open(day)) {
      notes.push(...recordKeys.map((key) => notYetCovered(key, day, null)));
      continue;
    }
    problems.push({
      kind: "manifest-missing",
      key: manifestKey(day),
      date: day,
      recordKeys,
      message: `${manifestKey(day)} is missing: the ${recordKeys.length} record(s) of ${day} are not covered by a signed manifest`,
    });
  }
}

function notYetCovered(key: string, date: Day, latestManifestAt: string | null): NotYetCoveredNote {
  return {
    kind: "not-yet-covered",
    key,
    date,
    manifestKey: manifestKey(date),
    latestManifestAt,
    message:
      latestManifestAt === null
        ? `${key} is not yet covered by a manifest: ${date} is still open and has none yet`
        : `${key} is not yet covered by a manifest: ${date} is still open and its latest manifest was written at ${latestManifestAt}`,
  };
}

/** A record of a closed day that its manifest does not list (a problem). */
function unsigned(key: string, manifestKeyOfDay: string, date: Day, generatedAt: string): ManifestProblem {
  // A manifest written during its own day is a refresh, not the closing manifest.
  const closing = generatedAt.slice(0, 10) > date;
  return {
    kind: "unsigned-record",
    key,
    manifestKey: manifestKeyOfDay,
    message: closing
      ? `${key} is not listed in the signed manifest ${manifestKeyOfDay}: it was added after the manifest was signed, or the manifest is behind`
      : `${key} is not listed in the signed manifest ${manifestKeyOfDay}, written at ${generatedAt} before the day ended: the closing manifest (written by the first evidence write of a later day) is missing, or the record was added afterwards`,
  };
}

/** Each snapshot record that keeps its rows in an object must find that object, byte for byte. */
function checkSnapshotObjects(
  inRange: readonly StoredRecord[],
  objects: readonly { key: string; sha256: string | null }[],
  problems: ManifestProblem[],
): void {
  const read = new Map(objects.map((o) => [o.key, o.sha256]));
  for (const record of inRange) {
    const object = snapshotObjectOf(record.value);
    if (object === null) continue;
    const actual = read.get(object.key) ?? null;
    if (actual === object.sha256) continue;
    problems.push({
      kind: actual === null ? "snapshot-object-missing" : "snapshot-object-altered",
      key: object.key,
      recordKey: record.key,
      expectedSha256: object.sha256,
      message:
        actual === null
          ? `${object.key}, the rows of snapshot ${record.key}, is not in the bucket`
          : `${object.key}, the rows of snapshot ${record.key}, was altered: the record lists SHA-256 ${object.sha256}, the object hashes to ${actual}`,
    });
  }
}

/** The rows object a stored snapshot record references, if it is a valid one that does. */
export function snapshotObjectOf(value: unknown): { key: string; sha256: string } | null {
  const parsed = parseEvidenceRecord(value);
  if (!parsed.success || parsed.data.kind !== "snapshot" || !("object" in parsed.data.body)) return null;
  return parsed.data.body.object;
}

function mismatch(
  stored: StoredRecord,
  listed: ManifestRecord,
  manifestKey: string,
  listedByHash: ReadonlyMap<string, ManifestRecord & { manifestKey: string }>,
): ManifestProblem {
  const elsewhere = listedByHash.get(stored.hash);
  if (elsewhere !== undefined) return moved(stored, elsewhere, elsewhere.manifestKey);
  return {
    kind: "record-altered",
    key: stored.key,
    sequence: listed.sequence,
    manifestKey,
    expectedSha256: listed.sha256,
    actualSha256: stored.hash,
    message: `${stored.key} (sequence ${listed.sequence}) was altered: the signed manifest ${manifestKey} lists SHA-256 ${listed.sha256}, the stored record hashes to ${stored.hash}`,
  };
}

function moved(stored: StoredRecord, listed: ManifestRecord, manifestKey: string): ManifestProblem {
  return {
    kind: "record-moved",
    key: stored.key,
    listedAs: listed.key,
    sequence: listed.sequence,
    manifestKey,
    message: `${stored.key} holds the record the signed manifest ${manifestKey} lists as ${listed.key} (sequence ${listed.sequence}): records were moved or reordered`,
  };
}

function linkToPrevious(
  m: Manifest,
  manifestByDate: ReadonlyMap<Day, Manifest>,
  problems: ManifestProblem[],
): void {
  const link = m.signed.manifest.previousManifest;
  if (link === null) return;
  const previousKey = manifestKey(link.date);
  const previous = manifestByDate.get(link.date);
  if (previous === undefined) {
    problems.push({
      kind: "manifest-link",
      key: m.key,
      previousKey,
      message: `${m.key} follows ${previousKey}, which is missing`,
    });
  } else if (previous.fileHash !== link.sha256) {
    problems.push({
      kind: "manifest-link",
      key: m.key,
      previousKey,
      message: `${m.key} follows ${previousKey} with SHA-256 ${link.sha256}, but that manifest now hashes to ${previous.fileHash}: it was replaced`,
    });
  }
}
