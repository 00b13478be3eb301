import type { EvidenceRecord } from "./record.ts";

/*
 * Where evidence lives in the bucket (docs/evidence.md, "Layout"):
 *
 *   v1/runs/YYYY/MM/DD/<HHMMSSmmm>-<recordId>.json       a run record (user-run, estate-run)
 *   v1/snapshots/YYYY/MM/DD/<HHMMSSmmm>-<recordId>.json  an access snapshot
 *   v1/chain/YYYY/MM/DD.json                             the signed manifest of that day's records
 *
 * The date and time are the record's `createdAt` (UTC), so a period is a set of day folders.
 */

/** A UTC calendar day, `YYYY-MM-DD`. */
export type Day = string;

/** The folders records live under, by kind. */
export const RECORD_PREFIXES = ["v1/runs/", "v1/snapshots/"] as const;
/** The folder of the signed daily manifests. */
export const MANIFEST_PREFIX = "v1/chain/";

const RECORD_KEY = /^v1\/(?:runs|snapshots)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{9}-.+)\.json$/;
const MANIFEST_KEY = /^v1\/chain\/(\d{4})\/(\d{2})\/(\d{2})\.json$/;

/** The key a record is stored under. */
export function evidenceKey(record: Pick<EvidenceRecord, "kind" | "createdAt" | "recordId">): string {
  const [date = "", time = ""] = record.createdAt.split("T");
  const folder = record.kind === "snapshot" ? "snapshots" : "runs";
  return `v1/${folder}/${date.replaceAll("-", "/")}/${time.replace(/[:.Z]/g, "")}-${record.recordId}.json`;
}

/** The key of the signed manifest of `day`. */
export function manifestKey(day: Day): string {
  return `${MANIFEST_PREFIX}${day.replaceAll("-", "/")}.json`;
}

/** The day a record key is filed under, or `null` when the key is not a record key. */
export function dayOfRecordKey(key: string): Day | null {
  const match = RECORD_KEY.exec(key);
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

/** The day of a manifest key, or `null` when the key is not a manifest key. */
export function dayOfManifestKey(key: string): Day | null {
  const match = MANIFEST_KEY.exec(key);
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

const DAY_FOLDER = /^v1\/(?:runs|snapshots|chain)\/(\d{4})\/(\d{2})\/(\d{2})[/.]/;

/**
 * The day of any object under the evidence layout (a record, a snapshot's rows object, a manifest),
 * or `null` for a key outside it.
 */
export function dayOfEvidenceKey(key: string): Day | null {
  const match = DAY_FOLDER.exec(key);
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

/**
 * Storage order of record keys: by the date and time in the key, whatever the kind folder, so runs
 * and snapshots interleave as they were written. Keys that are not record keys sort last, by key.
 */
export function compareStorageOrder(a: string, b: string): number {
  const at = RECORD_KEY.exec(a);
  const bt = RECORD_KEY.exec(b);
  const sortKey = (key: string, m: RegExpExecArray | null) =>
    m === null ? `~${key}` : `${m[1]}${m[2]}${m[3]}${m[4]}`;
  const x = sortKey(a, at);
  const y = sortKey(b, bt);
  return Number(x > y) - Number(x < y);
}
