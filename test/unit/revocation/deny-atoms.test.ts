import { describe, expect, it } from "vitest";
import { atomKey, policyAtoms, statementAtoms } from "../../../core/revocation/deny-atoms.ts";
import { identityCenterRolePattern, renderPolicy } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { account, attributeChange, leaver, mover } from "./revocation-builders.ts";

const T = "2026-06-01T10:00:00Z";
const tool = (condition: unknown, extra: Record<string, unknown> = {}) => ({
  Sid: "OktaAwsLifecycleX",
  Effect: "Deny",
  Action: "*",
  Resource: "*",
  Condition: condition,
  ...extra,
});

describe("statementAtoms", () => {
  it("covers user x role x instant for each kind of Deny", () => {
    // Prepare
    const statements = denyStatements([
      leaver("u-1"),
      mover("u-2", "Dev", [account(1), account(2)]),
      attributeChange("u-3", T),
    ]);
    // Act
    const atoms = statementAtoms(statements);
    // Assess
    expect([...atoms].sort()).toEqual(
      [
        atomKey("u-1", "", "*"),
        atomKey("u-2", "", identityCenterRolePattern(account(1), "Dev")),
        atomKey("u-2", "", identityCenterRolePattern(account(2), "Dev")),
        atomKey("u-3", T, "*"),
      ].sort(),
    );
  });
});

describe("policyAtoms", () => {
  it("reads back the atoms of a rendered document", () => {
    // Prepare
    const statements = denyStatements([
      leaver("u-1"),
      mover("u-2", "Dev", [account(1)]),
      attributeChange("u-3", T),
    ]);
    // Act / Assess
    expect(policyAtoms(renderPolicy(statements))).toEqual(statementAtoms(statements));
  });

  it("finds nothing in text that is not JSON", () => {
    expect(policyAtoms("{oops")).toEqual(new Set());
  });

  it("ignores customer statements and tool statements that do not deny", () => {
    // Prepare
    const text = JSON.stringify({
      Statement: [
        { Sid: "Customer", Effect: "Deny", Condition: { StringEquals: { "identitystore:userId": "u-9" } } },
        tool({ StringEquals: { "identitystore:userId": "u-8" } }, { Effect: "Allow" }),
        "not a statement",
      ],
    });
    // Act / Assess
    expect(policyAtoms(text)).toEqual(new Set());
  });

  it("reads a single statement object and single string condition values", () => {
    // Prepare
    const text = JSON.stringify({
      Statement: tool({
        StringEquals: { "identitystore:userId": "u-1" },
        ArnLike: { "aws:PrincipalArn": "arn:role" },
        DateLessThan: { "aws:TokenIssueTime": T },
      }),
    });
    // Act / Assess
    expect(policyAtoms(text)).toEqual(new Set([atomKey("u-1", T, "arn:role")]));
  });

  it("skips condition values that are not strings, and a statement without condition covers nothing", () => {
    // Prepare
    const text = JSON.stringify({
      Statement: [
        tool({
          StringEquals: { "identitystore:userId": ["u-1", 7, null] },
          ArnLike: { "aws:PrincipalArn": 3 },
        }),
        tool({ StringEquals: { "identitystore:userId": ["u-2"] } }),
        tool(undefined),
      ],
    });
    // Act / Assess
    expect(policyAtoms(text)).toEqual(new Set([atomKey("u-2", "", "*")]));
  });
});
