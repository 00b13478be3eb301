import { type AttributeValue, BatchGetItemCommand, BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";
import { type DynamoDbFrontContext, keyOfItem, keyText, validationError } from "./dynamodb-front-context.ts";

/**
 * DynamoDB's `BatchExecuteStatement` for PartiQL `INSERT`, which dynalite lacks, answered in front of it.
 * Modelled (DynamoDB API reference, BatchExecuteStatement and BatchStatementRequest/Response/Error; the
 * developer guide's "PartiQL insert statements" and "Running batch operations with PartiQL"):
 * - 1 to 25 statements (model: PartiQLBatchRequest min 1, max 25); more or none is a ValidationException;
 * - each statement succeeds or fails on its own: "A HTTP 200 response does not mean that all statements
 *   in the BatchExecuteStatement succeeded"; `Responses` follow the order of the statements;
 * - an INSERT whose primary key already exists fails with `DuplicateItem` ("If the DynamoDB table
 *   already has an item with the same primary key as the primary key of the item being inserted,
 *   DuplicateItemException is returned"), and of two racing inserts of one key exactly one goes through,
 *   as in DynamoDB. Here a batch's inserts are one consistent BatchGetItem and one BatchWriteItem of
 *   the absent keys while the batch holds its tables alone (PutItem / UpdateItem / DeleteItem /
 *   BatchWriteItem forwarded to dynalite wait for it, and it for them): atomic per item as DynamoDB
 *   is, at the cost of two dynalite requests per batch rather than one per statement;
 * - an unknown table fails that statement with `ResourceNotFound`;
 * - every response names its `TableName` (moto does the same; nothing here reads it).
 * Not modelled, refused with a ValidationException that says so rather than answered wrongly: read
 * statements, UPDATE / DELETE, literals in the item (only `?` parameters), one key twice in a batch, and
 * `ReturnValuesOnConditionCheckFailure` (whether a DuplicateItem error carries the existing `Item` is
 * not documented; the pipeline never asks for it).
 */
export const BATCH_EXECUTE_STATEMENT = "DynamoDB_20120810.BatchExecuteStatement";
const MAX_STATEMENTS = 25;
const INSERT = /^\s*INSERT\s+INTO\s+"([A-Za-z0-9_.-]{3,255})"\s+VALUE\s+\{(.*)\}\s*;?\s*$/is;
const ATTRIBUTE = /^\s*'([^']+)'\s*:\s*\?\s*$/;

interface BatchStatementRequest {
  Statement?: string;
  Parameters?: AttributeValue[];
  ReturnValuesOnConditionCheckFailure?: string;
}

/** `INSERT INTO "t" VALUE {'a': ?, 'b': ?}` with its parameters as an item, or a ValidationError. */
function parseInsert(
  statement: BatchStatementRequest,
  index: number,
): { table: string; item: Record<string, AttributeValue> } {
  const match = INSERT.exec(statement.Statement ?? "");
  if (!match?.[1] || match[2] === undefined)
    throw validationError(
      `Statements[${index}]: the local emulator answers only INSERT INTO "<table>" VALUE {'<attribute>': ?, ...} in a batch; got: ${statement.Statement}`,
    );
  const names = match[2].split(",").map((pair) => ATTRIBUTE.exec(pair)?.[1]);
  const parameters = statement.Parameters ?? [];
  if (names.some((n) => n === undefined) || names.length !== parameters.length)
    throw validationError(
      `Statements[${index}]: every attribute of the item must be 'name': ? with one parameter each (${names.length} attributes, ${parameters.length} parameters)`,
    );
  const item = Object.fromEntries(names.map((name, i) => [name as string, parameters[i] as AttributeValue]));
  return { table: match[1], item };
}

/** The front's `BatchExecuteStatement`: a request body in, the response body out. */
export function batchExecuteStatement(context: DynamoDbFrontContext) {
  type Response = { TableName: string; Error?: { Code: string; Message: string } };
  const duplicate = (table: string): Response => ({
    TableName: table,
    Error: { Code: "DuplicateItem", Message: "Duplicate primary key exists in table" },
  });

  /** The inserts of one table, in statement order: a key already stored is a duplicate. */
  const insertAll = async (
    table: string,
    names: string[] | undefined,
    items: Record<string, AttributeValue>[],
  ): Promise<Response[]> => {
    if (names === undefined)
      return items.map(() => ({
        TableName: table,
        Error: { Code: "ResourceNotFound", Message: "Requested resource not found" },
      }));
    const keys = items.map((item) => keyOfItem(names, item));
    const found = await context.client.send(
      new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
    );
    const taken = new Set((found.Responses?.[table] ?? []).map((item) => keyText(names, item)));
    const writes = items.filter((item) => !taken.has(keyText(names, item)));
    if (writes.length > 0)
      await context.client.send(
        new BatchWriteItemCommand({
          RequestItems: { [table]: writes.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    const written = new Set(writes);
    return items.map((item) => (written.has(item) ? { TableName: table } : duplicate(table)));
  };

  return async (body: Buffer) => {
    const input = JSON.parse(body.toString("utf8")) as { Statements?: BatchStatementRequest[] };
    const statements = input.Statements ?? [];
    if (statements.length < 1 || statements.length > MAX_STATEMENTS)
      throw validationError(
        `1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to ${MAX_STATEMENTS} and greater than or equal to 1 (got ${statements.length})`,
      );
    const parsed = statements.map((s, i) => {
      if (
        s.ReturnValuesOnConditionCheckFailure !== undefined &&
        s.ReturnValuesOnConditionCheckFailure !== "NONE"
      )
        throw validationError(
          `Statements[${i}]: ReturnValuesOnConditionCheckFailure is not modelled by the local emulator (undocumented for DuplicateItem)`,
        );
      return parseInsert(s, i);
    });
    const tables = [...new Set(parsed.map((p) => p.table))];
    const names = new Map(
      await Promise.all(tables.map(async (t) => [t, await context.keyNamesOf(t)] as const)),
    );
    for (const [table, keyNames] of names) {
      const keys = parsed.filter((p) => p.table === table).map((p) => keyText(keyNames ?? [], p.item));
      if (keyNames !== undefined && new Set(keys).size < keys.length)
        throw validationError(
          "the same key twice in one batch is not modelled by the local emulator (undocumented for BatchExecuteStatement): send each key once",
        );
    }
    const release = await context.locks.take(tables, true);
    try {
      const answers = new Map<string, Response[]>();
      for (const table of tables)
        answers.set(
          table,
          await insertAll(
            table,
            names.get(table),
            parsed.filter((p) => p.table === table).map((p) => p.item),
          ),
        );
      return { Responses: parsed.map((p) => answers.get(p.table)?.shift() as Response) };
    } finally {
      release();
    }
  };
}
