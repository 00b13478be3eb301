/**
 * The sso-admin budget the deployed functions share (issue 17): one token bucket item in the state
 * table (dynalite, the local stack's DynamoDB), drawn from by two budgets as two functions would,
 * with leaver (revocation) runs first. Time is a fake clock: the assertions count tokens, not ms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedCallBudget } from "../../adapters/shared-call-budget.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";

/** A clock that only moves when someone sleeps (each sleeper advances it by its wait). */
function fakeClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      await Promise.resolve();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("a shared sso-admin budget (dynalite)", () => {
  let storage: StorageServers;
  let table: { doc: StorageServers["doc"]; tableName: string };
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "budget-evidence",
      tables: { idempotency: "idem-b", state: "state-b" },
    });
    table = { doc: storage.doc, tableName: "state-b" };
  });
  afterAll(() => storage.close());

  it("two budgets on one bucket never take more together than the bucket and its refill allow", async () => {
    // Prepare: two processes (two functions), one bucket of 20 at 20 per second
    const clock = fakeClock();
    const options = { name: "shared-1", callsPerSecond: 20, reserve: 0, ...clock };
    const a = new SharedCallBudget(table, options);
    const b = new SharedCallBudget(table, options);
    const taken: number[] = [];

    // Act: each asks for 5 tokens eight times, interleaved (80 tokens, 4 bursts' worth)
    for (let i = 0; i < 8; i++) {
      await a.take("revocation", 5);
      taken.push(clock.now());
      await b.take("revocation", 5);
      taken.push(clock.now());
    }

    // Assess: 80 tokens = 20 at start + 60 refilled, so at least 3 s of the fake clock went by
    const elapsed = (taken.at(-1) as number) - 1_000_000;
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(3500);
    // A take whose item another process moved costs a failed write, a read and a write (and one
    // more read when the wait it computed from the stale item was too short).
    expect(a.requests + b.requests).toBeLessThanOrEqual(16 * 4 + 2);
  });

  it("a lone process pays one DynamoDB write per batch of tokens (one read at start)", async () => {
    // Prepare
    const clock = fakeClock();
    const budget = new SharedCallBudget(table, { name: "shared-lone", callsPerSecond: 20, ...clock });
    const paced = new ThrottleBudget({
      callsPerSecond: 20,
      shared: budget.for("revocation"),
      sharedBatch: 5,
      ...clock,
    });

    // Act: 100 calls
    await Promise.all(Array.from({ length: 100 }, () => paced.call()));

    // Assess: 20 batches of 5
    expect(budget.requests).toBe(20 + 1);
  });

  it("concurrent takes through ThrottleBudget: two processes' calls share one rate", async () => {
    // Prepare
    const clock = fakeClock();
    const shared = { name: "shared-2", callsPerSecond: 20, reserve: 0, ...clock };
    const processA = new ThrottleBudget({
      callsPerSecond: 20,
      shared: new SharedCallBudget(table, shared).for("revocation"),
      sharedBatch: 5,
      ...clock,
    });
    const processB = new ThrottleBudget({
      callsPerSecond: 20,
      shared: new SharedCallBudget(table, shared).for("revocation"),
      sharedBatch: 5,
      ...clock,
    });

    // Act: 60 calls from each at once
    await Promise.all([
      ...Array.from({ length: 60 }, () => processA.call()),
      ...Array.from({ length: 60 }, () => processB.call()),
    ]);

    // Assess: 120 calls need 100 refilled tokens at 20/s: 5 s, though each process alone paces 20/s (3 s)
    expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual(5000);
  });

  it("estate runs keep the reserve: they wait where a leaver run takes", async () => {
    // Prepare: 20 tokens, reserve 8
    const clock = fakeClock();
    const options = { name: "shared-3", callsPerSecond: 20, reserve: 8, revocationQuietMs: 0, ...clock };
    const estate = new SharedCallBudget(table, options);
    const leaver = new SharedCallBudget(table, options);

    // Act: the estate run takes 12 (all it may), then the leaver run takes the reserve at once
    await estate.take("estate", 12);
    const beforeLeaver = clock.now();
    await leaver.take("revocation", 8);
    const leaverWaited = clock.now() - beforeLeaver;
    const beforeEstate = clock.now();
    await estate.take("estate", 1);
    const estateWaited = clock.now() - beforeEstate;

    // Assess: the leaver found its 8 waiting; the estate run waited for the bucket to refill past the reserve
    expect(leaverWaited).toBe(0);
    expect(estateWaited).toBeGreaterThanOrEqual(450); // (8 + 1 - 0) tokens at 20/s
  });

  it("while a leaver run is active, estate runs wait for it to go quiet", async () => {
    // Prepare
    const clock = fakeClock();
    const options = { name: "shared-4", callsPerSecond: 20, reserve: 2, revocationQuietMs: 10_000, ...clock };
    const estate = new SharedCallBudget(table, options);
    const leaver = new SharedCallBudget(table, options);

    // Act
    await leaver.take("revocation", 1);
    const leaverAt = clock.now();
    await estate.take("estate", 1);

    // Assess: the bucket had 19 tokens, but the estate run waited the leaver's quiet period out
    expect(clock.now() - leaverAt).toBeGreaterThanOrEqual(10_000);
  });

  it("a leaver run that announces itself holds estate runs off without spending tokens, once per half window", async () => {
    // Prepare: a fresh budget no process has taken from yet
    const clock = fakeClock();
    const options = { name: "shared-6", callsPerSecond: 20, reserve: 2, revocationQuietMs: 10_000, ...clock };
    const estate = new SharedCallBudget(table, options);
    const leaver = new SharedCallBudget(table, options);

    // Act: the leaver's ApplyDeny announces twice in a row; then the estate run takes
    await leaver.announceRevocation();
    await leaver.announceRevocation();
    const announcedAt = clock.now();
    await estate.take("estate", 18);

    // Assess: one write for two announcements; the estate run waited the window out, then found the
    // bucket full (the announcement took nothing)
    expect(leaver.requests).toBe(1);
    expect(clock.now() - announcedAt).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - announcedAt).toBeLessThan(10_500);
  });

  it("refuses a take no bucket could ever grant, naming the share", async () => {
    const budget = new SharedCallBudget(table, { name: "shared-5", callsPerSecond: 20, reserve: 5 });
    await expect(budget.take("estate", 16)).rejects.toThrow(
      /from 1 to 15 \(the estate share of a bucket of 20\)/,
    );
  });
});
