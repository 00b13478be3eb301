import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import { startDynamoDbFrontend } from "./dynamodb-frontend.ts";
import { serveOnWorker, startWorkerServer, type WorkerServer } from "./server-worker.ts";

const MARK = "okta-aws-lifecycle/local-dynamodb";

/**
 * Starts dynalite and the front that answers what it lacks (dynamodb-frontend.ts) on a worker thread,
 * listening on loopback at `port` (0: any free port). They run on their own event loop, so a burst's
 * DynamoDB work (every run's claims, ledger and links; a tenth of a layoff's CPU) runs beside the
 * stack's, on another core, instead of queueing with it on one.
 */
export function startLocalDynamoDb(port: number): Promise<WorkerServer> {
  return startWorkerServer(new URL(import.meta.url), MARK, { port });
}

serveOnWorker<{ port: number }>(MARK, async ({ port }) => {
  const dynamoServer: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", resolve));
  const front = await startDynamoDbFrontend({
    port,
    upstream: `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`,
  });
  return {
    endpoint: front.endpoint,
    close: async () => {
      await front.close();
      await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
    },
  };
});
