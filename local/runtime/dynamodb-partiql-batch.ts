import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { localClientConfig } from "../emulators/aws-json-server.ts";

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
const TARGET = "DynamoDB_20120810.BatchExecuteStatement";
const MAX_STATEMENTS = 25;
const INSERT = /^\s*INSERT\s+INTO\s+"([A-Za-z0-9_.-]{3,255})"\s+VALUE\s+\{(.*)\}\s*;?\s*$/is;
const ATTRIBUTE = /^\s*'([^']+)'\s*:\s*\?\s*$/;

interface BatchStatementRequest {
  Statement?: string;
  Parameters?: AttributeValue[];
  ReturnValuesOnConditionCheckFailure?: string;
}

class ValidationError extends Error {
  override name = "ValidationException";
}

/** `INSERT INTO "t" VALUE {'a': ?, 'b': ?}` with its parameters as an item, or a ValidationError. */
function parseInsert(
  statement: BatchStatementRequest,
  index: number,
): { table: string; item: Record<string, AttributeValue> } {
  const match = INSERT.exec(statement.Statement ?? "");
  if (!match?.[1] || match[2] === undefined)
    throw new ValidationError(
      `Statements[${index}]: the local emulator answers only INSERT INTO "<table>" VALUE {'<attribute>': ?, ...} in a batch; got: ${statement.Statement}`,
    );
  const names = match[2].split(",").map((pair) => ATTRIBUTE.exec(pair)?.[1]);
  const parameters = statement.Parameters ?? [];
  if (names.some((n) => n === undefined) || names.length !== parameters.length)
    throw new ValidationError(
      `Statements[${index}]: every attribute of the item must be 'name': ? with one parameter each (${names.length} attributes, ${parameters.length} parameters)`,
    );
  const item = Object.fromEntries(names.map((name, i) => [name as string, parameters[i] as AttributeValue]));
  return { table: match[1], item };
}

export interface DynamoDbFrontend {
  /** Where DynamoDB clients send requests. */
  endpoint: string;
  close(): Promise<void>;
}

/** Operations that write items: they take their tables' shared lock in the front. */
const WRITES = new Set(
  ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"].map((op) => `DynamoDB_20120810.${op}`),
);

/** The tables a forwarded write touches (`TableName`, or the keys of a BatchWriteItem's `RequestItems`). */
function tablesWritten(body: Buffer): string[] {
  try {
    const input = JSON.parse(body.toString("utf8")) as {
      TableName?: string;
      RequestItems?: Record<string, unknown>;
    };
    return input.TableName ? [input.TableName] : Object.keys(input.RequestItems ?? {});
  } catch {
    return [];
  }
}

/**
 * Per-table locks, first come first served: a batch of inserts holds its tables alone (its read and its
 * write must see no other write in between); forwarded writes share them (dynalite orders those itself),
 * so they run side by side and only wait for a batch in progress, as a batch waits for them.
 */
class TableLocks {
  private readonly tables = new Map<
    string,
    { shared: number; exclusive: boolean; queue: { exclusive: boolean; grant: () => void }[] }
  >();

  /** Takes every table (in name order, so two takers never wait on each other); resolves to the release. */
  async take(tables: readonly string[], exclusive: boolean): Promise<() => void> {
    const sorted = [...new Set(tables)].sort();
    for (const table of sorted) await this.takeOne(table, exclusive);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const table of sorted) this.releaseOne(table, exclusive);
    };
  }

  private state(table: string) {
    let state = this.tables.get(table);
    if (state === undefined) {
      state = { shared: 0, exclusive: false, queue: [] };
      this.tables.set(table, state);
    }
    return state;
  }

  private takeOne(table: string, exclusive: boolean): Promise<void> {
    const state = this.state(table);
    return new Promise<void>((resolve) => {
      state.queue.push({ exclusive, grant: resolve });
      this.pump(state);
    });
  }

  private releaseOne(table: string, exclusive: boolean): void {
    const state = this.state(table);
    if (exclusive) state.exclusive = false;
    else state.shared--;
    this.pump(state);
  }

  private pump(state: {
    shared: number;
    exclusive: boolean;
    queue: { exclusive: boolean; grant: () => void }[];
  }) {
    while (state.queue.length > 0 && !state.exclusive) {
      const next = state.queue[0] as { exclusive: boolean; grant: () => void };
      if (next.exclusive && state.shared > 0) return;
      state.queue.shift();
      if (next.exclusive) state.exclusive = true;
      else state.shared++;
      next.grant();
      if (next.exclusive) return;
    }
  }
}

/**
 * A pass-through proxy in front of dynalite that answers `BatchExecuteStatement` INSERTs itself (see
 * above); every other request is forwarded unchanged (writes once no batch holds their tables).
 */
export async function startDynamoDbFrontend(options: {
  port: number;
  upstream: string;
}): Promise<DynamoDbFrontend> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const client = new DynamoDBClient(localClientConfig(options.upstream));
  const locks = new TableLocks();
  const keySchemas = new Map<string, string[]>();
  const keyOf = async (table: string) => {
    let names = keySchemas.get(table);
    if (names === undefined) {
      const described = await client.send(new DescribeTableCommand({ TableName: table }));
      names = (described.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? "");
      keySchemas.set(table, names);
    }
    return names;
  };

  type Response = { TableName: string; Error?: { Code: string; Message: string } };
  const duplicate = (table: string): Response => ({
    TableName: table,
    Error: { Code: "DuplicateItem", Message: "Duplicate primary key exists in table" },
  });

  /** The key attribute names of a table, or undefined when there is no such table. */
  const keyNamesOf = async (table: string) => {
    try {
      return await keyOf(table);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
  const keyText = (names: string[], item: Record<string, AttributeValue>) =>
    JSON.stringify(names.map((n) => item[n]));

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
    const keys = items.map((item) => Object.fromEntries(names.map((n) => [n, item[n] as AttributeValue])));
    const found = await client.send(
      new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
    );
    const taken = new Set((found.Responses?.[table] ?? []).map((item) => keyText(names, item)));
    const writes = items.filter((item) => !taken.has(keyText(names, item)));
    if (writes.length > 0)
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [table]: writes.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    const written = new Set(writes);
    return items.map((item) => (written.has(item) ? { TableName: table } : duplicate(table)));
  };

  const batch = async (body: Buffer) => {
    const input = JSON.parse(body.toString("utf8")) as { Statements?: BatchStatementRequest[] };
    const statements = input.Statements ?? [];
    if (statements.length < 1 || statements.length > MAX_STATEMENTS)
      throw new ValidationError(
        `1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to ${MAX_STATEMENTS} and greater than or equal to 1 (got ${statements.length})`,
      );
    const parsed = statements.map((s, i) => {
      if (
        s.ReturnValuesOnConditionCheckFailure !== undefined &&
        s.ReturnValuesOnConditionCheckFailure !== "NONE"
      )
        throw new ValidationError(
          `Statements[${i}]: ReturnValuesOnConditionCheckFailure is not modelled by the local emulator (undocumented for DuplicateItem)`,
        );
      return parseInsert(s, i);
    });
    const tables = [...new Set(parsed.map((p) => p.table))];
    const names = new Map(await Promise.all(tables.map(async (t) => [t, await keyNamesOf(t)] as const)));
    for (const [table, keyNames] of names) {
      const keys = parsed.filter((p) => p.table === table).map((p) => keyText(keyNames ?? [], p.item));
      if (keyNames !== undefined && new Set(keys).size < keys.length)
        throw new ValidationError(
          "the same key twice in one batch is not modelled by the local emulator (undocumented for BatchExecuteStatement): send each key once",
        );
    }
    const release = await locks.take(tables, true);
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

  const answer = (res: ServerResponse, status: number, payload: unknown) =>
    res
      .writeHead(status, {
        "content-type": "application/x-amz-json-1.0",
        "x-amzn-requestid": crypto.randomUUID(),
      })
      .end(JSON.stringify(payload));

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, done: () => void) => {
    const upstreamRequest = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
        upstreamResponse.on("end", done);
        upstreamResponse.on("error", done);
      },
    );
    upstreamRequest.on("error", (error) => {
      done();
      if (res.headersSent) res.destroy(error);
      else res.writeHead(502, { "content-type": "text/plain" }).end(`dynalite failed: ${error.message}`);
    });
    upstreamRequest.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target === TARGET) {
        batch(body).then(
          (output) => answer(res, 200, output),
          (error: Error) =>
            answer(res, error instanceof ValidationError ? 400 : 500, {
              __type: `com.amazonaws.dynamodb.v20120810#${error instanceof ValidationError ? "ValidationException" : "InternalServerError"}`,
              message: error.message,
            }),
        );
      } else if (WRITES.has(target)) {
        void locks.take(tablesWritten(body), false).then((release) => forward(req, res, body, release));
      } else {
        forward(req, res, body, () => {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      client.destroy();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
