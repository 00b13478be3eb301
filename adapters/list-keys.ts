import { ListObjectsCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * Every key under `prefix` in a bucket, sorted. Pages with ListObjects (v1) and `Marker` = the last
 * key: the same `s3:ListBucket` permission in AWS, while s3rver, the local S3, fails every truncated
 * ListObjectsV2 page on Node >= 17 (its continuation token uses a DES cipher OpenSSL 3 no longer offers).
 */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let Marker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker }));
    const found = (page.Contents ?? []).flatMap((c) => (c.Key ? [c.Key] : []));
    keys.push(...found);
    if (!page.IsTruncated || found.length === 0) return keys.sort();
    Marker = found.at(-1);
  }
}
