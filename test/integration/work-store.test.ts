import { gunzipSync } from "node:zlib";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkStore } from "../../adapters/work-store.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

describe("adapters/work-store: a run's scratch objects on s3rver", () => {
  let servers: StorageServers;
  let store: WorkStore;
  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "work",
      tables: { idempotency: "idem", state: "state" },
    });
    store = new WorkStore({ s3: servers.s3, bucket: "work" });
  });
  afterAll(() => servers.close());

  it("stores a large repetitive value gzipped, and reads back the same value", async () => {
    // Prepare: a truth-like list of 1,000 group assignments
    const value = {
      groupAssignments: Array.from({ length: 1_000 }, (_, i) => ({
        accountId: String(100_000_000_000 + i),
        permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-a08ff49b6f772632/ps-43a8c3b7cf3c2563",
        principalType: "GROUP",
        principalId: "7c4ce628-85fa-4870-a638-085832444a91",
      })),
    };

    // Act
    await store.put("work/user/run-1/truth.json", value);
    const raw = await servers.s3.send(
      new GetObjectCommand({ Bucket: "work", Key: "work/user/run-1/truth.json" }),
    );
    const stored = (await raw.Body?.transformToByteArray()) ?? new Uint8Array();

    // Assess
    expect(raw.ContentEncoding).toBe("gzip");
    expect(stored.byteLength).toBeLessThan(JSON.stringify(value).length / 10);
    expect(JSON.parse(gunzipSync(stored).toString("utf8"))).toEqual(value);
    expect(await store.get("work/user/run-1/truth.json")).toEqual(value);
  });

  it("reads an object stored plain, as runs started before compression left it", async () => {
    // Prepare
    await servers.s3.send(
      new PutObjectCommand({
        Bucket: "work",
        Key: "work/user/run-2/plan.json",
        Body: JSON.stringify({ decision: "revoke" }),
        ContentType: "application/json",
      }),
    );

    // Act / Assess
    expect(await store.get("work/user/run-2/plan.json")).toEqual({ decision: "revoke" });
  });
});
