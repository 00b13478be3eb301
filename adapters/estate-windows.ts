import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type Trigger, triggerSchema } from "../core/evidence/record.ts";
import type { StateTable } from "./state-table.ts";

const PK = "estate-windows";
/** Kept a day: far longer than a window, short enough to keep the partition small. */
const TTL_SECONDS = 86_400;

/**
 * The estate coalescing windows (core/dispatch/estate-window.ts) in the state table: which run
 * claimed a window (a conditional put, so concurrent runs agree on one), and the triggers of the runs
 * folded into it, which the claimer's evidence names.
 */
export class EstateWindows {
  private readonly table: StateTable;
  private readonly now: () => number;
  constructor(table: StateTable, now: () => number = Date.now) {
    this.table = table;
    this.now = now;
  }

  /**
   * Claims `window` for `runId`, or answers the run that claimed it first. Claiming again as the same
   * run (a retried task) answers that run.
   */
  async claim(window: string, runId: string): Promise<{ owner: string }> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { pk: PK, sk: `window#${window}`, owner: runId, ttl: this.ttl() },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { owner: runId };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const found = await this.table.doc.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: { pk: PK, sk: `window#${window}` },
          ConsistentRead: true,
        }),
      );
      return { owner: String(found.Item?.owner) };
    }
  }

  /** Records that run `runId` (started by `trigger`) was folded into `owner` (idempotent per run). */
  async fold(owner: string, runId: string, trigger: Trigger): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { pk: PK, sk: `folded#${owner}#${runId}`, trigger, ttl: this.ttl() },
      }),
    );
  }

  /** The triggers of the runs folded into `owner`, in run-id order. */
  async folded(owner: string): Promise<Trigger[]> {
    const triggers: Trigger[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :owner)",
          ExpressionAttributeValues: { ":pk": PK, ":owner": `folded#${owner}#` },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) triggers.push(triggerSchema.parse(item.trigger));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return triggers;
  }

  private ttl(): number {
    return Math.floor(this.now() / 1000) + TTL_SECONDS;
  }
}
