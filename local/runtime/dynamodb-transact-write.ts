import { createHash } from "node:crypto";
import { type AttributeValue, BatchGetItemCommand, BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDbFrontContext,
  DynamoDbFrontError,
  keyOfItem,
  keyText,
  validationError,
} from "./dynamodb-front-context.ts";

/**
 * DynamoDB's `TransactWriteItems` for conditional puts, which dynalite lacks, answered in front of it.
 * Modelled (DynamoDB API reference, TransactWriteItems; the service model's TransactWriteItemsInput,
 * TransactionCanceledException and CancellationReason; developer guide, "Amazon DynamoDB Transactions:
 * How it works"):
 * - 1 to 100 actions (model: TransactWriteItemList min 1, max 100), "no two actions can target the same
 *   item", and "the aggregate size of the items in the transaction cannot exceed 4 MB": each a
 *   ValidationException, nothing written;
 * - all or nothing: if any condition is not met, nothing is written and the answer is a
 *   TransactionCanceledException whose `CancellationReasons` follow the actions' order, `None` for an
 *   action that passed and `ConditionalCheckFailed` (with the stored `Item` when the action asked for
 *   `ReturnValuesOnConditionCheckFailure: ALL_OLD`) for one that did not;
 * - `ClientRequestToken` (the SDK fills it in, model: `idempotencyToken`): a repeat of a transaction that
 *   succeeded, within 10 minutes, "return[s] successfully without making any changes"; the same token
 *   with other parameters is an IdempotentParameterMismatchException, and one still in progress a
 *   TransactionInProgressException. A cancelled transaction is not remembered (its repeat runs again:
 *   the reference does not say otherwise);
 * - an unknown table is a ResourceNotFoundException.
 * The transaction holds its tables alone while it reads and writes (dynamodb-table-locks.ts), so no
 * forwarded read or write sees or lands in the middle of it, as DynamoDB's isolation levels promise.
 * Not modelled, refused with a ValidationException that says so rather than answered wrongly: `Update`,
 * `Delete` and `ConditionCheck` actions, and conditions other than `attribute_not_exists(<attribute>)`
 * (the pipeline puts new items only: adapters/evidence-store.ts claims chain positions this way).
 */
export const TRANSACT_WRITE_ITEMS = "DynamoDB_20120810.TransactWriteItems";
const MAX_ACTIONS = 100;
/** "The aggregate size of the items in the transaction cannot exceed 4 MB." */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
/** "A client request token is valid for 10 minutes after the first request that uses it is completed." */
const TOKEN_TTL_MS = 10 * 60_000;
const NOT_EXISTS = /^\s*attribute_not_exists\s*\(\s*(#?[A-Za-z0-9_]+)\s*\)\s*$/;

interface PutAction {
  TableName?: string;
  Item?: Record<string, AttributeValue>;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface ParsedPut {
  table: string;
  item: Record<string, AttributeValue>;
  /** The attribute that must be absent for the put to go through (`attribute_not_exists`), if any. */
  mustLack?: string;
  returnOld: boolean;
}

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** An attribute value as the JSON protocol carries it (binaries in base64). */
interface WireValue {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  L?: WireValue[];
  M?: Record<string, WireValue>;
}

const base64Bytes = (b: string) => Buffer.from(b, "base64").length;

/**
 * An attribute value's size as DynamoDB counts it (developer guide, "Item sizes and formats"): strings
 * and binaries by their bytes, numbers by their digits (an upper bound), 1 byte for a boolean or null,
 * 3 bytes for a list or map plus 1 per element.
 */
function valueBytes(value: WireValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return value.N.length;
  if (value.B !== undefined) return base64Bytes(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + s.length, 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + base64Bytes(b), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueBytes(v), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/** An item's size: the lengths of its attribute names and values. */
export function itemBytes(item: Record<string, WireValue>): number {
  return Object.entries(item).reduce((n, [name, value]) => n + utf8(name) + valueBytes(value), 0);
}

function parsePut(action: { Put?: PutAction } & Record<string, unknown>, index: number): ParsedPut {
  const kinds = Object.keys(action).filter((k) => action[k] !== undefined);
  if (kinds.length !== 1 || action.Put === undefined)
    throw validationError(
      `TransactItems[${index}]: the local emulator answers only Put actions in a transaction (got ${kinds.join(", ") || "none"})`,
    );
  const put = action.Put;
  if (!put.TableName || put.Item === undefined)
    throw validationError(`TransactItems[${index}].Put: TableName and Item are required`);
  const returns = put.ReturnValuesOnConditionCheckFailure ?? "NONE";
  if (returns !== "NONE" && returns !== "ALL_OLD")
    throw validationError(
      `TransactItems[${index}].Put.ReturnValuesOnConditionCheckFailure: must be NONE or ALL_OLD (got ${returns})`,
    );
  const parsed: ParsedPut = { table: put.TableName, item: put.Item, returnOld: returns === "ALL_OLD" };
  if (put.ConditionExpression === undefined) return parsed;
  const match = NOT_EXISTS.exec(put.ConditionExpression);
  if (!match?.[1])
    throw validationError(
      `TransactItems[${index}].Put.ConditionExpression: the local emulator answers only attribute_not_exists(<attribute>) (got ${put.ConditionExpression})`,
    );
  const path = match[1];
  const name = path.startsWith("#") ? put.ExpressionAttributeNames?.[path] : path;
  if (name === undefined)
    throw validationError(
      `TransactItems[${index}].Put: ExpressionAttributeNames has no value for ${path}, which the condition uses`,
    );
  return { ...parsed, mustLack: name };
}

/** The front's `TransactWriteItems`: a request body in, the response body out. */
export function transactWriteItems(context: DynamoDbFrontContext) {
  /** Tokens of transactions that succeeded (their parameters' hash, and when) or are in progress. */
  const tokens = new Map<string, { hash: string; doneAt?: number }>();

  const run = async (puts: ParsedPut[]) => {
    const tables = [...new Set(puts.map((p) => p.table))];
    const names = new Map<string, string[]>();
    for (const table of tables) {
      const keyNames = await context.keyNamesOf(table);
      if (keyNames === undefined)
        throw new DynamoDbFrontError("ResourceNotFoundException", "Requested resource not found");
      names.set(table, keyNames);
    }
    const keyOf = (p: ParsedPut) => `${p.table} ${keyText(names.get(p.table) ?? [], p.item)}`;
    const keys = puts.map(keyOf);
    if (new Set(keys).size < keys.length)
      throw validationError("Transaction request cannot include multiple operations on one item");
    const bytes = puts.reduce((n, p) => n + itemBytes(p.item as Record<string, WireValue>), 0);
    if (bytes > MAX_TRANSACTION_BYTES)
      throw validationError(
        `Transaction request cannot be larger than 4 MB (the items add up to ${bytes} bytes)`,
      );
    const release = await context.locks.take(tables, true);
    try {
      const found = await context.client.send(
        new BatchGetItemCommand({
          RequestItems: Object.fromEntries(
            tables.map((table) => [
              table,
              {
                Keys: puts
                  .filter((p) => p.table === table)
                  .map((p) => keyOfItem(names.get(table) ?? [], p.item)),
                ConsistentRead: true,
              },
            ]),
          ),
        }),
      );
      const stored = new Map<string, Record<string, AttributeValue>>();
      for (const [table, items] of Object.entries(found.Responses ?? {}))
        for (const item of items) stored.set(`${table} ${keyText(names.get(table) ?? [], item)}`, item);
      const reasons = puts.map((p, i) => {
        const old = stored.get(keys[i] as string);
        const failed = p.mustLack !== undefined && old?.[p.mustLack] !== undefined;
        if (!failed) return { Code: "None" };
        return {
          Code: "ConditionalCheckFailed",
          Message: "The conditional request failed",
          ...(p.returnOld ? { Item: old } : {}),
        };
      });
      if (reasons.some((r) => r.Code !== "None"))
        throw new DynamoDbFrontError(
          "TransactionCanceledException",
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
          { CancellationReasons: reasons },
        );
      // BatchWriteItem takes 25 puts at a time; no reader sees the transaction until all are in.
      for (let i = 0; i < puts.length; i += 25) {
        const chunk = puts.slice(i, i + 25);
        const requestItems: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = {};
        for (const p of chunk)
          requestItems[p.table] = [...(requestItems[p.table] ?? []), { PutRequest: { Item: p.item } }];
        await context.client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
      }
    } finally {
      release();
    }
  };

  return async (body: Buffer) => {
    const input = JSON.parse(body.toString("utf8")) as {
      TransactItems?: ({ Put?: PutAction } & Record<string, unknown>)[];
      ClientRequestToken?: string;
    };
    const actions = input.TransactItems ?? [];
    if (actions.length < 1 || actions.length > MAX_ACTIONS)
      throw validationError(
        `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACTIONS} and greater than or equal to 1 (got ${actions.length})`,
      );
    const puts = actions.map(parsePut);
    const token = input.ClientRequestToken;
    if (token === undefined) {
      await run(puts);
      return {};
    }
    const hash = createHash("sha256").update(JSON.stringify(actions)).digest("hex");
    const now = Date.now();
    const known = tokens.get(token);
    if (known !== undefined && (known.doneAt === undefined || now - known.doneAt < TOKEN_TTL_MS)) {
      if (known.hash !== hash)
        throw new DynamoDbFrontError(
          "IdempotentParameterMismatchException",
          "The request uses the same client token as a previous, but non-identical request.",
        );
      if (known.doneAt === undefined)
        throw new DynamoDbFrontError(
          "TransactionInProgressException",
          "The transaction with the given request token is already in progress.",
        );
      return {};
    }
    tokens.set(token, { hash });
    try {
      await run(puts);
    } catch (error) {
      tokens.delete(token);
      throw error;
    }
    tokens.set(token, { hash, doneAt: now });
    for (const [t, v] of tokens)
      if (v.doneAt !== undefined && now - v.doneAt >= TOKEN_TTL_MS) tokens.delete(t);
    return {};
  };
}
