import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeSchemaIssue } from "../../../core/policy/describe-schema-issue.ts";
import type { PolicyProblem } from "../../../core/policy/policy-error.ts";

/** The problems a schema's issues become; the examples here use shapes the policy schema does not have (yet). */
function problemsOf(schema: z.ZodType, data: unknown): PolicyProblem[] {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) throw new Error("expected the data to be rejected");
  return result.error.issues.flatMap((issue) =>
    describeSchemaIssue(issue, { schema, sourceOf: () => "unused" }),
  );
}

describe("describeSchemaIssue", () => {
  it("keeps the message of an issue kind it has no wording for, and points at the README", () => {
    // Act
    const problems = problemsOf(z.object({ a: z.string().refine(() => false, "a is never right") }), {
      a: "x",
    });

    // Assess
    expect(problems).toEqual([
      { path: ["a"], message: "a is never right", fix: "see the access policy reference in the README" },
    ]);
  });

  it("names an expected type it has no wording for by zod's name", () => {
    // Act
    const problems = problemsOf(z.object({ big: z.bigint() }), { big: "1" });

    // Assess
    expect(problems).toEqual([
      { path: ["big"], message: "expected bigint, found '1'", fix: "write bigint here" },
    ]);
  });

  it("calls an invalid key of an unnamed mapping a key", () => {
    // Act
    const problems = problemsOf(
      z.object({ labels: z.record(z.string().regex(/^a/, "start it with a"), z.string()) }),
      {
        labels: { b: "x" },
      },
    );

    // Assess
    expect(problems).toEqual([
      { path: ["labels", "b"], at: "key", message: "invalid key 'b'", fix: "start it with a" },
    ]);
  });

  it("gives the length of a value that is too short or too long but not empty", () => {
    // Act
    const problems = problemsOf(
      z.object({ list: z.array(z.string()).min(2, "list two"), id: z.string().max(3, "at most 3") }),
      {
        list: ["a"],
        id: "abcd",
      },
    );

    // Assess
    expect(problems).toEqual([
      { path: ["list"], message: "list has length 1; the minimum is 2", fix: "list two" },
      { path: ["id"], message: "id has length 4; the maximum is 3", fix: "at most 3" },
    ]);
  });
});
