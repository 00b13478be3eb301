import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * Scratch space for workflow runs (a plan too large for a Step Functions payload, per-batch
 * outcomes): JSON objects in a bucket with a short lifecycle, never the WORM evidence bucket.
 */
export class WorkStore {
  private readonly s3: S3Client;
  private readonly bucket: string;
  constructor(options: { s3: S3Client; bucket: string }) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: "application/json",
      }),
    );
  }

  async get<T>(key: string): Promise<T> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString("utf8")) ?? "null") as T;
  }
}
