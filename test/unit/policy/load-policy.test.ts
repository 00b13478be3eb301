import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { errorsOf, HEADER, ONE_RULE, yaml } from "./policy-test-helpers.ts";

const EXAMPLE = new URL("../../../examples/policy.yaml", import.meta.url);

describe("loadPolicy: the example policy", () => {
  it("loads examples/policy.yaml with its values and the defaults it leaves out", () => {
    // Prepare
    const source = readFileSync(EXAMPLE, "utf8");

    // Act
    const result = loadPolicy(source, "examples/policy.yaml");

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    const { policy } = result;
    expect(policy.managementAccountId).toBe("123456789012");
    expect(Object.keys(policy.permissionSets)).toEqual([
      "ReadOnly",
      "DeveloperAccess",
      "PlatformAdmin",
      "BillingViewer",
      "SecurityAudit",
    ]);
    expect(policy.permissionSets.BillingViewer?.sessionDuration).toBe("PT1H");
    expect(policy.rules.map((rule) => rule.name)).toEqual([
      "platform-admins",
      "readonly-everywhere",
      "developers-nonprod",
      "developers-prod-readonly",
      "payments-engineers",
      "payments-prod-readonly",
      "billing",
      "security-auditors",
      "security-engineers",
    ]);
    expect(policy.rules.find((rule) => rule.name === "security-auditors")?.group).toEqual({
      id: "00g4s3c8aud1t0r5x2q7",
    });
    expect(policy.ownership).toEqual({
      scope: "declared",
      directUserAssignments: "report",
      membershipSync: false,
    });
    expect(policy.revocation).toEqual({ method: "scp", hold: "PT12H", massFallback: "ask" });
    expect(policy.guards).toEqual({
      maxDeletes: 25,
      maxDeletePercent: 10,
      abortOnEmptyGroup: true,
      maxPrivilegedAccounts: 3,
      maxNewAssignments: 100,
      maxRuleWidening: 10,
      maxPermissionSetDeletes: 1,
    });
  });

  it("fills every default in a minimal policy", () => {
    // Act
    const result = loadPolicy(yaml(...HEADER, ...ONE_RULE), "policy.yaml");

    // Assess
    expect(result).toEqual({
      ok: true,
      policy: {
        version: 1,
        okta: { provisioningAppIds: [], identityCenterApp: { userNameFormat: "oktaUsername" } },
        sessionTagAttributes: [],
        permissionSets: {
          ReadOnly: { sessionDuration: "PT1H", privileged: false },
          DeveloperAccess: { sessionDuration: "PT8H", privileged: false },
        },
        rules: [
          {
            name: "devs",
            group: "aws-developers",
            permissionSet: "DeveloperAccess",
            targets: { accounts: ["111111111111"], ous: [] },
          },
        ],
        permissionSetDrift: "report",
        ownership: { scope: "declared", directUserAssignments: "report", membershipSync: false },
        revocation: { method: "scp", hold: "PT12H", massFallback: "ask" },
        guards: {
          maxDeletes: 50,
          maxDeletePercent: 20,
          abortOnEmptyGroup: true,
          maxPrivilegedAccounts: 3,
          maxNewAssignments: 100,
          maxRuleWidening: 10,
          maxPermissionSetDeletes: 1,
        },
        compromiseSignals: {
          mfaReset: "ignore",
          universalLogout: "ignore",
          breachedCredential: "ignore",
          userRisk: "ignore",
          adminSessionClear: "ignore",
          pipelineActorIds: [],
        },
      },
    });
  });

  it("accepts a byte order mark and Windows line endings", () => {
    // Prepare
    const source = `\uFEFF${yaml(...HEADER, ...ONE_RULE).replaceAll("\n", "\r\n")}`;

    // Act
    const result = loadPolicy(source, "policy.yaml");

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe("loadPolicy: YAML syntax errors", () => {
  it("reports a duplicated key at the second occurrence", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, "version: 1"));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 5,
        column: 1,
        path: "(syntax)",
        message: "Map keys must be unique",
        fix: "keep one of the two keys: YAML does not allow a key twice in one mapping",
      },
    ]);
  });

  it("reports a tab used as indentation", () => {
    // Act
    const errors = errorsOf(yaml("version: 1", "permissionSets:", "\tReadOnly: {}"));

    // Assess
    expect(errors[0]).toMatchObject({
      line: 3,
      column: 1,
      path: "(syntax)",
      message: "Tabs are not allowed as indentation",
      fix: "indent with spaces, not tabs",
    });
  });

  it("reports a second YAML document", () => {
    // Act
    const errors = errorsOf(yaml("version: 1", "---", "version: 1"));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 2,
        column: 1,
        path: "(syntax)",
        message: "Source contains multiple documents; please use YAML.parseAllDocuments()",
        fix: "keep one YAML document per policy file: remove the extra '---'",
      },
    ]);
  });

  it("reports an unclosed flow sequence where the parser noticed it", () => {
    // Act
    const errors = errorsOf(yaml("version: 1", "rules: [a, b", "guards: {}"));

    // Assess
    expect(errors[0]).toMatchObject({
      line: 3,
      column: 1,
      path: "(syntax)",
      fix: "check the indentation, and that every '[' or '{' is closed",
    });
    expect(errors[0]?.message).toContain("Flow sequence in block collection must be sufficiently indented");
  });

  it("gives the generic syntax fix for the rarer errors", () => {
    // Act
    const errors = errorsOf(yaml('version: "\\x"'));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 1,
        column: 11,
        path: "(syntax)",
        message: 'Invalid escape sequence \\x"',
        fix: "fix the YAML syntax here (indentation, quotes, brackets, ':' after each key)",
      },
    ]);
  });

  it("reports each alias without an anchor before it, at the alias", () => {
    // Act
    const errors = errorsOf(yaml("version: 1", "rules: *missing", "guards: *later", "okta: &later {}"));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 2,
        column: 8,
        path: "(syntax)",
        message: "alias *missing refers to no anchor before it",
        fix: "define the anchor &missing before this alias, or fix its name",
      },
      expect.objectContaining({ line: 3, column: 9, message: "alias *later refers to no anchor before it" }),
    ]);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    // Prepare
    const tens = (alias: string) => `[${Array(10).fill(alias).join(", ")}]`;
    const source = yaml(
      `a: &a ${tens("x")}`,
      `b: &b ${tens("*a")}`,
      `c: &c ${tens("*b")}`,
      `d: ${tens("*c")}`,
    );

    // Act
    const errors = errorsOf(source);

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        message: "Excessive alias count indicates a resource exhaustion attack",
        fix: "use fewer aliases (*name), and do not nest them",
      }),
    ]);
  });
});

describe("loadPolicy: schema errors", () => {
  it("reports an empty file at 1:1", () => {
    // Act
    const errors = errorsOf("");

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 1,
        column: 1,
        path: "(root)",
        message: "expected a mapping (key: value), found nothing",
        fix: "write a mapping (key: value) here",
      },
    ]);
  });

  it("reports a document that is a list", () => {
    // Act
    const errors = errorsOf(yaml("# policy", "- version: 1"));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        path: "(root)",
        message: "expected a mapping (key: value), found a list",
      }),
    ]);
  });

  it("points a missing required key at the mapping that should hold it", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        "  - name: devs",
        "    group: aws-developers",
        "    targets: { ous: [r-ab12] }",
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 6,
        column: 5,
        path: "rules[0].permissionSet",
        message: "missing required key 'permissionSet'",
        fix: "add 'permissionSet:' with a string",
      },
    ]);
  });

  it("reports a missing version with the value to write", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER.slice(1), ...ONE_RULE));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 1,
        column: 1,
        path: "version",
        message: "missing required key 'version'",
        fix: "add 'version:' with 1",
      },
    ]);
  });

  it("reports an unsupported version", () => {
    // Act
    const errors = errorsOf(yaml("version: 2", ...HEADER.slice(1), ...ONE_RULE));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 1,
        column: 10,
        path: "version",
        message: "expected 1, found the number 2",
        fix: "set it to 1",
      },
    ]);
  });

  it("reports a malformed account id at the id itself", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE.slice(0, 5), '      accounts: ["111111111111", "12345"]'),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 10,
        column: 34,
        path: "rules[0].targets.accounts[1]",
        message: "malformed AWS account id '12345'",
        fix: 'an AWS account id is exactly 12 digits, quoted in YAML (e.g. "111111111111")',
      },
    ]);
  });

  it("asks to quote an account id that YAML read as a number, leading zeros kept", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE.slice(0, 5), "      accounts:", "        - 012345678901"),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 11,
        column: 11,
        path: "rules[0].targets.accounts[0]",
        message: "expected a string, found the number 012345678901",
        fix: 'put it in quotes: "012345678901" (YAML reads bare digits as a number)',
      },
    ]);
  });

  it("reports a malformed OU id and a malformed management account id", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        "managementAccountId: '1234'",
        ...HEADER.slice(1),
        ...ONE_RULE.slice(0, 5),
        "      ous: [ou-prod]",
      ),
    );

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 22,
        path: "managementAccountId",
        message: "malformed AWS account id '1234'",
      }),
      expect.objectContaining({
        line: 11,
        column: 13,
        path: "rules[0].targets.ous[0]",
        message: "malformed OU id 'ou-prod'",
        fix: "an OU id looks like ou-ab12-cd34ef56, the root like r-ab12",
      }),
    ]);
  });

  it("reports a malformed Okta group id", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", "  - name: devs", "    group: { id: aws-developers }", ...ONE_RULE.slice(3)),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 7,
        column: 18,
        path: "rules[0].group.id",
        message: "malformed Okta group id 'aws-developers'",
        fix: "an Okta group id looks like 00g1a2b3c4d5e6f7g8h9",
      },
    ]);
  });

  it("reports a group that is none of the accepted forms", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", "  - name: devs", "    group: { nam: aws-developers }", ...ONE_RULE.slice(3)),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 7,
        column: 12,
        path: "rules[0].group",
        message: "invalid group: found a mapping with keys 'nam'",
        fix: "write the Okta group's name (aws-developers), { name: aws-developers } or { id: 00g1a2b3c4d5e6f7g8h9 }",
      },
    ]);
  });

  it("reports an empty group name", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules:", "  - name: devs", '    group: ""', ...ONE_RULE.slice(3)),
    );

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 7,
        column: 12,
        path: "rules[0].group",
        message: "group is empty",
        fix: "name the Okta group",
      }),
    ]);
  });

  it("reports a malformed rule name", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, "rules:", "  - name: my devs", ...ONE_RULE.slice(2)));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 6,
        column: 11,
        path: "rules[0].name",
        message: "malformed rule name 'my devs'",
        fix: "use letters, digits, '.', '_' or '-'",
      }),
    ]);
  });

  it("points an unknown key at the key and suggests the key that was meant", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "    permisionSet: ReadOnly"));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 11,
        column: 5,
        path: "rules[0].permisionSet",
        message: "unknown key 'permisionSet'",
        fix: "did you mean 'permissionSet'? keys allowed here: exclude, group, name, permissionSet, targets",
      },
    ]);
  });

  it("lists the allowed keys when no key is close to an unknown one", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "guards:", "  dryRun: true"));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 12,
        column: 3,
        path: "guards.dryRun",
        message: "unknown key 'dryRun'",
        fix: "remove it; keys allowed here: abortOnEmptyGroup, maxDeletePercent, maxDeletes, maxNewAssignments, maxPermissionSetDeletes, maxPrivilegedAccounts, maxRuleWidening",
      }),
    ]);
  });

  it("reports each unknown key of one mapping separately, in file order", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "    exclude: { account: [], ou: [] }"));

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.path, e.fix])).toEqual([
      [11, 16, "rules[0].exclude.account", "did you mean 'accounts'? keys allowed here: accounts, ous, tags"],
      [11, 29, "rules[0].exclude.ou", "did you mean 'ous'? keys allowed here: accounts, ous, tags"],
    ]);
  });

  it("lists the keys of every group form for an unknown key in a group mapping", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        "  - name: devs",
        "    group: { name: aws-developers, team: x }",
        ...ONE_RULE.slice(3),
      ),
    );

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 7,
        column: 36,
        path: "rules[0].group.team",
        message: "unknown key 'team'",
        fix: "remove it; keys allowed here: id, name",
      }),
    ]);
  });

  it("reports an unknown key in a permission set and at the top level", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        "permissionSets:",
        "  ReadOnly: { sesionDuration: PT2H }",
        ...ONE_RULE,
        "gaurds: {}",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [3, 15, "permissionSets.ReadOnly.sesionDuration", "unknown key 'sesionDuration'"],
      [10, 1, "gaurds", "unknown key 'gaurds'"],
    ]);
    expect(errors[1]?.fix).toMatch(/^did you mean 'guards'\?/);
  });

  it("reports an invalid permission set name at the name (semantic checks wait for a well-formed policy)", () => {
    // Act
    const errors = errorsOf(yaml("version: 1", "permissionSets:", "  Read Only: {}", ...ONE_RULE));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 3,
        column: 3,
        path: 'permissionSets["Read Only"]',
        message: "invalid permission set name 'Read Only'",
        fix: "a permission set name is 1-32 of [A-Za-z0-9+=,.@_-]",
      },
    ]);
  });

  it("reports an empty tag key and an empty list of tag values", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE.slice(0, 5), '      tags: { "": x, env: [] }'));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 10,
        column: 15,
        path: 'rules[0].targets.tags[""]',
        message: "invalid tag key ''",
        fix: "a tag key cannot be empty",
      },
      {
        file: "policy.yaml",
        line: 10,
        column: 27,
        path: "rules[0].targets.tags.env",
        message: "env is empty",
        fix: "list at least one tag value",
      },
    ]);
  });

  it("reports a value outside an enumeration", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "ownership:", "  scope: everything"));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 12,
        column: 10,
        path: "ownership.scope",
        message: "expected one of declared, permission-sets, all, found 'everything'",
        fix: "set it to one of declared, permission-sets, all",
      },
    ]);
  });

  it("asks for a template when the Identity Center app's username format is custom", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE, "okta:", "  identityCenterApp:", "    userNameFormat: custom"),
    );
    const ok = loadPolicy(
      yaml(
        ...HEADER,
        ...ONE_RULE,
        "okta:",
        "  identityCenterApp:",
        "    userNameFormat: custom",
        '    userNameTemplate: "{firstName}.{lastName}@corp.example"',
      ),
      "policy.yaml",
    );

    // Assess
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      [
        "okta.identityCenterApp.userNameTemplate",
        "userNameFormat custom needs userNameTemplate, e.g. {firstName}.{lastName}@corp.example",
      ],
    ]);
    expect(ok.ok && ok.policy.okta.identityCenterApp).toEqual({
      userNameFormat: "custom",
      userNameTemplate: "{firstName}.{lastName}@corp.example",
    });
  });

  it("reports numbers out of range, a fraction, and a YAML 1.1 boolean", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        ...ONE_RULE,
        "guards:",
        "  maxDeletes: 2.5",
        "  maxDeletePercent: 150",
        "  abortOnEmptyGroup: yes",
        "revocation: { hold: PT }",
      ),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 12,
        column: 15,
        path: "guards.maxDeletes",
        message: "expected a whole number, found the number 2.5",
        fix: "write a whole number here",
      },
      {
        file: "policy.yaml",
        line: 13,
        column: 21,
        path: "guards.maxDeletePercent",
        message: "maxDeletePercent is 150; the maximum is 100",
        fix: "use a percentage from 0 to 100",
      },
      {
        file: "policy.yaml",
        line: 14,
        column: 22,
        path: "guards.abortOnEmptyGroup",
        message: "expected true or false, found 'yes'",
        fix: "write true or false here",
      },
      {
        file: "policy.yaml",
        line: 15,
        column: 21,
        path: "revocation.hold",
        message: "malformed hold 'PT'",
        fix: "use an ISO-8601 duration such as PT12H or PT90M",
      },
    ]);
  });

  it("reports a negative delete limit and a session longer than AWS allows", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        "permissionSets:",
        "  ReadOnly: { sessionDuration: PT13H }",
        ...ONE_RULE,
        "guards: { maxDeletes: -1, maxDeletePercent: -5 }",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.message, e.fix])).toEqual([
      [3, 32, "malformed sessionDuration 'PT13H'", "sessionDuration is PT1H to PT12H"],
      [10, 23, "maxDeletes is -1; the minimum is 0", "use 0 (no deletions at all) or more"],
      [10, 45, "maxDeletePercent is -5; the minimum is 0", "use a percentage from 0 to 100"],
    ]);
  });

  it("names guards.maxPermissionSetDeletes and its fix when it is negative", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "guards:", "  maxPermissionSetDeletes: -1"));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 12,
        path: "guards.maxPermissionSetDeletes",
        message: "maxPermissionSetDeletes is -1; the minimum is 0",
        fix: "use 0 (no permission set deleted without --allow-deletes) or more",
      }),
    ]);
  });

  it("points an empty value at its key", () => {
    // Act
    const errors = errorsOf(
      yaml(...HEADER, ...ONE_RULE.slice(0, 3), "    permissionSet:", ...ONE_RULE.slice(4)),
    );

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 8,
        column: 5,
        path: "rules[0].permissionSet",
        message: "expected a string, found nothing",
        fix: "write a string here",
      },
    ]);
  });

  it("points an explicit key without a value at the key", () => {
    // Act
    const errors = errorsOf(yaml("? version", ...HEADER.slice(1), ...ONE_RULE));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({ line: 1, column: 3, path: "version", message: "expected 1, found nothing" }),
    ]);
  });

  it("reports an empty rule list and an empty session tag attribute", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, "rules: []", 'sessionTagAttributes: [""]'));

    // Assess
    expect(errors).toEqual([
      {
        file: "policy.yaml",
        line: 5,
        column: 8,
        path: "rules",
        message: "rules is empty",
        fix: "declare at least one rule",
      },
      {
        file: "policy.yaml",
        line: 6,
        column: 24,
        path: "sessionTagAttributes[0]",
        message: "sessionTagAttributes[0] is empty",
        fix: "name an Okta profile attribute",
      },
    ]);
  });

  it("reports a list where a mapping belongs and a mapping where a list belongs", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, "rules:", "  name: devs", "okta: []"));

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [6, 3, "rules", "expected a list (- item), found a mapping with keys 'name'"],
      [7, 7, "okta", "expected a mapping (key: value), found a list"],
    ]);
  });

  it("describes an empty mapping, a boolean and a clipped, escaped long string", () => {
    // Prepare
    const long = `${"x".repeat(70)}\\n`;

    // Act
    const errors = errorsOf(
      yaml(...HEADER, "rules: {}", "sessionTagAttributes: true", `managementAccountId: "${long}"`),
    );

    // Assess
    expect(errors.map((e) => e.message)).toEqual([
      "expected a list (- item), found an empty mapping",
      "expected a list (- item), found the boolean true",
      `malformed AWS account id '${"x".repeat(57)}...'`,
    ]);
  });

  it("escapes control characters in the values it shows", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, 'managementAccountId: "12\\n34"'));

    // Assess
    expect(errors[0]?.message).toBe("malformed AWS account id '12\\n34'");
  });

  it("points an error inside an aliased node at the alias and at its anchor", () => {
    // Act
    const errors = errorsOf(
      yaml(
        ...HEADER,
        "rules:",
        "  - name: devs",
        "    group: aws-developers",
        "    permissionSet: DeveloperAccess",
        '    targets: &shared { accounts: ["1234"] }',
        "  - name: readers",
        "    group: aws-readonly",
        "    permissionSet: ReadOnly",
        "    targets: *shared",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [9, 35, "rules[0].targets.accounts[0]"],
      [13, 14, "rules[1].targets.accounts[0]"],
    ]);
  });

  it("falls back to the mapping for a key that is itself a collection", () => {
    // Act
    const errors = errorsOf(yaml(...HEADER, ...ONE_RULE, "? [a, b]", ": 1"));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        path: '["[ a, b ]"]',
        message: "unknown key '[ a, b ]'",
      }),
    ]);
  });

  it("sorts errors by line and column whatever order the checks found them in", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "guards: { maxDeletes: -1 }",
        ...HEADER,
        ...ONE_RULE.slice(0, 5),
        '      accounts: ["1"]',
        "version2: x",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [1, 23],
      [11, 18],
      [12, 1],
    ]);
  });

  it("names the file it was given in every error", () => {
    // Act
    const errors = errorsOf("version: 2\n", "policies/prod.yaml");

    // Assess
    expect(new Set(errors.map((e) => e.file))).toEqual(new Set(["policies/prod.yaml"]));
  });
});
