import { describe, expect, it } from "vitest";
import { statementAtoms } from "../../../core/revocation/deny-atoms.ts";
import { renderPolicy, scpLength } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { SCP_MAX_CHARS, shardScps } from "../../../core/revocation/shard-scps.ts";
import {
  account,
  leaver,
  mover,
  parsePolicy,
  statementsIn,
  userId,
  userIdsIn,
} from "./revocation-builders.ts";

const leavers = (n: number) => Array.from({ length: n }, (_, i) => leaver(userId(i)));
const accounts = (n: number) => Array.from({ length: n }, (_, i) => account(i));

describe("shardScps: documents", () => {
  it("writes no document for no statement", () => {
    expect(shardScps([], { maxPolicies: 5 })).toEqual({ documents: [], overflow: [], federatedOverflow: [] });
  });

  it("renders a small Deny set as one compact document", () => {
    // Prepare
    const statements = denyStatements([leaver("u-2"), mover("u-1", "Developer", [account(1)])]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxPolicies: 5 });
    // Assess
    expect(documents).toEqual([renderPolicy(statements)]);
    expect(documents[0]).not.toMatch(/\s/);
    expect(parsePolicy(documents[0] as string).Version).toBe("2012-10-17");
    expect(overflow).toEqual([]);
  });

  it("splits 500 leavers over several documents of at most 5,120 characters, none lost", () => {
    // Prepare
    const statements = denyStatements(leavers(500));
    // Act
    const { documents, overflow } = shardScps(statements, { maxPolicies: 10 });
    // Assess
    expect(documents.length).toBeGreaterThan(1);
    for (const d of documents) expect(scpLength(d)).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(userIdsIn(documents)).toEqual(new Set(leavers(500).map((d) => d.userId)));
    expect(overflow).toEqual([]);
  });

  it("fills each document before starting the next (only the last one has room left)", () => {
    // Act
    const { documents } = shardScps(denyStatements(leavers(500)), { maxPolicies: 10 });
    // Assess: one more user id (39 characters with quotes and comma) would not have fitted
    for (const d of documents.slice(0, -1)) expect(scpLength(d)).toBeGreaterThan(SCP_MAX_CHARS - 39);
  });

  it("honours a smaller maxChars", () => {
    // Act
    const { documents } = shardScps(denyStatements(leavers(50)), { maxChars: 1000, maxPolicies: 10 });
    // Assess
    expect(documents.length).toBeGreaterThan(1);
    for (const d of documents) expect(scpLength(d)).toBeLessThanOrEqual(1000);
  });

  it("splits one mover's role patterns when they do not fit one document", () => {
    // Prepare
    const statements = denyStatements([mover("u-1", "PlatformAdmin", accounts(140))]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxPolicies: 5 });
    // Assess
    expect(documents.length).toBeGreaterThan(1);
    for (const d of documents) expect(scpLength(d)).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(statementAtoms(statementsIn(documents))).toEqual(statementAtoms(statements));
    expect(overflow).toEqual([]);
  });

  it("splits a shared loss of many roles per user when one user's patterns alone overfill a document", () => {
    // Prepare: two users who lost the same 60 roles (about 5,700 characters per user)
    const statements = denyStatements([mover("u-1", "Dev", accounts(60)), mover("u-2", "Dev", accounts(60))]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxPolicies: 5 });
    // Assess
    for (const d of documents) expect(scpLength(d)).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(statementAtoms(statementsIn(documents))).toEqual(statementAtoms(statements));
    expect(overflow).toEqual([]);
  });

  it("drops identical statements given twice", () => {
    // Prepare
    const statements = denyStatements([leaver("u-1")]);
    // Act
    const { documents } = shardScps([...statements, ...statements], { maxPolicies: 5 });
    // Assess
    expect(statementsIn(documents)).toHaveLength(1);
  });

  it("gives the same documents whatever the order of the statements", () => {
    // Prepare
    const statements = denyStatements([...leavers(200), mover("u-x", "Dev", accounts(30))]);
    // Act
    const forward = shardScps(statements, { maxPolicies: 5 });
    const backward = shardScps([...statements].reverse(), { maxPolicies: 5 });
    // Assess
    expect(backward).toEqual(forward);
  });
});

describe("shardScps: overflow", () => {
  it("returns what does not fit in maxPolicies documents, leavers placed first", () => {
    // Prepare
    const statements = denyStatements([...leavers(300), mover("u-mover", "Dev", accounts(3))]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxPolicies: 2 });
    // Assess
    expect(documents).toHaveLength(2);
    const placed = userIdsIn(documents);
    const left = new Set(overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]));
    expect(left.has("u-mover")).toBe(true);
    expect([...placed].filter((u) => left.has(u))).toEqual([]);
    expect(placed.size + left.size).toBe(301);
  });

  it("overflows everything when no policy may be written", () => {
    // Prepare
    const statements = denyStatements(leavers(3));
    // Act
    const result = shardScps(statements, { maxPolicies: 0 });
    // Assess
    expect(result).toEqual({ documents: [], overflow: statements, federatedOverflow: [] });
  });

  it("overflows a statement too big for an empty document and still places the others", () => {
    // Prepare: 250 characters hold a one-user leaver document (198) but not one with a role pattern (~310)
    const statements = denyStatements([leaver("u-1"), mover("u-2", "Dev", [account(1)])]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxChars: 250, maxPolicies: 5 });
    // Assess
    expect(userIdsIn(documents)).toEqual(new Set(["u-1"]));
    expect(overflow.map((s) => s.Condition.StringEquals["identitystore:userId"])).toEqual([["u-2"]]);
  });

  it("overflows a shared role-scoped statement when not one user with one role fits", () => {
    // Prepare
    const statements = denyStatements([mover("u-1", "Dev", [account(1)]), mover("u-2", "Dev", [account(1)])]);
    // Act
    const { documents, overflow } = shardScps(statements, { maxChars: 250, maxPolicies: 5 });
    // Assess
    expect(documents).toEqual([]);
    expect(statementAtoms(overflow)).toEqual(statementAtoms(statements));
  });
});
