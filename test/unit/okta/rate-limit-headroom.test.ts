import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RateLimitHeadroom } from "../../../adapters/okta/rate-limit-headroom.ts";

const T0 = Date.parse("2026-12-07T18:00:20.000Z");
const PATH = "/api/v1/users/00u1/sessions";
const READ = "/api/v1/users/00u2";

/** Okta's three rate-limit headers (the reset in epoch seconds). */
const headers = (limit: number, remaining: number, resetMs: number) =>
  new Headers({
    "x-rate-limit-limit": String(limit),
    "x-rate-limit-remaining": String(remaining),
    "x-rate-limit-reset": String(Math.floor(resetMs / 1000)),
  });

/** Low-priority calls made in one window, waiting as told, while `readsPerSecond` other calls go. */
function simulate(limit: number, remaining: number, readsPerSecond: number) {
  const headroom = new RateLimitHeadroom();
  const reset = Date.parse("2026-12-07T18:01:00.000Z");
  headroom.observe(READ, headers(limit, remaining, reset), T0);
  let now = T0;
  let left = remaining;
  let granted = 0;
  let lastRead = T0;
  while (now < reset - 1) {
    // the other calls of the window, reported back as Okta would
    while (readsPerSecond > 0 && now - lastRead >= 1000 / readsPerSecond && left > 0) {
      lastRead += 1000 / readsPerSecond;
      left -= 1;
      headroom.observe(READ, headers(limit, left, reset), now);
    }
    const wait = headroom.lowPriorityWait(PATH, now);
    if (wait === 0) {
      granted += 1;
      left -= 1;
      // its answer, as every call gets one
      headroom.observe(PATH, headers(limit, left, reset), now);
    } else now += Math.min(wait, 1000 / Math.max(1, readsPerSecond));
  }
  return { granted, left };
}

describe("adapters/okta/rate-limit-headroom: low-priority calls yield to the others", () => {
  it("lets a low-priority call go at once when nothing was heard of its bucket", () => {
    expect(new RateLimitHeadroom().lowPriorityWait(PATH, T0)).toBe(0);
  });

  it("makes a low-priority call wait while the remaining calls are what the rest of the window needs", () => {
    // Prepare: 40 s left of the minute, 10 of 1,000 calls left
    const headroom = new RateLimitHeadroom();
    headroom.observe(READ, headers(1_000, 10, Date.parse("2026-12-07T18:01:00.000Z")), T0);

    // Act
    const wait = headroom.lowPriorityWait(PATH, T0);

    // Assess: until the reserve (1,000 pro rata) falls under 10: 0.6 s before the reset
    expect(wait).toBeGreaterThan(39_000);
    expect(wait).toBeLessThanOrEqual(40_000);
  });

  it("lets low-priority calls use what is left over the window's pace, counting each", () => {
    // Prepare: 40 s left, 900 of 1,000 left: the others could use 667 more at the full pace
    const headroom = new RateLimitHeadroom();
    headroom.observe(READ, headers(1_000, 900, Date.parse("2026-12-07T18:01:00.000Z")), T0);

    // Act
    let granted = 0;
    while (headroom.lowPriorityWait(PATH, T0) === 0) granted += 1;

    // Assess
    expect(granted).toBe(900 - Math.floor((1_000 * 40) / 60));
  });

  it("lets low-priority calls take what is left once the reports show the others have stopped (a tenth of the pace kept)", () => {
    // Prepare: 40 s left, 500 of 1,000 left, and 2 s later still 500: nobody else is calling
    const headroom = new RateLimitHeadroom();
    const reset = Date.parse("2026-12-07T18:01:00.000Z");
    headroom.observe(READ, headers(1_000, 500, reset), T0);
    headroom.observe(READ, headers(1_000, 500, reset), T0 + 2_000);

    // Act
    let granted = 0;
    while (headroom.lowPriorityWait(PATH, T0 + 2_000) === 0) granted += 1;

    // Assess: all but a tenth of the limit's pace for the 38 s left
    expect(granted).toBe(500 - Math.floor((0.1 * 1_000 * 38) / 60));
  });

  it("keeps the limit's whole pace in reserve while the reports show the others calling at it", () => {
    // Prepare: 40 s left; 17 calls of others a second (1,000 a minute)
    const headroom = new RateLimitHeadroom();
    const reset = Date.parse("2026-12-07T18:01:00.000Z");
    headroom.observe(READ, headers(1_000, 700, reset), T0);
    headroom.observe(READ, headers(1_000, 683, reset), T0 + 1_000);

    // Act
    let granted = 0;
    while (headroom.lowPriorityWait(PATH, T0 + 1_000) === 0) granted += 1;

    // Assess: 683 left against 39 s at 1,000 a minute (650)
    expect(granted).toBe(683 - Math.floor((1_000 * 39) / 60));
  });

  it("on a view seconds old lets one call go and the rest wait for its answer, then the room its answer shows", () => {
    // Prepare: the others at 17 calls a second; the last answer 5 s ago said 683 of 1,000 left, 39 s to go
    const headroom = new RateLimitHeadroom();
    const reset = Date.parse("2026-12-07T18:01:00.000Z");
    headroom.observe(READ, headers(1_000, 700, reset), T0);
    headroom.observe(READ, headers(1_000, 683, reset), T0 + 1_000);

    // Act: a herd of 100 deferred calls wakes at once, before any answer
    const herd = Array.from({ length: 100 }, () => headroom.lowPriorityWait(PATH, T0 + 6_000));
    // the one call's answer: the others called 85 times since the last one
    headroom.observe(PATH, headers(1_000, 597, reset), T0 + 6_200);
    let granted = 0;
    while (headroom.lowPriorityWait(PATH, T0 + 7_000) === 0) granted += 1;

    // Assess: one went (the stale view would have let all 100 go); then 597 against 33 s at the limit's pace
    expect(herd.filter((w) => w === 0)).toHaveLength(1);
    expect(Math.min(...herd.filter((w) => w > 0))).toBeGreaterThan(0);
    expect(Math.max(...herd)).toBeLessThanOrEqual(1_000);
    expect(granted).toBe(597 - Math.floor((1_000 * 33) / 60));
  });

  it("reads a reset on Okta's clock against its Date, not this process's clock", () => {
    // Prepare: Okta's clock is 20 s ahead; by it, 40 s are left; by ours, the reset looks a minute away
    const headroom = new RateLimitHeadroom();
    const oktaNow = T0 + 20_000;
    headroom.observe(READ, headers(60, 0, Date.parse("2026-12-07T18:01:20.000Z")), T0, oktaNow);

    // Act / Assess: the wait is Okta's 40 s (plus a millisecond), not 80 s
    expect(headroom.lowPriorityWait(PATH, T0)).toBe(40_001);
  });

  it("never lets low-priority calls take more than the window has left, and takes all of it when nothing else calls", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), (limit, remaining) => {
        const r = Math.min(limit, remaining);
        const alone = simulate(limit, r, 0);
        expect(alone.granted).toBeLessThanOrEqual(r);
        expect(alone.granted).toBeGreaterThanOrEqual(r - 1);
      }),
      { numRuns: 60 },
    );
  });

  it("gives the others the whole pace: with them at the limit's rate, low-priority calls take nearly nothing", () => {
    // Act: 60 a minute left over 40 s, the others at 1 a second (the limit's pace)
    const busy = simulate(60, 40, 1);

    // Assess: the others were never short
    expect(busy.granted).toBeLessThanOrEqual(1);
    expect(busy.left).toBeGreaterThanOrEqual(0);
  });
});
