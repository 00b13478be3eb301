import { describe, expect, it } from "vitest";
import {
  checkHookSecret,
  HookSecretTooWeakError,
  hookSecretProblem,
} from "../../infra/hook-secret-strength.ts";

/** Made up for the test, plainly not a secret anyone uses; strong by the rule (32+ characters, 8+ distinct). */
const STRONG = "Bearer example-hook-secret-not-real-0123456789";

describe("infra/hook-secret-strength (issue 12, point 11)", () => {
  it.each([
    [STRONG, null],
    [`Basic ${Buffer.from("example:not-a-real-password-0123").toString("base64")}`, null],
    ["0123456789abcdef0123456789abcdef", null],
  ])("accepts %s", (secret, problem) => {
    expect(hookSecretProblem(secret)).toBe(problem);
  });

  it.each([
    ["", "is empty"],
    ["Bearer local-okta-hook-secret", "has 22 characters after the scheme; use at least 32"],
    [`Bearer ${"a".repeat(40)}`, "uses only 1 distinct characters; use at least 8"],
    [`Bearer ${"abab".repeat(10)}`, "uses only 2 distinct characters; use at least 8"],
    ["Bearer changeme", "has 8 characters after the scheme; use at least 32"],
  ])("refuses %j: it %s", (secret, problem) => {
    expect(hookSecretProblem(secret)).toBe(problem);
  });

  it("fails with a message naming the secret and how to make a strong one, never its value", () => {
    // Act
    const check = () => checkHookSecret("HookSecret", "Bearer weak-but-secret");

    // Assess
    expect(check).toThrow(HookSecretTooWeakError);
    expect(check).toThrow(/HookSecret is too weak: it has 15 characters after the scheme; use at least 32/);
    expect(check).toThrow(/openssl rand -base64 32/);
    expect(check).not.toThrow(/weak-but-secret/);
    expect(checkHookSecret("HookSecret", STRONG)).toBe(STRONG);
  });
});
