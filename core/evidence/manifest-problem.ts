import type { FieldError } from "../field-error.ts";

/*
 * What checking records against the signed daily manifests reports. Like chain problems, each names
 * the exact stored key it is about and says it in a sentence (`message`).
 */

/** A stored manifest that is not a valid signed manifest. */
export interface ManifestInvalidProblem {
  kind: "manifest-invalid";
  /** The manifest's key. */
  key: string;
  errors: FieldError[];
  message: string;
}

/** A manifest whose signature no given public key verifies: its content cannot be trusted. */
export interface BadSignatureProblem {
  kind: "bad-signature";
  key: string;
  /** The key the manifest says signed it. */
  keyId: string;
  message: string;
}

/** A day in the period holds records but no manifest. */
export interface ManifestMissingProblem {
  kind: "manifest-missing";
  /** The key the manifest should be at. */
  key: string;
  date: string;
  /** The day's stored records nothing vouches for. */
  recordKeys: string[];
  message: string;
}

/** A manifest whose link to the previous day's manifest is broken (that manifest missing or changed). */
export interface ManifestLinkProblem {
  kind: "manifest-link";
  key: string;
  previousKey: string;
  message: string;
}

/** A record the signed manifest lists is not in the bucket. */
export interface RecordMissingProblem {
  kind: "record-missing";
  key: string;
  sequence: number;
  manifestKey: string;
  message: string;
}

/** A stored record whose SHA-256 is not the one its signed manifest lists. */
export interface RecordAlteredProblem {
  kind: "record-altered";
  key: string;
  sequence: number;
  manifestKey: string;
  expectedSha256: string;
  actualSha256: string;
  message: string;
}

/** A stored record that is a record the manifests list under another key (moved or copied there). */
export interface RecordMovedProblem {
  kind: "record-moved";
  key: string;
  /** The key the signed manifest lists this content under. */
  listedAs: string;
  sequence: number;
  manifestKey: string;
  message: string;
}

/** A stored record its day's (validly signed) manifest does not list. */
export interface UnsignedRecordProblem {
  kind: "unsigned-record";
  key: string;
  manifestKey: string;
  message: string;
}

/** A snapshot's rows object, which its chained record vouches for by SHA-256, is missing or changed. */
export interface SnapshotObjectProblem {
  kind: "snapshot-object-missing" | "snapshot-object-altered";
  /** The rows object's key. */
  key: string;
  /** The snapshot record that references it. */
  recordKey: string;
  expectedSha256: string;
  message: string;
}

export type ManifestProblem =
  | SnapshotObjectProblem
  | ManifestInvalidProblem
  | BadSignatureProblem
  | ManifestMissingProblem
  | ManifestLinkProblem
  | RecordMissingProblem
  | RecordAlteredProblem
  | RecordMovedProblem
  | UnsignedRecordProblem;

export type ManifestProblemKind = ManifestProblem["kind"];

const kindOrder: readonly ManifestProblemKind[] = [
  "manifest-invalid",
  "bad-signature",
  "manifest-missing",
  "manifest-link",
  "record-missing",
  "record-altered",
  "record-moved",
  "unsigned-record",
  "snapshot-object-missing",
  "snapshot-object-altered",
];

/** Orders problems by key (UTF-16 order), then kind: the same input always gives the same report. */
export function compareManifestProblems(a: ManifestProblem, b: ManifestProblem): number {
  return (
    Number(a.key > b.key) - Number(a.key < b.key) || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)
  );
}
