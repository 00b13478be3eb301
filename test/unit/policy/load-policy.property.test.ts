import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type LoadPolicyResult, loadPolicy } from "../../../core/policy/load-policy.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";

const EXAMPLE_LINES = readFileSync(new URL("../../../examples/policy.yaml", import.meta.url), "utf8").split(
  "\n",
);

/** Every error points inside the file: a line that exists (or the one after the last newline), column >= 1. */
function expectWellFormed(result: LoadPolicyResult, source: string): void {
  if (result.ok) return;
  const lines = source.split(/\r\n|\r|\n/).length;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(error.file).toBe("fuzz.yaml");
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.fix.length).toBeGreaterThan(0);
  }
}

describe("loadPolicy (property)", () => {
  it("never throws on any string, and its errors point inside the file", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" })), (source) => {
        // Act
        const result = loadPolicy(source, "fuzz.yaml");

        // Assess
        expectWellFormed(result, source);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on any JSON value written as YAML", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Prepare
        const source = stringify(value);

        // Act
        const result = loadPolicy(source, "fuzz.yaml");

        // Assess
        expectWellFormed(result, source);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on the example with lines dropped, repeated or re-indented", () => {
    const edit = fc.record({
      line: fc.nat({ max: EXAMPLE_LINES.length - 1 }),
      kind: fc.constantFrom("drop", "repeat", "indent", "dedent"),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
        // Prepare
        const lines = [...EXAMPLE_LINES];
        for (const { line, kind } of edits) {
          const text = lines[line] ?? "";
          if (kind === "drop") lines.splice(line, 1);
          if (kind === "repeat") lines.splice(line, 0, text);
          if (kind === "indent") lines[line] = ` ${text}`;
          if (kind === "dedent") lines[line] = text.replace(/^ /, "");
        }
        const source = lines.join("\n");

        // Act
        const result = loadPolicy(source, "fuzz.yaml");

        // Assess
        expectWellFormed(result, source);
      }),
      { numRuns: 500 },
    );
  });

  it("loads any valid policy written as YAML to what the schema parses", () => {
    const permissionSetNames = ["ReadOnly", "DeveloperAccess", "PlatformAdmin"];
    const accountId = fc.stringMatching(/^\d{12}$/);
    const policyInput = fc.record({
      version: fc.constant(1),
      managementAccountId: fc.option(accountId, { nil: undefined }),
      permissionSets: fc.constant(Object.fromEntries(permissionSetNames.map((n) => [n, {}]))),
      rules: fc
        .array(
          fc.record({
            group: fc.oneof(
              fc.constantFrom("aws-devs", "aws-admins"),
              fc.constant({ id: "00g1a2b3c4d5e6f7g8h9" }),
              fc.constant({ name: "aws-readonly" }),
            ),
            permissionSet: fc.constantFrom(...permissionSetNames),
            targets: fc.record({
              accounts: fc.array(accountId, { minLength: 1, maxLength: 3 }),
              ous: fc.array(fc.constantFrom("r-ab12", "ou-ab12-pr0d8h3n"), { maxLength: 2 }),
            }),
          }),
          { minLength: 1, maxLength: 5 },
        )
        // Unique names; each rule its own group so no two rules can duplicate a grant.
        .map((rules) => rules.map((rule, i) => ({ ...rule, name: `rule-${i}`, group: `group-${i}` }))),
      guards: fc.record({ maxDeletes: fc.nat(), maxDeletePercent: fc.integer({ min: 0, max: 100 }) }),
    });
    fc.assert(
      fc.property(policyInput, (input) => {
        // Act
        const result = loadPolicy(stringify(input), "fuzz.yaml");

        // Assess
        expect(result).toEqual({ ok: true, policy: PolicyDocument.parse(input) });
      }),
      { numRuns: 200 },
    );
  });
});
