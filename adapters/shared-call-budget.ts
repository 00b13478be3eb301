import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { StateTable } from "./state-table.ts";

/** The state table's partition of shared budgets (one item per budget). */
export const BUDGET_PARTITION = "budget";

/**
 * Who spends: a leaver's (revocation) run before everything else; an estate run only what leaves the
 * reserve, and nothing while a revocation run spent recently.
 */
export type BudgetPriority = "revocation" | "estate";

export interface SharedCallBudgetOptions {
  /** The budget's name, its item's sort key. @default "sso-admin" */
  name?: string;
  /**
   * IAM Identity Center's APIs share one account-wide throttle ("a collective throttle maximum of
   * 20 transactions per second", https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html;
   * design.md "Limits"), whatever function or process calls them. @default 20
   */
  callsPerSecond?: number;
  /** The most the bucket holds: a burst after a quiet second. @default callsPerSecond */
  capacity?: number;
  /** Tokens an estate run may never take: they stay for a leaver who arrives meanwhile. @default 5 */
  reserve?: number;
  /** After a revocation run took tokens, estate runs wait this long (its SDK tasks follow). @default 10000 */
  revocationQuietMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was counted (epoch ms). */
  at: number;
  /** Estate runs wait until then (epoch ms). */
  revocationUntil: number;
  /** False before any process wrote the item. */
  stored: boolean;
}

/**
 * A token bucket in the state table that every deployed function's sso-admin client draws from, so
 * the account-wide rate is shared and not multiplied by the number of functions. A take is one
 * conditional UpdateItem on the item as last seen (tokens refilled by the time since `at`); when
 * another process moved it first, the condition fails, the item is read again and the take retried.
 * Callers take a batch of tokens per round trip (ThrottleBudget's `shared` option), so the cost is
 * one DynamoDB write per batch of calls. Hand-written: the npm rate limiters on DynamoDB target the
 * v2 SDK or a fixed window, and a priority rule needs the bucket's own fields.
 */
export class SharedCallBudget {
  private readonly table: StateTable;
  private readonly name: string;
  private readonly rate: number;
  private readonly capacity: number;
  private readonly reserve: number;
  private readonly quietMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private seen: Bucket | undefined;
  /** When this process last announced a revocation (epoch ms): one write per half quiet window. */
  private announcedAt = Number.NEGATIVE_INFINITY;
  /** DynamoDB requests made, for benchmarks and tests (calls per token batch). */
  requests = 0;

  constructor(table: StateTable, options: SharedCallBudgetOptions = {}) {
    this.table = table;
    this.name = options.name ?? "sso-admin";
    this.rate = (options.callsPerSecond ?? 20) / 1000;
    this.capacity = options.capacity ?? options.callsPerSecond ?? 20;
    this.reserve = options.reserve ?? 5;
    this.quietMs = options.revocationQuietMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The budget as one priority sees it: what ThrottleBudget's `shared` option takes. */
  for(priority: BudgetPriority): { take: (count: number) => Promise<void> } {
    return { take: (count) => this.take(priority, count) };
  }

  /**
   * Says a leaver's run is revoking now, without taking tokens: estate runs wait `revocationQuietMs`
   * from now, while the run's own calls (Step Functions SDK tasks that no function paces) follow.
   * At most one write per half window per process, and none when another process announced as late.
   */
  async announceRevocation(): Promise<void> {
    const now = this.now();
    if (now - this.announcedAt < this.quietMs / 2) return;
    this.announcedAt = now;
    if (
      await this.update({
        UpdateExpression: "SET revocationUntil = :until",
        ConditionExpression: "attribute_not_exists(revocationUntil) OR revocationUntil < :soon",
        ExpressionAttributeValues: { ":until": now + this.quietMs, ":soon": now + this.quietMs / 2 },
      })
    )
      this.seen = undefined;
  }

  /** Waits until `count` tokens can be taken at `priority`, and takes them. */
  async take(priority: BudgetPriority, count: number): Promise<void> {
    const most = priority === "estate" ? this.capacity - this.reserve : this.capacity;
    if (!Number.isInteger(count) || count < 1 || count > most)
      throw new RangeError(
        `take: count ${count} must be a whole number from 1 to ${most} (the ${priority} share of a bucket of ${this.capacity})`,
      );
    for (;;) {
      const bucket = this.seen ?? (await this.read());
      const now = this.now();
      const tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.rate);
      if (priority === "estate" && bucket.revocationUntil > now) {
        await this.sleep(bucket.revocationUntil - now);
        this.seen = undefined;
        continue;
      }
      const floor = priority === "estate" ? this.reserve : 0;
      if (tokens - count < floor) {
        await this.sleep(Math.ceil((floor + count - tokens) / this.rate));
        continue;
      }
      const next: Bucket = {
        tokens: tokens - count,
        at: now,
        revocationUntil:
          priority === "revocation"
            ? Math.max(bucket.revocationUntil, now + this.quietMs)
            : bucket.revocationUntil,
        stored: true,
      };
      if (await this.write(bucket, next)) {
        this.seen = next;
        return;
      }
      this.seen = undefined;
    }
  }

  private key() {
    return { pk: BUDGET_PARTITION, sk: this.name };
  }

  private async read(): Promise<Bucket> {
    this.requests++;
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: this.key(), ConsistentRead: true }),
    );
    // An item an announcement created holds no tokens yet: a full bucket, as before any take.
    if (Item?.tokens === undefined)
      return {
        tokens: this.capacity,
        at: this.now(),
        revocationUntil: Number(Item?.revocationUntil ?? 0),
        stored: false,
      };
    return {
      tokens: Number(Item.tokens),
      at: Number(Item.at),
      revocationUntil: Number(Item.revocationUntil ?? 0),
      stored: true,
    };
  }

  /** Writes `next` only if the item is still `seen`; false when another process moved it first. */
  private async write(seen: Bucket, next: Bucket): Promise<boolean> {
    return this.update({
      UpdateExpression: "SET #tokens = :tokens, #at = :at, revocationUntil = :until",
      ConditionExpression: seen.stored
        ? "#at = :seenAt AND #tokens = :seenTokens"
        : "attribute_not_exists(#tokens)",
      ExpressionAttributeNames: { "#at": "at", "#tokens": "tokens" },
      ExpressionAttributeValues: {
        ":tokens": next.tokens,
        ":at": next.at,
        ":until": next.revocationUntil,
        ...(seen.stored ? { ":seenAt": seen.at, ":seenTokens": seen.tokens } : {}),
      },
    });
  }

  /** One conditional update of the bucket item: false when its condition failed (another process moved it). */
  private async update(
    expression: Pick<
      UpdateCommandInput,
      "UpdateExpression" | "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
    >,
  ): Promise<boolean> {
    this.requests++;
    try {
      await this.table.doc.send(
        new UpdateCommand({ TableName: this.table.tableName, Key: this.key(), ...expression }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}

function isConditionFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as Error).name === "ConditionalCheckFailedException"
  );
}
