import type { CheckUnavailableNote } from "./evidence-note.ts";
import { type Day, dayOfRecordKey } from "./layout.ts";
import { inPeriod, type Period } from "./period.ts";

/*
 * The chain's end as the evidence store keeps it in DynamoDB (the state table's `chain` partition: the
 * `head` item and the `record#<sequence>` claims it walks forward from), checked against the bucket.
 * Signed manifests cannot catch a tail that was cut off and re-signed with the real key (or one whose
 * last manifest was never written); the claims in DynamoDB, which evidence writers can add to but not
 * delete, can.
 */

/** The last record the chain claims in DynamoDB. */
export interface KeptChainHead {
  sequence: number;
  /** SHA-256 of the record's canonical JSON (what the next record would link to). */
  hash: string;
  /** The key the record was stored under. */
  key: string;
}

/** What the verifier could read of the head: `head: null` is an empty chain. */
export type ChainHeadReading = { head: KeptChainHead | null } | { unavailable: string };

/** The chain head kept in DynamoDB names a record no stored record matches: the tail was removed. */
export interface ChainHeadProblem {
  kind: "chain-head";
  /** The key of the head record. */
  key: string;
  sequence: number;
  expectedSha256: string;
  /** The last sequence a stored record of the loaded days claims, up to the head; `null` when none. */
  storedThrough: number | null;
  message: string;
}

/** A stored record claims a position after the head kept in DynamoDB: the store never wrote it. */
export interface BeyondChainHeadProblem {
  kind: "beyond-chain-head";
  key: string;
  sequence: number;
  /** `null` when DynamoDB holds no chain at all. */
  headSequence: number | null;
  message: string;
}

/** A stored record as the head check sees it. */
export interface HeadCheckRecord {
  key: string;
  /** The sequence the record claims, if it is a readable one. */
  claim: number | undefined;
  /** SHA-256 of its canonical JSON. */
  hash: string;
}

export interface ChainHeadCheck {
  problems: (ChainHeadProblem | BeyondChainHeadProblem)[];
  notes: CheckUnavailableNote[];
}

/**
 * Checks the stored records (the period's days and the day on each side) against the head kept in
 * DynamoDB, read after the records were listed (so every record stored by then has its claim):
 * - a record claiming a sequence after the head is reported, whatever its day;
 * - when the head record is filed under a day of the period, a stored record must match it by hash,
 *   else the chain's tail is gone (removed, hidden, or never stored).
 */
export function checkChainHead(
  reading: ChainHeadReading,
  records: readonly HeadCheckRecord[],
  period: Period,
): ChainHeadCheck {
  if ("unavailable" in reading) {
    return {
      problems: [],
      notes: [
        {
          kind: "check-unavailable",
          check: "chain-head",
          message: `the chain head was not checked: ${reading.unavailable}`,
        },
      ],
    };
  }
  const { head } = reading;
  const problems: ChainHeadCheck["problems"] = [];
  for (const record of records) {
    if (record.claim === undefined || (head !== null && record.claim <= head.sequence)) continue;
    problems.push({
      kind: "beyond-chain-head",
      key: record.key,
      sequence: record.claim,
      headSequence: head?.sequence ?? null,
      message:
        head === null
          ? `${record.key} claims sequence ${record.claim}, but the chain kept in DynamoDB is empty: the evidence store did not write it`
          : `${record.key} claims sequence ${record.claim}, after the chain head kept in DynamoDB (sequence ${head.sequence}): the evidence store did not write it`,
    });
  }
  const headDay: Day | null = head === null ? null : dayOfRecordKey(head.key);
  if (head !== null && headDay !== null && inPeriod(period, headDay)) {
    if (!records.some((r) => r.hash === head.hash)) {
      const before = records.flatMap((r) =>
        r.claim !== undefined && r.claim < head.sequence ? [r.claim] : [],
      );
      const storedThrough = before.length === 0 ? null : Math.max(...before);
      problems.push({
        kind: "chain-head",
        key: head.key,
        sequence: head.sequence,
        expectedSha256: head.hash,
        storedThrough,
        message: `the chain head kept in DynamoDB is ${head.key} (sequence ${head.sequence}, SHA-256 ${head.hash}), but no stored record matches it: ${
          storedThrough === null
            ? "no stored record of these days comes before it"
            : `the stored chain ends at sequence ${storedThrough}`
        }, so the tail was removed or hidden (or a write is still in flight: verify again)`,
      });
    }
  }
  return { problems, notes: [] };
}
