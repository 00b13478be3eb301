import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** A local server running on a worker thread: where to reach it, and a way to stop it. */
export interface WorkerServer {
  endpoint: string;
  close(): Promise<void>;
}

type FromWorker = { endpoint: string } | { error: string } | { closed: true };

/**
 * Starts the module at `moduleUrl` on a worker thread, where it serves through {@link serveOnWorker}
 * with `options`. Local servers that would otherwise share the stack's one event loop (dynalite,
 * s3rver) then run beside it on another core, and reach the stack only over loopback, as before.
 */
export async function startWorkerServer(
  moduleUrl: URL,
  mark: string,
  options: unknown,
): Promise<WorkerServer> {
  const worker = new Worker(moduleUrl, { workerData: { [mark]: options } });
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
    throw new Error(`${moduleUrl.pathname.split("/").pop()} did not start: ${started.error}`);
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

/**
 * On a worker started by {@link startWorkerServer} with `mark` (test runners run modules on threads
 * too, so the mark says this thread is the server's): starts the server and stops it when told.
 */
export function serveOnWorker<O>(mark: string, start: (options: O) => Promise<WorkerServer>): void {
  const options = (workerData as Record<string, unknown> | null)?.[mark];
  if (isMainThread || !parentPort || options === undefined) return;
  const port = parentPort;
  start(options as O).then(
    (server) => {
      port.on("message", async (message) => {
        if (message !== "close") return;
        await server.close();
        port.postMessage({ closed: true } satisfies FromWorker);
      });
      port.postMessage({ endpoint: server.endpoint } satisfies FromWorker);
    },
    (error: Error) => port.postMessage({ error: error.message } satisfies FromWorker),
  );
}
