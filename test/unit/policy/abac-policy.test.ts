import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { errorsOf, ONE_RULE, yaml } from "./policy-test-helpers.ts";

/** A policy whose permission set DataEngineer is ABAC-scoped; `abac` lines go from line 7 on. */
const policy = (setAbac: string, ...abac: string[]) =>
  yaml(
    "version: 1",
    "permissionSets:",
    "  ReadOnly: {}",
    "  DeveloperAccess: { sessionDuration: PT8H }",
    `  DataEngineer: { abac: ${setAbac} }`,
    "  PlatformAdmin: { privileged: true }",
    ...abac,
    ...ONE_RULE,
  );

describe("policy: abac and privileged", () => {
  it("loads an ABAC-scoped set, its attributes with report as the default, and privileged", () => {
    // Act
    const loaded = loadPolicy(
      policy(
        "{ attributes: [team], canaryActions: [athena:GetWorkGroup] }",
        "abac:",
        "  attributes: [{ key: team, oktaAttribute: team }]",
      ),
      "policy.yaml",
    );

    // Assess
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.policy.abac).toEqual({
      attributes: [{ key: "team", oktaAttribute: "team" }],
      missingAttribute: "report",
    });
    expect(loaded.policy.permissionSets.DataEngineer?.abac?.attributes).toEqual(["team"]);
    expect(loaded.policy.permissionSets.PlatformAdmin?.privileged).toBe(true);
    expect(loaded.policy.permissionSets.ReadOnly?.privileged).toBe(false);
    expect(loaded.policy.guards).toMatchObject({
      maxPrivilegedAccounts: 3,
      maxNewAssignments: 100,
      maxRuleWidening: 10,
    });
  });

  it("names the line of a set scoped by an attribute the abac section does not declare, with a guess", () => {
    // Act
    const errors = errorsOf(
      policy(
        "{ attributes: [teams], canaryActions: [athena:GetWorkGroup] }",
        "abac:",
        "  attributes: [{ key: team, oktaAttribute: team }]",
      ),
    );

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 5,
        path: "permissionSets.DataEngineer.abac.attributes[0]",
        message:
          "permission set 'DataEngineer' is scoped by 'teams', which abac.attributes does not declare (declared: team)",
        fix: "declare it under abac.attributes or fix the name (did you mean 'team'?)",
      }),
    ]);
  });

  it("offers no guess for a key nothing declared resembles", () => {
    // Act
    const errors = errorsOf(
      policy(
        "{ attributes: [department], canaryActions: [athena:GetWorkGroup] }",
        "abac:",
        "  attributes: [{ key: team, oktaAttribute: team }]",
      ),
    );

    // Assess
    expect(errors.map((e) => e.fix)).toEqual(["declare it under abac.attributes or fix the name"]);
  });

  it("asks for an abac section when a set is ABAC-scoped without one", () => {
    // Act
    const errors = errorsOf(policy("{ attributes: [team], canaryActions: [athena:GetWorkGroup] }"));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        path: "permissionSets.DataEngineer.abac.attributes[0]",
        fix: "add abac: { attributes: [{ key: team, oktaAttribute: team }] } naming the Okta profile attribute that feeds it",
      }),
    ]);
  });

  it("rejects a key listed twice, a wildcard canary action and an unknown missingAttribute, each on its line", () => {
    // Act
    const errors = errorsOf(
      policy(
        "{ attributes: [team], canaryActions: ['athena:*'] }",
        "abac:",
        "  missingAttribute: ignore",
        "  attributes:",
        "    - { key: team, oktaAttribute: team }",
        "    - { key: team, oktaAttribute: department }",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [5, "permissionSets.DataEngineer.abac.canaryActions[0]"],
      [8, "abac.missingAttribute"],
    ]);
    expect(errors[0]?.fix).toContain("no wildcards");
    expect(errors[1]?.fix).toBe("set it to one of report, withhold");
  });

  it("reports a duplicated attribute key once the schema passes", () => {
    // Act
    const errors = errorsOf(
      policy(
        "{ attributes: [team], canaryActions: [athena:GetWorkGroup] }",
        "abac:",
        "  attributes:",
        "    - { key: team, oktaAttribute: team }",
        "    - { key: team, oktaAttribute: department }",
      ),
    );

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 10,
        path: "abac.attributes[1].key",
        message: "attribute key 'team' is listed twice",
      }),
    ]);
  });
});
