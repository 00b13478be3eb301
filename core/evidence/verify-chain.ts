import type { FieldError } from "../field-error.ts";
import { tryCanonicalize } from "./canonical-json.ts";
import {
  type ChainProblem,
  compareProblems,
  type DuplicateProblem,
  type GapProblem,
  type GenesisProblem,
  type ModifiedReason,
  type ReorderProblem,
} from "./chain-problem.ts";
import { sha256Hex } from "./hash-chain.ts";
import { parseEvidenceRecord } from "./record.ts";

/*
 * Chain verification. Evidence sits in storage (S3) under keys; an attacker or an accident can alter,
 * remove, copy or move records. Principles:
 *
 * - Hash links are the proof. Record n+1 carries SHA-256(record n); sequence numbers and createdAt are
 *   claims inside records. A record's position is taken from its hash link when it has one (its
 *   previousHash is the hash of a stored record, or the expected start), else from its sequence.
 *   So a forged `sequence` is reported as a modification of that record, not as a gap plus a duplicate.
 * - Blame the fewest records that explain every broken link. Altering record i (any field but
 *   previousHash) breaks only the link i -> i+1: record i is reported, not i+1. Altering i's
 *   previousHash breaks i-1 -> i and i -> i+1: i is reported. When nothing after i+1 can be checked,
 *   "i's content" and "i+1's previousHash" look the same: i is reported with i+1 as `alternativeKey`.
 * - Storage order is the order keys list in. A record is reported as reordered only when its chain
 *   position (proven by an intact hash link) AND its createdAt both disagree with where it is stored:
 *   two records written in the same millisecond may legitimately list in either order.
 * - What the chain alone cannot see: removal or alteration of the LAST record (nothing after it
 *   vouches for it). The signed daily manifest (issue 5) lists every record's hash and covers it.
 */

/** A stored record as read back: its storage key and its parsed JSON. */
export interface ChainEntry {
  key: string;
  record: unknown;
}

/** Where a verified range starts, when it does not start at the genesis record. */
export interface ChainAnchor {
  /** The first sequence of the range. */
  sequence: number;
  /** What the record at `sequence` must carry: the hash of the record before it (`null` at genesis). */
  previousHash: string | null;
}

export interface VerifyChainOptions {
  /**
   * Verify a range that starts mid-chain (a date range), anchored on a known hash.
   * @default { sequence: 0, previousHash: null } (the range starts at the genesis record)
   */
  expectedFirst?: ChainAnchor;
}

export interface ChainVerification {
  /** `true` when no problem was found. */
  ok: boolean;
  /** Sorted by chain position, then kind, then key. */
  problems: ChainProblem[];
  /** How many of the given records no problem names. */
  verified: number;
}

const GENESIS: ChainAnchor = { sequence: 0, previousHash: null };

/** One stored record, as far as the chain is concerned. */
interface Entry {
  /** Position in storage order. */
  index: number;
  key: string;
  /** The `sequence` the record claims, when it is a non-negative integer. */
  claim: number | undefined;
  previousHash: unknown;
  /** The record's hash, or a unique symbol when it has no canonical form (no stored value can equal it). */
  identity: string | symbol;
  errors: FieldError[];
  /** `createdAt` in ms, for fully valid records (the only ones a reorder is judged on). */
  createdAtMs: number | undefined;
  /** Its chain position, once placed (see `placeEntries`). */
  sequence?: number;
}

type Placed = Entry & { sequence: number };

/** The state of the hash link into a record from the one before it in chain order. */
type Link = "ok" | "broken" | "unknown";

/**
 * Verifies stored evidence records, given in storage order, and reports every gap, reorder,
 * modification, duplicate, invalid record and wrong start precisely (see the file comment).
 */
export function verifyChain(
  records: readonly ChainEntry[],
  options: VerifyChainOptions = {},
): ChainVerification {
  const start = options.expectedFirst ?? GENESIS;
  const entries = records.map(readEntry);
  const findings = new Findings();

  const placed = placeEntries(entries, start);
  const { chain, duplicated } = chainOrder(entries, placed, findings);
  const ranged = chain.filter((entry) => {
    if (entry.sequence >= start.sequence) return true;
    findings.add(beforeStartProblem(entry, start), entry);
    return false;
  });
  const claimedElsewhere = noteSequenceMismatches(placed, findings);
  const links = checkLinks(ranged, start, claimedElsewhere, findings);
  blameBrokenLinks(ranged, links, start, findings);
  findReorders(ranged, links, duplicated, findings);
  for (const entry of entries) if (entry.errors.length > 0) findings.add(invalidProblem(entry), entry);

  return findings.result(entries.length);
}

/** Collects problems, the records they name, and the evidence against each modified record. */
class Findings {
  readonly #problems: ChainProblem[] = [];
  readonly #named = new Set<Entry>();
  readonly #modified = new Map<
    Placed,
    { reasons: ModifiedReason[]; details: string[]; alternativeKey?: string }
  >();

  add(problem: ChainProblem, ...named: Entry[]): void {
    this.#problems.push(problem);
    for (const entry of named) this.#named.add(entry);
  }

  /** Records one reason to think `entry` was altered; each entry becomes one `modified` problem. */
  modified(entry: Placed, reason: ModifiedReason, detail: string, alternativeKey?: string): void {
    const found = this.#modified.get(entry) ?? { reasons: [], details: [] };
    found.reasons.push(reason);
    found.details.push(detail);
    if (alternativeKey !== undefined) found.alternativeKey = alternativeKey;
    this.#modified.set(entry, found);
  }

  result(recordCount: number): ChainVerification {
    for (const [entry, { reasons, details, alternativeKey }] of this.#modified) {
      const alternative =
        alternativeKey === undefined ? "" : ` (or ${alternativeKey}'s previousHash was altered)`;
      const problem: ChainProblem = {
        kind: "modified",
        key: entry.key,
        sequence: entry.sequence,
        reasons,
        ...(alternativeKey === undefined ? {} : { alternativeKey }),
        message: `${entry.key} was modified: ${details.join("; ")}${alternative}`,
      };
      this.add(problem, entry);
    }
    const problems = [...this.#problems].sort(compareProblems);
    return { ok: problems.length === 0, problems, verified: recordCount - this.#named.size };
  }
}

function readEntry({ key, record }: ChainEntry, index: number): Entry {
  const parsed = parseEvidenceRecord(record);
  const canonical = tryCanonicalize(record);
  const errors: FieldError[] = parsed.success ? [] : [...parsed.errors];
  if (!canonical.ok) errors.push({ path: canonical.error.path, message: canonical.error.message });
  const fields = (typeof record === "object" && record !== null ? record : {}) as Record<string, unknown>;
  const claim = fields.sequence;
  return {
    index,
    key,
    claim: typeof claim === "number" && Number.isSafeInteger(claim) && claim >= 0 ? claim : undefined,
    previousHash: fields.previousHash,
    identity: canonical.ok ? sha256Hex(canonical.json) : Symbol(key),
    errors,
    createdAtMs: parsed.success && canonical.ok ? Date.parse(parsed.data.createdAt) : undefined,
  };
}

/**
 * Chain positions. A record whose previousHash is the hash of a stored record (or the expected start)
 * sits right after it, whatever its `sequence` says, unless another record claims that place (then
 * the link is forged and the record keeps its own claim). Records with neither a link nor a readable
 * sequence cannot be placed (they are reported invalid). Returns the placed entries in storage order.
 */
function placeEntries(entries: readonly Entry[], start: ChainAnchor): Placed[] {
  const byIdentity = new Map<string | symbol, Entry>();
  const claimants = new Map<number, Entry[]>();
  for (const entry of entries) {
    if (!byIdentity.has(entry.identity)) byIdentity.set(entry.identity, entry);
    if (entry.claim !== undefined) claimants.set(entry.claim, [...(claimants.get(entry.claim) ?? []), entry]);
  }
  // Copies share an identity: a copy claiming a place is not a rival for it.
  const rivalClaims = (sequence: number, entry: Entry) =>
    (claimants.get(sequence) ?? []).some((other) => other.identity !== entry.identity);
  const predecessor = (entry: Entry) => byIdentity.get(entry.previousHash as string);

  const visited = new Set<Entry>();
  const place = (entry: Entry): number | undefined => {
    const parent = predecessor(entry);
    const parentSequence =
      parent !== undefined
        ? parent.sequence
        : entry.previousHash === start.previousHash
          ? start.sequence - 1
          : undefined;
    if (parentSequence !== undefined) {
      const sequence = parentSequence + 1;
      if (entry.claim === sequence || !rivalClaims(sequence, entry)) return sequence;
    }
    return entry.claim;
  };
  for (const entry of entries) {
    // Walk up to an already placed ancestor, then place downwards (no recursion: chains are long).
    const pending: Entry[] = [];
    for (let at: Entry | undefined = entry; at !== undefined && !visited.has(at); at = predecessor(at)) {
      pending.push(at);
      visited.add(at);
    }
    for (const at of pending.reverse()) at.sequence = place(at);
  }
  return entries.filter((entry): entry is Placed => entry.sequence !== undefined);
}

/**
 * The chain in sequence order, one record per position. Where several records share a position they
 * are all reported as duplicates, and the chain goes on through the one a later record vouches for.
 */
function chainOrder(
  entries: readonly Entry[],
  placed: readonly Placed[],
  findings: Findings,
): { chain: Placed[]; duplicated: ReadonlySet<Entry> } {
  const groups = new Map<number, Placed[]>();
  for (const entry of placed) groups.set(entry.sequence, [...(groups.get(entry.sequence) ?? []), entry]);
  const vouchedFor = new Set<unknown>(entries.map((entry) => entry.previousHash));
  const duplicated = new Set<Entry>();
  const chain: Placed[] = [];
  for (const [sequence, group] of [...groups].sort(([a], [b]) => a - b)) {
    const [first, ...others] = group as [Placed, ...Placed[]];
    chain.push(group.find((entry) => vouchedFor.has(entry.identity)) ?? first);
    if (others.length === 0) continue;
    for (const entry of group) duplicated.add(entry);
    findings.add(duplicateProblem(sequence, group), ...group);
  }
  return { chain, duplicated };
}

/**
 * Reports records whose hash link puts them somewhere their `sequence` does not say. Returns the
 * sequences they claim: those places are not missing, the record was moved (by editing) out of them.
 */
function noteSequenceMismatches(placed: readonly Placed[], findings: Findings): ReadonlySet<number> {
  const claimed = new Set<number>();
  for (const entry of placed) {
    if (entry.claim === entry.sequence) continue;
    if (entry.claim !== undefined) claimed.add(entry.claim);
    const detail = `its sequence is ${String(entry.claim)} but its hash link places it at ${entry.sequence}`;
    findings.modified(entry, "sequence", detail);
  }
  return claimed;
}

/** The link into each record of `chain` (in order), reporting the gaps between non-consecutive records. */
function checkLinks(
  chain: readonly Placed[],
  start: ChainAnchor,
  claimedElsewhere: ReadonlySet<number>,
  findings: Findings,
): Link[] {
  let previous: Placed | undefined;
  return chain.map((entry) => {
    const before = previous;
    previous = entry;
    const expected = before === undefined ? start.sequence : before.sequence + 1;
    if (entry.sequence === expected) {
      const expectedHash = before === undefined ? start.previousHash : before.identity;
      return entry.previousHash === expectedHash ? "ok" : "broken";
    }
    for (const missing of missingRanges(expected, entry.sequence - 1, claimedElsewhere)) {
      findings.add(gapProblem(missing, before?.key ?? null, entry.key));
    }
    return "unknown";
  });
}

/** The numbers from..to that no record claims, as maximal ranges. */
function missingRanges(
  from: number,
  to: number,
  claimed: ReadonlySet<number>,
): { from: number; to: number }[] {
  const inside = [...claimed].filter((n) => n >= from && n <= to).sort((a, b) => a - b);
  const ranges: { from: number; to: number }[] = [];
  let next = from;
  for (const n of [...inside, to + 1]) {
    if (n > next) ranges.push({ from: next, to: n - 1 });
    next = n + 1;
  }
  return ranges;
}

/**
 * Names the fewest records that explain every broken link: two broken links in a row point at the
 * record between them; a single broken link points at the record before it (its content changed).
 */
function blameBrokenLinks(
  chain: readonly Placed[],
  links: readonly Link[],
  start: ChainAnchor,
  findings: Findings,
) {
  for (let i = 0; i < chain.length; i++) {
    if (links[i] !== "broken") continue;
    const entry = chain[i] as Placed;
    const before = chain[i - 1];
    const next = chain[i + 1];
    if (next !== undefined && links[i + 1] === "broken") {
      const detail = `its previousHash does not match ${before?.key ?? "the expected start"} and its hash does not match the previousHash of ${next.key}`;
      findings.modified(entry, "previous-hash", detail);
      i++;
    } else if (before !== undefined) {
      // Nothing vouches for this record's own previousHash when the next link cannot be checked.
      const alternative = links[i + 1] === "ok" ? undefined : entry.key;
      findings.modified(
        before,
        "content",
        `its hash does not match the previousHash recorded by ${entry.key}`,
        alternative,
      );
    }
    if (before === undefined) findings.add(wrongStartProblem(entry, start), entry);
  }
}

/**
 * Records whose storage position disagrees with both their chain position and their createdAt. Only
 * records whose position is proven count: fully valid, not duplicated, with an intact link on either side.
 */
function findReorders(
  chain: readonly Placed[],
  links: readonly Link[],
  duplicated: ReadonlySet<Entry>,
  findings: Findings,
): void {
  const proven = chain.filter(
    (entry, i) =>
      entry.createdAtMs !== undefined &&
      !duplicated.has(entry) &&
      (links[i] === "ok" || links[i + 1] === "ok"),
  );
  const rankIn = (order: Placed[]) => new Map(order.map((entry, rank) => [entry, rank]));
  const storageRank = rankIn([...proven].sort((a, b) => a.index - b.index));
  const timeRank = rankIn(
    [...proven].sort((a, b) => (a.createdAtMs as number) - (b.createdAtMs as number) || a.index - b.index),
  );
  proven.forEach((entry, chainRank) => {
    const stored = storageRank.get(entry);
    if (stored === chainRank || stored === timeRank.get(entry)) return;
    findings.add(reorderProblem(entry, proven[chainRank - 1]?.key ?? null), entry);
  });
}

function invalidProblem(entry: Entry): ChainProblem {
  const errors = entry.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return {
    kind: "invalid",
    key: entry.key,
    sequence: entry.sequence ?? null,
    errors: entry.errors,
    message: `${entry.key} is not a valid evidence record: ${errors}`,
  };
}

function duplicateProblem(sequence: number, group: readonly Entry[]): DuplicateProblem {
  const keys = group.map((entry) => entry.key);
  return {
    kind: "duplicate",
    sequence,
    keys,
    message: `${keys.length} records hold chain position ${sequence}: ${keys.join(", ")}`,
  };
}

function gapProblem(
  missing: { from: number; to: number },
  beforeKey: string | null,
  afterKey: string,
): GapProblem {
  const what =
    missing.from === missing.to
      ? `sequence ${missing.from} is`
      : `sequences ${missing.from} to ${missing.to} are`;
  return {
    kind: "gap",
    missing,
    beforeKey,
    afterKey,
    message: `${what} missing between ${beforeKey ?? "the start of the chain"} and ${afterKey}`,
  };
}

function reorderProblem(entry: Placed, followsKey: string | null): ReorderProblem {
  return {
    kind: "reorder",
    key: entry.key,
    sequence: entry.sequence,
    followsKey,
    message: `${entry.key} (sequence ${entry.sequence}) is stored out of order: its hash-linked sequence and its createdAt place it after ${followsKey ?? "nothing (it comes first)"}`,
  };
}

function wrongStartProblem(entry: Placed, start: ChainAnchor): GenesisProblem {
  return {
    kind: "genesis",
    key: entry.key,
    sequence: entry.sequence,
    reason: "previous-hash",
    message: `${entry.key} (sequence ${entry.sequence}) is first but its previousHash is ${String(entry.previousHash)}, expected ${String(start.previousHash)}`,
  };
}

function beforeStartProblem(entry: Placed, start: ChainAnchor): GenesisProblem {
  return {
    kind: "genesis",
    key: entry.key,
    sequence: entry.sequence,
    reason: "before-start",
    message: `${entry.key} (sequence ${entry.sequence}) comes before the first expected sequence ${start.sequence}`,
  };
}
