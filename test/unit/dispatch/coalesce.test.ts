import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coalescingSlots, DEFAULT_COALESCING } from "../../../core/dispatch/coalesce.ts";

const T = Date.parse("2026-11-23T22:39:10.000Z");

describe("coalescingSlots", () => {
  it("names a user's leading and trailing runs after the window, and waits past the window's end", () => {
    // Act
    const slots = coalescingSlots("00u7hD3avzYBOaJFUpr0", T + 4_321);

    // Assess
    expect(slots.leading).toBe("user-00u7hD3avzYBOaJFUpr0-20261123T223910000Z-lead");
    expect(slots.trailing.name).toBe("user-00u7hD3avzYBOaJFUpr0-20261123T223910000Z-trail");
    const notBefore = Date.parse(slots.trailing.notBefore);
    expect(notBefore).toBeGreaterThanOrEqual(T + DEFAULT_COALESCING.windowMs + DEFAULT_COALESCING.settleMs);
    expect(notBefore).toBeLessThan(
      T + DEFAULT_COALESCING.windowMs + DEFAULT_COALESCING.settleMs + DEFAULT_COALESCING.spreadMs,
    );
  });

  it("gives every instant of a window the same slots, and the next window new ones", () => {
    // Act
    const first = coalescingSlots("00uA", T);
    const last = coalescingSlots("00uA", T + 9_999);
    const next = coalescingSlots("00uA", T + 10_000);

    // Assess
    expect(last).toEqual(first);
    expect(next.leading).not.toBe(first.leading);
  });

  it("without spread, the trailing run waits exactly the window end plus the settle margin", () => {
    // Act
    const slots = coalescingSlots("00uA", T + 10, { windowMs: 50, settleMs: 5, spreadMs: 0 });

    // Assess
    expect(slots.trailing.notBefore).toBe(new Date(T + 50 + 5).toISOString());
  });

  it("always yields valid, distinct Step Functions names that wait until after any event of the window", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        (user, now, windowMs) => {
          // Act
          const slots = coalescingSlots(user, now, { windowMs, settleMs: 1000, spreadMs: 2000 });

          // Assess
          for (const name of [slots.leading, slots.trailing.name])
            expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
          expect(slots.leading).not.toBe(slots.trailing.name);
          expect(Date.parse(slots.trailing.notBefore)).toBeGreaterThan(now);
        },
      ),
    );
  });
});

describe("coalescingSlots for odd user ids", () => {
  it("gives distinct user ids distinct slots even when they sanitize alike or are cut", () => {
    // Prepare
    const long = "u".repeat(90);
    const pairs = [
      ["00u.1", "00u/1"],
      ["00u 1", "00u_1"],
      [`${long}a`, `${long}b`],
    ];

    // Act
    const slots = pairs.map(([a, b]) => [coalescingSlots(a ?? "", T), coalescingSlots(b ?? "", T)]);

    // Assess
    for (const [a, b] of slots) {
      expect(a?.leading).not.toBe(b?.leading);
      expect(a?.trailing.name).not.toBe(b?.trailing.name);
      expect(a?.leading).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
  });
});
