import { createHash } from "node:crypto";
import { canonicalize, canonicalizeAt } from "./canonical-json.ts";
import {
  type EvidenceDraft,
  type EvidenceRecord,
  InvalidEvidenceRecordError,
  parseEvidenceRecord,
  sha256HexSchema,
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
  const { record, head: next } = prepareDraft(draft).link(head);
  return { record, head: next };
}

/** A draft validated and serialized once, to be linked to whichever head the chain has by then. */
export interface PreparedDraft {
  /**
   * The record at the position after `head`, its new head and its canonical JSON (what is stored and
   * hashed). Cheap: a writer that loses a race for the position links again.
   * @throws InvalidEvidenceRecordError when `head` is not a chain head (a malformed hash).
   */
  link(head: ChainHead | null): { record: EvidenceRecord; head: ChainHead; canonical: string };
}

/**
 * Validates `draft` and serializes its members once, so that linking it (taking a position in the
 * chain, which writers do one at a time) only adds the two chain fields, joins the text and hashes it.
 * The schema ties the chain fields to the rest only through "a null previousHash is sequence 0", so
 * the draft is validated as a first record and `link` checks the chain fields it adds.
 * @throws InvalidEvidenceRecordError when the draft does not match the schema.
 * @throws CanonicalJsonError when a free-form part holds a value JSON cannot represent.
 */
export function prepareDraft(draft: EvidenceDraft): PreparedDraft {
  const parsed = parseEvidenceRecord({ ...draft, sequence: 0, previousHash: null });
  if (!parsed.success) throw new InvalidEvidenceRecordError(parsed.errors);
  const members = Object.entries(draft)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, canonicalizeAt(value, [key])] as const);
  return {
    link(head) {
      const sequence = head === null ? 0 : head.sequence + 1;
      const previousHash = head?.hash ?? null;
      const linked = sha256HexSchema.nullable().safeParse(previousHash);
      if (!linked.success || !Number.isSafeInteger(sequence))
        throw new InvalidEvidenceRecordError([
          {
            path: "previousHash",
            message: `the chain head is malformed: ${String(previousHash)} at ${sequence}`,
          },
        ]);
      // The validated input, not zod's copy: zod rebuilds free-form objects and drops a `__proto__`
      // key (it sets the prototype instead), which would silently change what gets hashed. No schema
      // part transforms or defaults, so a value that passes is already an EvidenceRecord.
      const record = { ...draft, sequence, previousHash } as EvidenceRecord;
      // canonicalize(record), from the parts: properties in UTF-16 code unit order (canonical-json.ts).
      const canonical = `{${[
        ...members,
        ["previousHash", canonicalize(previousHash)] as const,
        ["sequence", canonicalize(sequence)] as const,
      ]
        // Property names are unique, so no two compare equal.
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, text]) => `${JSON.stringify(key)}:${text}`)
        .join(",")}}`;
      return { record, head: { hash: sha256Hex(canonical), sequence }, canonical };
    },
  };
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
