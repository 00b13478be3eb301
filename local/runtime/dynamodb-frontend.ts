import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { localClientConfig } from "../emulators/aws-json-server.ts";
import { type DynamoDbFrontContext, DynamoDbFrontError, tableKeyNames } from "./dynamodb-front-context.ts";
import { BATCH_EXECUTE_STATEMENT, batchExecuteStatement } from "./dynamodb-partiql-batch.ts";
import { TableLocks } from "./dynamodb-table-locks.ts";
import { TRANSACT_WRITE_ITEMS, transactWriteItems } from "./dynamodb-transact-write.ts";

export interface DynamoDbFrontend {
  /** Where DynamoDB clients send requests. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Operations on items: they take their tables' shared lock in the front, so they run side by side but
 * never in the middle of a batch or a transaction. A transaction's writes are isolated from GetItem
 * (serializable) and from BatchGetItem, Query and Scan (read-committed: they never see part of one):
 * DynamoDB developer guide, "Isolation levels for DynamoDB transactions".
 */
const ITEM_OPERATIONS = new Set(
  ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "GetItem", "BatchGetItem", "Query", "Scan"].map(
    (op) => `DynamoDB_20120810.${op}`,
  ),
);

/** The tables a forwarded request touches (`TableName`, or the keys of a batch's `RequestItems`). */
function tablesOf(body: Buffer): string[] {
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
 * A pass-through proxy in front of dynalite that answers what dynalite lacks itself, each in its own
 * file with the sources it models: PartiQL `BatchExecuteStatement` INSERTs (dynamodb-partiql-batch.ts)
 * and `TransactWriteItems` of conditional puts (dynamodb-transact-write.ts). Every other request is
 * forwarded unchanged; item reads and writes go once no batch or transaction holds their tables (dynamodb-table-locks.ts).
 */
export async function startDynamoDbFrontend(options: {
  port: number;
  upstream: string;
}): Promise<DynamoDbFrontend> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const client = new DynamoDBClient(localClientConfig(options.upstream));
  const context: DynamoDbFrontContext = {
    client,
    locks: new TableLocks(),
    keyNamesOf: tableKeyNames(client),
  };
  const answered = new Map<string, (body: Buffer) => Promise<unknown>>([
    [BATCH_EXECUTE_STATEMENT, batchExecuteStatement(context)],
    [TRANSACT_WRITE_ITEMS, transactWriteItems(context)],
  ]);

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
      const operation = answered.get(target);
      if (operation) {
        operation(body).then(
          (output) => answer(res, 200, output),
          (error: Error) =>
            error instanceof DynamoDbFrontError
              ? answer(res, 400, {
                  __type: `com.amazonaws.dynamodb.v20120810#${error.type}`,
                  message: error.message,
                  ...error.extra,
                })
              : answer(res, 500, {
                  __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
                  message: error.message,
                }),
        );
      } else if (ITEM_OPERATIONS.has(target)) {
        void context.locks.take(tablesOf(body), false).then((release) => forward(req, res, body, release));
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
