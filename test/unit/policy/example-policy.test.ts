import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { resolveRuleAccounts } from "../../../core/policy/resolve-targets.ts";
import type { Policy } from "../../../core/policy/schema.ts";
import { exampleOrganization, LOG_ARCHIVE, MANAGEMENT } from "./example-organization.ts";

function examplePolicy(): Policy {
  const result = loadPolicy(
    readFileSync(new URL("../../../examples/policy.yaml", import.meta.url), "utf8"),
    "policy.yaml",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

/** How many accounts each rule of the example grants, against the organization it describes. */
function resolveAll(policy: Policy): Record<string, string[]> {
  return Object.fromEntries(
    policy.rules.map((rule) => {
      const resolved = resolveRuleAccounts(rule, exampleOrganization);
      expect(resolved.unknownAccountIds.concat(resolved.unknownOuIds, resolved.unknownExcludedIds)).toEqual(
        [],
      );
      return [rule.name, resolved.accountIds];
    }),
  );
}

describe("examples/policy.yaml against its 35-account organization", () => {
  it("names only ids that exist and grants what its comments promise", () => {
    // Prepare
    const policy = examplePolicy();
    const active = exampleOrganization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id);

    // Act
    const granted = resolveAll(policy);

    // Assess
    expect(active).toHaveLength(33);
    expect(granted["platform-admins"]).toHaveLength(4 + 20 + 5);
    expect(granted["readonly-everywhere"]).toEqual(active.filter((id) => id !== "100000000001").sort());
    expect(granted["developers-nonprod"]).toHaveLength(10 + 5);
    expect(granted["developers-prod-readonly"]).toHaveLength(9);
    expect(granted["developers-prod-readonly"]).not.toContain("100000000001");
    expect(granted["payments-engineers"]).toEqual(["200000000001"]);
    expect(granted["payments-prod-readonly"]).toEqual(["100000000001"]);
    expect(granted.billing).toEqual([MANAGEMENT]);
    expect(granted["security-auditors"]).toEqual([...active].sort());
    expect(granted["security-engineers"]).toEqual(["234567890123", "345678901234"]);
    expect(granted["security-engineers"]).not.toContain(LOG_ARCHIVE);
  });
});
