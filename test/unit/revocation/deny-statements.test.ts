import { describe, expect, it } from "vitest";
import { identityCenterRolePattern, TOOL_SID_PREFIX } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { account, attributeChange, leaver, mover, userId } from "./revocation-builders.ts";

const SID = /^OktaAwsLifecycle(AllSessions|Roles|IssuedBefore)[0-9a-f]{16}$/;
const users = (s: { Condition: { StringEquals: { "identitystore:userId": string[] } } }) =>
  s.Condition.StringEquals["identitystore:userId"];

describe("denyStatements: leavers", () => {
  it("renders no statement for no Deny", () => {
    expect(denyStatements([])).toEqual([]);
  });

  it("denies everything to all leavers in one statement, user ids sorted and deduplicated", () => {
    // Prepare
    const denies = [leaver("u-c"), leaver("u-a"), leaver("u-b"), leaver("u-a")];
    // Act
    const statements = denyStatements(denies);
    // Assess
    expect(statements).toEqual([
      {
        Sid: expect.stringMatching(SID),
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "identitystore:userId": ["u-a", "u-b", "u-c"] } },
      },
    ]);
    expect(statements[0]?.Sid.startsWith(`${TOOL_SID_PREFIX}AllSessions`)).toBe(true);
  });
});

describe("denyStatements: movers", () => {
  it("scopes the Deny to the lost permission set's roles, one pattern per account", () => {
    // Act
    const [statement, ...rest] = denyStatements([mover("u-1", "Developer", [account(2), account(1)])]);
    // Assess
    expect(rest).toEqual([]);
    expect(statement?.Sid).toMatch(/^OktaAwsLifecycleRoles/);
    expect(statement?.Condition).toEqual({
      StringEquals: { "identitystore:userId": ["u-1"] },
      ArnLike: {
        "aws:PrincipalArn": [
          "arn:*:iam::100000000001:role/aws-reserved/sso.amazonaws.com*/AWSReservedSSO_Developer_????????????????",
          "arn:*:iam::100000000002:role/aws-reserved/sso.amazonaws.com*/AWSReservedSSO_Developer_????????????????",
        ],
      },
    });
  });

  it("merges several lost permission sets of one user into one statement", () => {
    // Act
    const statements = denyStatements([
      mover("u-1", "Developer", [account(1)]),
      mover("u-1", "ReadOnly", [account(1), account(3)]),
      mover("u-1", "Developer", [account(1)]),
    ]);
    // Assess
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Condition.ArnLike?.["aws:PrincipalArn"]).toEqual([
      identityCenterRolePattern(account(1), "Developer"),
      identityCenterRolePattern(account(1), "ReadOnly"),
      identityCenterRolePattern(account(3), "ReadOnly"),
    ]);
  });

  it("groups users who lost the same roles, and keeps users with different losses apart", () => {
    // Act
    const statements = denyStatements([
      mover("u-2", "Developer", [account(1)]),
      mover("u-1", "Developer", [account(1)]),
      mover("u-3", "Developer", [account(2)]),
    ]);
    // Assess
    expect(statements.map(users)).toEqual([["u-1", "u-2"], ["u-3"]]);
  });

  it("writes nothing for a mover Deny over no account (it denies nothing)", () => {
    expect(denyStatements([mover("u-1", "Developer", [])])).toEqual([]);
  });
});

describe("denyStatements: attribute changes", () => {
  it("denies sessions issued before the change, grouping users with the same instant", () => {
    // Act
    const statements = denyStatements([
      attributeChange("u-2", "2026-06-01T10:00:00Z"),
      attributeChange("u-1", "2026-06-01T10:00:00Z"),
      attributeChange("u-3", "2026-06-01T11:00:00Z"),
    ]);
    // Assess
    expect(statements.map((s) => s.Condition)).toEqual([
      {
        StringEquals: { "identitystore:userId": ["u-1", "u-2"] },
        DateLessThan: { "aws:TokenIssueTime": "2026-06-01T10:00:00Z" },
      },
      {
        StringEquals: { "identitystore:userId": ["u-3"] },
        DateLessThan: { "aws:TokenIssueTime": "2026-06-01T11:00:00Z" },
      },
    ]);
    expect(statements.every((s) => s.Sid.startsWith("OktaAwsLifecycleIssuedBefore"))).toBe(true);
  });

  it("keeps a whole-user Deny before an instant whole when a scoped one of the same instant follows", () => {
    // Prepare
    const scoped = { ...mover("u-1", "Developer", [account(1)]), issuedBefore: "2026-06-01T10:00:00Z" };
    // Act
    const statements = denyStatements([attributeChange("u-1", "2026-06-01T10:00:00Z"), scoped]);
    // Assess
    expect(statements.map((s) => s.Condition)).toEqual([
      {
        StringEquals: { "identitystore:userId": ["u-1"] },
        DateLessThan: { "aws:TokenIssueTime": "2026-06-01T10:00:00Z" },
      },
    ]);
  });

  it("scopes an attribute-change Deny to roles when the entry has a scope", () => {
    // Act
    const [statement] = denyStatements([
      { ...mover("u-1", "Developer", [account(1)]), issuedBefore: "2026-06-01T10:00:00Z" },
    ]);
    // Assess
    expect(Object.keys(statement?.Condition ?? {})).toEqual(["StringEquals", "ArnLike", "DateLessThan"]);
  });
});

describe("denyStatements: a user with several kinds of Deny", () => {
  it("writes only the whole-user Deny of a leaver, which covers every other one", () => {
    // Act
    const statements = denyStatements([
      mover("u-1", "Developer", [account(1)]),
      attributeChange("u-1", "2026-06-01T10:00:00Z"),
      leaver("u-1"),
      mover("u-2", "Developer", [account(1)]),
    ]);
    // Assess
    expect(statements.map((s) => [s.Sid.replace(/[0-9a-f]{16}$/, ""), users(s)])).toEqual([
      ["OktaAwsLifecycleAllSessions", ["u-1"]],
      ["OktaAwsLifecycleRoles", ["u-2"]],
    ]);
  });

  it("orders statements whole-user first, then role-scoped, then issued-before", () => {
    // Act
    const statements = denyStatements([
      attributeChange(userId(1), "2026-06-01T10:00:00Z"),
      mover(userId(2), "Developer", [account(1)]),
      leaver(userId(3)),
    ]);
    // Assess
    expect(statements.map((s) => s.Sid.replace(/[0-9a-f]{16}$/, ""))).toEqual([
      "OktaAwsLifecycleAllSessions",
      "OktaAwsLifecycleRoles",
      "OktaAwsLifecycleIssuedBefore",
    ]);
  });

  it("gives every statement a distinct alphanumeric Sid that depends only on its content", () => {
    // Prepare
    const denies = [
      leaver("u-1"),
      mover("u-2", "A", [account(1)]),
      attributeChange("u-3", "2026-01-01T00:00:00Z"),
    ];
    // Act
    const first = denyStatements(denies);
    const again = denyStatements([...denies].reverse());
    // Assess
    expect(again).toEqual(first);
    expect(new Set(first.map((s) => s.Sid)).size).toBe(3);
    for (const s of first) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
  });
});
