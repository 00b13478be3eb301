import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_ESTATE_COALESCING,
  estateWindow,
  isCoalescible,
} from "../../../core/dispatch/estate-window.ts";

const T = Date.parse("2026-06-01T12:00:00.000Z");

describe("estateWindow", () => {
  it("names a window by its start and lets its run read once it has closed", () => {
    expect(estateWindow(T + 12_345)).toEqual({
      name: "estate-20260601T120000000Z",
      notBefore: "2026-06-01T12:00:31.000Z",
    });
    expect(estateWindow(T + 30_000).name).toBe("estate-20260601T120030000Z");
  });

  it("gives every instant of a window the same name, and a read after the instant (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (nowMs, windowMs, settleMs) => {
          const options = { windowMs, settleMs };
          const here = estateWindow(nowMs, options);
          const start = nowMs - (nowMs % windowMs);
          expect(estateWindow(start, options)).toEqual(here);
          expect(estateWindow(start + windowMs - 1, options)).toEqual(here);
          expect(estateWindow(start + windowMs, options).name).not.toBe(here.name);
          expect(Date.parse(here.notBefore)).toBeGreaterThan(nowMs);
          expect(here.name).toMatch(/^estate-\d{8}T\d{9}Z$/);
        },
      ),
    );
  });

  it("folds event-driven runs only: a schedule or an operator's run starts at once", () => {
    expect(
      isCoalescible({ type: "account-event", accountId: "111111111111", eventName: "TagResource" }),
    ).toBe(true);
    expect(isCoalescible({ type: "policy-change" })).toBe(true);
    expect(isCoalescible({ type: "schedule" })).toBe(false);
    expect(isCoalescible({ type: "manual", requestedBy: "ops" })).toBe(false);
    expect(DEFAULT_ESTATE_COALESCING.windowMs).toBe(30_000);
  });
});
