import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import dynalite from "dynalite";
import { startDynamoDbFrontend } from "./dynamodb-frontend.ts";

/** The local DynamoDB, as the rest of the stack sees it: an endpoint, and a way to stop it. */
export interface LocalDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

/** What tells this module it runs as the DynamoDB worker (test runners run modules on threads too). */
const WORKER_MARK = "okta-aws-lifecycle/local-dynamodb-port";

type FromWorker = { endpoint: string } | { error: string } | { closed: true };

/**
 * Starts dynalite and the front that answers what it lacks (dynamodb-frontend.ts) on a worker thread,
 * listening on loopback at `port` (0: any free port). They run on their own event loop, so a burst's
 * DynamoDB work (every run's claims, ledger and links; a tenth of a layoff's CPU) runs beside the
 * stack's, on another core, instead of queueing with it on one.
 */
export async function startLocalDynamoDb(port: number): Promise<LocalDynamoDb> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER_MARK]: port } });
  const answer = (predicate: (m: FromWorker) => boolean) =>
    new Promise<FromWorker>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (!predicate(m)) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(m);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  const started = await answer((m) => "endpoint" in m || "error" in m);
  if ("error" in started) {
    await worker.terminate();
    throw new Error(`local DynamoDB did not start: ${started.error}`);
  }
  const { endpoint } = started as { endpoint: string };
  return {
    endpoint,
    close: async () => {
      const closed = answer((m) => "closed" in m);
      worker.postMessage("close");
      await closed;
      await worker.terminate();
    },
  };
}

/** On the worker: dynalite behind the front, until the main thread says close. */
async function serve(port: number): Promise<void> {
  const dynamoServer: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, "127.0.0.1", resolve));
  const front = await startDynamoDbFrontend({
    port,
    upstream: `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`,
  });
  parentPort?.on("message", async (message) => {
    if (message !== "close") return;
    await front.close();
    await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
    parentPort?.postMessage({ closed: true } satisfies FromWorker);
  });
  parentPort?.postMessage({ endpoint: front.endpoint } satisfies FromWorker);
}

const markedPort = (workerData as Record<string, unknown> | null)?.[WORKER_MARK];
if (!isMainThread && parentPort && typeof markedPort === "number") {
  serve(markedPort).catch((error: Error) =>
    parentPort?.postMessage({ error: error.message } satisfies FromWorker),
  );
}
