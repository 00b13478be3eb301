import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StateTable } from "./state-table.ts";

const PK = "locks";

/** Thrown when the lease stayed taken for the whole wait; the workflows retry it. */
export class LeaseBusyError extends Error {
  override name = "LeaseBusyError";
}

export interface LeaseLockOptions {
  /** How long a holder may keep the lease; a crashed holder's lease ends then. @default 30000 */
  leaseMs?: number;
  /** How long to wait for a taken lease before giving up. @default 60000 */
  waitMs?: number;
  /** Pause between attempts (plus up to as much jitter). @default 100 */
  pollMs?: number;
  now?: () => number;
}

/**
 * A lease in the state table that serializes one kind of write across concurrent runs: a conditional
 * put takes it when it is free or its lease has ended, a conditional delete by its owner frees it.
 * The revocation writers hold it while they render the Deny ledger into SCPs and inline policies, so
 * a run never overwrites a newer Deny set with the older one it read. Hand-written: the DynamoDB lock
 * clients on npm target the v2 SDK.
 */
export class LeaseLock {
  private readonly table: StateTable;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(table: StateTable, options: LeaseLockOptions = {}) {
    this.table = table;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.waitMs = options.waitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Runs `work` holding the lease `name`. */
  withLease<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.withLeaseUnless(name, async () => undefined, work);
  }

  /**
   * Runs `work` holding the lease `name`, unless `settled` answers first: it is asked before each
   * attempt to take the lease and once more when taken, so a waiter whose work another holder did
   * meanwhile (a burst's Denies carried by one write) returns that answer without waiting its turn.
   */
  async withLeaseUnless<T>(
    name: string,
    settled: () => Promise<T | undefined>,
    work: () => Promise<T>,
  ): Promise<T> {
    // Waiters of one process wait on its own holder, not on the table: a layoff's runs in the local
    // runtime (or a warm Lambda's) polled the lease and the write marker ten times a second each, 65 at
    // once, while one write ran. One of them contends for the lease once the holder is done.
    const deadline = this.now() + this.waitMs;
    for (let held = this.holders.get(name); held !== undefined; held = this.holders.get(name)) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise((r) => {
        timer = setTimeout(r, Math.max(0, deadline - this.now()));
      });
      await Promise.race([held.catch(() => undefined), waited]);
      clearTimeout(timer);
      const value = await settled();
      if (value !== undefined) return value;
      if (this.now() >= deadline)
        throw new LeaseBusyError(`the ${name} lease stayed taken for ${this.waitMs} ms`);
    }
    const mine = this.takeAndWork(name, settled, work);
    this.holders.set(name, mine);
    try {
      return await mine;
    } finally {
      if (this.holders.get(name) === mine) this.holders.delete(name);
    }
  }

  /** The work of this process that holds or is taking each lease (see withLeaseUnless). */
  private readonly holders = new Map<string, Promise<unknown>>();

  private async takeAndWork<T>(
    name: string,
    settled: () => Promise<T | undefined>,
    work: () => Promise<T>,
  ): Promise<T> {
    const owner = randomUUID();
    const early = await this.acquire(name, owner, settled);
    if (early.settled) return early.value;
    try {
      return (await settled()) ?? (await work());
    } finally {
      await this.release(name, owner);
    }
  }

  private async acquire<T>(
    name: string,
    owner: string,
    settled: () => Promise<T | undefined>,
  ): Promise<{ settled: true; value: T } | { settled: false }> {
    const deadline = this.now() + this.waitMs;
    for (;;) {
      const value = await settled();
      if (value !== undefined) return { settled: true, value };
      const now = this.now();
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: {
              pk: PK,
              sk: name,
              owner,
              expiresAt: now + this.leaseMs,
              ttl: Math.ceil((now + this.leaseMs) / 1000) + 3600,
            },
            ConditionExpression: "attribute_not_exists(sk) OR expiresAt < :now",
            ExpressionAttributeValues: { ":now": now },
          }),
        );
        return { settled: false };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      if (this.now() >= deadline) {
        throw new LeaseBusyError(`the ${name} lease stayed taken for ${this.waitMs} ms`);
      }
      await new Promise((r) => setTimeout(r, this.pollMs + Math.random() * this.pollMs));
    }
  }

  private async release(name: string, owner: string): Promise<void> {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: { pk: PK, sk: name },
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": owner },
        }),
      );
    } catch (error) {
      // The lease ended and someone else holds it now: theirs to release.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
