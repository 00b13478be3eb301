import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ConditionalWriteGuard, createConditionalWriteGuard } from "./s3-conditional-writes.ts";

/**
 * The 503s S3 answers when it cannot serve a request for a while (S3 error responses): `SlowDown`
 * ("Please reduce your request rate.") and `ServiceUnavailable` ("Service is unable to handle request.").
 */
export type S3OutageCode = "SlowDown" | "ServiceUnavailable";

const MESSAGES: Record<S3OutageCode, string> = {
  SlowDown: "Please reduce your request rate.",
  ServiceUnavailable: "Service is unable to handle request.",
};

/** One request the outage answered. */
export interface S3OutageAnswer {
  bucket: string;
  method: string;
  code: S3OutageCode;
}

/**
 * The outage switch of one bucket: while `outage` is on, every request for the bucket is answered 503
 * with an S3 error document before it reaches the server, so nothing is written, as when S3 turns a
 * request away. Other buckets (and DynamoDB) stay up.
 */
export class S3Outage {
  readonly bucket: string;
  /** On: requests for the bucket answer 503 `code`. @default false */
  outage = false;
  /** @default "SlowDown" */
  code: S3OutageCode = "SlowDown";
  /** Every request answered 503 so far, oldest first. */
  readonly answered: S3OutageAnswer[] = [];

  constructor(bucket: string) {
    this.bucket = bucket;
  }

  /** Switches the outage off and restores the default code (the answers stay recorded). */
  clear(): void {
    this.outage = false;
    this.code = "SlowDown";
  }
}

export interface S3OutageProxy {
  /** Where S3 clients send requests (path-style). */
  endpoint: string;
  /** The outage switch of `bucket` (one per bucket, made on first use). */
  outage(bucket: string): S3Outage;
  /** S3's `If-None-Match: *` writes, which s3rver ignores, enforced here (s3-conditional-writes.ts). */
  conditionalWrites: ConditionalWriteGuard;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of an S3 server that can take buckets down. Requests are forwarded
 * unchanged (the Host header too, so SigV4 signatures still verify upstream); a request for a bucket
 * in outage is answered here with the 503 and the XML error body S3 sends, which the SDK parses into a
 * `SlowDown` / `ServiceUnavailable` server error and retries. Conditional writes (`If-None-Match: *`)
 * are answered 412 / 409 here as S3 answers them, since s3rver would overwrite.
 */
export async function startS3OutageProxy(options: {
  port: number;
  upstream: string;
}): Promise<S3OutageProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const outages = new Map<string, S3Outage>();
  const conditionalWrites = createConditionalWriteGuard(upstream, agent);
  let requestIds = 0;

  const refuse = (req: IncomingMessage, res: ServerResponse, outage: S3Outage) => {
    requestIds += 1;
    const requestId = requestIds.toString(16).toUpperCase().padStart(16, "0");
    outage.answered.push({ bucket: outage.bucket, method: req.method ?? "", code: outage.code });
    const body =
      req.method === "HEAD"
        ? ""
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${outage.code}</Code><Message>${MESSAGES[outage.code]}</Message><RequestId>${requestId}</RequestId><HostId>local-outage</HostId></Error>`;
    req.resume();
    res
      .writeHead(503, {
        "Content-Type": "application/xml",
        "x-amz-request-id": requestId,
        "x-amz-id-2": "local-outage",
      })
      .end(body);
  };

  /** Forwards the request, its body streamed from `req` or, when given, `body` (already read). */
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    // `Expect` is never signed (SigV4 leaves it out); this proxy already answered the 100-continue.
    const { expect: _expect, ...headers } = req.headers;
    const upstreamRequest = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on("error", (error) => {
      if (res.headersSent) res.destroy(error);
      else res.writeHead(502, { "Content-Type": "text/plain" }).end(`s3 upstream failed: ${error.message}`);
    });
    if (body === undefined) req.pipe(upstreamRequest);
    else upstreamRequest.end(body);
  };

  const server = createServer((req, res) => {
    const outage = outages.get(bucketOf(req.url ?? "/"));
    if (outage?.outage) refuse(req, res, outage);
    else if (!conditionalWrites.handle(req, res, (body) => forward(req, res, body))) forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    outage(bucket) {
      let outage = outages.get(bucket);
      if (outage === undefined) {
        outage = new S3Outage(bucket);
        outages.set(bucket, outage);
      }
      return outage;
    },
    conditionalWrites,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** The bucket of a path-style request (`/bucket/key?...`); "" for ListBuckets. */
function bucketOf(url: string): string {
  const path = url.split("?")[0] ?? "";
  return decodeURIComponent(path.split("/")[1] ?? "");
}
