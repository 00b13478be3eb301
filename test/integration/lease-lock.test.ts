import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeaseBusyError, LeaseLock } from "../../adapters/lease-lock.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

describe("the lease that serializes revocation writers (dynalite)", () => {
  let storage: StorageServers;
  let table: { doc: StorageServers["doc"]; tableName: string };
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "lease-evidence",
      tables: { idempotency: "idem-l", state: "state-l" },
    });
    table = { doc: storage.doc, tableName: "state-l" };
  });
  afterAll(() => storage.close());

  it("lets one holder at a time work, whatever the number of concurrent writers", async () => {
    // Prepare
    const lock = new LeaseLock(table, { pollMs: 5 });
    let inside = 0;
    let most = 0;
    const order: number[] = [];

    // Act: eight writers at once
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        lock.withLease("revocation", async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 10));
          order.push(i);
          inside--;
        }),
      ),
    );

    // Assess
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("frees the lease when the work fails", async () => {
    const lock = new LeaseLock(table, { pollMs: 5, waitMs: 200 });
    await expect(lock.withLease("fails", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    await expect(lock.withLease("fails", async () => "next")).resolves.toBe("next");
  });

  it("takes over a lease whose holder crashed once it has ended, and gives up on a live one", async () => {
    // Prepare: a crashed holder's lease, ending 50 ms from now; and a live one far in the future
    const now = Date.now();
    for (const [sk, expiresAt] of [
      ["crashed", now + 50],
      ["live", now + 3_600_000],
    ] as const) {
      await table.doc.send(
        new PutCommand({ TableName: table.tableName, Item: { pk: "locks", sk, owner: "gone", expiresAt } }),
      );
    }
    const lock = new LeaseLock(table, { pollMs: 5, waitMs: 300 });

    // Act + Assess
    await expect(lock.withLease("crashed", async () => "taken over")).resolves.toBe("taken over");
    await expect(lock.withLease("live", async () => "never")).rejects.toBeInstanceOf(LeaseBusyError);
  });

  it("lets a waiter whose work the holder did return that answer without taking the lease", async () => {
    // Prepare: a holder doing the waiter's work too (a write that carries every recorded Deny)
    const lock = new LeaseLock(table, { pollMs: 5, waitMs: 2_000 });
    let done: string | undefined;
    let waiterWorked = false;
    const holder = lock.withLease("carry", async () => {
      await new Promise((r) => setTimeout(r, 100));
      done = "written by the holder";
      return "holder";
    });
    await new Promise((r) => setTimeout(r, 20));

    // Act
    const waiter = lock.withLeaseUnless(
      "carry",
      async () => done,
      async () => {
        waiterWorked = true;
        return "waiter wrote";
      },
    );

    // Assess
    await expect(holder).resolves.toBe("holder");
    await expect(waiter).resolves.toBe("written by the holder");
    expect(waiterWorked).toBe(false);
  });

  it("waiters of one process wait on its holder, not on the table, and one write ends their wait", async () => {
    // Prepare: a holder writing for 200 ms; the table calls the lock makes are counted
    let calls = 0;
    const counting = {
      doc: {
        send: (command: never) => {
          calls++;
          return table.doc.send(command);
        },
      } as never,
      tableName: table.tableName,
    };
    const lock = new LeaseLock(counting, { pollMs: 5, waitMs: 2_000 });
    let written = false;
    const holder = lock.withLease("in-process", async () => {
      await new Promise((r) => setTimeout(r, 200));
      written = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    const before = calls;

    // Act: 20 waiters whose work the holder's write does
    const waiters = Array.from({ length: 20 }, () =>
      lock.withLeaseUnless(
        "in-process",
        async () => (written ? "carried" : undefined),
        async () => "wrote",
      ),
    );
    await new Promise((r) => setTimeout(r, 150));
    const whileHeld = calls - before;
    await holder;

    // Assess: no table call while the holder worked (polling at 5 ms would be hundreds), none wrote
    expect(whileHeld).toBe(0);
    expect(await Promise.all(waiters)).toEqual(Array(20).fill("carried"));
  });
});
