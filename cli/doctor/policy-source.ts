import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { parseS3PolicyLocation } from "./policy-events-check.ts";

/**
 * Reads the deployment's policy for checks that compare with it: `file:path` or a plain path from the
 * disk, `s3://bucket/key` with GetObject. `undefined` when no location is given or the file is absent.
 */
export function policySource(
  location: string | undefined,
  s3: Pick<S3Client, "send">,
): () => Promise<{ text: string; from: string } | undefined> {
  return async () => {
    if (location === undefined || location === "") return undefined;
    const object = parseS3PolicyLocation(location);
    if (object) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
      return { text: (await answer.Body?.transformToString("utf8")) ?? "", from: location };
    }
    const file = location.replace(/^file:/, "");
    return existsSync(file) ? { text: await readFile(file, "utf8"), from: file } : undefined;
  };
}
