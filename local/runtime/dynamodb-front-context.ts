import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import type { TableLocks } from "./dynamodb-table-locks.ts";

/**
 * An error the local DynamoDB front answers itself, as DynamoDB's JSON protocol does: HTTP 400 with
 * `__type` naming the model's error shape, `message`, and the shape's other members (`extra`).
 */
export class DynamoDbFrontError extends Error {
  readonly type: string;
  readonly extra: Record<string, unknown>;

  constructor(type: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = type;
    this.type = type;
    this.extra = extra;
  }
}

/** A request the front refuses: DynamoDB's ValidationException (or a behaviour it does not model). */
export const validationError = (message: string) => new DynamoDbFrontError("ValidationException", message);

/** What the operations the front answers itself share: dynalite behind it, and the tables' locks. */
export interface DynamoDbFrontContext {
  /** dynalite itself (never the front: the front's own requests must not wait for its locks). */
  client: DynamoDBClient;
  locks: TableLocks;
  /** The key attribute names of a table, or undefined when there is no such table. */
  keyNamesOf(table: string): Promise<string[] | undefined>;
}

/** A `keyNamesOf` that describes each table once. */
export function tableKeyNames(client: DynamoDBClient): (table: string) => Promise<string[] | undefined> {
  const known = new Map<string, string[]>();
  return async (table) => {
    let names = known.get(table);
    if (names === undefined) {
      try {
        const described = await client.send(new DescribeTableCommand({ TableName: table }));
        names = (described.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? "");
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
      known.set(table, names);
    }
    return names;
  };
}

/** An item's primary key as comparable text. */
export const keyText = (names: string[], item: Record<string, AttributeValue>) =>
  JSON.stringify(names.map((n) => item[n]));

/** An item's primary key, as GetItem / BatchGetItem take it. */
export const keyOfItem = (names: string[], item: Record<string, AttributeValue>) =>
  Object.fromEntries(names.map((n) => [n, item[n] as AttributeValue]));
