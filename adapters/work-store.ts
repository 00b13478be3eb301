import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Scratch space for workflow runs (a plan too large for a Step Functions payload, per-batch
 * outcomes): JSON objects in a bucket with a short lifecycle, never the WORM evidence bucket.
 * Stored gzipped (`Content-Encoding: gzip`): what goes there is large and repetitive (a leaver's
 * truth lists every assignment of their groups, 416 KB for a group on 1,000 accounts, about 20 KB
 * gzipped), and a run reads it back in several tasks. An object stored plain (before this) is read as
 * it is. Compression runs off the event loop (zlib's thread pool).
 */
export class WorkStore {
  private readonly s3: S3Client;
  private readonly bucket: string;
  constructor(options: { s3: S3Client; bucket: string }) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
  }

  /** Stores `value` as JSON (`json`: its JSON text when the caller made it already). */
  async put(key: string, value: unknown, json = JSON.stringify(value)): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: await gzipAsync(json),
        ContentType: "application/json",
        ContentEncoding: "gzip",
      }),
    );
  }

  async get<T>(key: string): Promise<T> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    const text =
      object.ContentEncoding === "gzip"
        ? (await gunzipAsync(bytes)).toString("utf8")
        : Buffer.from(bytes).toString("utf8");
    return JSON.parse(text || "null") as T;
  }
}
