import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { userExecutionName } from "../../core/dispatch/execution-name.ts";

describe("userExecutionName", () => {
  it("names the run after the user and the Okta event", () => {
    expect(userExecutionName("00u3m90rxKjGQ0G6L1d6", "ab62c0bc-2837-11eb-9823-9fb8f750c5a9")).toBe(
      "user-00u3m90rxKjGQ0G6L1d6-ab62c0bc-2837-11eb-9823-9fb8f750c5a9",
    );
  });

  it("always yields a valid, deterministic Step Functions name", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (user, event) => {
        const name = userExecutionName(user, event);
        expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        expect(userExecutionName(user, event)).toBe(name);
      }),
    );
  });

  it("gives distinct odd event ids distinct names (sanitizing stays injective)", () => {
    // Prepare: each pair sanitizes to the same characters, or is cut at the same 80th character.
    const long = "x".repeat(90);
    const pairs: [string, string, string, string][] = [
      ["00u1", "evt.1", "00u1", "evt/1"],
      ["00u1", "evt 1", "00u1", "evt_1"],
      ["00u1", `${long}a`, "00u1", `${long}b`],
      ["00u.1", "e", "00u_1", "e"],
      ["00u1-a", "b", "00u1", "a-b"],
    ];

    // Act
    const names = pairs.map(([u1, e1, u2, e2]) => [userExecutionName(u1, e1), userExecutionName(u2, e2)]);

    // Assess
    for (const [a, b] of names) expect(a).not.toBe(b);
  });

  it("never maps two different (user, event) pairs to one name", () => {
    const odd = fc.string({ unit: fc.constantFrom("a", "b", "-", "_", ".", "/", " ", "é") });
    fc.assert(
      fc.property(odd, odd, odd, odd, (u1, e1, u2, e2) => {
        fc.pre(u1 !== u2 || e1 !== e2);
        expect(userExecutionName(u1, e1)).not.toBe(userExecutionName(u2, e2));
      }),
    );
  });
});
