import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { StateTable } from "./state-table.ts";

const KEY = { pk: "revocation", sk: "last-write" };
/** Well inside DynamoDB's 400 KB item limit. */
const MAX_RESULT_CHARS = 300_000;

/** The last rendering of the Deny ledger put in force, and what it achieved. */
export interface RevocationWrite {
  /** The ledger's sequence number read before that rendering listed the ledger (adapters/deny-ledger.ts). */
  seq: number;
  /** The run whose task wrote it. */
  runId: string;
  /** When the write finished: the Denies it held were in force from then. */
  at: string;
  /** What the write reported (placements, failures, capacity), as the enforcing use case returned it. */
  result: unknown;
}

const writeSchema = z.object({
  seq: z.number().int().nonnegative(),
  runId: z.string(),
  at: z.string(),
  result: z.string(),
});

/**
 * Where the revocation writers leave the ledger sequence they last put in force, so a run whose
 * Denies a later write already carried does not write again: a burst of leavers costs a few SCP
 * writes, not one UpdatePolicy per person (issue 17). A record never moves backwards: an older
 * rendering finishing late keeps the newer one.
 */
export class RevocationWriteMarker {
  private readonly table: StateTable;
  constructor(table: StateTable) {
    this.table = table;
  }

  async read(): Promise<RevocationWrite | undefined> {
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: KEY, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const stored = writeSchema.parse(Item);
    return { ...stored, result: JSON.parse(stored.result) };
  }

  /**
   * Records a write unless one of a later sequence is already recorded. A result too large for one
   * DynamoDB item (400 KB) is not recorded: the marker only saves writes, so the next run writes.
   */
  async record(write: RevocationWrite): Promise<void> {
    const result = JSON.stringify(write.result);
    if (result.length > MAX_RESULT_CHARS) return;
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...KEY, seq: write.seq, runId: write.runId, at: write.at, result },
          ConditionExpression: "attribute_not_exists(pk) OR seq <= :seq",
          ExpressionAttributeValues: { ":seq": write.seq },
        }),
      );
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === "ConditionalCheckFailedException"
      )
        return;
      throw error;
    }
  }
}
