import { describe, expect, it } from "vitest";
import type { Organization } from "../../../core/estate.ts";
import { resolveRuleAccounts } from "../../../core/policy/resolve-targets.ts";
import { Rule } from "../../../core/policy/schema.ts";

//  r-root
//  |-- 111111111111 (no tags)
//  |-- A ou-root-aaaaaaaa
//  |   |-- 222222222222 env=prod team=payments
//  |   `-- B ou-root-bbbbbbbb
//  |       |-- 333333333333 env=dev team=payments
//  |       |-- 666666666666 env=dev  SUSPENDED
//  |       `-- C ou-root-cccccccc
//  |           `-- 444444444444 env=staging
//  `-- D ou-root-dddddddd
//      |-- 555555555555 env=prod team=search
//      `-- 777777777777 env=prod  PENDING_CLOSURE
const A = "ou-root-aaaaaaaa";
const B = "ou-root-bbbbbbbb";
const C = "ou-root-cccccccc";
const D = "ou-root-dddddddd";
const org: Organization = {
  rootId: "r-root",
  units: [
    { id: "r-root", name: "Root", parentId: null },
    { id: A, name: "A", parentId: "r-root" },
    { id: B, name: "B", parentId: A },
    { id: C, name: "C", parentId: B },
    { id: D, name: "D", parentId: "r-root" },
  ],
  accounts: [
    { id: "111111111111", name: "root-account", parentId: "r-root", tags: {}, status: "ACTIVE" },
    { id: "222222222222", name: "a", parentId: A, tags: { env: "prod", team: "payments" }, status: "ACTIVE" },
    { id: "333333333333", name: "b", parentId: B, tags: { env: "dev", team: "payments" }, status: "ACTIVE" },
    { id: "666666666666", name: "b-closed", parentId: B, tags: { env: "dev" }, status: "SUSPENDED" },
    { id: "444444444444", name: "c", parentId: C, tags: { env: "staging" }, status: "ACTIVE" },
    { id: "555555555555", name: "d", parentId: D, tags: { env: "prod", team: "search" }, status: "ACTIVE" },
    { id: "777777777777", name: "d-closing", parentId: D, tags: { env: "prod" }, status: "PENDING_CLOSURE" },
  ],
};

/** A rule with the given targets and exclusions, through the schema (so defaults apply). */
function ruleWith(targets: object, exclude?: object) {
  return Rule.parse({ name: "r", group: "g", permissionSet: "ReadOnly", targets, exclude });
}

const none = { accountIds: [], unknownAccountIds: [], unknownOuIds: [], unknownExcludedIds: [] };

describe("resolveRuleAccounts: targets", () => {
  it("targets explicit accounts, sorted", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ accounts: ["555555555555", "111111111111"] }), org);

    // Assess
    expect(resolved).toEqual({ ...none, accountIds: ["111111111111", "555555555555"] });
  });

  it("targets every account under an OU, through nested OUs", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: [A] }), org);

    // Assess
    expect(resolved.accountIds).toEqual(["222222222222", "333333333333", "444444444444"]);
  });

  it("targets only the OU's own subtree", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: [C] }), org);

    // Assess
    expect(resolved.accountIds).toEqual(["444444444444"]);
  });

  it("targets every active account for the root id", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: ["r-root"] }), org);

    // Assess
    expect(resolved.accountIds).toEqual([
      "111111111111",
      "222222222222",
      "333333333333",
      "444444444444",
      "555555555555",
    ]);
  });

  it("targets an account whose parent is missing from the units through the root", () => {
    // Prepare
    const orphan = {
      id: "888888888888",
      name: "orphan",
      parentId: "ou-root-gone0000",
      tags: {},
      status: "ACTIVE" as const,
    };
    const withOrphan = { ...org, accounts: [...org.accounts, orphan] };

    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: ["r-root"] }), withOrphan);

    // Assess
    expect(resolved.accountIds).toContain("888888888888");
  });

  it("matches a tag by its single value", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ tags: { env: "prod" } }), org);

    // Assess
    expect(resolved.accountIds).toEqual(["222222222222", "555555555555"]);
  });

  it("matches a tag by any of its listed values", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ tags: { env: ["dev", "staging"] } }), org);

    // Assess
    expect(resolved.accountIds).toEqual(["333333333333", "444444444444"]);
  });

  it("requires every key of a tag match, and the key present", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({ tags: { team: "payments", env: ["prod", "staging"] } }),
      org,
    );

    // Assess
    expect(resolved.accountIds).toEqual(["222222222222"]);
  });

  it("matches nothing with an empty tag match, and no inherited property as a tag", () => {
    // Act
    const empty = resolveRuleAccounts(ruleWith({ tags: {} }), org);
    const inherited = resolveRuleAccounts(ruleWith({ tags: { constructor: "x", toString: ["y"] } }), org);

    // Assess
    expect(empty.accountIds).toEqual([]);
    expect(inherited.accountIds).toEqual([]);
  });

  it("lists an account once when accounts, OUs and tags all name it", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({ accounts: ["333333333333", "333333333333"], ous: [A, B], tags: { team: "payments" } }),
      org,
    );

    // Assess
    expect(resolved.accountIds).toEqual(["222222222222", "333333333333", "444444444444"]);
  });

  it("skips suspended and pending-closure accounts however they are targeted, without calling them unknown", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({ accounts: ["666666666666", "777777777777"], ous: [B, D], tags: { env: "dev" } }),
      org,
    );

    // Assess
    expect(resolved).toEqual({ ...none, accountIds: ["333333333333", "444444444444", "555555555555"] });
  });

  it("reports explicit account and OU ids the organization does not have", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({
        accounts: ["999999999999", "111111111111", "000000000000"],
        ous: ["ou-root-zzzzzzzz", "r-other"],
      }),
      org,
    );

    // Assess
    expect(resolved).toEqual({
      accountIds: ["111111111111"],
      unknownAccountIds: ["000000000000", "999999999999"],
      unknownOuIds: ["ou-root-zzzzzzzz", "r-other"],
      unknownExcludedIds: [],
    });
  });

  it("terminates on a malformed organization whose OUs form a cycle", () => {
    // Prepare
    const x = "ou-root-xxxxxxxx";
    const y = "ou-root-yyyyyyyy";
    const cyclic: Organization = {
      rootId: "r-root",
      units: [
        { id: x, name: "X", parentId: y },
        { id: y, name: "Y", parentId: x },
      ],
      accounts: [{ id: "111111111111", name: "x", parentId: y, tags: {}, status: "ACTIVE" }],
    };

    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: [x] }), cyclic);

    // Assess
    expect(resolved.accountIds).toEqual(["111111111111"]);
  });
});

describe("resolveRuleAccounts: exclusions", () => {
  it("excludes explicit accounts", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({ ous: ["r-root"] }, { accounts: ["111111111111", "555555555555"] }),
      org,
    );

    // Assess
    expect(resolved.accountIds).toEqual(["222222222222", "333333333333", "444444444444"]);
  });

  it("excludes every account under an OU, through nested OUs", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: ["r-root"] }, { ous: [B] }), org);

    // Assess
    expect(resolved.accountIds).toEqual(["111111111111", "222222222222", "555555555555"]);
  });

  it("excludes accounts by tag, even ones an explicit target lists", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith(
        { accounts: ["222222222222"], ous: [D] },
        { tags: { env: ["prod"], team: ["payments", "search"] } },
      ),
      org,
    );

    // Assess
    expect(resolved.accountIds).toEqual([]);
  });

  it("accepts excluding an account the rule does not target", () => {
    // Act
    const resolved = resolveRuleAccounts(ruleWith({ ous: [D] }, { accounts: ["111111111111"] }), org);

    // Assess
    expect(resolved).toEqual({ ...none, accountIds: ["555555555555"] });
  });

  it("reports excluded ids the organization does not have, apart from the targets' unknowns", () => {
    // Act
    const resolved = resolveRuleAccounts(
      ruleWith({ ous: [D] }, { accounts: ["999999999999"], ous: ["ou-root-typo0000"] }),
      org,
    );

    // Assess
    expect(resolved).toEqual({
      ...none,
      accountIds: ["555555555555"],
      unknownExcludedIds: ["999999999999", "ou-root-typo0000"],
    });
  });
});
