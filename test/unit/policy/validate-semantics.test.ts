import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { validateSemantics } from "../../../core/policy/validate-semantics.ts";
import { errorsOf, HEADER, yaml } from "./policy-test-helpers.ts";

/** A rule as YAML lines (keys at column 5), `targets` given as a flow mapping. */
function rule(name: string, group: string, permissionSet: string, targets: string): string[] {
  return [
    `  - name: ${name}`,
    `    group: ${group}`,
    `    permissionSet: ${permissionSet}`,
    `    targets: ${targets}`,
  ];
}

describe("validateSemantics: duplicated rules", () => {
  it("reports a rule name used twice at the second name", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAccess", "{ ous: [r-ab12] }"),
        ...rule("devs", "aws-readonly", "ReadOnly", "{ ous: [r-ab12] }"),
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 10,
        column: 11,
        path: "rules[1].name",
        message: "duplicated rule name 'devs' (first used by rules[0])",
        fix: "give each rule a unique name: plans and evidence refer to rules by name",
      },
    ]);
  });

  it("reports two rules granting the same group the same permission set in a shared account", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        ...rule(
          "devs",
          "aws-developers",
          "DeveloperAccess",
          '{ accounts: ["111111111111", "222222222222"] }',
        ),
        ...rule(
          "devs-again",
          "{ name: aws-developers }",
          "DeveloperAccess",
          '{ accounts: ["333333333333", "222222222222"] }',
        ),
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 13,
        column: 43,
        path: "rules[1].targets.accounts[1]",
        message:
          "duplicated rule: 'devs-again' grants group 'aws-developers' DeveloperAccess in 222222222222, " +
          "as rule 'devs' (rules[0]) already does",
        fix: "merge the two rules, or remove 222222222222 from one of them",
      },
    ]);
  });

  it("names a group given by id in a duplicated rule", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("a", "{ id: 00g1a2b3c4d5e6f7g8h9 }", "ReadOnly", '{ accounts: ["111111111111"] }'),
        ...rule("b", "{ id: 00g1a2b3c4d5e6f7g8h9 }", "ReadOnly", '{ accounts: ["111111111111"] }'),
      ),
    );

    // Assess
    expect(errors.map((e) => e.message)).toEqual([
      "duplicated rule: 'b' grants group id 00g1a2b3c4d5e6f7g8h9 ReadOnly in 111111111111, as rule 'a' (rules[0]) already does",
    ]);
  });

  it.each([
    ["different permission sets", "aws-developers", "ReadOnly", '{ accounts: ["111111111111"] }'],
    ["different groups", "aws-readonly", "DeveloperAccess", '{ accounts: ["111111111111"] }'],
    [
      "a group by id, which cannot be compared with a name",
      "{ id: 00g1a2b3c4d5e6f7g8h9 }",
      "DeveloperAccess",
      '{ accounts: ["111111111111"] }',
    ],
    ["no shared explicit account", "aws-developers", "DeveloperAccess", '{ accounts: ["222222222222"] }'],
    [
      "overlap through OUs only (resolved against the organization, not here)",
      "aws-developers",
      "DeveloperAccess",
      "{ ous: [r-ab12] }",
    ],
  ])("accepts two rules with %s", (_, group, permissionSet, targets) => {
    // Act
    const result = loadPolicy(
      yaml(
        ...HEADER,
        "rules:",
        ...rule(
          "first",
          "aws-developers",
          "DeveloperAccess",
          '{ accounts: ["111111111111"], ous: [r-ab12] }',
        ),
        ...rule("second", group, permissionSet, targets),
      ),
      "policy.yaml",
    );

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe("validateSemantics: permission sets", () => {
  it("reports an unknown permission set, lists the declared ones and suggests the closest", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAcess", '{ accounts: ["111111111111"] }'),
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 8,
        column: 20,
        path: "rules[0].permissionSet",
        message: "unknown permission set 'DeveloperAcess'; declared: ReadOnly, DeveloperAccess",
        fix: "declare it under permissionSets or fix the name (did you mean 'DeveloperAccess'?)",
      },
    ]);
  });

  it("suggests nothing when no declared name is close", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", ...rule("devs", "aws-developers", "Foo", "{ ous: [r-ab12] }")),
    );

    // Assess
    expect(errors.map((e) => [e.message, e.fix])).toEqual([
      [
        "unknown permission set 'Foo'; declared: ReadOnly, DeveloperAccess",
        "declare it under permissionSets or fix the name",
      ],
    ]);
  });

  it("says when no permission set is declared at all", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        "permissionSets: {}",
        "rules:",
        ...rule("devs", "aws-developers", "ReadOnly", "{ ous: [r-ab12] }"),
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [6, 20, "unknown permission set 'ReadOnly'; declared: none"],
    ]);
  });

  it("does not mistake an inherited property name for a declared permission set", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", ...rule("devs", "aws-developers", "constructor", "{ ous: [r-ab12] }")),
    );

    // Assess
    expect(errors.map((e) => e.path)).toEqual(["rules[0].permissionSet"]);
  });
});

describe("validateSemantics: targets", () => {
  it.each([
    ["no keys at all", "{}"],
    ["empty lists", "{ accounts: [], ous: [] }"],
    ["an empty tag match", "{ tags: {} }"],
  ])("reports a rule that targets nothing: %s", (_, targets) => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", ...rule("devs", "aws-developers", "DeveloperAccess", targets)),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 9,
        column: 14,
        path: "rules[0].targets",
        message: "rule 'devs' targets nothing: no accounts, ous or tags",
        fix: "list account ids, OU ids (the root id for every account) or a tag match under targets",
      },
    ]);
  });

  it("accepts a rule that targets tags only", () => {
    // Act
    const result = loadPolicy(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAccess", "{ tags: { env: dev } }"),
      ),
      "policy.yaml",
    );

    // Assess
    expect(result.ok).toBe(true);
  });

  it("accepts excluding an account that no explicit target lists (an OU or tag may cover it)", () => {
    // Act
    const result = loadPolicy(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAccess", "{ ous: [ou-ab12-n0np6r4v] }"),
        '    exclude: { accounts: ["999999999999"], ous: [ou-ab12-5bx2m7qa], tags: { env: prod } }',
      ),
      "policy.yaml",
    );

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe("validateSemantics: revocation hold", () => {
  it("reports a Deny hold shorter than the longest session duration", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        "permissionSets:",
        "  ReadOnly: { sessionDuration: PT4H }",
        "  DeveloperAccess: { sessionDuration: PT8H }",
        "  Admin: { sessionDuration: PT2H }",
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAccess", "{ ous: [r-ab12] }"),
        "revocation:",
        "  hold: PT7H30M",
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 12,
        column: 9,
        path: "revocation.hold",
        message:
          "a Deny held PT7H30M is shorter than the longest session, PT8H (permission set 'DeveloperAccess'): " +
          "a session could outlive its Deny",
        fix: "set revocation.hold to PT8H or longer",
      },
    ]);
  });

  it("accepts a hold equal to the longest session, in other units", () => {
    // Act
    const result = loadPolicy(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "DeveloperAccess", "{ ous: [r-ab12] }"),
        "revocation: { hold: PT480M }",
      ),
      "policy.yaml",
    );

    // Assess
    expect(result.ok).toBe(true);
  });

  it("has nothing to compare when no permission set is declared", () => {
    // Prepare
    const policy = PolicyDocument.parse({
      version: 1,
      permissionSets: {},
      rules: [{ name: "r", group: "g", permissionSet: "ReadOnly", targets: { ous: ["r-ab12"] } }],
      revocation: { hold: "PT1M" },
    });

    // Act
    const problems = validateSemantics(policy);

    // Assess
    expect(problems.map((p) => p.path)).toEqual([["rules", 0, "permissionSet"]]);
  });
});

describe("validateSemantics: several problems", () => {
  it("reports every problem of a policy at once", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        ...rule("devs", "aws-developers", "Developer", "{}"),
        ...rule("devs", "aws-readonly", "ReadOnly", "{ ous: [r-ab12] }"),
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [8, "rules[0].permissionSet"],
      [9, "rules[0].targets"],
      [10, "rules[1].name"],
    ]);
  });
});
