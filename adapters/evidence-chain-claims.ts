import { gzipSync } from "node:zlib";
import { PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ChainHead, PreparedDraft } from "../core/evidence/hash-chain.ts";
import { evidenceKey } from "../core/evidence/layout.ts";
import { CHAIN, pad, walkChainHead } from "./evidence-chain-table.ts";
import type { StateTable } from "./state-table.ts";

/** A record that holds its chain position: what the evidence store indexes and stores. */
export interface ClaimedRecord {
  key: string;
  /** Its canonical JSON: what is stored and hashed. */
  body: string;
  hash: string;
  sequence: number;
  previousHash: string | null;
}

/** Too many concurrent writers for one append's attempts: transient, the workflow retries it. */
export class ChainContentionError extends Error {
  override name = "ChainContentionError";
}

/** DynamoDB items hold at most 400 KB; keep the compressed body in the claim only below this. */
const MAX_CLAIMED_BODY_BYTES = 300_000;
/** TransactWriteItems takes at most 100 actions (API reference). */
const MAX_GROUP_RECORDS = 100;
/** ...whose items add up to at most 4 MB; a group stops short of that, with room for the other attributes. */
const MAX_GROUP_BYTES = 3_000_000;
/** How long one append tries to claim a chain position before it lets the workflow retry it. */
const CLAIM_BUDGET_MS = 15_000;
const MAX_ATTEMPTS = 50;
/** The longest pause of a background writer: before it claims, and after each lost race. */
export const BACKGROUND_BACKOFF_MS = 3_000;
const NORMAL_MAX_BACKOFF_MS = 250;

/**
 * The gzipped record kept with its chain claim, so a retried write stores exactly the record the
 * chain already links to. A record too large for an item (a huge snapshot) is not kept: if its S3
 * write never succeeds, `evidence verify` reports the gap at its sequence.
 */
function recoverableBody(body: string): { body?: Uint8Array } {
  const zipped = gzipSync(body);
  return zipped.byteLength <= MAX_CLAIMED_BODY_BYTES ? { body: zipped } : {};
}

interface Waiting {
  draft: PreparedDraft;
  writerKey: string;
  background: boolean;
  settle: (outcome: { claimed: ClaimedRecord; headMoved: Promise<unknown> } | { error: unknown }) => void;
}

/** Another writer took a position first (a conditional put, or a transaction's condition, failed). */
function lostRace(error: unknown): boolean {
  const { name, CancellationReasons } = error as {
    name?: string;
    CancellationReasons?: { Code?: string }[];
  };
  if (name === "ConditionalCheckFailedException") return true;
  return (
    name === "TransactionCanceledException" &&
    (CancellationReasons ?? []).some(
      (r) => r.Code === "ConditionalCheckFailed" || r.Code === "TransactionConflict",
    )
  );
}

/**
 * Claims chain positions for this process's evidence writers, in groups. A record claims
 * `record#<sequence>` with a conditional put (`attribute_not_exists`), so concurrent writers never fork
 * the chain. The writers of one process do not race each other: while one claim is in flight the
 * others wait, and the next claim takes every writer waiting (up to 100 records, 3 MB) at once, linking
 * them one after another and writing their claims in one `TransactWriteItems` (all or none: a group
 * never leaves a record linked to a position another writer holds). One writer alone is one `PutItem`.
 * A layoff's burst of records on the local stack, which runs every run in one process, then takes a
 * few round trips instead of one each (which held WriteEvidence at about 5 records a second).
 * Other processes (concurrent Lambda invocations, one record each) still race; a lost race backs off
 * with full jitter and reads the head again.
 */
export class ChainClaims {
  readonly #table: StateTable;
  readonly #waiting: Waiting[] = [];
  #claiming = false;
  /**
   * The last position this process claimed: its next claim tries the position after it without
   * reading the head (two consistent reads, and a walk while the head lags), and reads the head only
   * when another process took that position meanwhile.
   */
  #claimedHead: ChainHead | null = null;

  constructor(table: StateTable) {
    this.#table = table;
  }

  /**
   * Claims the next free position for `draft`, then records which writer holds it and moves the cached
   * head (those only speed up a retried append and other processes' head reads: the claim is the truth).
   * @throws ChainContentionError when no position could be claimed within the budget.
   */
  async claim(draft: PreparedDraft, writerKey: string, background: boolean): Promise<ClaimedRecord> {
    const outcome = await new Promise<Parameters<Waiting["settle"]>[0]>((settle) => {
      this.#waiting.push({ draft, writerKey, background, settle });
      this.#next();
    });
    if ("error" in outcome) throw outcome.error;
    const { claimed, headMoved } = outcome;
    await Promise.all([
      this.#table.doc.send(
        new PutCommand({
          TableName: this.#table.tableName,
          Item: { pk: CHAIN, sk: `writer#${writerKey}`, sequence: claimed.sequence },
        }),
      ),
      headMoved,
    ]);
    return claimed;
  }

  /** Starts the next group's claim unless one is in flight. */
  #next(): void {
    if (this.#claiming || this.#waiting.length === 0) return;
    this.#claiming = true;
    const group = this.#waiting.splice(0, MAX_GROUP_RECORDS);
    this.#claimGroup(group)
      .then(
        (claims) => {
          const last = claims.at(-1) as ClaimedRecord;
          const headMoved = this.#moveHead(last);
          for (const [i, claimed] of claims.entries()) group[i]?.settle({ claimed, headMoved });
          // Writers the size limit left out go first next time.
          this.#waiting.unshift(...group.slice(claims.length));
        },
        (error: unknown) => {
          for (const w of group) w.settle({ error });
        },
      )
      .finally(() => {
        this.#claiming = false;
        this.#next();
      });
  }

  /** Claims positions for a prefix of `group` (all of it unless the size limit cuts it short). */
  async #claimGroup(group: Waiting[]): Promise<ClaimedRecord[]> {
    const maxBackoffMs = group.every((w) => w.background) ? BACKGROUND_BACKOFF_MS : NORMAL_MAX_BACKOFF_MS;
    // Bounded in time too: a task must end well inside its Lambda timeout; the workflow retries it.
    const giveUpAt = Date.now() + CLAIM_BUDGET_MS;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && Date.now() < giveUpAt; attempt++) {
      const start =
        attempt === 0 && this.#claimedHead !== null ? this.#claimedHead : await walkChainHead(this.#table);
      const { claims, items, end } = this.#link(group, start);
      try {
        if (items.length === 1)
          await this.#table.doc.send(
            new PutCommand({
              TableName: this.#table.tableName,
              Item: items[0],
              ConditionExpression: "attribute_not_exists(sk)",
            }),
          );
        else
          await this.#table.doc.send(
            new TransactWriteCommand({
              TransactItems: items.map((Item) => ({
                Put: {
                  TableName: this.#table.tableName,
                  Item,
                  ConditionExpression: "attribute_not_exists(sk)",
                },
              })),
            }),
          );
      } catch (error) {
        if (!lostRace(error)) throw error;
        // Another process took a position. Back off with full jitter: a burst of writers (a flood of
        // events, a layoff) retrying at once would otherwise re-read the head in lockstep.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(maxBackoffMs, 5 * 2 ** attempt)));
        continue;
      }
      this.#claimedHead = end;
      return claims;
    }
    throw new ChainContentionError(
      `could not claim a chain position within ${CLAIM_BUDGET_MS} ms or ${MAX_ATTEMPTS} attempts (too many concurrent writers)`,
    );
  }

  /** Links the group's drafts one after another from `start`, as far as one write may carry. */
  #link(group: Waiting[], start: ChainHead | null) {
    const claims: ClaimedRecord[] = [];
    const items: Record<string, unknown>[] = [];
    let head = start;
    let bytes = 0;
    for (const w of group) {
      const { record, head: next, canonical } = w.draft.link(head);
      const kept = recoverableBody(canonical);
      const size = (kept.body?.byteLength ?? 0) + 1_000; // the key, hash and writer key, generously
      if (items.length > 0 && bytes + size > MAX_GROUP_BYTES) break;
      bytes += size;
      const key = evidenceKey(record);
      items.push({
        pk: CHAIN,
        sk: `record#${pad(next.sequence)}`,
        key,
        hash: next.hash,
        writerKey: w.writerKey,
        ...kept,
      });
      claims.push({
        key,
        body: canonical,
        hash: next.hash,
        sequence: next.sequence,
        previousHash: record.previousHash,
      });
      head = next;
    }
    return { claims, items, end: head as ChainHead };
  }

  /** Moves the cached head to `last` unless a later record already did. */
  async #moveHead(last: ClaimedRecord): Promise<void> {
    await this.#table.doc
      .send(
        new UpdateCommand({
          TableName: this.#table.tableName,
          Key: { pk: CHAIN, sk: "head" },
          UpdateExpression: "SET #s = :s, #h = :h",
          ConditionExpression: "attribute_not_exists(#s) OR #s < :s",
          ExpressionAttributeNames: { "#s": "sequence", "#h": "hash" },
          ExpressionAttributeValues: { ":s": last.sequence, ":h": last.hash },
        }),
      )
      .catch(() => undefined); // a later record already moved the head: fine
  }
}
