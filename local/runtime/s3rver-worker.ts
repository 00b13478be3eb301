import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import { serveOnWorker, startWorkerServer, type WorkerServer } from "./server-worker.ts";

const MARK = "okta-aws-lifecycle/local-s3rver";

/**
 * Starts s3rver on a worker thread, on a free loopback port, keeping objects in `directory`. Its file
 * writes, checksums and XML run beside the stack's event loop (a layoff reads every run's scratch
 * back several times); the S3 proxy in front of it (s3-outage-proxy.ts) stays with the stack.
 */
export function startLocalS3rver(directory: string): Promise<WorkerServer> {
  return startWorkerServer(new URL(import.meta.url), MARK, { directory });
}

serveOnWorker<{ directory: string }>(MARK, async ({ directory }) => {
  const s3rver = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const address = (await s3rver.run()) as AddressInfo;
  return { endpoint: `http://127.0.0.1:${address.port}`, close: () => s3rver.close() };
});
