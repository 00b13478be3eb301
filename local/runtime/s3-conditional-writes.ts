import { type Agent, type IncomingMessage, request, type ServerResponse } from "node:http";

/**
 * S3's conditional writes, which s3rver ignores: a PutObject (or CopyObject) with `If-None-Match: *`
 * "Uploads the object only if the object key name does not already exist in the bucket specified.
 * Otherwise, Amazon S3 returns a 412 Precondition Failed error. If a conflicting operation occurs
 * during the upload S3 returns a 409 ConditionalRequestConflict response. On a 409 failure you should
 * retry the upload." (PutObject API reference, `IfNoneMatch`; S3 User Guide, "How to prevent object
 * overwrites with conditional writes"). Modelled here:
 * - the key exists when the upload completes: 412 `PreconditionFailed` ("At least one of the
 *   pre-conditions you specified did not hold", `Condition` If-None-Match); nothing is stored;
 * - another conditional write of the same key is still in flight (the race): 409
 *   `ConditionalRequestConflict`; once it has finished, a later one gets the 412 (the first write to
 *   finish wins).
 * The body is read in full before the server sees it, so an upload abandoned midway stores nothing
 * (as in S3; s3rver would keep the part that arrived).
 * Multipart uploads (CompleteMultipartUpload) are not guarded: nothing here uploads in parts.
 */

export type ConditionalWriteCode = "PreconditionFailed" | "ConditionalRequestConflict";

const ANSWERS: Record<ConditionalWriteCode, { status: number; message: string }> = {
  PreconditionFailed: {
    status: 412,
    message: "At least one of the pre-conditions you specified did not hold",
  },
  ConditionalRequestConflict: {
    status: 409,
    message:
      "A conflicting conditional operation is currently in progress against this resource. Please try again.",
  },
};

/** One conditional write the guard refused. */
export interface RefusedConditionalWrite {
  bucket: string;
  key: string;
  code: ConditionalWriteCode;
}

export interface ConditionalWriteGuard {
  /** Every conditional write refused so far, oldest first. */
  readonly refused: readonly RefusedConditionalWrite[];
  /** The `bucket/key` of each conditional write under way (being checked or stored, not yet answered). */
  inFlight(): string[];
  /**
   * Takes a conditional object write (answering it, or forwarding it with its body, read in full,
   * through `forward` while the key is held); returns false for any other request, which the caller
   * forwards itself.
   */
  handle(req: IncomingMessage, res: ServerResponse, forward: (body: Buffer) => void): boolean;
}

/** `/bucket/key` of a path-style object request; null for a bucket or service request. */
function objectOf(url: string): { bucket: string; key: string; path: string } | null {
  const [path = "", query = ""] = url.split("?");
  const [, bucket = "", ...rest] = path.split("/");
  // Parts of a multipart upload carry `uploadId`: not a whole-object write.
  if (bucket === "" || rest.join("/") === "" || new URLSearchParams(query).has("uploadId")) return null;
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join("/")), path };
}

export function createConditionalWriteGuard(upstream: URL, agent: Agent): ConditionalWriteGuard {
  const inFlight = new Set<string>();
  const refused: RefusedConditionalWrite[] = [];
  let requestIds = 0;

  const exists = (path: string) =>
    new Promise<boolean>((resolve, reject) => {
      const head = request(
        { host: upstream.hostname, port: upstream.port, method: "HEAD", path, agent },
        (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        },
      );
      head.on("error", reject);
      head.end();
    });

  const refuse = (
    res: ServerResponse,
    target: { bucket: string; key: string },
    code: ConditionalWriteCode,
  ) => {
    requestIds += 1;
    const requestId = `C${requestIds.toString(16).toUpperCase().padStart(15, "0")}`;
    refused.push({ bucket: target.bucket, key: target.key, code });
    const { status, message } = ANSWERS[code];
    const condition = code === "PreconditionFailed" ? "<Condition>If-None-Match</Condition>" : "";
    res
      .writeHead(status, { "Content-Type": "application/xml", "x-amz-request-id": requestId })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${condition}<RequestId>${requestId}</RequestId><HostId>local-conditional-writes</HostId></Error>`,
      );
  };

  return {
    refused,
    inFlight: () => [...inFlight],
    handle(req, res, forward) {
      if (req.method !== "PUT" || req.headers["if-none-match"] !== "*") return false;
      const target = objectOf(req.url ?? "/");
      if (target === null) return false;
      const id = `${target.bucket}/${target.key}`;
      if (inFlight.has(id)) {
        req.resume();
        refuse(res, target, "ConditionalRequestConflict");
        return true;
      }
      inFlight.add(id);
      res.on("close", () => inFlight.delete(id));
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        exists(target.path).then(
          (found) => (found ? refuse(res, target, "PreconditionFailed") : forward(Buffer.concat(chunks))),
          (error: Error) =>
            res.writeHead(502, { "Content-Type": "text/plain" }).end(`s3 upstream failed: ${error.message}`),
        );
      });
      return true;
    },
  };
}
