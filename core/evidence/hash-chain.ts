import { createHash } from "node:crypto";
import { canonicalize } from "./canonical-json.ts";
import {
  type EvidenceDraft,
  type EvidenceRecord,
  InvalidEvidenceRecordError,
  parseEvidenceRecord,
} from "./record.ts";

/*
 * The hash chain: record n carries `previousHash = SHA-256(canonical JSON of record n-1)` and
 * `sequence = n`. Changing any byte of a record changes its hash, which no longer matches what the
 * next record carries; `verifyChain` finds where. Records are meant to be stored as their canonical
 * JSON (see `canonicalize`), so `sha256sum` of a stored object equals its `hashRecord`.
 */

/** Where a chain ends: what the next record links to. */
export interface ChainHead {
  /** `hashRecord` of the last record. */
  hash: string;
  sequence: number;
}

/** Hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Hex SHA-256 of the canonical JSON of `value`. @throws CanonicalJsonError for non-JSON values. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalize(value));
}

/** Hex SHA-256 of a record's canonical JSON: what the next record carries as `previousHash`. */
export function hashRecord(record: EvidenceRecord): string {
  return hashJson(record);
}

/**
 * Links one draft to the chain ending at `head` (`null`: the draft starts a new chain) and returns the
 * record with the new head. Pure: persisting the record and the head is the caller's job.
 * @throws InvalidEvidenceRecordError when the record does not match the schema (nothing invalid is chained).
 * @throws CanonicalJsonError when a free-form part holds a value JSON cannot represent.
 */
export function appendToChain(
  head: ChainHead | null,
  draft: EvidenceDraft,
): { record: EvidenceRecord; head: ChainHead } {
  const sequence = head === null ? 0 : head.sequence + 1;
  const candidate = { ...draft, sequence, previousHash: head?.hash ?? null };
  const parsed = parseEvidenceRecord(candidate);
  if (!parsed.success) throw new InvalidEvidenceRecordError(parsed.errors);
  // The validated input, not zod's copy: zod rebuilds free-form objects and drops a `__proto__` key
  // (it sets the prototype instead), which would silently change what gets hashed. No schema part
  // transforms or defaults, so a value that passes is already an EvidenceRecord.
  const record = candidate as EvidenceRecord;
  return { record, head: { hash: hashRecord(record), sequence } };
}

/** Chains drafts in order after `previous` (or from a new chain when `null`). Pure. */
export function chainRecords(drafts: readonly EvidenceDraft[], previous: ChainHead | null): EvidenceRecord[] {
  const records: EvidenceRecord[] = [];
  let head = previous;
  for (const draft of drafts) {
    const linked = appendToChain(head, draft);
    records.push(linked.record);
    head = linked.head;
  }
  return records;
}
