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
});
