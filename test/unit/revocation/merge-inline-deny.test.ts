import { describe, expect, it } from "vitest";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import {
  INLINE_POLICY_MAX_CHARS,
  InlinePolicyTooLargeError,
  InvalidInlinePolicyError,
} from "../../../core/revocation/inline-policy-errors.ts";
import { inlinePolicyLength, mergeInlineDeny } from "../../../core/revocation/merge-inline-deny.ts";
import { leaver, userId } from "./revocation-builders.ts";

const customerRead = { Sid: "ReadBuckets", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: "*" };
const customerDeny = { Effect: "Deny", Action: "iam:*", Resource: "*" };
const oldToolDeny = {
  Sid: "OktaAwsLifecycleAllSessions0000000000000000",
  Effect: "Deny",
  Action: "*",
  Resource: "*",
  Condition: { StringEquals: { "identitystore:userId": ["u-old"] } },
};
const policy = (statement: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: "2012-10-17", ...extra, Statement: statement }, null, 2);

describe("mergeInlineDeny", () => {
  it("creates a policy holding only the Denies when there is no inline policy", () => {
    // Prepare
    const statements = denyStatements([leaver("u-1")]);
    // Act
    const merged = mergeInlineDeny(null, statements);
    // Assess
    expect(merged).toBe(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
  });

  it("treats a blank inline policy as none", () => {
    const statements = denyStatements([leaver("u-1")]);
    expect(mergeInlineDeny("  \n", statements)).toBe(mergeInlineDeny(null, statements));
  });

  it("replaces the tool's statements and keeps the customer's, in their order, and their fields", () => {
    // Prepare
    const existing = policy([customerRead, oldToolDeny, customerDeny], { Id: "team-policy" });
    const statements = denyStatements([leaver("u-new")]);
    // Act
    const merged = JSON.parse(mergeInlineDeny(existing, statements) as string);
    // Assess
    expect(merged).toEqual({
      Version: "2012-10-17",
      Id: "team-policy",
      Statement: [customerRead, customerDeny, ...statements],
    });
  });

  it("keeps a customer policy whose Statement is a single object", () => {
    // Act
    const merged = JSON.parse(
      mergeInlineDeny(policy(customerRead), denyStatements([leaver("u-1")])) as string,
    );
    // Assess
    expect(merged.Statement[0]).toEqual(customerRead);
    expect(merged.Statement).toHaveLength(2);
  });

  it("adds the Denies to a policy without Statement, keeping its Version", () => {
    // Act
    const merged = JSON.parse(
      mergeInlineDeny('{"Version":"2008-10-17"}', denyStatements([leaver("u-1")])) as string,
    );
    // Assess
    expect(merged.Version).toBe("2008-10-17");
    expect(merged.Statement).toHaveLength(1);
  });

  it("removes the tool's statements when there is no Deny left", () => {
    // Act
    const merged = JSON.parse(mergeInlineDeny(policy([customerRead, oldToolDeny]), []) as string);
    // Assess
    expect(merged.Statement).toEqual([customerRead]);
  });

  it("answers null when nothing is left (the inline policy should be deleted)", () => {
    expect(mergeInlineDeny(policy([oldToolDeny]), [])).toBeNull();
    expect(mergeInlineDeny(null, [])).toBeNull();
  });

  it("refuses an inline policy that is not JSON, keeping the parse error as cause", () => {
    // Act
    const attempt = () => mergeInlineDeny("{not json", []);
    // Assess
    expect(attempt).toThrow(InvalidInlinePolicyError);
    expect(attempt).toThrow("it is not valid JSON");
    try {
      attempt();
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      expect((error as Error).name).toBe("InvalidInlinePolicyError");
    }
  });

  it("refuses an inline policy that is not a JSON object", () => {
    expect(() => mergeInlineDeny("[1,2]", [])).toThrow("it is not a JSON object");
    expect(() => mergeInlineDeny("null", [])).toThrow(InvalidInlinePolicyError);
  });

  it("refuses an inline policy whose Statement is neither an object nor a list", () => {
    expect(() => mergeInlineDeny(policy("Allow everything"), [])).toThrow(
      "its Statement is neither an object nor a list",
    );
  });

  it("refuses a result above 10,240 non-whitespace characters and names the size", () => {
    // Prepare: 300 leavers take about 11,900 characters
    const statements = denyStatements(Array.from({ length: 300 }, (_, i) => leaver(userId(i))));
    // Act
    let caught: unknown;
    try {
      mergeInlineDeny(null, statements);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InlinePolicyTooLargeError);
    const error = caught as InlinePolicyTooLargeError;
    expect(error.name).toBe("InlinePolicyTooLargeError");
    expect(error.limit).toBe(INLINE_POLICY_MAX_CHARS);
    expect(error.size).toBeGreaterThan(INLINE_POLICY_MAX_CHARS);
    expect(error.message).toContain(String(error.size));
  });

  it("accepts a custom limit", () => {
    expect(() => mergeInlineDeny(null, denyStatements([leaver("u-1")]), 50)).toThrow(
      InlinePolicyTooLargeError,
    );
  });
});

describe("inlinePolicyLength", () => {
  it("does not count whitespace", () => {
    expect(inlinePolicyLength('{ "a" :\n\t1 }')).toBe(7);
  });
});
