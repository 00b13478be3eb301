import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StateTable } from "./state-table.ts";

const KEY = { pk: "cursor", sk: "system-log" } as const;

/**
 * The System Log poller's position: the last `next` link Okta gave it, kept in the state table
 * (`pk` "cursor"). The link is stored exactly as Okta sent it and followed as is; the poller never
 * builds an `after` value itself (Okta's cursors are opaque). Advancing is a conditional write on the
 * previous link, so two overlapping polls can never move the cursor past events neither published.
 */
export class SystemLogCursor {
  private readonly table: StateTable;

  constructor(table: StateTable) {
    this.table = table;
  }

  /** The persisted `next` link, or `null` before the first poll. */
  async read(): Promise<string | null> {
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: KEY, ConsistentRead: true }),
    );
    return typeof Item?.nextUrl === "string" ? Item.nextUrl : null;
  }

  /**
   * Moves the cursor from `previous` (`null`: none stored yet) to `nextUrl`. Resolves false, changing
   * nothing, when the stored link is no longer `previous` (another poll moved it).
   */
  async advance(previous: string | null, nextUrl: string, at: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...KEY, nextUrl, updatedAt: at },
          ...(previous === null
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "nextUrl = :previous",
                ExpressionAttributeValues: { ":previous": previous },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
