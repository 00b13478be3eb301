import type { FieldError } from "../field-error.ts";

/*
 * What `verifyChain` reports. Every problem names the stored key(s) it is about and says it in a
 * sentence (`message`) an auditor can act on.
 */

/** A stored value that is not a valid evidence record (or has no canonical JSON form). */
export interface InvalidRecordProblem {
  kind: "invalid";
  key: string;
  /** Its position in the chain when it could still be placed, else `null`. */
  sequence: number | null;
  /** Each schema or canonical-JSON failure with its path inside the record (`body.actions[0].status`). */
  errors: FieldError[];
  message: string;
}

/**
 * The chain does not start as it must: the record at the first sequence (0, or the anchor's) does not
 * carry the expected previousHash (`null` for a genesis record, the anchor's otherwise), or a record
 * comes before the anchor.
 */
export interface GenesisProblem {
  kind: "genesis";
  key: string;
  sequence: number;
  reason: "previous-hash" | "before-start";
  message: string;
}

/** Sequence numbers no stored record holds, between two records (or before the first). */
export interface GapProblem {
  kind: "gap";
  /** The missing sequence numbers, inclusive: a range, because a forged sequence can make it huge. */
  missing: { from: number; to: number };
  /** The record just before the gap; `null` when the gap is at the start. */
  beforeKey: string | null;
  afterKey: string;
  message: string;
}

/** Several stored records at the same chain position (copies or rival versions). */
export interface DuplicateProblem {
  kind: "duplicate";
  sequence: number;
  /** Every key at that position, in storage order. */
  keys: string[];
  message: string;
}

/**
 * Why a record is judged altered:
 * - `content`: its hash is not what the next record recorded as `previousHash`;
 * - `previous-hash`: its `previousHash` does not match the record before it, and its own hash does not
 *   match what the next record recorded (so its `previousHash`, at least, was changed);
 * - `sequence`: its `sequence` disagrees with the position its hash links prove.
 */
export type ModifiedReason = "content" | "previous-hash" | "sequence";

/** A record that was changed after it was written. */
export interface ModifiedProblem {
  kind: "modified";
  key: string;
  sequence: number;
  reasons: ModifiedReason[];
  /**
   * Set when the chain alone cannot tell which of two records changed: either `key`'s content, or the
   * `previousHash` of this record (the next one, which nothing after it vouches for). A signed manifest
   * of record hashes settles it.
   */
  alternativeKey?: string;
  message: string;
}

/** A record stored out of order: its sequence, proven by hash links, and its createdAt both disagree. */
export interface ReorderProblem {
  kind: "reorder";
  key: string;
  sequence: number;
  /** The record it follows in chain order; `null` if it is the first. */
  followsKey: string | null;
  message: string;
}

export type ChainProblem =
  | InvalidRecordProblem
  | GenesisProblem
  | GapProblem
  | DuplicateProblem
  | ModifiedProblem
  | ReorderProblem;

export type ChainProblemKind = ChainProblem["kind"];

const kindOrder: readonly ChainProblemKind[] = [
  "invalid",
  "genesis",
  "gap",
  "duplicate",
  "modified",
  "reorder",
];

/** Where a problem sits in the chain, for sorting (problems without a position go last). */
function position(problem: ChainProblem): number {
  if (problem.kind === "gap") return problem.missing.from;
  return problem.sequence ?? Number.POSITIVE_INFINITY;
}

function firstKey(problem: ChainProblem): string {
  if (problem.kind === "gap") return problem.afterKey;
  if (problem.kind === "duplicate") return problem.keys.join("\n");
  return problem.key;
}

/**
 * Orders problems by chain position, then kind, then key (UTF-16 order, locale-independent). Sorting is
 * stable and problems are produced in a fixed order, so the same input always gives the same report.
 */
export function compareProblems(a: ChainProblem, b: ChainProblem): number {
  const keyA = firstKey(a);
  const keyB = firstKey(b);
  return (
    // Infinity - Infinity is NaN, which `||` passes over like 0.
    position(a) - position(b) ||
    kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
    Number(keyA > keyB) - Number(keyA < keyB)
  );
}
