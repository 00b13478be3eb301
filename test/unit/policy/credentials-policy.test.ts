import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { errorsOf, HEADER, ONE_RULE, yaml } from "./policy-test-helpers.ts";

/** A policy with `credentials:` on line 11 and the given lines under it. */
const withCredentials = (...lines: string[]) => yaml(...HEADER, ...ONE_RULE, "credentials:", ...lines);

describe("policy credentials", () => {
  it("is absent unless declared", () => {
    // Act
    const result = loadPolicy(yaml(...HEADER, ...ONE_RULE), "policy.yaml");

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.policy.credentials).toBeUndefined();
  });

  it("fills every default of an empty section", () => {
    // Act
    const result = loadPolicy(yaml(...HEADER, ...ONE_RULE, "credentials: {}"), "policy.yaml");

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.policy.credentials).toEqual({
      iamUsers: {
        ownerTags: ["okta:login", "okta:email"],
        namingRules: [],
        removeMfaDevices: false,
        maxKeyDeactivations: 10,
      },
      breakGlass: [],
      automationPrincipals: [],
      guardrail: false,
      accounts: [],
      memberRoleName: {
        discovery: "okta-aws-lifecycle-discovery",
        revocation: "okta-aws-lifecycle-revocation",
      },
      federation: { sessionNameAttribute: "login", sourceIdentity: false },
    });
  });

  it("reads every key", () => {
    // Act
    const result = loadPolicy(
      withCredentials(
        "  iamUsers:",
        "    ownerTags: [owner]",
        "    namingRules: [emailLocalPart, firstDotLast]",
        "    removeMfaDevices: true",
        "  breakGlass: ['arn:aws:iam::111111111111:user/ops/break-glass', '222222222222:emergency']",
        "  automationPrincipals: ['arn:aws:iam::*:role/terraform-*']",
        "  accounts:",
        '    - { id: "333333333333", name: acquired-prod, externalId: "acq-2026" }',
        '    - { id: "444444444444", name: acquired-dev, roleName: { discovery: okta-read } }',
        "  memberRoleName: { revocation: lifecycle-write }",
        "  federation: { sessionNameAttribute: email, sourceIdentity: true }",
      ),
      "policy.yaml",
    );

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const credentials = result.policy.credentials;
    expect(credentials?.iamUsers).toEqual({
      ownerTags: ["owner"],
      namingRules: ["emailLocalPart", "firstDotLast"],
      removeMfaDevices: true,
      maxKeyDeactivations: 10,
    });
    expect(credentials?.accounts).toEqual([
      { id: "333333333333", name: "acquired-prod", externalId: "acq-2026" },
      {
        id: "444444444444",
        name: "acquired-dev",
        roleName: { discovery: "okta-read" },
      },
    ]);
    expect(credentials?.memberRoleName).toEqual({
      discovery: "okta-aws-lifecycle-discovery",
      revocation: "lifecycle-write",
    });
    expect(credentials?.federation).toEqual({ sessionNameAttribute: "email", sourceIdentity: true });
  });

  it("names the naming rules for an unknown one, on its line", () => {
    // Act
    const errors = errorsOf(withCredentials("  iamUsers:", "    namingRules: [login, first.last]"));

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "credentials.iamUsers.namingRules[1]", line: 13 });
    expect(errors[0]?.message).toBe(
      "expected one of login, loginLocalPart, email, emailLocalPart, firstDotLast, firstInitialLast, found 'first.last'",
    );
    expect(errors[0]?.fix).toBe(
      "set it to one of login, loginLocalPart, email, emailLocalPart, firstDotLast, firstInitialLast",
    );
  });

  it("calls an outside account's id an AWS account id, and a bad break-glass entry what it is", () => {
    // Act
    const errors = errorsOf(
      withCredentials("  accounts: [{ id: '33333333333', name: acquired }]", "  breakGlass: [break-glass]"),
    );

    // Assess
    expect(errors.map((e) => [e.path, e.line, e.message])).toEqual([
      ["credentials.accounts[0].id", 12, "malformed AWS account id '33333333333'"],
      ["credentials.breakGlass[0]", 13, "malformed break-glass IAM user 'break-glass'"],
    ]);
    expect(errors[1]?.fix).toContain("arn:aws:iam::111111111111:user/break-glass");
  });

  it("rejects a bad role name and external id with their fixes", () => {
    // Act
    const errors = errorsOf(
      withCredentials(
        "  memberRoleName: { discovery: 'has space' }",
        "  accounts: [{ id: '333333333333', name: a, externalId: 'x' }]",
        "  automationPrincipals: [terraform]",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ["credentials.memberRoleName.discovery", "malformed IAM role name 'has space'"],
      ["credentials.accounts[0].externalId", "malformed external id 'x'"],
      ["credentials.automationPrincipals[0]", "malformed IAM principal ARN 'terraform'"],
    ]);
  });

  it("suggests the key meant for a misspelt one", () => {
    // Act
    const errors = errorsOf(withCredentials("  breakGlas: []"));

    // Assess
    expect(errors[0]?.path).toBe("credentials.breakGlas");
    expect(errors[0]?.fix).toContain("breakGlass");
  });

  it("rejects repeated accounts, naming rules and break-glass users, and the management account as outside", () => {
    // Act
    const errors = errorsOf(
      yaml(
        "version: 1",
        'managementAccountId: "999999999999"',
        ...HEADER.slice(1),
        ...ONE_RULE,
        "credentials:",
        "  accounts:",
        "    - { id: '333333333333', name: a }",
        "    - { id: '333333333333', name: b }",
        "    - { id: '999999999999', name: management }",
        "  iamUsers: { namingRules: [login, login] }",
        "  breakGlass: ['111111111111:Ops', 'arn:aws:iam::111111111111:user/ops']",
      ),
    );

    // Assess
    expect(errors.map((e) => [e.path, e.line, e.message])).toEqual([
      ["credentials.accounts[1].id", 15, "account 333333333333 is listed twice"],
      [
        "credentials.accounts[2].id",
        16,
        "account 999999999999 is the management account, which is in the Organization",
      ],
      ["credentials.iamUsers.namingRules[1]", 17, "naming rule login is listed twice"],
      ["credentials.breakGlass[1]", 18, "break-glass user 111111111111:ops is listed twice"],
    ]);
  });
});
