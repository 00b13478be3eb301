/*
 * What `evidence verify` reports without failing: facts an auditor should see that are not evidence of
 * tampering (a record of the still open day that the latest manifest does not cover yet, a check the
 * store could not run). Each says it in a sentence (`message`).
 */

/**
 * A record of the current (still open) day that the day's latest signed manifest does not list: the
 * evidence store writes a day's manifest at most every few seconds while the day is open, and a
 * closing manifest once it is over (adapters/daily-manifests.ts). The hash chain and the chain head
 * still vouch for it.
 */
export interface NotYetCoveredNote {
  kind: "not-yet-covered";
  /** The record's key. */
  key: string;
  date: string;
  /** The key of the day's manifest (which may not exist yet). */
  manifestKey: string;
  /** When the day's latest manifest was written; `null` when the day has none yet. */
  latestManifestAt: string | null;
  message: string;
}

/** A check that could not run against this store (no state table given, no ListObjectVersions). */
export interface CheckUnavailableNote {
  kind: "check-unavailable";
  check: "chain-head" | "delete-markers";
  message: string;
}

export type EvidenceNote = NotYetCoveredNote | CheckUnavailableNote;

/** Orders notes by kind, then key (or check): the same input always gives the same report. */
export function compareNotes(a: EvidenceNote, b: EvidenceNote): number {
  const x = `${a.kind}\n${a.kind === "check-unavailable" ? a.check : a.key}`;
  const y = `${b.kind}\n${b.kind === "check-unavailable" ? b.check : b.key}`;
  return Number(x > y) - Number(x < y);
}
