import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

/**
 * The local stack's evidence bucket answers conditional writes as S3 does (s3rver alone would
 * overwrite): a record the stack wrote cannot be replaced by an `If-None-Match: *` upload.
 */
describe("the local stack's evidence bucket", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(randomHookSecret());
  });
  afterAll(() => stack?.stop());

  it("refuses to overwrite a stored record (412 PreconditionFailed) and keeps it as written", async () => {
    // Prepare: a record stored by the stack's own evidence store
    const stored = await stack.adapters.evidence.append(
      {
        schemaVersion: 1,
        recordId: "e2e-write-once",
        runId: "run-e2e-write-once",
        kind: "snapshot",
        createdAt: new Date().toISOString(),
        body: { rows: [] },
      },
      "e2e-write-once",
    );
    const before = await stack.adapters.evidence.get(stored.key);
    const bucket = stack.endpoints.evidence.bucket;

    // Act
    const overwrite = await stack.storage.s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: stored.key, Body: "{}", IfNoneMatch: "*" }))
      .catch((e: Error) => e);

    // Assess
    expect(overwrite).toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    expect(await stack.adapters.evidence.get(stored.key)).toBe(before);
    expect(stack.storage.conditionalWrites.refused).toContainEqual({
      bucket,
      key: stored.key,
      code: "PreconditionFailed",
    });
  });
});
