import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EstateWindows } from "../../adapters/estate-windows.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { coalesceEstateRun } from "../../usecases/reconcile-estate/coalesce-estate-run.ts";

const T = Date.parse("2026-06-01T12:00:00.000Z");
const tagged = (accountId: string) => ({
  type: "account-event" as const,
  accountId,
  eventName: "TagResource",
});

describe("estate coalescing windows (dynalite)", () => {
  let storage: StorageServers;
  let windows: EstateWindows;
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "coalescing-evidence",
      tables: { idempotency: "idem-c", state: "state-c" },
    });
    windows = new EstateWindows({ doc: storage.doc, tableName: "state-c" }, () => T);
  });
  afterAll(() => storage.close());

  it("lets one of twenty concurrent runs of a window claim it; the others fold into it and are listed", async () => {
    // Prepare
    const coalesce = coalesceEstateRun({ windows, nowMs: () => T + 5_000 });
    const ids = Array.from({ length: 20 }, (_, i) => `account-tagged-${String(i).padStart(2, "0")}`);

    // Act: twenty runs at once
    const decisions = await Promise.all(
      ids.map((runId, i) => coalesce({ runId, trigger: tagged(String(100000000000 + i)) })),
    );

    // Assess
    const owners = decisions.flatMap((d, i) => (d.coalesced ? [] : [ids[i]]));
    expect(owners).toHaveLength(1);
    const owner = String(owners[0]);
    expect(decisions.find((d) => !d.coalesced)).toEqual({
      coalesced: false,
      window: "estate-20260601T120000000Z",
      notBefore: "2026-06-01T12:00:31.000Z",
    });
    expect(decisions.filter((d) => d.coalesced)).toEqual(
      Array.from({ length: 19 }, () => ({
        coalesced: true,
        into: owner,
        window: "estate-20260601T120000000Z",
      })),
    );
    const folded = await windows.folded(owner);
    expect(folded).toHaveLength(19);
    expect(folded.map((t) => (t.type === "account-event" ? t.accountId : "")).sort()).toEqual(
      decisions.flatMap((_, i) => (ids[i] === owner ? [] : [String(100000000000 + i)])).sort(),
    );
    // a retried claim by the owner answers the owner; a run of the next window claims that one
    expect((await coalesce({ runId: owner, trigger: tagged("100000000000") })).coalesced).toBe(false);
    const next = coalesceEstateRun({ windows, nowMs: () => T + 31_000 });
    expect(await next({ runId: "account-tagged-late", trigger: tagged("100000000099") })).toMatchObject({
      coalesced: false,
      window: "estate-20260601T120030000Z",
    });
  });

  it("never folds a scheduled or on-demand run, and refuses an input without a trigger naming the field", async () => {
    const coalesce = coalesceEstateRun({ windows, nowMs: () => T });
    expect(await coalesce({ runId: "scheduled-1", trigger: { type: "schedule" } })).toEqual({
      coalesced: false,
    });
    expect(await coalesce({ runId: "cli-1", trigger: { type: "manual", requestedBy: "ops" } })).toEqual({
      coalesced: false,
    });
    await expect(coalesce({ runId: "x" })).rejects.toThrow(/the estate run input is invalid at trigger/);
  });
});
